/**
 * Codex CLI `config.toml` planner: a surgical, format-preserving edit of the user's file.
 *
 * The file is parsed with toml-eslint-parser (strict TOML 1.0) only to locate things: every change is
 * a splice at a node's `range` (replace a value, insert lines after a key-value, delete a key-value's
 * line, append a table, rewrite the entries of an inline table holding our provider). The document is
 * never re-serialized, so comments, blank lines, key order, quoting styles and the tables we do not own
 * stay byte for byte. The result is parsed again and compared with what we meant before it is
 * returned. Background: the client-configs spec, §1 and §5.
 */
import { isDeepStrictEqual } from 'node:util';
import * as l10n from '@vscode/l10n';
import { getStaticTOMLValue, parseTOML, ParseError, type AST } from 'toml-eslint-parser';
import { detectFormat } from './textFormat';
import { ConfigShapeError, ConfigSyntaxError } from './types';

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export interface CodexOptions {
  /** Key under `[model_providers]`; default `tokaify`. Must not be one of Codex's built-in ids. */
  providerId?: string;
  /** Display name; default `Tokaify`. */
  providerName?: string;
  /** OpenAI-compatible base, ends with `/v1` (Codex appends `/responses`). */
  baseUrl: string;
  model: string;
  /** Written only when given. */
  reviewModel?: string;
  /** Written only when given. */
  reasoningEffort?: ReasoningEffort;
  /**
   * `auth-json`: the key lives in `$CODEX_HOME/auth.json` (`requires_openai_auth = true`);
   * `config-token`: the key is written here as `experimental_bearer_token`.
   */
  credential: { kind: 'auth-json' } | { kind: 'config-token'; key: string };
  /**
   * Remove a root `profile = "…"` (Codex 0.171 refuses to start with one: "legacy `profile` config is
   * no longer supported"), leaving a comment that says what was removed. Only with the user's consent.
   */
  removeLegacyProfile?: boolean;
}

export interface CodexProviderSummary {
  name?: string;
  baseUrl?: string;
  wireApi?: string;
  hasBearerToken: boolean;
  envKey?: string;
  requiresOpenaiAuth?: boolean;
}

export interface CodexConfigSummary {
  modelProvider?: string;
  model?: string;
  providers: Record<string, CodexProviderSummary>;
  /** A root `profile = "…"` selector, which recent Codex refuses at startup; `line` is 1-based. */
  legacyProfile?: { name: string; line: number };
}

/** Ids Codex refuses in `model_providers` (exact, case-sensitive compare, as Codex does). */
export const RESERVED_CODEX_PROVIDER_IDS: readonly string[] = ['openai', 'ollama', 'lmstudio', 'ollama-chat', 'amazon-bedrock'];

export const CODEX_SCHEMA_LINE = '#:schema https://developers.openai.com/codex/config-schema.json';

const REASONING_EFFORTS: readonly ReasoningEffort[] = ['minimal', 'low', 'medium', 'high', 'xhigh'];

/** Keys of our provider table that decide where the credential comes from. */
const CREDENTIAL_KEYS = ['requires_openai_auth', 'experimental_bearer_token', 'env_key'] as const;

type Scalar = string | boolean;
type TomlTable = Record<string, unknown>;

interface Edit {
  start: number;
  end: number;
  text: string;
  /**
   * Tie-break for insertions at the same offset: keys added to an existing provider group (0) come
   * before new root keys (1), which come before a newly appended provider table (2); replacements
   * and deletions starting at that offset come last.
   */
  order?: number;
}

interface Resolved {
  id: string;
  root: [string, string][];
  /** Root keys taken out of the file (the legacy `profile`, when asked). */
  removeFromRoot: string[];
  provider: [string, Scalar][];
  removeFromProvider: string[];
}

const BOM = '\uFEFF';

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * The new text of `config.toml` pointing Codex at the gateway. `current` is the file's text
 * (undefined when it does not exist). Throws ConfigSyntaxError when `current` does not parse,
 * ConfigShapeError when our keys are defined in a way we cannot edit safely, Error for bad options.
 */
