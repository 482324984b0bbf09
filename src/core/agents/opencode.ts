/**
 * OpenCode (spec client-configs.md §3): `opencode.json[c]` gets our provider entry, `auth.json` (data
 * dir) gets its key. The config is JSONC: comments and trailing commas are valid and must survive,
 * including comments inside the objects we edit. So:
 *  - values that already exist are replaced with jsonc-parser's `modify()` (it touches only the value);
 *  - new properties and array items are inserted by hand next to their siblings, with their
 *    indentation, after any comment that trails the previous sibling (modify() would move that comment
 *    onto the new line and reformat compact lines);
 *  - removals drop the property and its comma but keep every comment around it (modify() deletes the
 *    comments between the previous sibling and the removed one).
 * OpenCode's auth.json is strict JSON written by OpenCode itself; only our entry is replaced.
 */
import * as l10n from '@vscode/l10n';
import { applyEdits, createScanner, modify, parseTree, printParseErrorCode, stripComments, SyntaxKind, type Edit, type Node, type ParseError } from 'jsonc-parser';
import {
  describeNode,
  describeParseError,
  explainParseError,
  formattingOptions,
  isRecord,
  parsePlanned,
  parseStrict,
  syntaxError,
  uniqueChild,
  type StrictJsonRules,
} from './jsonText';
import { detectFormat, normalizeText, restoreFormat } from './textFormat';
import { ConfigShapeError } from './types';

export interface OpenCodeOptions {
  /** Provider id: lowercase letters, digits and hyphens (what `opencode auth login` accepts). Default `tokaify`. */
  providerId?: string;
  /** Display name. Default `Tokaify`. */
  providerName?: string;
  /** OpenAI-compatible base URL, with `/v1`. */
  baseUrl: string;
  model: string;
  /** Make `<id>/<model>` OpenCode's default model (top-level `model`). Default true. */
  setDefaultModel?: boolean;
}

export interface OpencodeConfigSummary {
  model?: string;
  providers: Record<string, { npm?: string; baseUrl?: string; models: string[]; hasApiKey: boolean }>;
}

export const OPENCODE_SCHEMA = 'https://opencode.ai/config.json';
export const OPENCODE_PROVIDER_NPM = '@ai-sdk/openai-compatible';
export const DEFAULT_OPENCODE_PROVIDER_ID = 'tokaify';
const DEFAULT_PROVIDER_NAME = 'Tokaify';
const PROVIDER_ID_PATTERN = /^[0-9a-z-]+$/;
/** OpenCode's auth.json is strict JSON (OpenCode writes it itself). */
const AUTH_JSON: StrictJsonRules = { explain: explainParseError() };

/** Parses an OpenCode config (JSONC, without a BOM); undefined for a file of comments only. A broken file is a ConfigSyntaxError. */
export function parseOpencodeConfig(text: string, file = 'opencode.json'): Node | undefined {
  return parseJsonc(text, file);
}

/** Parses OpenCode's auth.json (without a BOM) as the strict JSON OpenCode writes; a broken file is a ConfigSyntaxError. */
export function parseOpencodeAuth(text: string, file = 'auth.json'): Node {
  return parseStrict(text, file, AUTH_JSON);
}

