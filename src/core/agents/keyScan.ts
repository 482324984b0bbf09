/**
 * Which key each agent's files hold, and which of them the agent sends now. Cheap enough to run on
 * every tree refresh: a file is stat'ed, and re-read only when its (mtime, size, inode) changed since
 * the last scan. A broken file is reported (with line and column), never thrown.
 *
 * Nothing here keeps a key: the cache and the result hold fingerprints (KeyFingerprinter) and masks.
 */
import { promises as fs } from 'node:fs';
import { ConfigShapeError, ConfigSyntaxError, type AgentId } from './types';
import { agentKeyFiles, type KeyFile } from './keyFiles';
import { readKeyFacts, type FileFacts, type KeySource } from './keyFacts';
import type { KeyFingerprinter } from './keyFingerprint';
import type { HostEnvironment } from './paths';

export type { KeySource } from './keyFacts';

/** One key (or pointer to a key) found in an agent file. */
export interface KeySighting {
  agent: AgentId;
  /** The file's path. */
  file: string;
  /** The file for people: "Claude Code settings.json". */
  label: string;
  /** Where in the file: `env.ANTHROPIC_AUTH_TOKEN`, `model_providers.tokaify.experimental_bearer_token`, `tokaify.key`… */
  locator: string;
  /** The Codex/OpenCode provider id the key belongs to (absent for Claude Code). */
  provider?: string;
  source: KeySource;
  /** The address this key goes to, as the files say (the provider's base URL, ANTHROPIC_BASE_URL). */
  baseUrl?: string;
  /** The model the agent's files select (for a test request in its shape), when they name one. */
  model?: string;
  /** The agent sends this key now (its selected provider, first in its order); false: only present. */
  active: boolean;
}

export interface UnreadableFile {
  agent: AgentId;
  file: string;
  label: string;
  /** 1-based, when the file does not parse. */
  line?: number;
  column?: number;
  /** The whole explanation, in the user's language. */
  message: string;
}

export interface KeyScan {
  sightings: KeySighting[];
  unreadable: UnreadableFile[];
}

/** The file system as the scanner sees it (a test seam: count the reads). */
export interface ScanFs {
  /** undefined when the file does not exist. */
  stat(file: string): Promise<{ mtimeMs: number; size: number; ino: number } | undefined>;
  readFile(file: string): Promise<string>;
}

