/**
 * Removes secrets from any text that may reach a log, an error message, a UI surface or a snapshot.
 * Keys, bearer tokens, session cookies, JWTs and GitHub tokens are recognised by shape; other secrets
 * (access tokens, passwords, keys stored without their `sk-` prefix) are registered once they are
 * known, because they have no recognisable shape.
 */
// `sk-` in any case, also URL-encoded (`sk%2D`) and inside words after `_` (`my_sk-…`); key bodies may
// carry base64 and JWT characters. A trailing dot is the end of a sentence, not part of the key.
const KEY_PATTERN = /(?<![A-Za-z0-9])sk(?:-|%2d)[A-Za-z0-9_\-*+/=.%]{4,}[A-Za-z0-9_\-*+/=%]/gi;
const AUTH_HEADER_PATTERN = /\b(authorization|proxy-authorization|x-api-key|api-key|cookie|set-cookie)(["']?\s*[:=]\s*["']?)(bearer\s+|basic\s+)?([^\s"',;]+)/gi;
const BEARER_PATTERN = /\b(bearer)(\s+)(?!«redacted»)([^\s"',;)]+)/gi;
const SESSION_PATTERN = /\b(session)=(?!«redacted»)[^\s;,"']+/gi;
const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const GITHUB_PATTERN = /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})/g;

export const REDACTED = '«redacted»';

const knownSecrets = new Set<string>();

/** Remembers a secret so that every later `redact()` hides it. Short values are ignored (too many false hits). */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < 6) return;
  knownSecrets.add(secret);
  // A key is stored and listed without its prefix, and used with it: hide both spellings.
  if (/^sk-/i.test(secret) && secret.length >= 9) knownSecrets.add(secret.slice(3));
}

export function forgetSecret(secret: string | undefined): void {
  if (!secret) return;
  knownSecrets.delete(secret);
  if (/^sk-/i.test(secret)) knownSecrets.delete(secret.slice(3));
}

export function redact(text: string): string {
  let out = text;
  // Longest first, so a key registered with and without `sk-` leaves no tail behind.
  for (const secret of [...knownSecrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  return out
    .replace(KEY_PATTERN, (key) => (key.length > 14 && !key.includes('%') ? `sk-…${key.slice(-4)}` : 'sk-…'))
    // Kept: a value already masked (its "…" tells two masked values apart in a diff) and an OpenCode
    // `{env:…}`/`{file:…}` reference (it names where the secret is; it is not one).
    .replace(AUTH_HEADER_PATTERN, (match: string, name: string, sep: string, scheme: string | undefined, value: string) =>
      alreadySafe(value) ? match : `${name}${sep}${scheme ?? ''}${REDACTED}`)
    .replace(BEARER_PATTERN, (match: string, scheme: string, space: string, value: string) => (alreadySafe(value) ? match : `${scheme}${space}${REDACTED}`))
    .replace(SESSION_PATTERN, (_m, name: string) => `${name}=${REDACTED}`)
    .replace(JWT_PATTERN, REDACTED)
    .replace(GITHUB_PATTERN, REDACTED);
}

const alreadySafe = (value: string) => value.includes('…') || value === REDACTED || /^\{(?:env|file):/.test(value);

/** How a key is shown to a person: enough to recognise it, never enough to use it. */
export function maskKey(key: string): string {
  const bare = key.startsWith('sk-') ? key.slice(3) : key;
  return bare.length > 8 ? `sk-${bare.slice(0, 4)}…${bare.slice(-4)}` : 'sk-…';
}