/** Plans the new text of `opencode.json` / `opencode.jsonc`. `current` undefined means the file does not exist. */
export function planOpencodeConfig(current: string | undefined, options: OpenCodeOptions, file = 'opencode.json'): string {
  const id = providerId(options.providerId);
  for (const name of ['baseUrl', 'model'] as const) {
    const value: unknown = options[name];
    if (typeof value !== 'string' || value.trim() === '') throw new Error(l10n.t('OpenCode config: {0} must be a non-empty string', name));
  }
  const name = options.providerName ?? DEFAULT_PROVIDER_NAME;
  const defaultModel = options.setDefaultModel === false ? undefined : `${id}/${options.model}`;
  const format = detectFormat(current);
  const body = normalizeText(current);

  const fresh = (): Record<string, unknown> => {
    const config: Record<string, unknown> = { $schema: OPENCODE_SCHEMA, provider: { [id]: newProvider(name, options) } };
    if (defaultModel) config['model'] = defaultModel;
    return config;
  };

  let text: string;
  if (body.trim() === '') {
    text = JSON.stringify(fresh(), null, format.indent) + '\n';
  } else {
    // Comment lines must not decide the indentation (a `// note` indented by one space, say).
    const doc = new JsoncDocument(body, file, detectFormat(stripComments(body, ' ')).indent);
    if (!doc.root) {
      // Only comments: keep them above a new object.
      text = body.replace(/\s*$/, '\n') + JSON.stringify(fresh(), null, doc.indentUnit) + '\n';
    } else {
      if (doc.root.type !== 'object') throw new ConfigShapeError(file, l10n.t('the top level is {0}, not an object', describeNode(doc.root)));
      planProvider(doc, id, name, options, defaultModel);
      text = doc.text;
    }
  }

  verifyConfig(text, file, id, name, options, defaultModel);
  return restoreFormat(text, format);
}

/** Plans OpenCode's `auth.json` (data dir) with our API key; other providers' entries (oauth, wellknown…) stay. */
export function planOpencodeAuth(current: string | undefined, providerIdValue: string, key: string, file = 'auth.json'): string {
  const id = providerId(providerIdValue);
  if (typeof key !== 'string' || key.trim() === '') throw new Error(l10n.t('OpenCode auth: key must be a non-empty string'));
  const entry = { type: 'api', key };
  const format = detectFormat(current);
  let text = normalizeText(current);

  if (text.trim() === '') {
    text = JSON.stringify({ [id]: entry }, null, format.indent) + '\n';
  } else {
    const root = parseStrict(text, file, AUTH_JSON);
    if (root.type !== 'object') throw new ConfigShapeError(file, l10n.t('the top level is {0}, not an object', describeNode(root)));
    const existing = uniqueChild(text, root, id, file);
    const same = existing?.type === 'object' && JSON.stringify(nodeValue(existing)) === JSON.stringify(entry);
    if (!same) {
      text = applyEdits(text, modify(text, [id], entry, { formattingOptions: formattingOptions(format) }));
    }
  }

  const parsed = parsePlanned(text, 'OpenCode auth');
  const written = isRecord(parsed) ? parsed[id] : undefined;
  if (!isRecord(written) || written['type'] !== 'api' || written['key'] !== key) {
    throw new Error(l10n.t('OpenCode auth planner did not produce the expected entry (bug); nothing was written'));
  }
  return restoreFormat(text, format);
}

/** What an OpenCode config says about providers and the default model, for diagnosis. Keys are never returned. */
export function readOpencodeConfig(text: string, file = 'opencode.json'): OpencodeConfigSummary {
  const summary: OpencodeConfigSummary = { providers: {} };
  const body = normalizeText(text);
  if (body.trim() === '') return summary;
  const doc = new JsoncDocument(body, file, '  ');
  if (!doc.root) return summary;
  if (doc.root.type !== 'object') throw new ConfigShapeError(file, l10n.t('the top level is {0}, not an object', describeNode(doc.root)));
  const value = nodeValue(doc.root);
  if (!isRecord(value)) return summary;
  if (typeof value['model'] === 'string') summary.model = value['model'];
  const providers = value['provider'];
  if (!isRecord(providers)) return summary;
  for (const [id, provider] of Object.entries(providers)) {
    if (!isRecord(provider)) continue;
    const options = isRecord(provider['options']) ? provider['options'] : {};
    const models = isRecord(provider['models']) ? Object.keys(provider['models']) : [];
    const entry: OpencodeConfigSummary['providers'][string] = { models, hasApiKey: typeof options['apiKey'] === 'string' && options['apiKey'] !== '' };
    if (typeof provider['npm'] === 'string') entry.npm = provider['npm'];
    if (typeof options['baseURL'] === 'string') entry.baseUrl = options['baseURL'];
    summary.providers[id] = entry;
  }
  return summary;
}

