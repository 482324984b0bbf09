/**
 * new-api's in-memory limiter (`common/rate-limit.go`): a queue of request times per key. A request is
 * allowed while the queue is short, or once its oldest entry has left the window.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(readonly limit: number, readonly windowMs: number) {}

  allow(key: string, now = Date.now()): boolean {
    if (this.limit <= 0) return false;
    const queue = this.hits.get(key) ?? [];
    this.hits.set(key, queue);
    if (queue.length < this.limit) {
      queue.push(now);
      return true;
    }
    if (now - queue[0]! >= this.windowMs) {
      queue.shift();
      queue.push(now);
      return true;
    }
    return false;
  }

  reset(): void {
    this.hits.clear();
  }
}
