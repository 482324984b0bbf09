/**
 * VS Code's globalState replaces its whole value whenever the main thread reports a change to it, and
 * it reports our own flushes back too: a report of an earlier flush that arrives after a newer write
 * rolls that write back (seen as an account vanishing right after sign-in, under load). So reads come
 * from our own copy, filled from the store on first read and kept by our writes, and a write that the
 * store does not hold once it has flushed is sent again.
 */
import type { StateStore } from './accountKeys';

const MAX_ATTEMPTS = 3;

export class WriteThroughState implements StateStore {
  private readonly values = new Map<string, unknown>();

  constructor(private readonly store: StateStore) {}

  get<T>(key: string): T | undefined;
  get<T>(key: string, fallback: T): T;
  get<T>(key: string, fallback?: T): T | undefined {
    if (!this.values.has(key)) this.values.set(key, this.store.get(key));
    const value = this.values.get(key) as T | undefined;
    return value === undefined ? fallback : value;
  }

  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    for (let attempt = 1; ; attempt++) {
      await this.store.update(key, value);
      // Only the last write of a key counts: a newer one owns the retry.
      if (this.values.get(key) !== value || same(this.store.get(key), value) || attempt >= MAX_ATTEMPTS) return;
    }
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
