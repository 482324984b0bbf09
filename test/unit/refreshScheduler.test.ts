import assert from 'node:assert/strict';
import { RefreshScheduler, type Clock, type RefreshOutcome } from '../../src/core/refreshScheduler';

/** A clock whose timers fire only when the test advances time. */
class FakeClock implements Clock {
  private time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now = () => this.time;
  random = () => 0.5;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  /** Moves time forward, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = next.at;
      next.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    this.time = end;
  }
}

const MIN = 60_000;

describe('RefreshScheduler: when the status bar asks the gateway', () => {
  let clock: FakeClock;
  let outcomes: RefreshOutcome[];
  let calls: number[];
  const make = (intervalMs = 5 * MIN) => new RefreshScheduler(async () => {
    calls.push(clock.now());
    return outcomes.shift() ?? 'ok';
  }, { intervalMs, clock });
  beforeEach(() => {
    clock = new FakeClock();
    outcomes = [];
    calls = [];
  });

  it('first refresh after the start delay, then one per interval while focused: 12 an hour at 5 minutes', async () => {
    const s = make();
    s.start(1500);
    await clock.advance(1499);
    assert.equal(calls.length, 0, 'nothing during activation');
    await clock.advance(60 * MIN);
    assert.equal(calls.length, 12);
    assert.equal(calls[1]! - calls[0]!, 5 * MIN);
  });

  it('nothing while unfocused; one catch-up on focus when a refresh fell due, then the normal rhythm', async () => {
    const s = make();
    s.start(0);
    await clock.advance(1);
    s.setFocused(false);
    await clock.advance(60 * MIN);
    assert.equal(calls.length, 1, 'no requests while away');
    s.setFocused(true);
    await clock.advance(1);
    assert.equal(calls.length, 2, 'stale: refreshed on focus');
    await clock.advance(5 * MIN);
    assert.equal(calls.length, 3);
  });

  it('back in focus before the next one was due: waits for the rest of the interval', async () => {
    const s = make();
    s.start(0);
    await clock.advance(1);
    s.setFocused(false);
    await clock.advance(2 * MIN);
    s.setFocused(true);
    await clock.advance(2 * MIN);
    assert.equal(calls.length, 1);
    await clock.advance(1 * MIN);
    assert.equal(calls.length, 2);
  });

  it('backs off exponentially after errors (30 s, 60 s, 120 s …) and returns to the interval after a success', async () => {
    outcomes = ['error', 'error', 'error', 'ok'];
    const s = make();
    s.start(0);
    await clock.advance(1);
    await clock.advance(10 * MIN);
    const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
    assert.deepEqual(gaps.slice(0, 4), [30_000, 60_000, 120_000, 5 * MIN]);
  });

  it('after an auth failure it stops polling until the user acts', async () => {
    outcomes = ['auth'];
    const s = make();
    s.start(0);
    await clock.advance(2 * 60 * MIN);
    assert.equal(calls.length, 1);
    assert.equal(s.blockedByAuth, true);
    await s.refreshNow();
    assert.equal(s.blockedByAuth, false);
    await clock.advance(5 * MIN);
    assert.equal(calls.length, 3, 'polling resumed');
  });

  it('a refresh already running is shared, not doubled', async () => {
    let release: (v: RefreshOutcome) => void = () => undefined;
    const s = new RefreshScheduler(() => {
      calls.push(clock.now());
      return new Promise<RefreshOutcome>((resolve) => (release = resolve));
    }, { intervalMs: 5 * MIN, clock });
    const a = s.refreshNow();
    const b = s.refreshNow();
    release('ok');
    await Promise.all([a, b]);
    assert.equal(calls.length, 1);
  });
});
