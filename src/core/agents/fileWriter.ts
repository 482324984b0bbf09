/**
 * Writes planned config files the careful way: every file re-read and compared with what was
 * previewed (agents rewrite their own files), one backup folder per change, then per file a temp file
 * in the same directory, fsync, rename. If a later file fails, the earlier ones are put back. Files that
 * hold a key get mode 0600; others keep their mode. Symlinks are followed so the link stays a link.
 * The temp file's mode is set on its descriptor and the file is checked to be ours before the rename:
 * in a folder another user can write, that user could otherwise swap it for a symlink in between.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, type BigIntStats } from 'node:fs';
import path from 'node:path';
import * as l10n from '@vscode/l10n';
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
  /** The agent the file belongs to; absent in records written before rotation (then the record's `agent`). */
  agent?: AgentId;
  /** Absent when the file did not exist before the change (restoring removes it). */
  copy?: string;
  mode?: number;
}

export interface BackupRecord {
  id: string;
  /** The first file's agent (older records cover one agent only); `recordAgents()` gives them all. */
  agent: AgentId;
  /** Every agent whose files the backup holds, when it covers more than one (a rotation). */
  agents?: AgentId[];
  created: string;
  reason: 'configure' | 'restore' | 'rotate';
  files: BackupFile[];
}

/** The agents a backup covers, for old single-agent records too. */
export function recordAgents(record: BackupRecord): AgentId[] {
  return record.agents ?? [record.agent];
}

/** The file changed on disk after the preview was made: preview again rather than overwrite. */
export class FileChangedError extends Error {
  constructor(readonly file: string) {
    super(l10n.t('{0} changed on disk after the preview (its tool may have rewritten it). Nothing was written; preview again.', file));
    this.name = 'FileChangedError';
  }
}

/**
 * Test seam: called at fixed moments of every write so a test can play another user swapping the temp
 * file, or a full disk. Production code passes none.
 */
export interface WriteHooks {
  /** The temp file is open and empty; a throw here fails the write like a failed write(2). */
  afterOpen?: (temp: string) => Promise<void>;
  /** The temp file is written, synced and closed; the rename comes next. */
  beforeRename?: (temp: string) => Promise<void>;
}

/** The temp file is no longer the file we created: someone else can write to the folder. */
export class TempFileReplacedError extends Error {
  constructor(readonly temp: string) {
    super(l10n.t('the temporary file {0} was replaced by something else (can another user write to this folder?); nothing was written', temp));
    this.name = 'TempFileReplacedError';
  }
}

/** The backup could not be made, so nothing was changed (and no partial backup was kept). */
export class BackupError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(l10n.t('Could not back up {0} before changing it: {1}. Nothing was changed.', file, describeFsError(cause)));
    this.name = 'BackupError';
  }
}

export class WriteError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(l10n.t('Could not write {0}: {1}. No file was left half-written; any written before it were put back.', file, describeFsError(cause)));
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

/**
 * Applies the changes as one unit, which may span agents. Returns the backup made (undefined when
 * nothing changed). `reason` labels the backup; by default a change that removes a file is a restore.
 */
export async function applyChanges(
  changes: readonly FileChange[], store: BackupStore, now = new Date(), hooks: WriteHooks = {}, reason?: BackupRecord['reason'],
): Promise<BackupRecord | undefined> {
  const real = changes.filter((c) => c.before !== c.after);
  if (!real.length) return undefined;
  for (const change of real) await assertUnchanged(change);
  const record = await backUp(real, store, now, reason ?? (real.some((c) => c.after === undefined) ? 'restore' : 'configure'), hooks);
  const done: FileChange[] = [];
  for (const change of real) {
    try {
      await assertUnchanged(change);
      await put(change, hooks);
      done.push(change);
    } catch (error) {
      await rollBack(done, hooks);
      if (error instanceof FileChangedError) throw error;
      throw new WriteError(change.path, error);
    }
  }
  await prune(store, recordAgents(record));
  return record;
}

async function assertUnchanged(change: FileChange): Promise<void> {
  if ((await readText(change.path)) !== change.before) throw new FileChangedError(change.path);
}

