/**
 * Claude Code user settings (`~/.claude/settings.json`, spec client-configs.md §2): we own a handful
 * of variables inside `env` and nothing else. Claude Code reads the file as strict JSON and discards
 * the whole file when it has a comment or a trailing comma, so such a file is refused rather than
 * "repaired", and the result is checked with `JSON.parse` before it is handed back.
 *
 * Edits go through jsonc-parser's `modify()` so everything we do not own keeps its bytes: other keys,
 * key order, indentation, line endings and a byte-order mark.
 */
import { applyEdits, modify, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { detectFormat, normalizeText, restoreFormat, type TextFormat } from './textFormat';
import { ConfigShapeError, ConfigSyntaxError } from './types';

export type ClaudeKeyVariable = 'ANTHROPIC_AUTH_TOKEN' | 'ANTHROPIC_API_KEY';

export interface ClaudeCodeOptions {
  /** Gateway root without `/v1` (the Anthropic SDK appends `/v1/messages`). Written as given. */
  baseUrl: string;
  key: string;
  /** AUTH_TOKEN is sent as `Authorization: Bearer`, API_KEY as `X-Api-Key` (and asks for approval). */
  keyVariable: ClaudeKeyVariable;
  model: string;
  /** Also offer the model as a custom `/model` entry (`ANTHROPIC_CUSTOM_MODEL_OPTION`). */
  customModelOption?: boolean;
  /** Set `CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1` (the `context_management` 400 on some gateways). When false, whatever is there stays. */
  disableExperimentalBetas?: boolean;
}

export interface ClaudeSettingsSummary {
  baseUrl?: string;
  /** Which key variables are set (non-empty strings). Both at once is a known conflict. */
  keyVariables: ClaudeKeyVariable[];
  model?: string;
  disableExperimentalBetas: boolean;
}

export const CLAUDE_SETTINGS_SCHEMA = 'https://json.schemastore.org/claude-code-settings.json';

const KEY_VARIABLES: readonly ClaudeKeyVariable[] = ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'];

/** Plans the new text of Claude Code's settings.json. `current` undefined means the file does not exist. */
export function planClaudeSettings(current: string | undefined, options: ClaudeCodeOptions, file = 'settings.json'): string {
  const wanted = ownedEnv(options);
  const remove = KEY_VARIABLES.filter((name) => name !== options.keyVariable);
  const format = detectFormat(current);
  let text = normalizeText(current);

  if (text.trim() === '') {
    const fresh = { $schema: CLAUDE_SETTINGS_SCHEMA, env: Object.fromEntries(wanted) };
    text = JSON.stringify(fresh, null, format.indent) + '\n';
  } else {
    const root = parseStrict(text, file);
    const env = envNode(root, file);
    const editOptions = { formattingOptions: formattingOptions(format) };
    if (!env) {
      text = applyEdits(text, modify(text, ['env'], Object.fromEntries(wanted), editOptions));
    } else {
      // One change at a time on fresh text: the edits of `modify` are computed against the text they get.
      for (const [name, value] of wanted) {
        const existing = propertyValue(parseStrict(text, file), ['env', name], file);
        if (existing?.type === 'string' && existing.value === value) continue;
        text = applyEdits(text, modify(text, ['env', name], value, editOptions));
      }
      for (const name of remove) {
        if (!propertyValue(parseStrict(text, file), ['env', name], file)) continue;
        text = applyEdits(text, modify(text, ['env', name], undefined, editOptions));
      }
    }
  }

  verify(text, wanted, remove);
  return restoreFormat(text, format);
}

/** What the settings file says about our variables, for diagnosis. Key values are never returned. */
export function readClaudeSettings(text: string, file = 'settings.json'): ClaudeSettingsSummary {
  const body = normalizeText(text);
  const summary: ClaudeSettingsSummary = { keyVariables: [], disableExperimentalBetas: false };
  if (body.trim() === '') return summary;
  const env = envNode(parseStrict(body, file), file);
  if (!env) return summary;
  const read = (name: string): string | undefined => {
    const node = propertyValue(env, [name], file);
    return node?.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
  };
  const baseUrl = read('ANTHROPIC_BASE_URL');
  if (baseUrl !== undefined) summary.baseUrl = baseUrl;
  const model = read('ANTHROPIC_MODEL');
  if (model !== undefined) summary.model = model;
  summary.keyVariables = KEY_VARIABLES.filter((name) => !!read(name));
  // Claude Code's own truthiness test for boolean env flags.
  summary.disableExperimentalBetas = ['1', 'true', 'yes', 'on'].includes((read('CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS') ?? '').trim().toLowerCase());
  return summary;
}

function ownedEnv(options: ClaudeCodeOptions): Array<[string, string]> {
  for (const name of ['baseUrl', 'key', 'model'] as const) {
    const value: unknown = options[name];
    if (typeof value !== 'string' || value.trim() === '') throw new Error(`Claude Code settings: ${name} must be a non-empty string`);
  }
  if (!KEY_VARIABLES.includes(options.keyVariable)) throw new Error(`Claude Code settings: unknown key variable ${String(options.keyVariable)}`);
  const wanted: Array<[string, string]> = [
    ['ANTHROPIC_BASE_URL', options.baseUrl],
    [options.keyVariable, options.key],
    ['ANTHROPIC_MODEL', options.model],
  ];
  if (options.customModelOption) wanted.push(['ANTHROPIC_CUSTOM_MODEL_OPTION', options.model]);
  if (options.disableExperimentalBetas) wanted.push(['CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS', '1']);
  return wanted;
}

/** The `env` object node, undefined when absent; refuses a top level or an `env` that is not an object. */
function envNode(root: Node, file: string): Node | undefined {
  if (root.type !== 'object') throw new ConfigShapeError(file, `the top level is ${describe(root)}, not an object`);
  const env = propertyValue(root, ['env'], file);
  if (env && env.type !== 'object') throw new ConfigShapeError(file, `"env" is ${describe(env)}, not an object`);
  return env;
}

/**
 * The value node at `path` (object keys only). A key that appears twice on the path is refused: JSON
 * readers keep the last one while an edit would land on the first.
 */
function propertyValue(from: Node, path: readonly string[], file: string): Node | undefined {
  let node: Node | undefined = from;
  const seen: string[] = [];
  for (const key of path) {
    if (!node || node.type !== 'object') return undefined;
    const matches: Node[] = (node.children ?? []).filter((property) => property.children?.[0]?.value === key);
    seen.push(key);
    if (matches.length > 1) throw new ConfigShapeError(file, `"${seen.join('.')}" appears ${matches.length} times`);
    node = matches[0]?.children?.[1];
  }
  return node;
}

function describe(node: Node): string {
  return node.type === 'array' ? 'an array' : node.type === 'object' ? 'an object' : `a ${node.type}`;
}

/** Parses strict JSON (no comments, no trailing commas) into a tree, or throws ConfigSyntaxError. */
function parseStrict(text: string, file: string): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const trailing = trailingCommaBefore(text, first.offset);
    if (trailing !== undefined) throw syntaxError(file, text, trailing, 'trailing comma (Claude Code discards a settings file that has one)');
    throw syntaxError(file, text, first.offset, describeParseError(printParseErrorCode(first.error)));
  }
  // Belt and braces: what jsonc-parser accepts, JSON.parse must accept too. Its message may quote the
  // file (a key), so only the position is taken from it.
  try {
    JSON.parse(text);
  } catch (error) {
    throw syntaxError(file, text, jsonParseErrorOffset(text, error), 'invalid JSON');
  }
  if (!root) throw syntaxError(file, text, 0, 'no JSON value');
  return root;
}

