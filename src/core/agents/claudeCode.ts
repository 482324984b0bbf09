/**
 * Claude Code user settings (`~/.claude/settings.json`, spec client-configs.md §2): we own a handful
 * of variables inside `env` and nothing else. Claude Code reads the file as strict JSON and discards
 * the whole file when it has a comment or a trailing comma, so such a file is refused rather than
 * "repaired", and the result is checked with `JSON.parse` before it is handed back.
 *
 * Edits go through jsonc-parser's `modify()` so everything we do not own keeps its bytes: other keys,
 * key order, indentation, line endings and a byte-order mark.
 */
import * as l10n from '@vscode/l10n';
import { applyEdits, modify, type Node } from 'jsonc-parser';
import { describeNode, explainParseError, formattingOptions, isRecord, parsePlanned, parseStrict, uniqueChild, type StrictJsonRules } from './jsonText';
import { detectFormat, normalizeText, restoreFormat } from './textFormat';
import { ConfigShapeError } from './types';

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
  /**
   * Write the key variable we do not use as `""` instead of leaving it out: settings `env` overrides the
   * shell, so a key exported there (the user's own Anthropic key) is no longer sent to the gateway next
   * to ours. Checked with the real Claude Code: the second header stops.
   */
  clearShellKey?: boolean;
}

export interface ClaudeSettingsSummary {
  baseUrl?: string;
  /** Which key variables are set (non-empty strings). Both at once is a known conflict. */
  keyVariables: ClaudeKeyVariable[];
  /** Key variables set to `""`: they hide the same variable exported in the shell. */
  clearedKeyVariables: ClaudeKeyVariable[];
  model?: string;
  disableExperimentalBetas: boolean;
}

export const CLAUDE_SETTINGS_SCHEMA = 'https://json.schemastore.org/claude-code-settings.json';

const KEY_VARIABLES: readonly ClaudeKeyVariable[] = ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'];

/** Claude Code reads settings.json as strict JSON; a trailing comma is pointed at the comma itself. */
const SETTINGS_JSON: StrictJsonRules = {
  explain: explainParseError({
    comments: () => l10n.t('comments are not allowed (Claude Code discards a settings file that has one)'),
    trailingComma: () => l10n.t('trailing comma (Claude Code discards a settings file that has one)'),
  }),
  pinpointInvalidJson: true,
};

/** Parses settings.json (without a BOM) as strictly as Claude Code reads it; a broken file is a ConfigSyntaxError. */
export function parseClaudeSettings(text: string, file = 'settings.json'): Node {
  return parseStrict(text, file, SETTINGS_JSON);
}

