/**
 * What one agent file says about keys, read from its text: each key with where it sits (a locator such
 * as `env.ANTHROPIC_AUTH_TOKEN`), grouped by the provider it belongs to, with the base URL next to it
 * and the provider the file selects. Keys leave this module only as fingerprints and masks. Which key
 * the agent actually sends needs several files together: keyScan.ts decides that.
 */
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { getStaticTOMLValue } from 'toml-eslint-parser';
import { codexAuthMode, type CodexAuthMode } from './codexAuth';
import { parseKeyFile, type KeyFile } from './keyFiles';
import { bareKey, maskKeyTail, type KeyFingerprinter } from './keyFingerprint';

/** Where a key comes from: the file itself, or something the file points to (never read). */
export type KeySource =
  /**
   * `gatewayMask`: the first and last four characters of the bare key, exactly what new-api shows of a
   * key it masks (key[:4] + "**********" + key[-4:]): enough to say which listed token it probably is
   * before its key is revealed, and nothing the console does not already show.
   */
  | { kind: 'literal'; fingerprint: string; masked: string; gatewayMask?: { head: string; tail: string } }
  /** Codex `env_key`, OpenCode `{env:VAR}`: the key is in the environment of the agent's process. */
  | { kind: 'env'; variable: string }
  /** OpenCode `{file:path}`: the key is in another file. */
  | { kind: 'file'; reference: string }
  /** Codex provider `auth` command, Claude Code `apiKeyHelper`: a program prints the key. */
  | { kind: 'command' };

export interface KeySite {
  /** Where in the file: `OPENAI_API_KEY`, `model_providers.corp.experimental_bearer_token`, `provider.x.options.apiKey`… */
  locator: string;
  source: KeySource;
}

export interface ProviderFacts {
  baseUrl?: string;
  /** In the order the agent prefers them: the first is the one it sends. */
  keys: KeySite[];
}

export interface FileFacts {
  /** Keyed by provider id; '' for a file without providers (Claude Code settings, Codex auth.json). */
  providers: Record<string, ProviderFacts>;
  /** The provider the file selects: Codex `model_provider` (default `openai`), the prefix of OpenCode's `model`. */
  selects?: string;
  /** The model the file selects (Codex `model`, Claude Code `env.ANTHROPIC_MODEL` or `model`, OpenCode `model` without its provider). */
  model?: string;
  /** Codex auth.json: whether Codex reads its OPENAI_API_KEY at all. */
  codexAuthMode?: CodexAuthMode;
}

/** Reads the facts of one file (`text` may start with a BOM). Throws ConfigSyntaxError/ConfigShapeError for a file its agent cannot read. */
export function readKeyFacts(file: KeyFile, text: string, fingerprinter: KeyFingerprinter): FileFacts {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { providers: {} };
  const literal = (key: string): KeySource => {
    const bare = bareKey(key);
    const gatewayMask = bare.length > 8 ? { gatewayMask: { head: bare.slice(0, 4), tail: bare.slice(-4) } } : {};
    return { kind: 'literal', fingerprint: fingerprinter.fingerprint(key), masked: maskKeyTail(key), ...gatewayMask };
  };
  const parsed = parseKeyFile(file, body);
  if (parsed.format === 'toml') return codexConfigFacts(getStaticTOMLValue(parsed.ast), literal);
  const root = parsed.root;
  if (!root || root.type !== 'object') return { providers: {} };
  switch (file.kind) {
    case 'codex-auth': {
      const key = stringAt(root, ['OPENAI_API_KEY']);
      return { providers: { '': { keys: key ? [{ locator: 'OPENAI_API_KEY', source: literal(key) }] : [] } }, codexAuthMode: codexAuthMode(body) };
    }
    case 'claude-settings': return claudeFacts(root, literal);
    case 'opencode-config': return openCodeConfigFacts(root, literal);
    default: return openCodeAuthFacts(root, literal);
  }
}

type Literal = (key: string) => KeySource;