/** When the error sits on a `}` or `]` that follows a comma (whitespace between), the comma's offset. */
function trailingCommaBefore(text: string, offset: number): number | undefined {
  if (text[offset] !== '}' && text[offset] !== ']') return undefined;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === ',' ? i : undefined;
}

function describeParseError(code: string): string {
  switch (code) {
    case 'InvalidCommentToken':
      return 'comments are not allowed (Claude Code discards a settings file that has one)';
    case 'PropertyNameExpected':
      return 'expected a property name in double quotes';
    case 'ValueExpected':
      return 'expected a value';
    case 'ColonExpected':
      return 'expected a colon';
    case 'CommaExpected':
      return 'expected a comma';
    case 'CloseBraceExpected':
      return 'expected "}"';
    case 'CloseBracketExpected':
      return 'expected "]"';
    case 'EndOfFileExpected':
      return 'unexpected text after the end of the JSON value';
    case 'UnexpectedEndOfComment':
      return 'unterminated comment';
    case 'UnexpectedEndOfString':
      return 'unterminated string';
    case 'UnexpectedEndOfNumber':
    case 'InvalidNumberFormat':
      return 'invalid number';
    case 'InvalidUnicode':
      return 'invalid unicode escape';
    case 'InvalidEscapeCharacter':
      return 'invalid escape character';
    case 'InvalidCharacter':
      return 'invalid character in a string';
    default:
      return 'invalid JSON';
  }
}

function jsonParseErrorOffset(text: string, error: unknown): number {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) {
    const lines = text.split('\n');
    const line = Math.min(Number(lineColumn[1]), lines.length);
    return lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0) + Number(lineColumn[2]) - 1;
  }
  return 0;
}

function syntaxError(file: string, text: string, offset: number, reason: string): ConfigSyntaxError {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf('\n');
  const line = before.split('\n').length;
  return new ConfigSyntaxError(file, line, before.length - lastBreak, reason);
}

function formattingOptions(format: TextFormat): { insertSpaces: boolean; tabSize: number; eol: string } {
  const tabs = format.indent === '\t';
  // Planners edit `\n` text; restoreFormat puts the file's line endings back.
  return { insertSpaces: !tabs, tabSize: tabs ? 4 : format.indent.length, eol: '\n' };
}

/** A failed check here is our bug, not the user's file: never hand such text to the writer. */
function verify(text: string, wanted: Array<[string, string]>, removed: readonly string[]): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('Claude Code settings planner produced invalid JSON (bug); nothing was written');
  }
  const env = isRecord(parsed) ? parsed['env'] : undefined;
  const ok = isRecord(env) && wanted.every(([name, value]) => env[name] === value) && removed.every((name) => !(name in env));
  if (!ok) throw new Error('Claude Code settings planner did not produce the expected env block (bug); nothing was written');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
