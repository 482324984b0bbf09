/**
 * Writes a workspace profile's generated files (the Codex profile and shim), each atomically with its mode,
 * and removes them again. They are Tokaify's own files outside every workspace, holding no key, so there is
 * nothing of the user's to back up or merge.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readText, writeAtomic } from './fileWriter';
import type { ProfileFile } from './workspaceProfile';

/** Writes the files that differ from what is there; returns the paths written. */
export async function writeProfileFiles(files: readonly ProfileFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    if ((await readText(file.path)) === file.text) continue;
    await fs.mkdir(path.dirname(file.path), { recursive: true, mode: 0o700 });
    await writeAtomic(file.path, file.text, file.mode);
    written.push(file.path);
  }
  return written;
}

/** Removes the files of one profile (the shared shim stays: other workspaces may use it). */
export async function removeProfileFiles(files: readonly ProfileFile[], keep: (file: ProfileFile) => boolean): Promise<void> {
  for (const file of files) if (!keep(file)) await fs.rm(file.path, { force: true });
}
