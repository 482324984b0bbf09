/**
 * Masks the secrets in the text of a config file (JSON, JSONC or TOML; possibly broken, or a fragment)
 * before a person sees it in a diff. By structure: the string value of every key whose name says
 * secret (`apiKey`, `ANTHROPIC_AUTH_TOKEN`, `Authorization`, `id_token`…). By shape, wherever they
 * are: `Bearer …` credentials, JWTs, GitHub tokens, `sk-` keys. Then whatever redact() hides.
 * Values that only name a secret (`env_key = "TOKAIFY_KEY"`, `{env:…}`, `{file:…}`) stay visible.
 * Only characters inside a line change, so a masked diff lines up with the real one.
 */
import { redact } from '../redact';

// A string literal: TOML multi-line first (it may span lines), then one-line basic and literal strings.
const STRING = String.raw`"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'`;
const KEY = String.raw`"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+`;
/** `key: "value"` (JSON) or `key = "value"` (TOML, the last part of a dotted key). */
const ENTRY = new RegExp(String.raw`(${KEY})([ \t]*[:=][ \t]*)(${STRING})`, 'g');

/** Secrets recognised by their shape alone; group 1 and 2 are a `Bearer` scheme and its spacing. */
const SHAPES = /\b(Bearer|bearer|BEARER)([ \t]+)[^\s"'`,;(){}[\]<>]+|\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|\b(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]+|\bsk-[A-Za-z0-9_-]{6,}/g;

/** Prefixes kept visible in a mask: they say what kind of secret it was. */
const KNOWN_PREFIX = /^(?:sk-|gh[pousr]_|github_pat_)/;
const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** An authorization scheme followed by its credential. */
const SCHEME = /^(Bearer|Basic|Token|Bot)(\s+)(\S[\s\S]*)$/i;

/** Words of a key name that make its value a secret (`api_key`, `db_pass`, `auth`). */
const SECRET_WORDS = new Set(['key', 'keys', 'pat', 'auth', 'pass', 'pwd']);
/** Parts of a key name that make its value a secret wherever they are (`ANTHROPIC_AUTH_TOKEN`, `xApiKey`). */
const SECRET_PARTS = /token|secret|passw(?:or)?d|passphrase|credential|cookie|authori[sz]ation|bearer|apikey|privatekey|accesskey|secretkey|sessionkey|signingkey|authkey/;
/** A last word that says the value is about a secret, not the secret (`apiKeyHelper`, `token_url`, `key_id`, `awsAuthRefresh`). */
const NOT_SECRET_LAST_WORD = new Set([
  'helper', 'path', 'file', 'dir', 'url', 'uri', 'endpoint', 'host', 'name', 'id', 'type', 'mode', 'env', 'var', 'variable',
  'command', 'cmd', 'kind', 'format', 'refresh', 'export',
]);

/** An environment variable's name, e.g. `TOKAIFY_API_KEY` (at least one underscore: a bare word could be a key). */
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/** A reference to where a secret lives: `{env:X}`, `{file:~/key}` (OpenCode), `${X}`, `$X`. */
const REFERENCE = /^(?:\{(?:env|file):[^}]*\}|\$\{[^}]+\}|\$[A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * Masks secrets, remembering what it masked: used on both sides of a diff, an unchanged secret masks
 * the same way on both, and a changed one never masks like the old one (a `#2` is added when two
 * secrets would otherwise look alike), so the diff shows exactly the lines that change.
 */
export class SecretMasker {
  private readonly masks = new Map<string, string>();
  private readonly taken = new Set<string>();

  mask(text: string): string {
    let out = '';
    let last = 0;
    for (const match of text.matchAll(ENTRY)) {
      out += this.shapes(text.slice(last, match.index)) + this.entry(match[1]!, match[2]!, match[3]!);
      last = match.index + match[0].length;
    }
    return redact(out + this.shapes(text.slice(last)));
  }

  private entry(key: string, separator: string, literal: string): string {
    const quote = /^("""|'''|"|')/.exec(literal)![0];
    const value = literal.slice(quote.length, literal.length - quote.length);
    if (!isSecretName(unquote(key)) || !looksSecret(value)) return this.shapes(key) + separator + this.shapes(literal);
    // A multi-line string is masked line by line (line breaks kept), so the text keeps its lines.
    const masked = value.split(/(\r?\n)/).map((part) => (part.trim() === '' ? part : this.credential(part))).join('');
    return key + separator + quote + masked + quote;
  }

  /** A secret value: an authorization scheme stays readable, the credential after it does not. */
  private credential(value: string): string {
    const scheme = SCHEME.exec(value);
    if (!scheme) return this.hide(value);
    return REFERENCE.test(scheme[3]!.trim()) ? value : scheme[1]! + scheme[2]! + this.hide(scheme[3]!);
  }

  private shapes(text: string): string {
    return text.replace(SHAPES, (found: string, scheme: string | undefined, space: string | undefined) => {
      if (scheme === undefined || space === undefined) return this.hide(found);
      const credential = found.slice(scheme.length + space.length);
      return REFERENCE.test(credential) ? found : scheme + space + this.hide(credential);
    });
  }

  private hide(secret: string): string {
    const known = this.masks.get(secret);
    if (known !== undefined) return known;
    const base = maskOf(secret);
    let mask = base;
    for (let n = 2; this.taken.has(mask); n++) mask = `${base}#${n}`;
    this.masks.set(secret, mask);
    this.taken.add(mask);
    return mask;
  }
}

/** `text` with its secrets masked (see SecretMasker to mask two texts alike). */
export function maskSecrets(text: string, masker = new SecretMasker()): string {
  return masker.mask(text);
}

/**
 * Enough to recognise a secret, never enough to use it: a known prefix, then the first and last four
 * characters of a long value (two of a shorter one, none of a short one).
 */
function maskOf(secret: string): string {
  const prefix = KNOWN_PREFIX.exec(secret)?.[0] ?? '';
  const rest = secret.slice(prefix.length);
  const shown = prefix ? (rest.length >= 16 ? 4 : 0) : rest.length >= 24 ? 4 : rest.length >= 16 ? 2 : 0;
  // Only plain characters are shown: half an escape sequence could end the string early.
  const plain = (part: string) => part.replace(/[^A-Za-z0-9_.+/=-]/g, '*');
  return shown ? `${prefix}${plain(rest.slice(0, shown))}…${plain(rest.slice(-shown))}` : `${prefix}…`;
}

/** Whether a key's name says its value is a secret (camelCase, snake_case, kebab-case, any letter case). */
export function isSecretName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (!words.length || NOT_SECRET_LAST_WORD.has(words[words.length - 1]!)) return false;
  return words.some((word) => SECRET_WORDS.has(word)) || SECRET_PARTS.test(words.join(''));
}

/** Whether the value of a secret-named key is a secret rather than a pointer to one (raw, escapes kept). */
function looksSecret(value: string): boolean {
  const text = value.trim();
  if (ENV_NAME.test(text) || REFERENCE.test(text)) return false;
  return text.length >= 8 || KNOWN_PREFIX.test(text) || JWT.test(text);
}

function unquote(key: string): string {
  if (key.startsWith("'")) return key.slice(1, -1);
  if (!key.startsWith('"')) return key;
  try {
    return JSON.parse(key) as string;
  } catch {
    return key.slice(1, -1);
  }
}
