/** The unified diff a person reviews before a change is written; keys are masked in it. */
import { createTwoFilesPatch } from 'diff';
import { redact } from '../redact';
import type { FileChange } from './fileWriter';

export function unifiedDiff(change: FileChange): string {
  if (change.before === change.after) return '';
  const patch = createTwoFilesPatch(
    change.before === undefined ? '/dev/null' : change.path,
    change.after === undefined ? '/dev/null' : change.path,
    change.before ?? '', change.after ?? '', undefined, undefined, { context: 3 },
  );
  // The first line is jsdiff's "Index:"/"====" banner; git-style ---/+++ headers follow it.
  return redact(patch.replace(/^=+\n/m, '').replace(/^Index: .*\n/m, ''));
}
