/**
 * The last good balance as persisted per account. Its own module, free of the store's machinery, so the
 * startup chunk can show it the moment the status-bar item appears.
 */
import type { BalanceSnapshot } from './balance';
import { storedQuotaDisplay, type QuotaDisplay } from './quota';

/** What is persisted per account: amounts, their time and unit. Never the group or any other server text. */
export interface StoredBalance {
  snapshot: Omit<BalanceSnapshot, 'group'>;
  display: QuotaDisplay;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A stored balance read back; undefined when it is missing or not the shape we write (an old or damaged entry). */
export function storedBalance(value: unknown): StoredBalance | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { snapshot, display } = value as Record<string, unknown>;
  const quotaDisplay = storedQuotaDisplay(display);
  if (typeof snapshot !== 'object' || snapshot === null || !quotaDisplay) return undefined;
  const s = snapshot as Record<string, unknown>;
  if (!finite(s.remaining) || !finite(s.used) || !finite(s.latencyMs) || !finite(s.at) || typeof s.unlimited !== 'boolean') return undefined;
  if (s.source !== 'account' && s.source !== 'key') return undefined;
  return { snapshot: { remaining: s.remaining, used: s.used, unlimited: s.unlimited, source: s.source, latencyMs: s.latencyMs, at: s.at }, display: quotaDisplay };
}