async function put(change: FileChange, hooks: WriteHooks): Promise<void> {
  const target = await resolveTarget(change.path);
  if (change.after === undefined) {
    await fs.rm(target, { force: true });
    return;
  }
  const existingMode = await modeOf(target);
  const mode = change.secret ? 0o600 : existingMode ?? 0o644;
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  await writeAtomic(target, change.after, mode, hooks);
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

export async function writeAtomic(target: string, text: string, mode: number, hooks: WriteHooks = {}): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.tokaify-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    // 'wx' never follows a symlink already at `temp`: it fails instead.
    const handle = await fs.open(temp, 'wx', mode);
    let created: BigIntStats;
    try {
      await hooks.afterOpen?.(temp);
      await handle.writeFile(text, 'utf8');
      // open() applies the umask; set the mode we chose on the descriptor, never by path (a path can be swapped).
      await handle.chmod(mode);
      await handle.sync();
      created = await handle.stat({ bigint: true });
    } finally {
      await handle.close();
    }
    await hooks.beforeRename?.(temp);
    await assertStillOurs(temp, created);
    await renameWithRetry(temp, target);
  } catch (error) {
    // rm removes a symlink itself, never what it points at; a folder put there is left alone.
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/**
 * The temp path must still name the regular file we wrote (same device and inode), not a symlink or a
 * copy put there since. A swap after this check and before the rename only moves that thing into place:
 * no file's mode or content is changed through it.
 */
async function assertStillOurs(temp: string, created: BigIntStats): Promise<void> {
  const now = await fs.lstat(temp, { bigint: true }).catch(() => undefined);
  if (!now || !now.isFile() || now.dev !== created.dev || now.ino !== created.ino) throw new TempFileReplacedError(temp);
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

async function rollBack(done: readonly FileChange[], hooks: WriteHooks): Promise<void> {
  for (const change of [...done].reverse()) {
    try {
      await put({ ...change, after: change.before, before: change.after }, hooks);
    } catch {
      // the backup folder still has the original; the error reported names the file that failed
    }
  }
}

const stampOf = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

async function backUp(changes: readonly FileChange[], store: BackupStore, now: Date, reason: BackupRecord['reason'], hooks: WriteHooks): Promise<BackupRecord> {
  const agent = changes[0]!.agent;
  const agents = [...new Set(changes.map((c) => c.agent))];
  const id = `${stampOf(now)}-${agents.length > 1 ? 'agents' : agent}-${randomBytes(2).toString('hex')}`;
  const folder = path.join(store.dir, id);
  // Which file the failure is about; the manifest stands for all of them.
  let current = changes[0]!.path;
  let made = false;
  try {
    made = (await fs.mkdir(folder, { recursive: true, mode: 0o700 })) !== undefined;
    const files: BackupFile[] = [];
    for (const [index, change] of changes.entries()) {
      current = change.path;
      if (change.before === undefined) {
        files.push({ path: change.path, label: change.label, agent: change.agent });
        continue;
      }
      const mode = (await modeOf(await resolveTarget(change.path))) ?? 0o600;
      const copy = `${index}-${path.basename(change.path)}`;
      // A backup of a file with a key is as secret as the file.
      await writeAtomic(path.join(folder, copy), change.before, change.secret ? 0o600 : mode, hooks);
      files.push({ path: change.path, label: change.label, agent: change.agent, copy, mode });
    }
    current = changes.map((c) => c.path).join(', ');
    const record: BackupRecord = { id, agent, ...(agents.length > 1 ? { agents } : {}), created: now.toISOString(), reason, files };
    await writeAtomic(path.join(folder, MANIFEST), `${JSON.stringify(record, null, 2)}\n`, 0o600, hooks);
    return record;
  } catch (error) {
    // A half-made backup folder (no manifest) would only take space; only one we made is removed.
    if (made) await fs.rm(folder, { recursive: true, force: true }).catch(() => undefined);
    throw new BackupError(current, error);
  }
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
      if (record.id === name && (!agent || recordAgents(record).includes(agent))) records.push(record);
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
    if (file.copy !== undefined && after === undefined) throw new Error(l10n.t('The backup {0} lost its copy of {1}.', record.id, file.path));
    const mode = file.mode ?? 0o600;
    changes.push({ agent: file.agent ?? record.agent, label: file.label, path: file.path, before: await readText(file.path), after, secret: secretPaths.has(file.path) || mode === 0o600 });
  }
  return changes;
}

/**
 * Keeps the newest `keep` backups of each agent. A backup covering several agents goes only when it is
 * past `keep` for every one of them (the only backup of one agent's files is never lost to another's).
 */
async function prune(store: BackupStore, agents: readonly AgentId[]): Promise<void> {
  const all = await listBackups(store);
  const keep = Math.max(1, store.keep);
  const kept = new Set<string>();
  const candidates = new Map<string, BackupRecord>();
  for (const agent of new Set(all.flatMap(recordAgents))) {
    const mine = all.filter((r) => recordAgents(r).includes(agent));
    for (const r of mine.slice(0, keep)) kept.add(r.id);
    if (agents.includes(agent)) for (const r of mine.slice(keep)) candidates.set(r.id, r);
  }
  for (const old of candidates.values()) {
    if (!kept.has(old.id)) await fs.rm(path.join(store.dir, old.id), { recursive: true, force: true });
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function describeFsError(error: unknown): string {
  if (isCode(error, 'EACCES') || isCode(error, 'EPERM')) return l10n.t('permission denied (is the folder read-only?)');
  if (isCode(error, 'EROFS')) return l10n.t('the file system is read-only');
  if (isCode(error, 'ENOSPC')) return l10n.t('the disk is full');
  // mkdir answers EEXIST when a part of the path exists as a file.
  if (isCode(error, 'ENOTDIR') || isCode(error, 'EEXIST')) return l10n.t('a part of the path is a file, not a folder');
  if (isCode(error, 'EISDIR')) return l10n.t('the path is a folder');
  return error instanceof Error ? error.message : String(error);
}
