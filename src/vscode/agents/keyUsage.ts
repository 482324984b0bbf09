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
import type { AccountStore } from '../../core/accounts';
import { accountSecretPrefix, tokenIdOfKeySecret } from '../../core/accountKeys';
import { FINGERPRINT_SECRET_BYTES, KeyFingerprinter } from '../../core/agents/keyFingerprint';
import { AgentKeyScanner, type KeyScan } from '../../core/agents/keyScan';
import { ACCOUNT_KEY, matchKeyUses, usesFrom, type AgentKeyUse, type KeyUseIndex, type UnknownKeyUse } from '../../core/agents/keyMatch';

export type { AgentKeyUse, UnknownKeyUse } from '../../core/agents/keyMatch';
import { AGENT_LABELS } from '../../core/agents/types';
import type { AgentTokenAlert } from '../../core/statusView';
import { alertText, tokenAlert } from '../../core/tokenAlert';
import { errorMessage } from '../../core/errors';
import type { Gateways } from '../gateways';
import { hostEnvironment } from '../hostEnvironment';
import type { Log } from '../log';

/** The fingerprint secret's name in SecretStorage: without it, fingerprints are useless to a reader. */
const FINGERPRINT_SECRET = 'tokaify.keyFingerprintSecret';
const REFRESH_DEBOUNCE_MS = 300;

export class KeyUsageIndex implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a scan whose outcome differs from the one before. */
  readonly onDidChange = this.changed.event;
  private scanner?: Promise<{ scanner: AgentKeyScanner; fingerprinter: KeyFingerprinter }>;
  private index?: KeyUseIndex;
  private running?: Promise<void>;
  private again = false;
  private timer?: ReturnType<typeof setTimeout>;
  private watchers: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[];
  /**
   * Fingerprints of revealed keys by their SecretStorage name, so a rescan (every token-list change) does not
   * read every secret again (in a remote window each read is a round trip); dropped when the secret changes.
   */
  private readonly storedFingerprints = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly accounts: AccountStore,
    private readonly gateways: Gateways,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      { dispose: accounts.onDidChange(() => this.schedule()).dispose },
      gateways.onDidChangeTokens(() => this.schedule()),
      secrets.onDidChange((e) => {
        if (!e.key.startsWith('tokaify.account.')) return;
        this.storedFingerprints.delete(e.key);
        this.schedule();
      }),
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
    const next = matchKeyUses(scan, known, this.accounts.list(), (meta) => this.gateways.tokens(meta).state.tokens);
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
        const tokenId = tokenIdOfKeySecret(name);
        if (tokenId === undefined) continue;
        const secretKey = `${accountSecretPrefix(meta.id)}${name}`;
        let fingerprint = this.storedFingerprints.get(secretKey);
        if (!fingerprint) {
          fingerprint = this.accounts.accountSecret(meta.id, name).then((key) => (key ? fingerprinter.fingerprint(key) : undefined), () => undefined);
          this.storedFingerprints.set(secretKey, fingerprint);
        }
        const value = await fingerprint;
        if (value) known.set(value, `${meta.id}:${tokenId}`);
        else this.storedFingerprints.delete(secretKey); // asked again next time
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

/** For the status bar: every loaded token that an agent uses and that tokenAlert() flags. */
export function agentTokenAlerts(accounts: AccountStore, gateways: Gateways, index: KeyUsageIndex, nowMs = Date.now()): AgentTokenAlert[] {
  const alerts: AgentTokenAlert[] = [];
  for (const meta of accounts.list()) {
    if (meta.authKind === 'key') continue;
    for (const token of gateways.tokens(meta).state.tokens) {
      const uses = index.usesOf(meta.id, token.id);
      const alert = uses.length ? tokenAlert(token, nowMs) : undefined;
      if (alert) alerts.push({ agents: uses.map((u) => AGENT_LABELS[u.agent]).join(', '), token: token.name, what: alertText(alert), ref: { accountId: meta.id, tokenId: token.id } });
    }
  }
  return alerts;
}

function summary(index: KeyUseIndex): unknown {
  return [[...index.uses].sort(), [...index.unknown].sort(), index.scan.unreadable];
}