function providerId(id: string | undefined): string {
  const value = id ?? DEFAULT_OPENCODE_PROVIDER_ID;
  if (typeof value !== 'string' || !PROVIDER_ID_PATTERN.test(value)) {
    throw new Error(l10n.t('OpenCode provider id "{0}" must use lowercase letters, digits and hyphens only', String(value)));
  }
  return value;
}

function newProvider(name: string, options: OpenCodeOptions): Record<string, unknown> {
  return {
    npm: OPENCODE_PROVIDER_NPM,
    name,
    options: { baseURL: options.baseUrl },
    models: { [options.model]: { name: options.model } },
  };
}

function planProvider(doc: JsoncDocument, id: string, name: string, options: OpenCodeOptions, defaultModel: string | undefined): void {
  const file = doc.file;
  if (!doc.child(doc.rootObject(), '$schema')) doc.insertProperty(doc.rootObject(), '$schema', OPENCODE_SCHEMA, 'start');

  const providers = doc.child(doc.rootObject(), 'provider');
  if (!providers) {
    doc.insertProperty(doc.rootObject(), 'provider', { [id]: newProvider(name, options) });
  } else {
    if (providers.type !== 'object') throw new ConfigShapeError(file, l10n.t('"{0}" is {1}, not an object', 'provider', describeNode(providers)));
    const ours = doc.child(providers, id, `provider.${id}`);
    if (!ours) {
      doc.insertProperty(providers, id, newProvider(name, options));
    } else {
      if (ours.type !== 'object') throw new ConfigShapeError(file, l10n.t('"{0}" is {1}, not an object', `provider.${id}`, describeNode(ours)));
      const path = ['provider', id];
      doc.setString(path, 'npm', OPENCODE_PROVIDER_NPM);
      doc.setString(path, 'name', name);

      const providerOptions = doc.child(doc.at(path), 'options', `provider.${id}.options`);
      if (!providerOptions) {
        doc.insertProperty(doc.at(path), 'options', { baseURL: options.baseUrl });
      } else {
        if (providerOptions.type !== 'object') throw new ConfigShapeError(file, l10n.t('"{0}" is {1}, not an object', `provider.${id}.options`, describeNode(providerOptions)));
        doc.setString([...path, 'options'], 'baseURL', options.baseUrl);
        // A key here would win over auth.json, and it is usually a stale one.
        const apiKey = doc.child(doc.at([...path, 'options']), 'apiKey', `provider.${id}.options.apiKey`);
        if (apiKey?.parent) doc.remove(apiKey.parent);
      }

      const models = doc.child(doc.at(path), 'models', `provider.${id}.models`);
      if (!models) {
        doc.insertProperty(doc.at(path), 'models', { [options.model]: { name: options.model } });
      } else {
        if (models.type !== 'object') throw new ConfigShapeError(file, l10n.t('"{0}" is {1}, not an object', `provider.${id}.models`, describeNode(models)));
        if (!doc.child(models, options.model, `provider.${id}.models.${options.model}`)) {
          doc.insertProperty(models, options.model, { name: options.model });
        }
      }
    }
  }

  if (defaultModel) doc.setString([], 'model', defaultModel);

  const enabled = doc.child(doc.rootObject(), 'enabled_providers');
  if (enabled?.type === 'array' && !(enabled.children ?? []).some((item) => item.type === 'string' && item.value === id)) {
    doc.appendItem(enabled, id);
  }
  for (;;) {
    const disabled = doc.child(doc.rootObject(), 'disabled_providers');
    const listed = disabled?.type === 'array' ? (disabled.children ?? []).find((item) => item.type === 'string' && item.value === id) : undefined;
    if (!listed) break;
    doc.remove(listed);
  }
}

