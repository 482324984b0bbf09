/**
 * Sums usage into the slots of a period and by model and by token, one row or one hourly bucket at a time,
 * so a scan of many pages holds only the sums, never the rows.
 */
import { slotIndex, type Slot } from './calendar';

export interface Sums {
  quota: number;
  requests: number;
  tokens: number;
}

export interface NamedSums extends Sums {
  name: string;
}

const zero = (): Sums => ({ quota: 0, requests: 0, tokens: 0 });

function add(into: Sums, quota: number, requests: number, tokens: number): void {
  into.quota += quota;
  into.requests += requests;
  into.tokens += tokens;
}

export class UsageAccumulator {
  readonly total: Sums & { promptTokens: number; completionTokens: number } = { ...zero(), promptTokens: 0, completionTokens: 0 };
  readonly slots: Sums[];
  private readonly models = new Map<string, Sums>();
  private readonly tokens = new Map<string, Sums>();
  /** The earliest time seen (ms), for "the log covers back to …". */
  earliest = Number.POSITIVE_INFINITY;
  /** Rows or buckets outside the period's slots (a gateway answering past the asked range). */
  outside = 0;

  constructor(private readonly slotList: readonly Slot[]) {
    this.slots = slotList.map(zero);
  }

  /** One log row: `at` in ms. */
  addRow(at: number, model: string, token: string, quota: number, prompt: number, completion: number): void {
    const slot = slotIndex(this.slotList, at);
    if (slot < 0) {
      this.outside++;
      return;
    }
    const tokens = prompt + completion;
    add(this.slots[slot]!, quota, 1, tokens);
    add(this.total, quota, 1, tokens);
    this.total.promptTokens += prompt;
    this.total.completionTokens += completion;
    add(entry(this.models, model), quota, 1, tokens);
    add(entry(this.tokens, token), quota, 1, tokens);
    if (at < this.earliest) this.earliest = at;
  }

  /** One model's hour from the data table: `at` (the hour's start) in ms; no token, no prompt/completion split. */
  addBucket(at: number, model: string, count: number, quota: number, tokens: number): void {
    const slot = slotIndex(this.slotList, at);
    if (slot < 0) {
      this.outside++;
      return;
    }
    add(this.slots[slot]!, quota, count, tokens);
    add(this.total, quota, count, tokens);
    add(entry(this.models, model), quota, count, tokens);
    if (at < this.earliest) this.earliest = at;
  }

  /** Biggest spend first, then most requests, then by name (a stable order for equal rows). */
  byModel(): NamedSums[] {
    return sorted(this.models);
  }

  byToken(): NamedSums[] {
    return sorted(this.tokens);
  }
}

function entry(map: Map<string, Sums>, name: string): Sums {
  let sums = map.get(name);
  if (!sums) {
    sums = zero();
    map.set(name, sums);
  }
  return sums;
}

function sorted(map: Map<string, Sums>): NamedSums[] {
  return [...map].map(([name, s]) => ({ name, ...s }))
    .sort((a, b) => b.quota - a.quota || b.requests - a.requests || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
