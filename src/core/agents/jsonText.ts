/**
 * JSON helpers shared by the planners of JSON files: Claude Code's settings.json, Codex's auth.json and
 * OpenCode's config and auth.json. They live here so that every planner refuses a broken file the same
 * way (a ConfigSyntaxError at a 1-based line:column, with a reason in plain words) and checks shapes
 * the same way; each planner states only what its file's reader does differently, such as the words
 * for a comment or a trailing comma.
 */
import * as l10n from '@vscode/l10n';
import { parseTree, printParseErrorCode, type FormattingOptions, type Node, type ParseError } from 'jsonc-parser';
import type { TextFormat } from './textFormat';
import { ConfigSyntaxError } from './types';

/** Where a text is broken and why, before it becomes a ConfigSyntaxError. */
export interface SyntaxFault {
  offset: number;
  reason: string;
}

/** How `parseStrict` reports a broken file. */
export interface StrictJsonRules {
  /** Where and why, for jsonc-parser's first error; `explainParseError()` is the usual one. */
  explain(text: string, error: ParseError): SyntaxFault;
  /**
   * When JSON.parse refuses what jsonc-parser accepted (a no-break space, say): point where it stopped
   * rather than at the start of the file. Only the position is taken from its message, which may quote
   * the file (a key).
   */
  pinpointInvalidJson?: boolean;
}

/** A file's own words for what its reader refuses. */
export interface ParseErrorWording {
  /** Why a comment is refused. Default: "comments are not allowed in this file". A function: translated when used, not at module load. */
  comments?: () => string;
  /** Why a trailing comma is refused, reported at the comma. Without it, the parse error's own words at the bracket. */
  trailingComma?: () => string;
}

/** Parses strict JSON (no comments, no trailing commas) into a tree, or throws ConfigSyntaxError. */
export function parseStrict(text: string, file: string, rules: StrictJsonRules): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const fault = rules.explain(text, first);
    throw syntaxError(file, text, fault.offset, fault.reason);
  }
  // Belt and braces: what jsonc-parser accepts, JSON.parse must accept too.
  try {
    JSON.parse(text);
  } catch (error) {
    throw syntaxError(file, text, rules.pinpointInvalidJson ? jsonParseErrorOffset(text, error) : 0, l10n.t('invalid JSON'));
  }
  if (!root) throw syntaxError(file, text, 0, l10n.t('no JSON value'));
  return root;
}

/** Explains a parse error with `describeParseError`, or as a trailing comma when the file words one. */
export function explainParseError(wording: ParseErrorWording = {}): (text: string, error: ParseError) => SyntaxFault {
  const { comments, trailingComma } = wording;
  return (text, error) => {
    const comma = trailingComma === undefined ? undefined : trailingCommaBefore(text, error.offset);
    if (comma !== undefined && trailingComma !== undefined) return { offset: comma, reason: trailingComma() };
    return { offset: error.offset, reason: describeParseError(printParseErrorCode(error.error), comments?.()) };
  };
}

/** When the error sits on a `}` or `]` that follows a comma (whitespace between), the comma's offset. */
export function trailingCommaBefore(text: string, offset: number): number | undefined {
  if (text[offset] !== '}' && text[offset] !== ']') return undefined;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === ',' ? i : undefined;
}

/** Plain words for a jsonc-parser error code (`printParseErrorCode`); `comments` words a refused comment. */
export function describeParseError(code: string, comments?: string): string {
  switch (code) {
    case 'InvalidCommentToken':
      return comments ?? l10n.t('comments are not allowed in this file');
    case 'PropertyNameExpected':
      return l10n.t('expected a property name in double quotes');
    case 'ValueExpected':
      return l10n.t('expected a value');
    case 'ColonExpected':
      return l10n.t('expected a colon');
    case 'CommaExpected':
      return l10n.t('expected a comma');
    case 'CloseBraceExpected':
      return l10n.t('expected "}"');
    case 'CloseBracketExpected':
      return l10n.t('expected "]"');
    case 'EndOfFileExpected':
      return l10n.t('unexpected text after the end of the JSON value');
    case 'UnexpectedEndOfComment':
      return l10n.t('unterminated comment');
    case 'UnexpectedEndOfString':
      return l10n.t('unterminated string');
    case 'UnexpectedEndOfNumber':
    case 'InvalidNumberFormat':
      return l10n.t('invalid number');
    case 'InvalidUnicode':
      return l10n.t('invalid unicode escape');
    case 'InvalidEscapeCharacter':
      return l10n.t('invalid escape character');
    case 'InvalidCharacter':
      return l10n.t('invalid character in a string');
    default:
      return l10n.t('invalid JSON');
  }
}

/** The offset JSON.parse's message points at (V8 says "at position N" or "(line L column C)"), else 0. */
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

/** A ConfigSyntaxError at `offset` of a `\n` text, as a 1-based line and column. */
export function syntaxError(file: string, text: string, offset: number, reason: string): ConfigSyntaxError {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  return new ConfigSyntaxError(file, before.split('\n').length, before.length - before.lastIndexOf('\n'), reason);
}

/** jsonc-parser's formatting for edits, in the file's indentation. */
export function formattingOptions(format: Pick<TextFormat, 'indent'>): FormattingOptions {
  const tabs = format.indent === '\t';
  // Planners edit `\n` text; restoreFormat puts the file's line endings back.
  return { insertSpaces: !tabs, tabSize: tabs ? 4 : format.indent.length, eol: '\n' };
}

/**
 * The value node of `key` in `object` (undefined when `object` is not an object or has no such key).
 * A key written twice is refused: JSON readers keep the last one while an edit would land on the first.
 * The error points at the second one (`text` is the parsed text), usually a pasted block to merge by
 * hand; `label` names the key in it (a dotted path, say).
 */
export function uniqueChild(text: string, object: Node, key: string, file: string, label = key): Node | undefined {
  if (object.type !== 'object') return undefined;
  const matches = (object.children ?? []).filter((property) => property.children?.[0]?.value === key);
  const second = matches[1]?.children?.[0];
  if (second) throw syntaxError(file, text, second.offset, l10n.t('"{0}" appears {1} times (merge them into one)', label, matches.length));
  return matches[0]?.children?.[1];
}

/** "an object", "an array", "a string"…: a node's type for a shape error ("the top level is {0}, not an object"). */
export function describeNode(node: Node): string {
  switch (node.type) {
    case 'array': return l10n.t('an array');
    case 'object': return l10n.t('an object');
    case 'string': return l10n.t('a string');
    case 'number': return l10n.t('a number');
    case 'boolean': return l10n.t('a boolean');
    case 'null': return l10n.t('a null');
    case 'property': return l10n.t('a property');
  }
}

/** Parses what a planner wrote; a failure is our bug, not the user's file, so nothing may be written. */
export function parsePlanned(text: string, planner: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(l10n.t('{0} planner produced invalid JSON (bug); nothing was written', planner));
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
