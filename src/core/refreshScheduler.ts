/**
 * When the status bar asks the gateway again: every interval while the window is focused, nothing
 * while it is not (one catch-up refresh on focus if the last one is stale), exponential backoff with
 * jitter after errors, and no polling at all after an auth failure until the user acts. A refresh
 * already running is shared, never doubled. The clock is injected so the policy is tested in
 * microseconds and the bench can count requests per simulated hour.
 */

export type RefreshOutcome = 'ok' | 'error' | 'auth';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** In [0, 1). */
  random(): number;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
};

export interface SchedulerOptions {
  intervalMs: number;
  /** First retry after an error; doubles per failure up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  clock?: Clock;
}

export class RefreshScheduler {
  private timer: unknown;
  private running?: Promise<void>;
  private focused = true;
  private stopped = true;
  private authBlocked = false;
  private failures = 0;
  private lastAttempt = -Infinity;
  private nextDue = Infinity;
  private readonly clock: Clock;
  /** Refreshes started, for the bench and tests. */
  attempts = 0;

  constructor(private readonly task: () => Promise<RefreshOutcome>, private options: SchedulerOptions) {
    this.clock = options.clock ?? realClock;
  }

  /** Starts polling; the first refresh runs after `delayMs` (off the activation path). */
  start(delayMs = 0): void {
    this.stopped = false;
    this.schedule(delayMs);
  }

  setIntervalMs(ms: number): void {
    this.options = { ...this.options, intervalMs: ms };
    if (!this.stopped && !this.authBlocked && this.failures === 0 && this.focused) this.schedule(Math.max(0, this.lastAttempt + ms - this.clock.now()));
  }

  setFocused(focused: boolean): void {
    if (focused === this.focused) return;
    this.focused = focused;
    if (!focused) {
      this.cancelTimer();
      return;
    }
    if (this.stopped || this.authBlocked) return;
    // Back in focus: catch up at once if a refresh fell due while away, else wait for the rest.
    this.schedule(Math.max(0, this.nextDue - this.clock.now()));
  }

  /** A user action (click, Refresh, sign-in): clears the auth block and the backoff, refreshes now. */
  refreshNow(): Promise<void> {
    this.authBlocked = false;
    this.failures = 0;
    return this.run();
  }

  get blockedByAuth(): boolean {
    return this.authBlocked;
  }

  dispose(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private run(): Promise<void> {
    if (this.running) return this.running;
    this.cancelTimer();
    this.attempts++;
    this.lastAttempt = this.clock.now();
    this.running = this.task()
      .catch((): RefreshOutcome => 'error')
      .then((outcome) => this.after(outcome))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private after(outcome: RefreshOutcome): void {
    if (outcome === 'auth') {
      this.authBlocked = true;
      this.nextDue = Infinity;
      return;
    }
    if (outcome === 'ok') {
      this.failures = 0;
      this.schedule(this.options.intervalMs);
      return;
    }
    this.failures++;
    const base = this.options.backoffMs ?? 30_000;
    const cap = this.options.maxBackoffMs ?? Math.max(this.options.intervalMs, 30 * 60_000);
    const delay = Math.min(cap, base * 2 ** (this.failures - 1));
    // ±25 % so many windows that lost the network together do not retry in step.
    this.schedule(Math.round(delay * (0.75 + this.clock.random() * 0.5)));
  }

  private schedule(delayMs: number): void {
    this.cancelTimer();
    if (this.stopped) return;
    this.nextDue = this.clock.now() + delayMs;
    if (!this.focused) return; // picked up by setFocused(true)
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