export function planCodexConfig(current: string | undefined, options: CodexOptions, file = 'config.toml'): string {
  const wanted = resolveOptions(options);
  const format = detectFormat(current);
  let body = (current ?? '').replace(/^\uFEFF/, '');
  const bom = format.bom ? BOM : '';

  if (body === '') {
    const fresh = [CODEX_SCHEMA_LINE, ...wanted.root.map(([k, v]) => `${formatKey(k)} = ${formatValue(v)}`), '', ...providerTableLines(wanted)];
    const text = fresh.map((line) => line + format.eol).join('');
    verify(text, undefined, wanted, file);
    return bom + text;
  }

  const eol = format.eol;
  // Work on a text that ends with a line break, so every insertion is "whole lines after a line
  // break"; the missing final newline is put back at the end.
  const addedNewline = !body.endsWith('\n');
  if (addedNewline) body += eol;

  const ast = parseCodexToml(body, file);
  const before = getStaticTOMLValue(ast);
  const edits = planEdits(body, ast, before, wanted, eol, file);
  let text = applyEdits(body, edits);
  if (addedNewline && text.endsWith(eol)) text = text.slice(0, -eol.length);

  verify(text, before, wanted, file);
  return bom + text;
}

/** What a config says, for diagnosis: the active provider and model, and each provider (never a token). */
export function readCodexConfig(text: string, file = 'config.toml'): CodexConfigSummary {
  const ast = parseCodexToml(text.replace(/^\uFEFF/, ''), file);
  const doc = getStaticTOMLValue(ast);
  const summary: CodexConfigSummary = { providers: {} };
  const profile = legacyProfileKv(ast);
  if (profile && typeof doc.profile === 'string') summary.legacyProfile = { name: doc.profile, line: profile.loc.start.line };
  if (typeof doc.model_provider === 'string') summary.modelProvider = doc.model_provider;
  if (typeof doc.model === 'string') summary.model = doc.model;
  const providers = doc.model_providers;
  if (isTable(providers)) {
    for (const [id, value] of Object.entries(providers)) {
      if (!isTable(value)) continue;
      const entry: CodexProviderSummary = {
        hasBearerToken: typeof value.experimental_bearer_token === 'string' && value.experimental_bearer_token !== '',
      };
      if (typeof value.name === 'string') entry.name = value.name;
      if (typeof value.base_url === 'string') entry.baseUrl = value.base_url;
      if (typeof value.wire_api === 'string') entry.wireApi = value.wire_api;
      if (typeof value.env_key === 'string') entry.envKey = value.env_key;
      if (typeof value.requires_openai_auth === 'boolean') entry.requiresOpenaiAuth = value.requires_openai_auth;
      summary.providers[id] = entry;
    }
  }
  return summary;
}

/** The root `profile = …` key-value (a plain key before any table header), if the file has one. */
function legacyProfileKv(ast: AST.TOMLProgram): AST.TOMLKeyValue | undefined {
  return ast.body[0].body.find((n): n is AST.TOMLKeyValue => n.type === 'TOMLKeyValue' && n.key.keys.length === 1 && keyNames(n.key)[0] === 'profile');
}

/** A TOML basic string (double quotes) holding `value`, escaped as TOML 1.0 requires. */
export function tomlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

// ---------------------------------------------------------------------------------------------
// Options

