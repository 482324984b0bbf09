/**
 * Codex CLI's login cache, `$CODEX_HOME/auth.json` (spec client-configs.md §1.3). Codex owns this file
 * and rewrites it on login and token refresh; we set only `OPENAI_API_KEY` and `auth_mode` and keep
 * everything else (`tokens`, `last_refresh`, `agent_identity`, …) so a later switch back to the
 * ChatGPT account stays possible. serde_json reads it: strict JSON in, strict JSON out.
 */
import * as l10n from '@vscode/l10n';
import { applyEdits, modify, printParseErrorCode, type Node } from 'jsonc-parser';
import { describeNode, formattingOptions, isRecord, parsePlanned, parseStrict, trailingCommaBefore, uniqueChild, type StrictJsonRules } from './jsonText';
import { detectFormat, normalizeText, restoreFormat } from './textFormat';
import { ConfigShapeError } from './types';

/** serde_json reads auth.json: strict JSON, and errors worded for it (reported where the parser stopped). */
const AUTH_JSON: StrictJsonRules = {
  explain: (text, error) => ({ offset: error.offset, reason: describeAuthParseError(printParseErrorCode(error.error), text, error.offset) }),
};

/** Parses auth.json (without a BOM) as strictly as Codex reads it; a broken file is a ConfigSyntaxError. */
export function parseCodexAuth(text: string, file = 'auth.json'): Node {
  return parseStrict(text, file, AUTH_JSON);
}

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
  if (typeof key !== 'string' || key.trim() === '') throw new Error(l10n.t('Codex auth: key must be a non-empty string'));
  const format = detectFormat(current);
  let text = normalizeText(current);

  if (text.trim() === '') {
    text = JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: key }, null, format.indent) + '\n';
  } else {
    // Codex's own field order: auth_mode, OPENAI_API_KEY, tokens, last_refresh, …
    const wanted: Array<[string, string]> = [
      ['auth_mode', 'apikey'],
      ['OPENAI_API_KEY', key],
    ];
    for (const [name, value] of wanted) {
      const root = parseStrict(text, file, AUTH_JSON);
      if (root.type !== 'object') throw new ConfigShapeError(file, l10n.t('the top level is {0}, not an object', describeNode(root)));
      const existing = uniqueChild(text, root, name, file);
      if (existing?.type === 'string' && existing.value === value) continue;
      const modeIndex = (root.children ?? []).findIndex((property) => property.children?.[0]?.value === 'auth_mode');
      text = applyEdits(
        text,
        modify(text, [name], value, {
          formattingOptions: formattingOptions(format),
          getInsertionIndex: () => (name === 'auth_mode' ? 0 : modeIndex + 1),
        }),
      );
    }
  }

  const parsed = parsePlanned(text, 'Codex auth');
  if (!isRecord(parsed) || parsed['auth_mode'] !== 'apikey' || parsed['OPENAI_API_KEY'] !== key) {
    throw new Error(l10n.t('Codex auth planner did not produce the expected fields (bug); nothing was written'));
  }
  return restoreFormat(text, format);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Codex's own words for a parse error code (not jsonText's `describeParseError`); a trailing comma is reported at the bracket after it. */
function describeAuthParseError(code: string, text: string, offset: number): string {
  if ((code === 'PropertyNameExpected' || code === 'ValueExpected') && trailingCommaBefore(text, offset) !== undefined) {
    return l10n.t('trailing comma (Codex reads auth.json as strict JSON)');
  }
  if (code === 'InvalidCommentToken') return l10n.t('comments are not allowed (Codex reads auth.json as strict JSON)');
  if (code === 'UnexpectedEndOfString') return l10n.t('unterminated string');
  if (code === 'CloseBraceExpected' || code === 'CloseBracketExpected') return l10n.t('unexpected end: a bracket is not closed');
  return l10n.t('invalid JSON ({0})', code);
}