/** Plans the new text of Claude Code's settings.json. `current` undefined means the file does not exist. */
export function planClaudeSettings(current: string | undefined, options: ClaudeCodeOptions, file = 'settings.json'): string {
  const wanted = ownedEnv(options);
  const other = KEY_VARIABLES.filter((name) => name !== options.keyVariable);
  if (options.clearShellKey) wanted.push(...other.map((name): [string, string] => [name, '']));
  const remove = options.clearShellKey ? [] : other;
  const format = detectFormat(current);
  let text = normalizeText(current);

  if (text.trim() === '') {
    const fresh = { $schema: CLAUDE_SETTINGS_SCHEMA, env: Object.fromEntries(wanted) };
    text = JSON.stringify(fresh, null, format.indent) + '\n';
  } else {
    const root = parseStrict(text, file, SETTINGS_JSON);
    const env = envNode(text, root, file);
    const editOptions = { formattingOptions: formattingOptions(format) };
    if (!env) {
      text = applyEdits(text, modify(text, ['env'], Object.fromEntries(wanted), editOptions));
    } else {
      // One change at a time on fresh text: the edits of `modify` are computed against the text they get.
      for (const [name, value] of wanted) {
        const existing = propertyValue(text, parseStrict(text, file, SETTINGS_JSON), ['env', name], file);
        if (existing?.type === 'string' && existing.value === value) continue;
        text = applyEdits(text, modify(text, ['env', name], value, editOptions));
      }
      for (const name of remove) {
        const existing = propertyValue(text, parseStrict(text, file, SETTINGS_JSON), ['env', name], file);
        // An empty value carries no key: it is a blank that hides a shell variable (clearShellKey), so it stays.
        if (!existing || (existing.type === 'string' && existing.value === '')) continue;
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
  const summary: ClaudeSettingsSummary = { keyVariables: [], clearedKeyVariables: [], disableExperimentalBetas: false };
  if (body.trim() === '') return summary;
  const env = envNode(body, parseStrict(body, file, SETTINGS_JSON), file);
  if (!env) return summary;
  const read = (name: string): string | undefined => {
    const node = propertyValue(body, env, [name], file);
    return node?.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
  };
  const baseUrl = read('ANTHROPIC_BASE_URL');
  if (baseUrl !== undefined) summary.baseUrl = baseUrl;
  const model = read('ANTHROPIC_MODEL');
  if (model !== undefined) summary.model = model;
  summary.keyVariables = KEY_VARIABLES.filter((name) => !!read(name));
  summary.clearedKeyVariables = KEY_VARIABLES.filter((name) => read(name) === '');
  // Claude Code's own truthiness test for boolean env flags.
  summary.disableExperimentalBetas = ['1', 'true', 'yes', 'on'].includes((read('CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS') ?? '').trim().toLowerCase());
  return summary;
}

function ownedEnv(options: ClaudeCodeOptions): Array<[string, string]> {
  for (const name of ['baseUrl', 'key', 'model'] as const) {
    const value: unknown = options[name];
    if (typeof value !== 'string' || value.trim() === '') throw new Error(l10n.t('Claude Code settings: {0} must be a non-empty string', name));
  }
  if (!KEY_VARIABLES.includes(options.keyVariable)) throw new Error(l10n.t('Claude Code settings: unknown key variable {0}', String(options.keyVariable)));
  const wanted: Array<[string, string]> = [
    ['ANTHROPIC_BASE_URL', options.baseUrl],
    [options.keyVariable, options.key],
    ['ANTHROPIC_MODEL', options.model],
  ];
  if (options.customModelOption) wanted.push(['ANTHROPIC_CUSTOM_MODEL_OPTION', options.model]);
  if (options.disableExperimentalBetas) wanted.push(['CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS', '1']);
  // Claude Code 2.1 swaps older ids (claude-opus-4-1) for its latest model; the user chose an id the
  // gateway serves, and the swapped one may not be (a 503 retried for minutes, seen with 2.1.332).
  wanted.push(['CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP', '1']);
  return wanted;
}

/** The `env` object node, undefined when absent; refuses a top level or an `env` that is not an object. */
function envNode(text: string, root: Node, file: string): Node | undefined {
  if (root.type !== 'object') throw new ConfigShapeError(file, l10n.t('the top level is {0}, not an object', describeNode(root)));
  const env = propertyValue(text, root, ['env'], file);
  if (env && env.type !== 'object') throw new ConfigShapeError(file, l10n.t('"{0}" is {1}, not an object', 'env', describeNode(env)));
  return env;
}

/**
 * The value node at `path` (object keys only). A key that appears twice on the path is refused: JSON
 * readers keep the last one while an edit would land on the first.
 */
function propertyValue(text: string, from: Node, path: readonly string[], file: string): Node | undefined {
  let node: Node | undefined = from;
  for (let i = 0; i < path.length && node; i++) node = uniqueChild(text, node, path[i]!, file, path.slice(0, i + 1).join('.'));
  return node;
}

/** A failed check here is our bug, not the user's file: never hand such text to the writer. */
function verify(text: string, wanted: Array<[string, string]>, removed: readonly string[]): void {
  const parsed = parsePlanned(text, 'Claude Code settings');
  const env = isRecord(parsed) ? parsed['env'] : undefined;
  const ok = isRecord(env) && wanted.every(([name, value]) => env[name] === value) && removed.every((name) => !(name in env) || env[name] === '');
  if (!ok) throw new Error(l10n.t('Claude Code settings planner did not produce the expected env block (bug); nothing was written'));
}
