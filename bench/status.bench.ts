/**
 * Status bar and Verify, measured: requests per hour the status bar makes while the window is focused
 * and while it is not (the real RefreshScheduler on a simulated clock, one request per refresh), how
 * long from the item appearing to a fresh balance for a first-time and a returning user (real
 * Gateways, BalanceStore and scheduler against the simulator), and how long Verify takes beyond the
 * gateway's own latency (collect + rules against the simulator).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccountStore, accountId, type AccountMeta, type SecretStore, type StateStore } from '../src/core/accounts';
import { consoleClientFor } from '../src/core/clients';
import { collectFacts } from '../src/core/diagnosis/collect';
import { diagnose } from '../src/core/diagnosis/rules';
import { HttpClient } from '../src/core/http';
import { quotaDisplayOf } from '../src/core/quota';
import { RefreshScheduler, type Clock } from '../src/core/refreshScheduler';
import { DEMO, startGateway, type RunningGateway } from '../src/simulator';
import { Gateways } from '../src/vscode/gateways';

/** Timers that fire as simulated time is advanced. */
function simulatedClock(): Clock & { run(ms: number): Promise<void> } {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    random: () => 0.5,
    setTimeout: (fn, ms) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      timers = timers.filter((t) => t !== handle);
    },
    async run(ms) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        now = next.at;
        next.fn();
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
      now = end;
    },
  };
}

async function requestsPerHour(focused: boolean, minutes = 5): Promise<number> {
  const clock = simulatedClock();
  let requests = 0;
  const scheduler = new RefreshScheduler(async () => {
    requests++; // one /api/user/self per refresh
    return 'ok';
  }, { intervalMs: minutes * 60_000, clock });
  scheduler.start(0);
  await clock.run(60_000); // the first minute after start-up, focused
  scheduler.setFocused(focused);
  const before = requests;
  await clock.run(60 * 60_000);
  scheduler.dispose();
  return requests - before;
}

