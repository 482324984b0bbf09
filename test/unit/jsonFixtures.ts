/**
 * Checks shared by the tests of the JSON planners (Claude Code settings, OpenCode config): what a plan
 * must keep of the user's file. Not a `*.test.ts` file, so it is bundled into each test that imports
 * it rather than run on its own.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { detectFormat } from '../../src/core/agents/textFormat';

export type Json = Record<string, unknown>;

/** Reads fixtures from test/fixtures/<folder>. */
export function fixtureReader(folder: string): (name: string) => string {
  // The compiled test runs from dist/test/unit/.
  const dir = path.resolve(__dirname, '../../../test/fixtures', folder);
  return (name) => fs.readFileSync(path.join(dir, name), 'utf8');
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text with a byte-order mark and CRLF line endings. */
export function toCrlfBom(text: string): string {
  return '\uFEFF' + text.replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r\n');
}

export interface FileLayout {
  crlf: boolean;
  bom: boolean;
  finalNewline: boolean;
}

/** Random line endings, byte-order mark and final newline, for property tests. */
export const fileLayout = { crlf: fc.boolean(), bom: fc.boolean(), finalNewline: fc.boolean() };

/** A generated text laid out as a user's file may be: final newline, CRLF, BOM. */
export function laidOut(text: string, layout: FileLayout): string {
  const ended = text + (layout.finalNewline ? '\n' : '');
  const eol = layout.crlf ? ended.replace(/\n/g, '\r\n') : ended;
  return layout.bom ? '\uFEFF' + eol : eol;
}

/** Keys of `before` keep their relative order in `after` (new ones may follow; removed ones are skipped). Nothing to check unless both are objects. */
export function assertOrderKept(before: unknown, after: unknown, removed: readonly string[] = []): void {
  if (!isObject(before) || !isObject(after)) return;
  const kept = Object.keys(before).filter((key) => !removed.includes(key));
  assert.deepEqual(
    Object.keys(after).filter((key) => kept.includes(key)),
    kept,
  );
}

/**
 * BOM, line endings, final newline and indentation are those of `before`. Indentation is compared on
 * `code(text)`, for files where part of the text (comments) must not count.
 */
export function assertFormatKept(before: string, after: string, code: (text: string) => string = (text) => text): void {
  const a = detectFormat(before);
  const b = detectFormat(after);
  assert.equal(b.bom, a.bom, 'BOM');
  if (before.includes('\n')) {
    assert.equal(b.eol, a.eol, 'line endings');
    if (a.eol === '\r\n') assert.ok(!/(?<!\r)\n/.test(after), 'no bare LF in a CRLF file');
    else assert.ok(!after.includes('\r\n'), 'no CRLF in an LF file');
    assert.equal(b.finalNewline, a.finalNewline, 'final newline');
  }
  if (/^[ \t]+\S/m.test(code(before))) assert.equal(JSON.stringify(detectFormat(code(after)).indent), JSON.stringify(detectFormat(code(before)).indent), 'indentation');
}

/** Lines of the original that are gone from the output must be about something we own (a comma may be added). */
export function assertOtherLinesKept(before: string, after: string, owned: RegExp): void {
  const strip = (line: string): string => line.replace(/^\uFEFF/, '').replace(/\r$/, '').replace(/,$/, '');
  const out = new Map<string, number>();
  for (const line of after.split('\n').map(strip)) out.set(line, (out.get(line) ?? 0) + 1);
  for (const line of before.split('\n').map(strip)) {
    const left = out.get(line) ?? 0;
    if (left > 0) out.set(line, left - 1);
    else assert.match(line, owned, `line lost or changed: ${JSON.stringify(line)}`);
  }
}
