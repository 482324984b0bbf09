/**
 * Writes planned config files the careful way: every file re-read and compared with what was
 * previewed (agents rewrite their own files), one backup folder per change, then per file a temp file
 * in the same directory, fsync, rename. If a later file fails, the earlier ones are put back. Files that
 * hold a key get mode 0600; others keep their mode. Symlinks are followed so the link stays a link.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AgentId } from './types';

export interface FileChange {
  agent: AgentId;
  label: string;
  path: string;
  /** The text the plan was made from; undefined when the file did not exist. */
  before: string | undefined;
  /** undefined removes the file (restoring a backup of a file that did not exist before). */
  after: string | undefined;
  /** Holds an API key: mode 0600. */
  secret: boolean;
}

export interface BackupStore {
  dir: string;
  /** Backups kept per agent; the oldest beyond this are deleted. */
  keep: number;
}

export interface BackupFile {
  path: string;
  label: string;
  /** Absent when the file did not exist before the change (restoring removes it). */
  copy?: string;
  mode?: number;
}

export interface BackupRecord {
  id: string;
  agent: AgentId;
  created: string;
  reason: 'configure' | 'restore';
  files: BackupFile[];
}

/** The file changed on disk after the preview was made: preview again rather than overwrite. */
export class FileChangedError extends Error {
  constructor(readonly file: string) {
    super(`${file} changed on disk after the preview (its tool may have rewritten it). Nothing was written; preview again.`);
    this.name = 'FileChangedError';
  }
}

export class WriteError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(`Could not write ${file}: ${describeFsError(cause)}. No file was left half-written; any written before it were put back.`);
    this.name = 'WriteError';
  }
}

const MANIFEST = 'backup.json';

export async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return undefined;
    throw error;
  }
}

/** Applies the changes as one unit. Returns the backup made (undefined when nothing changed). */
export async function applyChanges(changes: readonly FileChange[], store: BackupStore, now = new Date()): Promise<BackupRecord | undefined> {
  const real = changes.filter((c) => c.before !== c.after);
  if (!real.length) return undefined;
  for (const change of real) await assertUnchanged(change);
  const record = await backUp(real, store, now, real.some((c) => c.after === undefined) ? 'restore' : 'configure');
  const done: FileChange[] = [];
  for (const change of real) {
    try {
      await assertUnchanged(change);
      await put(change);
      done.push(change);
    } catch (error) {
      await rollBack(done);
      if (error instanceof FileChangedError) throw error;
      throw new WriteError(change.path, error);
    }
  }
  await prune(store, real[0]!.agent);
  return record;
}

async function assertUnchanged(change: FileChange): Promise<void> {
  if ((await readText(change.path)) !== change.before) throw new FileChangedError(change.path);
}

async function put(change: FileChange): Promise<void> {
  const target = await resolveTarget(change.path);
  if (change.after === undefined) {
    await fs.rm(target, { force: true });
    return;
  }
  const existingMode = await modeOf(target);
  const mode = change.secret ? 0o600 : existingMode ?? 0o644;
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  await writeAtomic(target, change.after, mode);
}

/** The file a symlink points at (so the link survives), or the path itself. */
async function resolveTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return file;
  }
}

async function modeOf(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

export async function writeAtomic(target: string, text: string, mode: number): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.tokaify-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.chmod(temp, mode); // open() applies the umask; the mode we chose is the mode we want
    await renameWithRetry(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Windows can refuse a rename for a moment while an editor or antivirus holds the target. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      if (process.platform !== 'win32' || attempt >= 5 || !(isCode(error, 'EPERM') || isCode(error, 'EBUSY') || isCode(error, 'EACCES'))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}

/** Makes the rename itself durable; not supported everywhere (Windows), so best effort. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // a directory fsync is an extra guarantee, not a requirement
  }
}

async function rollBack(done: readonly FileChange[]): Promise<void> {
  for (const change of [...done].reverse()) {
    try {
      await put({ ...change, after: change.before, before: change.after });
    } catch {
      // the backup folder still has the original; the error reported names the file that failed
    }
  }
}

const stampOf = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

async function backUp(changes: readonly FileChange[], store: BackupStore, now: Date, reason: BackupRecord['reason']): Promise<BackupRecord> {
  const agent = changes[0]!.agent;
  const id = `${stampOf(now)}-${agent}-${randomBytes(2).toString('hex')}`;
  const folder = path.join(store.dir, id);
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  const files: BackupFile[] = [];
  for (const [index, change] of changes.entries()) {
    if (change.before === undefined) {
      files.push({ path: change.path, label: change.label });
      continue;
    }
    const mode = (await modeOf(await resolveTarget(change.path))) ?? 0o600;
    const copy = `${index}-${path.basename(change.path)}`;
    // A backup of a file with a key is as secret as the file.
    await writeAtomic(path.join(folder, copy), change.before, change.secret ? 0o600 : mode);
    files.push({ path: change.path, label: change.label, copy, mode });
  }
  const record: BackupRecord = { id, agent, created: now.toISOString(), reason, files };
  await writeAtomic(path.join(folder, MANIFEST), `${JSON.stringify(record, null, 2)}\n`, 0o600);
  return record;
}

/** Newest first. Folders with a missing or unreadable manifest are skipped. */
export async function listBackups(store: BackupStore, agent?: AgentId): Promise<BackupRecord[]> {
  let names: string[];
  try {
    names = await fs.readdir(store.dir);
  } catch {
    return [];
  }
  const records: BackupRecord[] = [];
  for (const name of names) {
    const text = await readText(path.join(store.dir, name, MANIFEST)).catch(() => undefined);
    if (!text) continue;
    try {
      const record = JSON.parse(text) as BackupRecord;
      if (record.id === name && (!agent || record.agent === agent)) records.push(record);
    } catch {
      // not ours, or damaged: leave it alone
    }
  }
  return records.sort((a, b) => b.created.localeCompare(a.created) || b.id.localeCompare(a.id));
}

/** The changes that put every file of a backup back as it was (undefined `after`: remove). */
export async function restoreChanges(store: BackupStore, record: BackupRecord, secretPaths: ReadonlySet<string> = new Set()): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  for (const file of record.files) {
    const after = file.copy === undefined ? undefined : await readText(path.join(store.dir, record.id, file.copy));
    if (file.copy !== undefined && after === undefined) throw new Error(`The backup ${record.id} lost its copy of ${file.path}.`);
    const mode = file.mode ?? 0o600;
    changes.push({ agent: record.agent, label: file.label, path: file.path, before: await readText(file.path), after, secret: secretPaths.has(file.path) || mode === 0o600 });
  }
  return changes;
}

async function prune(store: BackupStore, agent: AgentId): Promise<void> {
  const records = await listBackups(store, agent);
  for (const old of records.slice(Math.max(1, store.keep))) {
    await fs.rm(path.join(store.dir, old.id), { recursive: true, force: true });
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function describeFsError(error: unknown): string {
  if (isCode(error, 'EACCES') || isCode(error, 'EPERM')) return 'permission denied (is the folder read-only?)';
  if (isCode(error, 'EROFS')) return 'the file system is read-only';
  if (isCode(error, 'ENOSPC')) return 'the disk is full';
  // mkdir answers EEXIST when a part of the path exists as a file.
  if (isCode(error, 'ENOTDIR') || isCode(error, 'EEXIST')) return 'a part of the path is a file, not a folder';
  if (isCode(error, 'EISDIR')) return 'the path is a folder';
  return error instanceof Error ? error.message : String(error);
}