export const nodeScanFs: ScanFs = {
  async stat(file) {
    try {
      const s = await fs.stat(file);
      return s.isFile() ? { mtimeMs: s.mtimeMs, size: s.size, ino: s.ino } : undefined;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
  },
  readFile: (file) => fs.readFile(file, 'utf8'),
};

type Outcome = { facts: FileFacts } | { unreadable: UnreadableFile };

export class AgentKeyScanner {
  private readonly cache = new Map<string, { stamp: string; outcome: Outcome }>();

  constructor(
    private readonly host: HostEnvironment,
    private readonly fingerprinter: KeyFingerprinter,
    private readonly fs: ScanFs = nodeScanFs,
  ) {}

  /** The files a watcher should follow (some may not exist yet): a change to any of them calls for a new scan. */
  watchPaths(): string[] {
    return agentKeyFiles(this.host).map((file) => file.path);
  }

  async scan(): Promise<KeyScan> {
    const read = await Promise.all(agentKeyFiles(this.host).map(async (file) => ({ file, outcome: await this.read(file) })));
    const unreadable = read.flatMap((r) => (r.outcome && 'unreadable' in r.outcome ? [r.outcome.unreadable] : []));
    const present = read.flatMap((r) => (r.outcome ? [{ file: r.file, outcome: r.outcome }] : []));
    return { sightings: assemble(present), unreadable };
  }

  /** undefined: the file does not exist. */
  private async read(file: KeyFile): Promise<Outcome | undefined> {
    let stamp: string;
    try {
      const stat = await this.fs.stat(file.path);
      if (!stat) {
        this.cache.delete(file.path);
        return undefined;
      }
      stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch (error) {
      return { unreadable: unreadable(file, error) };
    }
    const cached = this.cache.get(file.path);
    if (cached?.stamp === stamp) return cached.outcome;
    let text: string;
    try {
      text = await this.fs.readFile(file.path);
    } catch (error) {
      // Not cached: a permission fixed later does not change the stamp.
      return { unreadable: unreadable(file, error) };
    }
    let outcome: Outcome;
    try {
      outcome = { facts: readKeyFacts(file, text, this.fingerprinter) };
    } catch (error) {
      outcome = { unreadable: unreadable(file, error) };
    }
    this.cache.set(file.path, { stamp, outcome });
    return outcome;
  }
}

/** The sightings of one key (by fingerprint): which agents' files hold it, and whether they send it. */
export function sightingsOf(scan: KeyScan, fingerprint: string): KeySighting[] {
  return scan.sightings.filter((s) => s.source.kind === 'literal' && s.source.fingerprint === fingerprint);
}

function unreadable(file: KeyFile, error: unknown): UnreadableFile {
  const base = { agent: file.agent, file: file.path, label: file.label };
  if (error instanceof ConfigSyntaxError) return { ...base, line: error.line, column: error.column, message: error.message };
  if (error instanceof ConfigShapeError) return { ...base, message: error.message };
  return { ...base, message: `${file.path}: ${error instanceof Error ? error.message : String(error)}` };
}

interface Read {
  file: KeyFile;
  outcome: Outcome;
}

/** Sightings of every file, with `active` decided across the files of each agent. */
function assemble(read: readonly Read[]): KeySighting[] {
  // The model an agent uses is in one of its files (config.toml, settings.json, opencode.json; a later OpenCode config wins).
  const models = new Map<AgentId, string>();
  for (const r of read) {
    const model = factsOf(r)?.model;
    if (model) models.set(r.file.agent, model);
  }
  return withModels(models, [...codexSightings(read.filter((r) => r.file.agent === 'codex')), ...claudeSightings(read.filter((r) => r.file.agent === 'claude-code')), ...openCodeSightings(read.filter((r) => r.file.agent === 'opencode'))]);
}

function withModels(models: ReadonlyMap<AgentId, string>, all: KeySighting[]): KeySighting[] {
  return all.map((s) => (models.has(s.agent) ? { ...s, model: models.get(s.agent)! } : s));
}

const factsOf = (r: Read | undefined): FileFacts | undefined => (r && 'facts' in r.outcome ? r.outcome.facts : undefined);

/** Every key of a file as a sighting; `decide` gives its base URL and whether it is sent. */
function sightings(r: Read, decide: (provider: string, index: number) => { active: boolean; baseUrl?: string }): KeySighting[] {
  const facts = factsOf(r);
  if (!facts) return [];
  return Object.entries(facts.providers).flatMap(([provider, p]) => p.keys.map((site, index): KeySighting => {
    const { active, baseUrl } = decide(provider, index);
    return {
      agent: r.file.agent, file: r.file.path, label: r.file.label, locator: site.locator, source: site.source, active,
      ...(provider ? { provider } : {}), ...(baseUrl ? { baseUrl } : {}),
    };
  }));
}

/**
 * Codex sends, for the provider `model_provider` selects: its env_key, else its bearer token, else
 * auth.json's OPENAI_API_KEY when auth.json is in API-key mode. A config.toml that does not parse stops
 * Codex, so then nothing is sent.
 */
function codexSightings(read: readonly Read[]): KeySighting[] {
  const configRead = read.find((r) => r.file.kind === 'codex-config');
  const config = factsOf(configRead);
  const selected = configRead && !config ? undefined : config?.selects ?? 'openai';
  const provider = selected === undefined ? undefined : config?.providers[selected];
  const out = configRead ? sightings(configRead, (id, index) => ({ active: id === selected && index === 0, baseUrl: config?.providers[id]?.baseUrl })) : [];
  const authRead = read.find((r) => r.file.kind === 'codex-auth');
  if (authRead) {
    const authSent = selected !== undefined && !provider?.keys.length && factsOf(authRead)?.codexAuthMode === 'apikey';
    out.push(...sightings(authRead, () => (authSent ? { active: true, baseUrl: provider?.baseUrl } : { active: false })));
  }
  return out;
}

/** Claude Code sends every key variable its settings set, to ANTHROPIC_BASE_URL. */
function claudeSightings(read: readonly Read[]): KeySighting[] {
  return read.flatMap((r) => sightings(r, () => ({ active: true, baseUrl: factsOf(r)?.providers['']?.baseUrl })));
}

/**
 * OpenCode merges its config files (a later one wins) and stops when one does not parse. For the
 * provider `model` selects, an `options.apiKey` wins over the auth.json entry; among config files, the
 * last one that sets it.
 */
function openCodeSightings(read: readonly Read[]): KeySighting[] {
  const configs = read.filter((r) => r.file.kind === 'opencode-config');
  const broken = configs.some((r) => !factsOf(r));
  let selected: string | undefined;
  const baseUrls = new Map<string, string>();
  const keyOwner = new Map<string, Read>();
  for (const r of configs) {
    const facts = factsOf(r);
    if (!facts) continue;
    if (facts.selects) selected = facts.selects;
    for (const [id, p] of Object.entries(facts.providers)) {
      if (p.baseUrl) baseUrls.set(id, p.baseUrl);
      if (p.keys.length) keyOwner.set(id, r);
    }
  }
  const sends = (id: string) => !broken && id === selected;
  const out = configs.flatMap((r) => sightings(r, (id) => ({ active: sends(id) && keyOwner.get(id) === r, baseUrl: baseUrls.get(id) })));
  for (const r of read.filter((x) => x.file.kind === 'opencode-auth')) {
    const facts = factsOf(r);
    out.push(...sightings(r, (id) => ({ active: sends(id) && !keyOwner.has(id), baseUrl: facts?.providers[id]?.baseUrl ?? baseUrls.get(id) })));
  }
  return out;
}