/**
 * A JSONC text with its parse tree, edited one change at a time (each change re-parses, so offsets
 * are always fresh). Text is `\n`-only and without a BOM; the caller restores the file's format.
 */
class JsoncDocument {
  root: Node | undefined;

  /** The file's indentation unit, measured on its JSON structure (comment lines such as ` * text` do not count). */
  readonly indentUnit: string;

  constructor(
    public text: string,
    readonly file: string,
    fallbackIndent: string,
  ) {
    this.root = parseJsonc(text, file);
    this.indentUnit = this.root ? structuralIndent(text, this.root) ?? fallbackIndent : fallbackIndent;
  }

  rootObject(): Node {
    if (!this.root || this.root.type !== 'object') throw new Error(l10n.t('OpenCode config: no top-level object'));
    return this.root;
  }

  /** The value node at an object path; the path is known to exist. */
  at(path: readonly string[]): Node {
    let node = this.rootObject();
    for (let i = 0; i < path.length; i++) {
      const next = this.child(node, path[i]!, path.slice(0, i + 1).join('.'));
      if (!next) throw new Error(l10n.t('OpenCode config: {0} vanished while editing', path.join('.')));
      node = next;
    }
    return node;
  }

  /** The value node of `key` in `object`; a key written twice is refused (readers keep the last, edits would hit the first). */
  child(object: Node, key: string, label = key): Node | undefined {
    return uniqueChild(this.text, object, key, this.file, label);
  }

  /** Sets `key` of the object at `path` to a string, inserting it when missing; nothing when it already has that value. */
  setString(path: readonly string[], key: string, value: string): void {
    const object = this.at(path);
    const existing = this.child(object, key, [...path, key].join('.'));
    if (!existing) {
      this.insertProperty(object, key, value);
    } else if (existing.type !== 'string' || existing.value !== value) {
      this.apply(modify(this.text, [...path, key], value, { formattingOptions: formattingOptions({ indent: this.indentUnit }) }));
    }
  }

  /** Adds a property to an object, at its end (or start), formatted like its siblings. */
  insertProperty(object: Node, key: string, value: unknown, where: 'start' | 'end' = 'end'): void {
    this.insertMember(object, (indent) => `${JSON.stringify(key)}: ${this.render(value, indent)}`, where);
  }

  /** Appends an item to an array, formatted like its siblings. */
  appendItem(array: Node, value: unknown): void {
    this.insertMember(array, (indent) => this.render(value, indent), 'end');
  }

  /** Removes a property (or array item) with its comma; comments around it stay. */
  remove(node: Node): void {
    const member = node.parent?.type === 'property' ? node.parent : node;
    const siblings = member.parent?.children;
    if (!siblings) throw new Error(l10n.t('OpenCode config: cannot remove the top level'));
    const index = siblings.indexOf(member);
    const start = member.offset;
    const end = member.offset + member.length;
    const after = this.scanAfter(end);
    const edits: Edit[] = [];
    if (after.comma !== undefined && /^[ \t]*$/.test(this.text.slice(end, after.comma))) {
      edits.push(this.removalRange(start, after.comma + 1));
    } else if (after.comma !== undefined) {
      // A comment sits between the member and its comma: drop both, keep the comment.
      edits.push(this.removalRange(start, end), { offset: after.comma, length: 1, content: '' });
    } else {
      const previous = index > 0 ? siblings[index - 1] : undefined;
      const comma = previous ? this.scanAfter(previous.offset + previous.length).comma : undefined;
      if (comma !== undefined) edits.push({ offset: comma, length: 1, content: '' });
      edits.push(this.removalRange(start, end));
    }
    this.apply(edits);
  }

