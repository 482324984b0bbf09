/**
 * Codex CLI's login cache, `$CODEX_HOME/auth.json` (spec client-configs.md §1.3). Codex owns this file
 * and rewrites it on login and token refresh; we set only `OPENAI_API_KEY` and `auth_mode` and keep
 * everything else (`tokens`, `last_refresh`, `agent_identity`, …) so a later switch back to the
 * ChatGPT account stays possible. serde_json reads it: strict JSON in, strict JSON out.
 */
import { applyEdits, modify, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { detectFormat, normalizeText, restoreFormat } from './textFormat';
import { ConfigShapeError, ConfigSyntaxError } from './types';

/**
 * How Codex will authenticate with this file:
 *  - `missing`: no file, an empty one, or one without any credential (`{}`, all null): Codex reports
 *    "not logged in" and there is nothing to preserve;
 *  - `apikey`: it sends `OPENAI_API_KEY`;
 *  - `chatgpt`: it sends the ChatGPT account's tokens (writing only OPENAI_API_KEY would change nothing);
 *  - `other`: unparsable, or a mode we do not write over silently (personal access token, Bedrock,
 *    agent identity, headers, an unknown `auth_mode` that makes Codex reject the file).
 */
export type CodexAuthMode = 'missing' | 'apikey' | 'chatgpt' | 'other';

/**
 * Codex's `resolved_mode`: an explicit `auth_mode` wins; otherwise a personal access token or Bedrock
 * credentials, then `OPENAI_API_KEY` (any non-null value), else ChatGPT. One exception: a file with no
 * credential at all (`{}`) is `missing`, not `chatgpt` — Codex would resolve it to a ChatGPT login
 * without tokens, which fails at startup, so there is no login to warn about.
 */
export function codexAuthMode(current: string | undefined): CodexAuthMode {
  if (current === undefined) return 'missing';
  const body = normalizeText(current);
  if (body.trim() === '') return 'missing';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'other';
  }
  if (!isRecord(parsed)) return 'other';
  const mode = parsed['auth_mode'];
  if (typeof mode === 'string') {
    if (mode === 'apikey') return 'apikey';
    if (mode === 'chatgpt' || mode === 'chatgptAuthTokens') return 'chatgpt';
    return 'other';
  }
  if (mode !== undefined && mode !== null) return 'other'; // serde would reject the file
  if (present(parsed['personal_access_token']) || present(parsed['bedrock_api_key']) || present(parsed['bedrock_access_keys'])) return 'other';
  if (present(parsed['OPENAI_API_KEY'])) return 'apikey';
  if (present(parsed['tokens'])) return 'chatgpt';
  return present(parsed['agent_identity']) ? 'other' : 'missing';
}

/**
 * Plans auth.json with our key in API-key mode. Everything else in the file stays (the caller warns
 * first when `codexAuthMode` is `chatgpt`: this switches Codex away from the ChatGPT account).
 */
export function planCodexAuth(current: string | undefined, key: string, file = 'auth.json'): string {
  if (typeof key !== 'string' || key.trim() === '') throw new Error('Codex auth: key must be a non-empty string');
  const format = detectFormat(current);
  let text = normalizeText(current);

  if (text.trim() === '') {
    text = JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: key }, null, format.indent) + '\n';
  } else {
    const tabs = format.indent === '\t';
    const formattingOptions = { insertSpaces: !tabs, tabSize: tabs ? 4 : format.indent.length, eol: '\n' };
    // Codex's own field order: auth_mode, OPENAI_API_KEY, tokens, last_refresh, …
    const wanted: Array<[string, string]> = [
      ['auth_mode', 'apikey'],
      ['OPENAI_API_KEY', key],
    ];
    for (const [name, value] of wanted) {
      const root = parseStrict(text, file);
      if (root.type !== 'object') throw new ConfigShapeError(file, `the top level is ${root.type === 'array' ? 'an array' : `a ${root.type}`}, not an object`);
      const properties = root.children ?? [];
      const matches = properties.filter((property) => property.children?.[0]?.value === name);
      if (matches.length > 1) throw new ConfigShapeError(file, `"${name}" appears ${matches.length} times`);
      const existing = matches[0]?.children?.[1];
      if (existing?.type === 'string' && existing.value === value) continue;
      const modeIndex = properties.findIndex((property) => property.children?.[0]?.value === 'auth_mode');
      text = applyEdits(
        text,
        modify(text, [name], value, {
          formattingOptions,
          getInsertionIndex: () => (name === 'auth_mode' ? 0 : modeIndex + 1),
        }),
      );
    }
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('Codex auth planner produced invalid JSON (bug); nothing was written');
  }
  if (!isRecord(parsed) || parsed['auth_mode'] !== 'apikey' || parsed['OPENAI_API_KEY'] !== key) {
    throw new Error('Codex auth planner did not produce the expected fields (bug); nothing was written');
  }
  return restoreFormat(text, format);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function parseStrict(text: string, file: string): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  let offset: number | undefined;
  let reason = 'invalid JSON';
  if (first) {
    offset = first.offset;
    reason = describe(printParseErrorCode(first.error), text, first.offset);
  } else {
    try {
      JSON.parse(text);
    } catch {
      offset = 0; // JSON.parse's message may quote the file (a key): only say it is invalid
    }
    if (!root) offset = 0;
  }
  if (offset !== undefined) {
    const before = text.slice(0, offset);
    throw new ConfigSyntaxError(file, before.split('\n').length, before.length - before.lastIndexOf('\n'), reason);
  }
  return root!;
}

function describe(code: string, text: string, offset: number): string {
  if ((code === 'PropertyNameExpected' || code === 'ValueExpected') && /,\s*$/.test(text.slice(0, offset)) && /^[}\]]/.test(text.slice(offset))) {
    return 'trailing comma (Codex reads auth.json as strict JSON)';
  }
  if (code === 'InvalidCommentToken') return 'comments are not allowed (Codex reads auth.json as strict JSON)';
  if (code === 'UnexpectedEndOfString') return 'unterminated string';
  if (code === 'CloseBraceExpected' || code === 'CloseBracketExpected') return 'unexpected end: a bracket is not closed';
  return `invalid JSON (${code})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
