/** What the CLI's commands share: usage errors, the confirmation before writing, and how a write is reported. */
import { createInterface } from 'node:readline/promises';
import * as l10n from '@vscode/l10n';
import type { BackupRecord, BackupStore, FileChange } from '../core/agents/fileWriter';

/** Backups kept per agent in the shared backup folder. */
export const BACKUPS_KEPT = 10;

/** A mistake in the command line: exit 2 with the usage text. */
export class UsageError extends Error {}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Whether to write: yes with --yes; otherwise asks on a terminal, and refuses (with how to go on) when
 * there is none to ask on. Says "Nothing was written." when the answer is no.
 */
export async function confirmWrite(yes: boolean, question: string, io: Io): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    io.err(`tokaify: ${l10n.t('not writing without confirmation: re-run with --yes (or --dry-run to only see the diff).')}\n`);
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    // [y/N] stays as typed in any language; 是 is also a yes.
    if (/^(y(es)?|是)$/i.test((await rl.question(`${question} [y/N] `)).trim())) return true;
  } finally {
    rl.close();
  }
  io.err(`${l10n.t('Nothing was written.')}\n`);
  return false;
}

/** One line per file written, then where the backup is (when a file existed before). */
export function reportWritten(changes: readonly FileChange[], backup: BackupRecord | undefined, store: BackupStore, io: Io): void {
  for (const change of changes) {
    if (change.before !== change.after) io.out(`${change.secret ? l10n.t('wrote {0} (mode 0600)', change.path) : l10n.t('wrote {0}', change.path)}\n`);
  }
  if (backup?.files.some((f) => f.copy)) io.out(`${l10n.t('backup: {0}', `${store.dir}/${backup.id}`)}\n`);
}