  /**
   * Inserts a member rendered by `member(indent)`. Multi-line containers get it on a line of its own
   * with its siblings' indentation, after the previous member's comma and the comments on that line;
   * one-line containers get it inline (compact).
   */
  private insertMember(container: Node, member: (indent: string | undefined) => string, where: 'start' | 'end'): void {
    const text = this.text;
    const members = container.children ?? [];
    const open = container.offset;
    const close = container.offset + container.length - 1;
    const baseIndent = lineIndent(text, open);
    const multiline = text.slice(open, close).includes('\n');

    if (members.length === 0) {
      const commentEnd = lastCommentEnd(text, open + 1, close);
      if (!multiline && commentEnd === undefined) {
        // `[]` and an `{}` inside a one-line container stay inline; other objects open into a block.
        const enclosing = container.parent?.type === 'property' ? container.parent.parent : container.parent;
        if (container.type === 'array' || (enclosing && !spansLines(text, enclosing))) {
          this.apply([{ offset: open + 1, length: close - open - 1, content: member(undefined) }]);
        } else {
          const indent = baseIndent + this.indentUnit;
          this.apply([{ offset: open + 1, length: close - open - 1, content: `\n${indent}${member(indent)}\n${baseIndent}` }]);
        }
        return;
      }
      // Only comments (or line breaks) inside: add after the last comment, on a line of our own.
      const anchor = commentEnd ?? open + 1;
      const indent = this.indentAfter(anchor, baseIndent);
      // When the closing bracket shares the comment's line, it moves to a line of its own.
      const closeOnLine = !text.slice(anchor, close).includes('\n');
      this.apply([
        closeOnLine
          ? { offset: anchor, length: close - anchor, content: `\n${indent}${member(indent)}\n${baseIndent}` }
          : { offset: anchor, length: 0, content: `\n${indent}${member(indent)}` },
      ]);
      return;
    }

    if (where === 'start') {
      const first = members[0]!;
      if (!multiline || !text.slice(open, first.offset).includes('\n')) {
        this.apply([{ offset: first.offset, length: 0, content: `${member(undefined)}, ` }]);
        return;
      }
      // After the `{` and the comments on its line, so comments above the first member stay with it.
      const anchor = this.scanAfter(open + 1, { stopAtLineBreak: true }).end;
      const indent = isLineStart(text, first.offset) ? lineIndent(text, first.offset) : baseIndent + this.indentUnit;
      this.apply([{ offset: anchor, length: 0, content: `\n${indent}${member(indent)},` }]);
      return;
    }

    const last = members[members.length - 1]!;
    const lastEnd = last.offset + last.length;
    const after = this.scanAfter(lastEnd, { stopAtLineBreak: true });
    const trailingComma = after.comma !== undefined;
    if (!multiline) {
      this.apply([
        trailingComma
          ? { offset: after.comma! + 1, length: 0, content: ` ${member(undefined)},` }
          : { offset: lastEnd, length: 0, content: `, ${member(undefined)}` },
      ]);
      return;
    }
    const indent = isLineStart(text, last.offset) ? lineIndent(text, last.offset) : baseIndent + this.indentUnit;
    const anchor = after.end;
    // When the closing bracket shares the line, it moves to a line of its own (the blanks before it go).
    const closesOnSameLine = !text.slice(anchor, close).includes('\n');
    const replaced = closesOnSameLine ? close - anchor : 0;
    const inserted = `\n${indent}${member(indent)}${trailingComma ? ',' : ''}${closesOnSameLine ? `\n${baseIndent}` : ''}`;
    if (trailingComma) {
      this.apply([{ offset: anchor, length: replaced, content: inserted }]);
    } else if (anchor === lastEnd) {
      this.apply([{ offset: lastEnd, length: replaced, content: `,${inserted}` }]);
    } else {
      this.apply([
        { offset: lastEnd, length: 0, content: ',' },
        { offset: anchor, length: replaced, content: inserted },
      ]);
    }
  }

