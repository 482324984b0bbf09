/**
 * Which agent uses which token, read from the agents' own files (so keys placed by hand or by another
 * tool count) and matched by keyed hash against the keys Tokaify already holds: revealed keys and
 * key-only sign-ins in SecretStorage, and the lists of gateways that list full keys. Nothing is revealed
 * for this: a key new-api lists masked and that was never revealed matches "probably", by the mask the
 * console shows (first and last four characters). The scan runs when the tree first shows tokens and
 * again when a watched agent file, an account or a token list changes; never during activation.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { AccountMeta, AccountStore } from '../../core/accounts';
import { normalizeBaseUrl } from '../../core/baseUrl';
import { FINGERPRINT_SECRET_BYTES, KeyFingerprinter } from '../../core/agents/keyFingerprint';
import { AgentKeyScanner, type KeyScan, type KeySighting } from '../../core/agents/keyScan';
import type { AgentId } from '../../core/agents/types';
import { errorMessage } from '../../core/errors';
import type { Gateways } from '../gateways';
import { hostEnvironment } from '../hostEnvironment';
import type { Log } from '../log';

/** One agent that sends a token's key, as its files say. */
export interface AgentKeyUse {
  agent: AgentId;
  /** false: matched only by the gateway's mask (the token's key was never revealed here). */
  exact: boolean;
  /** The files that hold the key. */
  files: string[];
  /** The model the agent's files select, when they name one. */
  model?: string;
}

/** An agent that sends a key to a signed-in gateway that matches none of its known tokens. */
export interface UnknownKeyUse {
  agent: AgentId;
  /** `sk-…abcd`. */
  masked: string;
  files: string[];
}

/** The fingerprint secret's name in SecretStorage: without it, fingerprints are useless to a reader. */
const FINGERPRINT_SECRET = 'tokaify.keyFingerprintSecret';
/** A key-only account's own key, in place of a token id. */
export const ACCOUNT_KEY = 'account';
const REFRESH_DEBOUNCE_MS = 300;

interface Index {
  scan: KeyScan;
  /** `${accountId}:${tokenId | ACCOUNT_KEY}` → the agents that send its key. */
  uses: Map<string, AgentKeyUse[]>;
  unknown: Map<string, UnknownKeyUse[]>;
}

export class KeyUsageIndex implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a scan whose outcome differs from the one before. */
  readonly onDidChange = this.changed.event;
  private scanner?: Promise<{ scanner: AgentKeyScanner; fingerprinter: KeyFingerprinter }>;
  private index?: Index;
  private running?: Promise<void>;
  private again = false;
  private timer?: ReturnType<typeof setTimeout>;
  private watchers: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly accounts: AccountStore,
    private readonly gateways: Gateways,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      { dispose: accounts.onDidChange(() => this.schedule()).dispose },
      gateways.onDidChangeTokens(() => this.schedule()),
      secrets.onDidChange((e) => e.key.startsWith('tokaify.account.') && this.schedule()),
    ];
  }

  /** Whether a scan has finished (before that, every question below answers "none"). */
  get ready(): boolean {
    return this.index !== undefined;
  }

  /** The agents that send this token's key (`tokenId` undefined: a key-only account's own key). */
  usesOf(accountId: string, tokenId: number | undefined): AgentKeyUse[] {
    return this.index?.uses.get(`${accountId}:${tokenId ?? ACCOUNT_KEY}`) ?? [];
  }

  /** Agents sending a key to this account's gateway that is none of its known tokens. */
  unknownFor(accountId: string): UnknownKeyUse[] {
    return this.index?.unknown.get(accountId) ?? [];
  }

  /** The last scan's files that could not be read, with line and column. */
  unreadable(): KeyScan['unreadable'] {
    return this.index?.scan.unreadable ?? [];
  }

  /** A scan soon (coalesced), for the changes the index listens to. */
  schedule(): void {
    if (!this.index && !this.running) return; // nobody has asked yet: stay off the startup path
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  /** Scans now; a scan already running is followed by one more, so the answer is never older than the call. */
  refresh(): Promise<void> {
    clearTimeout(this.timer);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.scanOnce();
        } catch (error) {
          this.log.warn(`Scanning the agents' files: ${errorMessage(error)}`);
        }
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The first scan, if none has run: for the tree, which shows the rows at once and again when it lands. */
  ensure(): void {
    if (!this.index && !this.running) void this.refresh();
  }

  /** The fingerprint of a key under this installation's secret (for flows that hold a key, like Rotate). */
  async fingerprint(key: string): Promise<string> {
    return (await this.parts()).fingerprinter.fingerprint(key);
  }

  /** The agents whose files hold exactly this key, scanned now. */
  async agentsHolding(key: string): Promise<AgentKeyUse[]> {
    await this.refresh();
    const fingerprint = await this.fingerprint(key);
    return usesFrom(this.index?.scan.sightings.filter((s) => s.source.kind === 'literal' && s.source.fingerprint === fingerprint) ?? [], true);
  }

  private async scanOnce(): Promise<void> {
    const { scanner, fingerprinter } = await this.parts();
    const scan = await scanner.scan();
    const known = await this.knownKeys(fingerprinter);
    const next = match(scan, known, this.accounts.list(), (meta) => this.gateways.tokens(meta).state.tokens);
    const changed = JSON.stringify(summary(next)) !== JSON.stringify(this.index && summary(this.index));
    this.index = next;
    this.watch(scanner.watchPaths());
    if (changed) this.changed.fire();
  }

  /** fingerprint → whose key it is: revealed keys, key-only sign-ins, and keys that gateways list in full. */
  private async knownKeys(fingerprinter: KeyFingerprinter): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    for (const meta of this.accounts.list()) {
      if (meta.authKind === 'key') {
        const key = await this.accounts.apiKey(meta.id).catch(() => undefined);
        if (key) known.set(fingerprinter.fingerprint(key), `${meta.id}:${ACCOUNT_KEY}`);
        continue;
      }
      for (const token of this.gateways.tokens(meta).state.tokens) {
        if (!token.keyMasked && token.key) known.set(fingerprinter.fingerprint(token.key), `${meta.id}:${token.id}`);
      }
      for (const name of this.accounts.accountSecretNames(meta.id)) {
        const tokenId = /^key\.(\d+)$/.exec(name)?.[1];
        const key = tokenId && (await this.accounts.accountSecret(meta.id, name));
        if (key) known.set(fingerprinter.fingerprint(key), `${meta.id}:${tokenId}`);
      }
    }
    return known;
  }

  /** The scanner, with the fingerprint secret from SecretStorage (made on first use, kept across sessions). */
  private parts(): Promise<{ scanner: AgentKeyScanner; fingerprinter: KeyFingerprinter }> {
    this.scanner ??= (async () => {
      const stored = await this.secrets.get(FINGERPRINT_SECRET);
      let secret: Uint8Array | undefined = stored ? Buffer.from(stored, 'base64') : undefined;
      if (secret?.length !== FINGERPRINT_SECRET_BYTES) {
        const fresh = KeyFingerprinter.newSecret();
        await this.secrets.store(FINGERPRINT_SECRET, fresh.toString('base64'));
        secret = fresh;
      }
      const fingerprinter = new KeyFingerprinter(secret);
      return { scanner: new AgentKeyScanner(hostEnvironment(), fingerprinter), fingerprinter };
    })();
    return this.scanner;
  }

  /** A watcher per agent file (also for files that do not exist yet), so an edit by hand shows at once. */
  private watch(files: string[]): void {
    if (this.watchers.length) return;
    for (const file of [...new Set(files)]) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
      const rescan = () => this.schedule();
      this.watchers.push(watcher, watcher.onDidChange(rescan), watcher.onDidCreate(rescan), watcher.onDidDelete(rescan));
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of [...this.subscriptions, ...this.watchers]) d.dispose();
    this.changed.dispose();
  }
}

