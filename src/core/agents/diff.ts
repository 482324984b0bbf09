/** The unified diff a person reviews before a change is written; secrets are masked in it. */
import { createTwoFilesPatch } from 'diff';
import { redact } from '../redact';
import type { FileChange } from './fileWriter';
import { SecretMasker } from './maskSecrets';

export function unifiedDiff(change: FileChange): string {
  if (change.before === change.after) return '';
  // Both sides masked by one masker: an unchanged secret masks alike, a changed one shows as changed.
  const masker = new SecretMasker();
  const patch = createTwoFilesPatch(
    change.before === undefined ? '/dev/null' : change.path,
    change.after === undefined ? '/dev/null' : change.path,
    masker.mask(change.before ?? ''), masker.mask(change.after ?? ''), undefined, undefined, { context: 3 },
  );
  // The first line is jsdiff's "Index:"/"====" banner; git-style ---/+++ headers follow it.
  return redact(patch.replace(/^=+\n/m, '').replace(/^Index: .*\n/m, ''));
}