  /** Indentation for a member placed after `offset` (the end of a comment) in a container with no members. */
  private indentAfter(offset: number, baseIndent: string): string {
    const start = lineStartOf(this.text, offset);
    const lead = lineIndent(this.text, offset);
    const commentOnOwnLine = isLineStart(this.text, this.text.slice(start).search(/\S/) + start);
    return commentOnOwnLine && lead.length > baseIndent.length ? lead : baseIndent + this.indentUnit;
  }

  /**
   * Looks past `offset` over blanks and comments: the first comma met before any other token, and the
   * end of the last comma or comment passed. With stopAtLineBreak, stops at the end of the line.
   */
  private scanAfter(offset: number, options: { stopAtLineBreak?: boolean } = {}): { comma?: number; end: number } {
    const scanner = createScanner(this.text, false);
    scanner.setPosition(offset);
    const result: { comma?: number; end: number } = { end: offset };
    for (;;) {
      const kind = scanner.scan();
      if (kind === SyntaxKind.Trivia) continue;
      if (kind === SyntaxKind.LineBreakTrivia) {
        if (options.stopAtLineBreak) break;
        continue;
      }
      if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
        result.end = scanner.getTokenOffset() + scanner.getTokenLength();
        continue;
      }
      if (kind === SyntaxKind.CommaToken && result.comma === undefined) {
        result.comma = scanner.getTokenOffset();
        result.end = result.comma + 1;
        continue;
      }
      break;
    }
    return result;
  }

  /**
   * The edit that deletes [start, end): the whole line when nothing else is on it; otherwise the
   * member and the blanks after it, or before it when a closing bracket or the line end follows.
   */
  private removalRange(start: number, end: number): Edit {
    const text = this.text;
    // Comments inside the member (`"apiKey" /* old */: …`) are the user's words: they stay where the member was.
    const inner = commentsIn(text, start, end);
    if (inner.length) {
      const lastIsLine = inner[inner.length - 1]!.startsWith('//');
      const restOfLine = text.slice(end, text.indexOf('\n', end) === -1 ? text.length : text.indexOf('\n', end));
      const kept = inner.map((comment, i) => (comment.startsWith('//') && i < inner.length - 1 ? `${comment}\n${lineIndent(text, start)}` : comment)).join(' ');
      return { offset: start, length: end - start, content: kept + (lastIsLine && restOfLine.trim() !== '' ? `\n${lineIndent(text, start)}` : '') };
    }
    const lineStart = lineStartOf(text, start);
    let blanksEnd = end;
    while (blanksEnd < text.length && (text[blanksEnd] === ' ' || text[blanksEnd] === '\t')) blanksEnd++;
    const aloneBefore = isLineStart(text, start);
    const lineEnds = blanksEnd >= text.length || text[blanksEnd] === '\n';
    if (aloneBefore && lineEnds && lineStart > 0) return { offset: lineStart - 1, length: blanksEnd - lineStart + 1, content: '' };
    if (aloneBefore || !(lineEnds || text[blanksEnd] === '}' || text[blanksEnd] === ']')) {
      return { offset: start, length: blanksEnd - start, content: '' };
    }
    let from = start;
    while (from > lineStart && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
    return { offset: from, length: end - from, content: '' };
  }

  /** JSON for a new member: pretty at `indent`, or compact when it goes inline (indent undefined). */
  private render(value: unknown, indent: string | undefined): string {
    if (indent === undefined) return compact(value);
    return JSON.stringify(value, null, this.indentUnit).replace(/\n/g, `\n${indent}`);
  }

  private apply(edits: Edit[]): void {
    this.text = applyEdits(this.text, edits);
    this.root = parseJsonc(this.text, this.file, true);
  }
}

function parseJsonc(text: string, file: string, ours = false): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const first = errors[0];
  if (first) {
    if (ours) throw new Error(l10n.t('OpenCode config planner produced invalid JSONC ({0}; bug); nothing was written', printParseErrorCode(first.error)));
    throw syntaxError(file, text, first.offset, describeParseError(printParseErrorCode(first.error)));
  }
  return root;
}

