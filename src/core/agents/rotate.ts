/**
 * Rotating a key across the agents: every string value in an agent file that is the old key (with or
 * without its `sk-` prefix) becomes the new key, and nothing else changes. Edits are splices at the
 * parsed value's offsets (jsonc-parser `modify` without formatting for JSON, the value's range for
 * TOML, in its own quoting style), so comments, key order, line endings and a BOM keep their bytes.
 * Each result is parsed again and compared with the old document with the key swapped; a difference is
 * a bug, and nothing is handed to the writer. applyRotation writes all files or none, and the backup
 * it makes covers every file, so one Restore undoes the rotation.
 */
import { isDeepStrictEqual } from 'node:util';
import * as l10n from '@vscode/l10n';
import { applyEdits, getNodePath, getNodeValue, modify, type Edit, type Node } from 'jsonc-parser';
import { getStaticTOMLValue, type AST } from 'toml-eslint-parser';
import { tomlString } from './codex';
import { applyChanges, readText, type BackupRecord, type BackupStore, type FileChange, type WriteHooks } from './fileWriter';
import { agentKeyFiles, parseKeyFile, type KeyFile } from './keyFiles';
import { bareKey, sameKey } from './keyFingerprint';
import type { HostEnvironment } from './paths';

const BOM = '\uFEFF';

/**
 * The changes that put `newKey` wherever an agent file holds `oldKey`; files without it get no entry.
 * Throws ConfigSyntaxError when a file that contains the old key does not parse (it cannot be edited
 * safely, and leaving it would leave that agent on the old key), Error for unusable keys.
 */
export async function planRotation(oldKey: string, newKey: string, host: HostEnvironment): Promise<FileChange[]> {
  checkKeys(oldKey, newKey);
  const changes: FileChange[] = [];
  for (const file of agentKeyFiles(host)) {
    const before = await readText(file.path);
    if (before === undefined) continue;
    const after = rotateText(file, before, oldKey, newKey);
    // Every file that holds a key is as secret as auth.json: mode 0600.
    if (after !== undefined) changes.push({ agent: file.agent, label: file.label, path: file.path, before, after, secret: true });
  }
  return changes;
}

/** Writes a rotation all or nothing; the one backup made lists every file with its agent (reason `rotate`). */
export function applyRotation(changes: readonly FileChange[], store: BackupStore, hooks: WriteHooks = {}, now = new Date()): Promise<BackupRecord | undefined> {
  return applyChanges(changes, store, now, hooks, 'rotate');
}

/** `text` (the whole file, BOM and all) with the old key replaced, or undefined when it does not hold it. */
export function rotateText(file: KeyFile, text: string, oldKey: string, newKey: string): string | undefined {
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = text.slice(bom.length);
  // Cheap first look: a file that does not even contain the key's characters is not parsed.
  if (!body.includes(bareKey(oldKey))) return undefined;
  const parsed = parseKeyFile(file, body);
  let after: string;
  if (parsed.format === 'toml') {
    const values = tomlStrings(parsed.ast).filter((v) => sameKey(v.value, oldKey));
    if (!values.length) return undefined;
    after = spliceToml(body, values, newKey);
  } else {
    const nodes = parsed.root ? jsonStrings(parsed.root).filter((n) => sameKey(String(n.value), oldKey)) : [];
    if (!nodes.length) return undefined;
    const edits: Edit[] = nodes.flatMap((node) => modify(body, getNodePath(node), newKey, {}));
    after = applyEdits(body, edits);
  }
  verify(file, body, after, oldKey, newKey);
  return bom + after;
}

function checkKeys(oldKey: string, newKey: string): void {
  for (const key of [oldKey, newKey]) {
    if (typeof key !== 'string' || bareKey(key).trim() === '') throw new Error(l10n.t('Rotate: both keys must be non-empty.'));
  }
  if (sameKey(oldKey, newKey)) throw new Error(l10n.t('Rotate: the new key is the same as the old one.'));
}

/** String value nodes (not property names), anywhere in the document. */
function jsonStrings(node: Node): Node[] {
  if (node.type === 'string') return [node];
  if (node.type === 'property') return node.children?.[1] ? jsonStrings(node.children[1]) : [];
  return (node.children ?? []).flatMap(jsonStrings);
}

type TomlString = AST.TOMLValue & { kind: 'string' };

/** String values anywhere: in tables, dotted keys, arrays and inline tables. */
function tomlStrings(ast: AST.TOMLProgram): TomlString[] {
  const fromValue = (node: AST.TOMLContentNode): TomlString[] => {
    if (node.type === 'TOMLValue') return node.kind === 'string' ? [node] : [];
    if (node.type === 'TOMLArray') return node.elements.flatMap(fromValue);
    return node.body.flatMap((kv) => fromValue(kv.value));
  };
  return ast.body[0].body.flatMap((item) => (item.type === 'TOMLKeyValue' ? fromValue(item.value) : item.body.flatMap((kv) => fromValue(kv.value))));
}

/** Replaces each string value, keeping a one-line literal string ('…') literal when the new key allows it. */
function spliceToml(text: string, values: readonly TomlString[], newKey: string): string {
  let out = '';
  let cursor = 0;
  for (const value of [...values].sort((a, b) => a.range[0] - b.range[0])) {
    const literal = value.style === 'literal' && !value.multiline && /^[^'\u0000-\u001f\u007f]*$/.test(newKey);
    out += text.slice(cursor, value.range[0]) + (literal ? `'${newKey}'` : tomlString(newKey));
    cursor = value.range[1];
  }
  return out + text.slice(cursor);
}

/** The planned text must parse to the old document with the key swapped, and nothing else. */
function verify(file: KeyFile, before: string, after: string, oldKey: string, newKey: string): void {
  const value = (text: string): unknown => {
    const parsed = parseKeyFile(file, text);
    return parsed.format === 'toml' ? getStaticTOMLValue(parsed.ast) : parsed.root ? getNodeValue(parsed.root) : undefined;
  };
  let expected: unknown;
  let actual: unknown;
  try {
    expected = mapStrings(value(before), (s) => (sameKey(s, oldKey) ? newKey : s));
    // Mapped too, so both sides are plain objects (the parsers' own objects may differ in prototype).
    actual = mapStrings(value(after), (s) => s);
  } catch {
    actual = undefined;
  }
  if (actual === undefined || !isDeepStrictEqual(actual, expected)) {
    throw new Error(l10n.t('Rotating the key in {0} did not give the expected file (bug); nothing was written.', file.path));
  }
}

function mapStrings(value: unknown, map: (s: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]));
  }
  return value;
}