async function verifyTime(latencyMs: number): Promise<{ ms: number; requests: number }> {
  const gw = await startGateway({ flavor: 'new-api' });
  const home = mkdtempSync(path.join(os.tmpdir(), 'tokaify-bench-'));
  try {
    gw.faults.latencyMs = latencyMs;
    const started = performance.now();
    const facts = await collectFacts({
      http: new HttpClient({ timeoutMs: 30_000 }), accountId: 'bench', accountKind: 'accessToken', gatewayRoot: gw.url, key: DEMO.key,
      configured: [{ agent: 'codex', model: 'gpt-5.4' }, { agent: 'claude-code', model: 'claude-sonnet-4-5' }, { agent: 'opencode', model: 'gpt-4o' }],
      host: { env: {}, home, platform: process.platform }, terminalEnv: {}, workspaceFolders: [], display: quotaDisplayOf(undefined),
    });
    diagnose(facts);
    return { ms: performance.now() - started, requests: gw.requests.length };
  } finally {
    await gw.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** globalState in memory (JSON round trip, as VS Code stores it). */
class MemoryStore implements StateStore {
  private readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const raw = this.values.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }
}

/** SecretStorage in memory. */
class MemorySecrets implements SecretStore {
  private readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

interface FirstCheck {
  /** From the item appearing to a balance on it (0: shown from the first frame). */
  visibleMs: number;
  /** From the item appearing to a balance read in this session, minus the gateway's latency per round trip. */
  freshMs: number;
  requests: string[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * One start-up of the status bar's data path: new Gateways over the given state, the balance it can show
 * at once, then the scheduler's first check as StatusBar.start() runs it (a 0 ms timer).
 */
async function firstCheck(gw: RunningGateway, state: MemoryStore, accounts: AccountStore, meta: AccountMeta, latencyMs: number): Promise<FirstCheck> {
  const before = gw.requests.length;
  const appeared = performance.now();
  const gateways = new Gateways(accounts, { client: new HttpClient({ timeoutMs: 30_000 }) }, state);
  const shown = gateways.balances.get(meta.id)?.snapshot;
  const visibleAt = shown ? performance.now() : undefined;
  const fresh = new Promise<number>((resolve) => {
    const subscription = gateways.balances.onDidChange(() => {
      const entry = gateways.balances.get(meta.id);
      if (entry?.snapshot && !entry.restored && !entry.checking) {
        subscription.dispose();
        resolve(performance.now());
      }
    });
  });
  const scheduler = new RefreshScheduler(async () => ((await gateways.balances.refresh(meta.id)).error ? 'error' : 'ok'), { intervalMs: 5 * 60_000 });
  scheduler.start(0);
  const freshAt = await fresh;
  scheduler.dispose();
  await new Promise((r) => setTimeout(r, 20)); // the simulator logs a request once it is answered
  const requests = gw.requests.slice(before).map((r) => r.path).sort();
  // Requests sent together cost one round trip; the first check without stored settings sends its two together.
  const roundTrips = 1;
  return { visibleMs: visibleAt === undefined ? freshAt - appeared : visibleAt - appeared, freshMs: freshAt - appeared - roundTrips * latencyMs, requests };
}

/** What the status bar did before: a 1.5 s delay, then /api/status and /api/user/self one after the other. */
async function previousFirstCheck(accounts: AccountStore, meta: AccountMeta, latencyMs: number): Promise<number> {
  const appeared = performance.now();
  await new Promise((r) => setTimeout(r, 1500));
  const client = consoleClientFor(new HttpClient({ timeoutMs: 30_000 }), meta, await accounts.credential(meta.id));
  await client.status();
  await client.self();
  return performance.now() - appeared - 2 * latencyMs;
}

/** The section "time from the item appearing to a fresh balance, gateway latency subtracted" (median of `runs`). */
export async function benchFirstBalance(latencyMs = 200, runs = 5): Promise<Record<string, string | number>> {
  const gw = await startGateway({ flavor: 'new-api' });
  try {
    gw.faults.latencyMs = latencyMs;
    const first: FirstCheck[] = [];
    const returning: FirstCheck[] = [];
    const previous: number[] = [];
    for (let i = 0; i < runs; i++) {
      const state = new MemoryStore();
      const accounts = new AccountStore(state, new MemorySecrets());
      const meta: AccountMeta = { id: accountId(gw.url, `user:${DEMO.userId}`), baseUrl: gw.url, authKind: 'accessToken', flavor: 'new-api', userId: DEMO.userId, addedAt: 1 };
      await accounts.save(meta, { kind: 'accessToken', accessToken: DEMO.accessToken });
      first.push(await firstCheck(gw, state, accounts, meta, latencyMs)); // a first-time user just signed in: nothing stored
      returning.push(await firstCheck(gw, state, accounts, meta, latencyMs)); // the next session over the same globalState
      if (i === 0) previous.push(await previousFirstCheck(accounts, meta, latencyMs));
    }
    const ms = (xs: number[]) => Number(median(xs).toFixed(1));
    return {
      'first-time user (no stored display) ms': ms(first.map((r) => r.freshMs)),
      'returning user ms': ms(returning.map((r) => r.freshMs)),
      'before this change (1.5 s, 2 in a row) ms': ms(previous),
      'returning user: stored balance shown ms': ms(returning.map((r) => r.visibleMs)),
      'requests, first-time user': `${first[0]!.requests.length} (${first[0]!.requests.join(', ')})`,
      'requests, returning user': `${returning[0]!.requests.length} (${returning[0]!.requests.join(', ')})`,
      'gateway latency (simulated) ms': latencyMs,
    };
  } finally {
    await gw.close();
  }
}

export async function benchStatus(): Promise<Record<string, string | number>> {
  const latency = 200;
  const [fast, slow] = [await verifyTime(0), await verifyTime(latency)];
  // Verify's requests go out in two rounds (status + models together, then the agents' probes).
  const rounds = 2;
  return {
    'status bar requests/hour, focused': await requestsPerHour(true),
    'status bar requests/hour, unfocused': await requestsPerHour(false),
    'verify requests (3 agents configured)': slow.requests,
    'verify ms, gateway latency 0': Math.round(fast.ms),
    [`verify ms, gateway latency ${latency}`]: Math.round(slow.ms),
    'verify ms beyond the latency': Math.round(slow.ms - rounds * latency),
  };
}