/** A node's value, built with own properties only (a `__proto__` key stays a plain key). */
function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (keyNode && valueNode) Object.defineProperty(out, String(keyNode.value), { value: nodeValue(valueNode), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value as unknown;
  }
}

function verifyConfig(text: string, file: string, id: string, name: string, options: OpenCodeOptions, defaultModel: string | undefined): void {
  let root: Node | undefined;
  try {
    root = parseJsonc(text, file, true);
  } catch {
    root = undefined;
  }
  const value = root ? nodeValue(root) : undefined;
  const provider = isRecord(value) && isRecord(value['provider']) ? value['provider'][id] : undefined;
  const providerOptions = isRecord(provider) ? provider['options'] : undefined;
  const models = isRecord(provider) ? provider['models'] : undefined;
  const ok =
    isRecord(value) &&
    value['$schema'] !== undefined &&
    isRecord(provider) &&
    provider['npm'] === OPENCODE_PROVIDER_NPM &&
    provider['name'] === name &&
    isRecord(providerOptions) &&
    providerOptions['baseURL'] === options.baseUrl &&
    !('apiKey' in providerOptions) &&
    isRecord(models) &&
    Object.prototype.hasOwnProperty.call(models, options.model) &&
    (defaultModel === undefined || value['model'] === defaultModel);
  if (!ok) throw new Error(l10n.t('OpenCode config planner did not produce the expected provider (bug); nothing was written'));
}

function spansLines(text: string, node: Node): boolean {
  return text.slice(node.offset, node.offset + node.length).includes('\n');
}

/**
 * The indentation step between containers and their members that start a line: the most common one
 * (the smallest on a tie). Undefined when no member starts a line of its own.
 */
function structuralIndent(text: string, root: Node): string | undefined {
  const counts = new Map<string, number>();
  const visit = (container: Node): void => {
    const outer = lineIndent(text, container.offset);
    for (const child of container.children ?? []) {
      if (isLineStart(text, child.offset)) {
        const inner = lineIndent(text, child.offset);
        if (inner.length > outer.length && inner.startsWith(outer)) {
          const step = inner.slice(outer.length);
          if (/^( +|\t)$/.test(step)) counts.set(step, (counts.get(step) ?? 0) + 1);
        }
      }
      const value = child.type === 'property' ? child.children?.[1] : child;
      if (value && (value.type === 'object' || value.type === 'array')) visit(value);
    }
  };
  if (root.type === 'object' || root.type === 'array') visit(root);
  let best: string | undefined;
  for (const [step, count] of counts) {
    const bestCount = best === undefined ? -1 : counts.get(best)!;
    if (count > bestCount || (count === bestCount && step.length < best!.length)) best = step;
  }
  return best;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartOf(text, offset)))![0];
}

function isLineStart(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStartOf(text, offset), offset));
}

/** The comments that start between `from` and `to`, in order. */
function commentsIn(text: string, from: number, to: number): string[] {
  const scanner = createScanner(text, false);
  scanner.setPosition(from);
  const found: string[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF && scanner.getTokenOffset() < to; kind = scanner.scan()) {
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
      found.push(text.slice(scanner.getTokenOffset(), scanner.getTokenOffset() + scanner.getTokenLength()));
    }
  }
  return found;
}

/** End offset of the last comment between `from` and `to`, if any. */
function lastCommentEnd(text: string, from: number, to: number): number | undefined {
  const scanner = createScanner(text, false);
  scanner.setPosition(from);
  let end: number | undefined;
  while (scanner.getPosition() < to) {
    const kind = scanner.scan();
    if (kind === SyntaxKind.EOF) break;
    if ((kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) && scanner.getTokenOffset() < to) {
      end = scanner.getTokenOffset() + scanner.getTokenLength();
    }
  }
  return end;
}

/** One-line JSON with a blank after colons and commas, for members that go into one-line containers. */
function compact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compact).join(', ')}]`;
  if (isRecord(value)) return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${compact(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}
