/**
 * Status bar and Verify, measured: requests per hour the status bar makes while the window is focused
 * and while it is not (the real RefreshScheduler on a simulated clock, one request per refresh), and
 * how long Verify takes beyond the gateway's own latency (collect + rules against the simulator).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectFacts } from '../src/core/diagnosis/collect';
import { diagnose } from '../src/core/diagnosis/rules';
import { HttpClient } from '../src/core/http';
import { quotaDisplayOf } from '../src/core/quota';
import { RefreshScheduler, type Clock } from '../src/core/refreshScheduler';
import { DEMO, startGateway } from '../src/simulator';

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
  scheduler.start(1500);
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