function resolveOptions(options: CodexOptions): Resolved {
  const id = options.providerId ?? 'tokaify';
  const name = options.providerName ?? 'Tokaify';
  if (RESERVED_CODEX_PROVIDER_IDS.includes(id)) {
    throw new Error(l10n.t('"{0}" is a built-in Codex provider id and cannot be redefined; choose another provider id (for example "{0}-custom")', id));
  }
  requireText(id, () => l10n.t('The provider id is empty'), () => l10n.t('The provider id is not valid Unicode text'));
  requireText(name, () => l10n.t('The provider name is empty'), () => l10n.t('The provider name is not valid Unicode text'));
  requireText(options.baseUrl, () => l10n.t('The base URL is empty'), () => l10n.t('The base URL is not valid Unicode text'));
  requireText(options.model, () => l10n.t('The model is empty'), () => l10n.t('The model is not valid Unicode text'));
  const root: [string, string][] = [
    ['model_provider', id],
    ['model', options.model],
  ];
  if (options.reviewModel !== undefined) {
    requireText(options.reviewModel, () => l10n.t('The review model is empty'), () => l10n.t('The review model is not valid Unicode text'));
    root.push(['review_model', options.reviewModel]);
  }
  if (options.reasoningEffort !== undefined) {
    if (!REASONING_EFFORTS.includes(options.reasoningEffort)) throw new Error(l10n.t('Unknown reasoning effort "{0}"', String(options.reasoningEffort)));
    root.push(['model_reasoning_effort', options.reasoningEffort]);
  }
  const provider: [string, Scalar][] = [
    ['name', name],
    ['base_url', options.baseUrl],
    ['wire_api', 'responses'],
  ];
  let removeFromProvider: string[];
  if (options.credential.kind === 'auth-json') {
    provider.push(['requires_openai_auth', true]);
    removeFromProvider = ['experimental_bearer_token', 'env_key'];
  } else {
    requireText(options.credential.key, () => l10n.t('The API key is empty'), () => l10n.t('The API key is not valid Unicode text'));
    provider.push(['experimental_bearer_token', options.credential.key]);
    removeFromProvider = ['requires_openai_auth', 'env_key'];
  }
  return { id, root, removeFromRoot: options.removeLegacyProfile ? ['profile'] : [], provider, removeFromProvider };
}