function codexConfigFacts(doc: Record<string, unknown>, literal: Literal): FileFacts {
  const facts: FileFacts = { providers: {}, selects: typeof doc.model_provider === 'string' ? doc.model_provider : 'openai' };
  if (typeof doc.model === 'string' && doc.model !== '') facts.model = doc.model;
  // The built-in provider is not a table; its address is the root `openai_base_url`.
  if (typeof doc.openai_base_url === 'string') facts.providers.openai = { baseUrl: doc.openai_base_url, keys: [] };
  const providers = isTable(doc.model_providers) ? doc.model_providers : {};
  for (const [id, value] of Object.entries(providers)) {
    if (!isTable(value)) continue;
    const at = `model_providers.${id}`;
    const keys: KeySite[] = [];
    // Codex's order (client-configs.md §1.2): env_key, then experimental_bearer_token, then auth.json.
    if (typeof value.env_key === 'string' && value.env_key !== '') keys.push({ locator: `${at}.env_key`, source: { kind: 'env', variable: value.env_key } });
    if (typeof value.experimental_bearer_token === 'string' && value.experimental_bearer_token !== '') {
      keys.push({ locator: `${at}.experimental_bearer_token`, source: literal(value.experimental_bearer_token) });
    }
    if (isTable(value.auth)) keys.push({ locator: `${at}.auth`, source: { kind: 'command' } });
    facts.providers[id] = { ...(typeof value.base_url === 'string' ? { baseUrl: value.base_url } : {}), keys };
  }
  return facts;
}

const CLAUDE_KEY_VARIABLES = ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'] as const;

/** Claude Code sends every key variable that is set (an empty one only hides the shell's). */
function claudeFacts(root: Node, literal: Literal): FileFacts {
  const keys: KeySite[] = [];
  for (const name of CLAUDE_KEY_VARIABLES) {
    const key = stringAt(root, ['env', name]);
    if (key) keys.push({ locator: `env.${name}`, source: literal(key) });
  }
  if (stringAt(root, ['apiKeyHelper'])) keys.push({ locator: 'apiKeyHelper', source: { kind: 'command' } });
  const baseUrl = stringAt(root, ['env', 'ANTHROPIC_BASE_URL']);
  const model = stringAt(root, ['env', 'ANTHROPIC_MODEL']) ?? stringAt(root, ['model']);
  return { providers: { '': { ...(baseUrl ? { baseUrl } : {}), keys } }, ...(model ? { model } : {}) };
}

function openCodeConfigFacts(root: Node, literal: Literal): FileFacts {
  const facts: FileFacts = { providers: {} };
  const model = stringAt(root, ['model']);
  if (model?.includes('/')) {
    facts.selects = model.slice(0, model.indexOf('/'));
    facts.model = model.slice(model.indexOf('/') + 1);
  }
  for (const [id, provider] of entries(findNodeAtLocation(root, ['provider']))) {
    const baseUrl = stringAt(provider, ['options', 'baseURL']);
    const apiKey = stringAt(provider, ['options', 'apiKey']);
    const keys: KeySite[] = apiKey ? [{ locator: `provider.${id}.options.apiKey`, source: openCodeSource(apiKey, literal) }] : [];
    facts.providers[id] = { ...(baseUrl ? { baseUrl } : {}), keys };
  }
  return facts;
}

/** `{env:VAR}` and `{file:path}` are substituted by OpenCode before it parses the file: they name the key's place. */
function openCodeSource(value: string, literal: Literal): KeySource {
  const reference = /^\{(env|file):([^}]*)\}$/.exec(value.trim());
  if (reference?.[1] === 'env') return { kind: 'env', variable: reference[2]! };
  if (reference) return { kind: 'file', reference: reference[2]! };
  return literal(value);
}

function openCodeAuthFacts(root: Node, literal: Literal): FileFacts {
  const facts: FileFacts = { providers: {} };
  for (const [id, entry] of entries(root)) {
    const key = stringAt(entry, ['key']);
    // Only `api` entries hold a gateway key; OAuth and well-known entries are other logins.
    if (stringAt(entry, ['type']) !== 'api' || !key) continue;
    const baseUrl = stringAt(entry, ['baseURL']);
    facts.providers[id] = { ...(baseUrl ? { baseUrl } : {}), keys: [{ locator: `${id}.key`, source: literal(key) }] };
  }
  return facts;
}

/** A non-empty string at `path`, else undefined. */
function stringAt(node: Node | undefined, path: string[]): string | undefined {
  const found = node ? findNodeAtLocation(node, path) : undefined;
  return found?.type === 'string' && typeof found.value === 'string' && found.value !== '' ? found.value : undefined;
}

/** The [key, value node] pairs of an object node (none for anything else). */
function entries(node: Node | undefined): Array<[string, Node]> {
  if (node?.type !== 'object') return [];
  return (node.children ?? []).flatMap((property) => {
    const [key, value] = property.children ?? [];
    return key && value ? [[String(key.value), value] as [string, Node]] : [];
  });
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