/** The matching, apart from VS Code: sightings against known fingerprints, then against masked tokens. */
export function match(
  scan: KeyScan,
  known: ReadonlyMap<string, string>,
  accounts: readonly AccountMeta[],
  tokensOf: (meta: AccountMeta) => readonly { id: number; key: string; keyMasked: boolean }[],
): Index {
  const exact = new Map<string, KeySighting[]>();
  const probable = new Map<string, KeySighting[]>();
  const unknown = new Map<string, KeySighting[]>();
  const add = (map: Map<string, KeySighting[]>, key: string, s: KeySighting) => map.set(key, [...(map.get(key) ?? []), s]);
  for (const s of scan.sightings) {
    if (s.source.kind !== 'literal') continue;
    const owner = known.get(s.source.fingerprint);
    if (owner) {
      add(exact, owner, s);
      continue;
    }
    const mask = s.source.gatewayMask;
    const candidates = mask ? accounts.filter((m) => m.authKind !== 'key').flatMap((meta) => tokensOf(meta)
      .filter((t) => t.keyMasked && t.key.startsWith(mask.head) && t.key.endsWith(mask.tail))
      .map((t) => `${meta.id}:${t.id}`)) : [];
    if (candidates.length === 1) {
      add(probable, candidates[0]!, s);
      continue;
    }
    if (!s.active) continue;
    const gateway = accounts.find((meta) => sameGateway(s.baseUrl, meta.baseUrl));
    if (gateway) add(unknown, gateway.id, s);
  }
  const uses = new Map<string, AgentKeyUse[]>();
  for (const [owner, list] of exact) uses.set(owner, usesFrom(list, true));
  for (const [owner, list] of probable) {
    const sure = uses.get(owner) ?? [];
    uses.set(owner, [...sure, ...usesFrom(list, false).filter((u) => !sure.some((x) => x.agent === u.agent))]);
  }
  const unknownUses = new Map<string, UnknownKeyUse[]>();
  for (const [accountId, list] of unknown) {
    unknownUses.set(accountId, [...new Set(list.map((s) => s.agent))].map((agent) => {
      const mine = list.filter((s) => s.agent === agent);
      return { agent, masked: mine[0]!.source.kind === 'literal' ? mine[0]!.source.masked : 'sk-…', files: [...new Set(mine.map((s) => s.file))] };
    }));
  }
  return { scan, uses, unknown: unknownUses };
}

/** One entry per agent: the files that hold the key, and the model its files select. */
function usesFrom(sightings: readonly KeySighting[], exact: boolean): AgentKeyUse[] {
  const agents = [...new Set(sightings.map((s) => s.agent))];
  return agents.map((agent) => {
    const mine = sightings.filter((s) => s.agent === agent);
    const model = mine.find((s) => s.model)?.model;
    return { agent, exact, files: [...new Set(mine.map((s) => s.file))], ...(model ? { model } : {}) };
  });
}

/** Whether a base URL from an agent file (`…/v1` or the root) names this gateway. */
export function sameGateway(fromFile: string | undefined, gatewayRoot: string): boolean {
  if (!fromFile) return false;
  const normalized = normalizeBaseUrl(fromFile);
  return normalized.ok && normalized.value.baseUrl.toLowerCase() === gatewayRoot.toLowerCase();
}

function summary(index: Index): unknown {
  return [[...index.uses].sort(), [...index.unknown].sort(), index.scan.unreadable];
}