/** The messages come as functions, one whole sentence per field, translated only when one is thrown. */
function requireText(value: string, empty: () => string, invalid: () => string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(empty());
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    throw new Error(invalid());
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parses config.toml strictly (TOML 1.0), as Codex does; a broken file is a ConfigSyntaxError at its line:column. */
export function parseCodexToml(text: string, file: string): AST.TOMLProgram {
  try {
    return parseTOML(text, { tomlVersion: '1.0' });
  } catch (error) {
    if (error instanceof ParseError) {
      throw new ConfigSyntaxError(file, error.lineNumber, error.column + 1, error.message.replace(/\.$/, ''));
    }
    throw error;
  }
}

function keyNames(key: AST.TOMLKey): string[] {
  return key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
}

function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function startsWith(path: readonly (string | number)[], prefix: readonly string[]): boolean {
  return prefix.every((part, i) => path[i] === part);
}

// ---------------------------------------------------------------------------------------------
// Planning

/**
 * Our provider written inside an inline table (closed in TOML: nothing can be added from outside it):
 * `tokaify = { … }` has its fields directly (`prefix` []), `model_providers = { tokaify.name = … }`
 * has them behind `prefix` [id].
 */
interface InlineHost {
  table: AST.TOMLInlineTable;
  prefix: string[];
}

interface Located {
  kv: AST.TOMLKeyValue;
  /** Full key path from the document root. */
  path: (string | number)[];
  /** How many segments of kv.key come before the provider's field name (dotted definitions). */
  prefixSegments: number;
}

function planEdits(text: string, ast: AST.TOMLProgram, doc: TomlTable, wanted: Resolved, eol: string, file: string): Edit[] {
  const top = ast.body[0];
  const edits: Edit[] = [];
  const firstTable = top.body.find((n): n is AST.TOMLTable => n.type === 'TOMLTable');
  const rootKvs = top.body.filter((n): n is AST.TOMLKeyValue => n.type === 'TOMLKeyValue');
  const tables = top.body.filter((n): n is AST.TOMLTable => n.type === 'TOMLTable');
  const providerPath = ['model_providers', wanted.id];
  const providerLabel = `model_providers.${formatKey(wanted.id)}`;

  // --- shape checks on the parsed value -------------------------------------------------------
  for (const [key] of wanted.root) {
    if (key in doc && !rootKvs.some((kv) => kv.key.keys.length === 1 && keyNames(kv.key)[0] === key)) {
      throw new ConfigShapeError(file, l10n.t('`{0}` is defined as a table, not as a plain root key', key));
    }
  }
  const providers = doc.model_providers;
  if (providers !== undefined && !isTable(providers)) {
    throw new ConfigShapeError(file, l10n.t('`{0}` is not a table', 'model_providers'));
  }
  const ours = isTable(providers) ? providers[wanted.id] : undefined;
  if (ours !== undefined && !isTable(ours)) {
    throw new ConfigShapeError(file, l10n.t('`{0}` is not a table', providerLabel));
  }
  if (isTable(ours) && 'auth' in ours) {
    throw new ConfigShapeError(
      file,
      l10n.t("`{0}` gets its token from an `auth` command, which Codex does not allow together with the keys we write; remove that provider's `auth` entry first", providerLabel),
    );
  }

  // --- root keys ------------------------------------------------------------------------------
  const missingRoot: string[] = [];
  for (const [key, value] of wanted.root) {
    const kv = rootKvs.find((n) => n.key.keys.length === 1 && keyNames(n.key)[0] === key);
    if (kv) replaceValue(edits, kv, value);
    else missingRoot.push(`${formatKey(key)} = ${formatValue(value)}`);
  }
  let rootInsertAt = -1;
  if (missingRoot.length) {
    rootInsertAt = rootInsertionPoint(text, rootKvs, firstTable);
    const lines = [...missingRoot];
    // Keep a blank line between our keys and a table header or the comments introducing it.
    if (firstTable && !isBlank(lineAt(text, rootInsertAt))) lines.push('');
    edits.push({ start: rootInsertAt, end: rootInsertAt, text: lines.map((l) => l + eol).join(''), order: 1 });
  }

  if (wanted.removeFromRoot.includes('profile')) {
    const kv = legacyProfileKv(ast);
    if (kv) edits.push(commentOut(text, kv, eol));
  }

  // --- our provider table ---------------------------------------------------------------------
  const located: Located[] = [];
  let inline: InlineHost | undefined;
  // `model_providers = { … }` without our provider: it has to go inside.
  let providersInline: AST.TOMLInlineTable | undefined;
  const containers: { path: (string | number)[]; kvs: AST.TOMLKeyValue[] }[] = [
    { path: [], kvs: rootKvs },
    ...tables.map((t) => ({ path: t.resolvedKey, kvs: t.body })),
  ];
  for (const container of containers) {
    for (const kv of container.kvs) {
      const path = [...container.path, ...keyNames(kv.key)];
      // `model_providers = {…}` or `model_providers.tokaify = {…}`: the shape checks above made these tables.
      if (path.length <= 2 && startsWith(providerPath, path.map(String)) && path.every((p) => typeof p === 'string')) {
        if (kv.value.type !== 'TOMLInlineTable') continue;
        if (path.length === 2) inline = { table: kv.value, prefix: [] };
        else {
          const entry = kv.value.body.find((e) => keyNames(e.key)[0] === wanted.id);
          if (!entry) providersInline = kv.value;
          else if (entry.key.keys.length > 1) inline = { table: kv.value, prefix: [wanted.id] };
          else if (entry.value.type === 'TOMLInlineTable') inline = { table: entry.value, prefix: [] };
        }
        continue;
      }
      if (path.length < 3 || !startsWith(path, providerPath)) continue;
      const field = String(path[2]);
      const owned = wanted.provider.some(([k]) => k === field) || (CREDENTIAL_KEYS as readonly string[]).includes(field);
      if (container.path.length > 2 || path.length > 3) {
        if (owned) throw new ConfigShapeError(file, l10n.t('`{0}` is a table, not a plain value', `${providerLabel}.${field}`));
        continue;
      }
      located.push({ kv, path, prefixSegments: 2 - container.path.length });
    }
  }
  for (const table of tables) {
    const path = table.resolvedKey;
    if (path.length >= 3 && startsWith(path, providerPath)) {
      const field = String(path[2]);
      if (wanted.provider.some(([k]) => k === field) || (CREDENTIAL_KEYS as readonly string[]).includes(field)) {
        throw new ConfigShapeError(file, l10n.t('`{0}` is a table, not a plain value', `${providerLabel}.${field}`));
      }
    }
  }
  const ownTable = tables.find((t) => t.kind === 'standard' && t.resolvedKey.length === 2 && startsWith(t.resolvedKey, providerPath));

  if (inline) {
    const edit = editInlineProvider(text, inline, wanted, providerLabel, file);
    if (edit) edits.push(edit);
    return edits;
  }
  if (providersInline) {
    edits.push(appendInlineEntry(text, providersInline, `${formatKey(wanted.id)} = { ${wanted.provider.map(([k, v]) => `${formatKey(k)} = ${formatValue(v)}`).join(', ')} }`));
    return edits;
  }
  if (!ownTable && !located.length) {
    // Not defined yet: append a new table at the end of the file, after a blank line.
    const end = text.length;
    const precededByRootBlock = rootInsertAt === end;
    const lines = [...providerTableLines(wanted)];
    if (precededByRootBlock || !isBlank(lastLine(text))) lines.unshift('');
    edits.push({ start: end, end, text: lines.map((l) => l + eol).join(''), order: 2 });
    return edits;
  }

  const missing: string[] = [];
  const byField = new Map(located.map((l) => [String(l.path[2]), l]));
  for (const [field, value] of wanted.provider) {
    const hit = byField.get(field);
    if (hit) replaceValue(edits, hit.kv, value);
    else missing.push(`${formatKey(field)} = ${formatValue(value)}`);
  }
  for (const field of wanted.removeFromProvider) {
    const hit = byField.get(field);
    if (hit) edits.push(deleteLine(text, hit.kv));
  }
  if (missing.length) {
    const last = located.reduce<Located | undefined>((acc, l) => (!acc || l.kv.range[0] > acc.kv.range[0] ? l : acc), undefined);
    let at: number;
    let indent = '';
    let prefix = '';
    if (last) {
      at = lineEndAfter(text, last.kv.range[1]);
      indent = lineIndent(text, last.kv.range[0]);
      const keys = last.kv.key.keys;
      if (last.prefixSegments > 0) prefix = text.slice(keys[0]!.range[0], keys[last.prefixSegments - 1]!.range[1]) + '.';
    } else {
      at = lineEndAfter(text, ownTable!.key.range[1]);
    }
    edits.push({ start: at, end: at, text: missing.map((l) => indent + prefix + l + eol).join(''), order: 0 });
  }
  return edits;
}

/**
 * Rewrites the entries of the inline table holding our provider: our values replaced, the credential
 * keys that would take precedence dropped, missing keys appended in the order a new table gets them.
 * Other entries keep their text and the separators before them; undefined when nothing changes.
 */
function editInlineProvider(text: string, host: InlineHost, wanted: Resolved, providerLabel: string, file: string): Edit | undefined {
  const { table, prefix } = host;
  const pieces: { text: string; sep?: string }[] = [];
  const present = new Set<string>();
  let prefixText: string | undefined;
  let changed = false;
  table.body.forEach((kv, i) => {
    const sep = i > 0 ? text.slice(table.body[i - 1]!.range[1], kv.range[0]) : undefined;
    const source = text.slice(kv.range[0], kv.range[1]);
    const names = keyNames(kv.key);
    if (!startsWith(names, prefix)) return void pieces.push({ text: source, sep });
    // Appended keys are spelled like the user's first one (`"tokaify".name`).
    if (prefix.length) prefixText ??= text.slice(kv.key.keys[0]!.range[0], kv.key.keys[prefix.length - 1]!.range[1]) + '.';
    const field = names[prefix.length]!;
    const value = wanted.provider.find(([k]) => k === field)?.[1];
    if (names.length > prefix.length + 1) {
      if (value !== undefined || (CREDENTIAL_KEYS as readonly string[]).includes(field)) {
        throw new ConfigShapeError(file, l10n.t('`{0}` is a table, not a plain value', `${providerLabel}.${field}`));
      }
      return void pieces.push({ text: source, sep });
    }
    if (wanted.removeFromProvider.includes(field)) {
      changed = true;
      return;
    }
    if (value === undefined) return void pieces.push({ text: source, sep });
    present.add(field);
    if (kv.value.type === 'TOMLValue' && kv.value.value === value) return void pieces.push({ text: source, sep });
    changed = true;
    pieces.push({ text: text.slice(kv.range[0], kv.value.range[0]) + formatValue(value), sep });
  });
  for (const [field, value] of wanted.provider) {
    if (present.has(field)) continue;
    changed = true;
    pieces.push({ text: `${prefixText ?? ''}${formatKey(field)} = ${formatValue(value)}` });
  }
  if (!changed) return undefined;
  const defaultSep = pieces.find((p) => p.sep !== undefined)?.sep ?? ', ';
  const joined = pieces.map((p, i) => (i === 0 ? '' : p.sep ?? defaultSep) + p.text).join('');
  const first = table.body[0];
  const last = table.body[table.body.length - 1];
  return first && last ? { start: first.range[0], end: last.range[1], text: joined } : { start: table.range[0], end: table.range[1], text: `{ ${joined} }` };
}

/** Adds `entry` as the last entry of an inline table, separated like the entries before it. */
function appendInlineEntry(text: string, table: AST.TOMLInlineTable, entry: string): Edit {
  const body = table.body;
  const last = body[body.length - 1];
  if (!last) return { start: table.range[0], end: table.range[1], text: `{ ${entry} }` };
  const sep = body.length > 1 ? text.slice(body[0]!.range[1], body[1]!.range[0]) : ', ';
  return { start: last.range[1], end: last.range[1], text: sep + entry };
}

function providerTableLines(wanted: Resolved): string[] {
  return [`[model_providers.${formatKey(wanted.id)}]`, ...wanted.provider.map(([k, v]) => `${formatKey(k)} = ${formatValue(v)}`)];
}

/** Replaces a key-value's value text (keeping its key, spacing and trailing comment) unless it already holds `value`. */
function replaceValue(edits: Edit[], kv: AST.TOMLKeyValue, value: Scalar): void {
  const node = kv.value;
  if (node.type === 'TOMLValue' && node.value === value) return;
  edits.push({ start: node.range[0], end: node.range[1], text: formatValue(value) });
}

/** Removes a key-value together with its line (and trailing comment); own-line comments stay. */
function deleteLine(text: string, kv: AST.TOMLKeyValue): Edit {
  const lineStart = text.lastIndexOf('\n', kv.range[0] - 1) + 1;
  const start = /^[ \t]*$/.test(text.slice(lineStart, kv.range[0])) ? lineStart : kv.range[0];
  return { start, end: lineEndAfter(text, kv.range[1]), text: '' };
}

/**
 * Replaces the legacy `profile` line by a comment saying what was there and why it went, so the user
 * can still find the profile's name. A value spanning lines is not repeated in the comment.
 */
function commentOut(text: string, kv: AST.TOMLKeyValue, eol: string): Edit {
  const lineStart = text.lastIndexOf('\n', kv.range[0] - 1) + 1;
  const source = text.slice(kv.range[0], kv.range[1]);
  const name = kv.value.type === 'TOMLValue' && typeof kv.value.value === 'string' ? kv.value.value : undefined;
  // Only a plain name goes into the comment (control characters are not allowed there).
  const how = name !== undefined && /^[\w.-]+$/.test(name) ? `; to use it, put its settings in ${name}.config.toml and run \`codex --profile ${name}\`` : '';
  const was = /[\r\n]/.test(source) ? '' : `: ${source}`;
  // Written into the user's file, not shown by us: it stays in English whatever language the writer runs in.
  return { start: lineStart, end: lineEndAfter(text, kv.range[1]), text: `# Removed by Tokaify (Codex no longer accepts a root profile${how})${was}${eol}` };
}

/**
 * Where new root keys go: after the last root key-value; otherwise after the file's leading
 * comments (the `#:schema` line) but above the comment lines directly attached to the first table
 * header (at the very top when every line above the header is such a comment); with no table at
 * all, at the end.
 */
function rootInsertionPoint(text: string, rootKvs: AST.TOMLKeyValue[], firstTable: AST.TOMLTable | undefined): number {
  const lastKv = rootKvs[rootKvs.length - 1];
  if (lastKv) return lineEndAfter(text, lastKv.range[1]);
  if (!firstTable) return text.length;
  // Only comments and blank lines precede the first table header here.
  const headerStart = text.lastIndexOf('\n', firstTable.range[0] - 1) + 1;
  const lines = text.slice(0, headerStart).split('\n');
  lines.pop(); // the empty piece after the last line break
  let j = lines.length;
  while (j > 0 && isComment(lines[j - 1]!) && !isSchemaLine(lines[j - 1]!)) j--;
  let k = j - 1;
  while (k >= 0 && isBlank(lines[k]!)) k--;
  // Offset just after line k's line break (0 when nothing worth keeping above).
  let offset = 0;
  for (let i = 0; i <= k; i++) offset += lines[i]!.length + 1;
  return offset;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Offset just after the line break ending the line that contains `offset` (text always ends with one). */
function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

function lineAt(text: string, offset: number): string {
  const nl = text.indexOf('\n', offset);
  return text.slice(offset, nl < 0 ? text.length : nl);
}

function lastLine(text: string): string {
  const trimmed = text.endsWith('\n') ? text.slice(0, -1) : text;
  return trimmed.slice(trimmed.lastIndexOf('\n') + 1);
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function isComment(line: string): boolean {
  return line.trimStart().startsWith('#');
}

function isSchemaLine(line: string): boolean {
  return /^\s*#:schema\b/.test(line);
}

function applyEdits(text: string, edits: Edit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || (a.order ?? 3) - (b.order ?? 3) || a.i - b.i);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(l10n.t('Codex config planner produced overlapping edits (bug)'));
    out += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}

function formatKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

function formatValue(value: Scalar): string {
  return typeof value === 'boolean' ? String(value) : tomlString(value);
}

// ---------------------------------------------------------------------------------------------
// Verification

/**
 * Parses the planned text strictly and checks that it says what we meant and that everything we do
 * not own is exactly what the original said. A failure here is a planner bug: never write.
 */
function verify(text: string, before: TomlTable | undefined, wanted: Resolved, file: string): void {
  let after: TomlTable;
  try {
    after = getStaticTOMLValue(parseTOML(text, { tomlVersion: '1.0' }));
  } catch (error) {
    throw new Error(l10n.t('Codex config planner produced invalid TOML for {0} (bug): {1}', file, error instanceof Error ? error.message : String(error)));
  }
  // `what` stays in English: it names TOML keys for a bug report, not something the user acts on.
  const fail = (what: string): never => {
    throw new Error(l10n.t('Codex config planner check failed for {0} (bug): {1}', file, what));
  };
  for (const [key, value] of wanted.root) if (after[key] !== value) fail(`root \`${key}\``);
  for (const key of wanted.removeFromRoot) if (key in after) fail(`root \`${key}\` still present`);
  const providers = after.model_providers;
  const ours = isTable(providers) ? providers[wanted.id] : undefined;
  if (!isTable(ours)) return fail(`[model_providers.${wanted.id}] is missing`);
  for (const [key, value] of wanted.provider) if (ours[key] !== value) fail(`provider \`${key}\``);
  for (const key of wanted.removeFromProvider) if (key in ours) fail(`provider \`${key}\` still present`);
  if (before && !isDeepStrictEqual(withoutOwned(before, wanted), withoutOwned(after, wanted))) {
    fail('a value we do not own changed');
  }
}

/** A deep copy of `doc` without the keys the planner owns (and without tables that only held them). */
function withoutOwned(doc: TomlTable, wanted: { id: string; root: [string, unknown][]; removeFromRoot: string[] }): TomlTable {
  const copy = structuredClone(doc);
  for (const [key] of wanted.root) delete copy[key];
  for (const key of wanted.removeFromRoot) delete copy[key];
  const providers = copy.model_providers;
  if (isTable(providers)) {
    const ours = providers[wanted.id];
    if (isTable(ours)) {
      for (const key of ['name', 'base_url', 'wire_api', ...CREDENTIAL_KEYS]) delete ours[key];
      if (!Object.keys(ours).length) delete providers[wanted.id];
    }
    if (!Object.keys(providers).length) delete copy.model_providers;
  }
  return copy;
}
