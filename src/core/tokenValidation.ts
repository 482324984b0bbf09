/** Checks for the token form, with the server's own limits (spec §2.6), so mistakes show inline before saving. */
import { isIP } from 'node:net';
import * as l10n from '@vscode/l10n';

export function validateTokenName(name: string, flavor: 'new-api' | 'one-api'): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return l10n.t('Give the token a name, for example "codex-laptop".');
  // new-api counts bytes (50); one-api counts characters (30).
  if (flavor === 'one-api' && [...trimmed].length > 30) return l10n.t('one-api allows at most 30 characters.');
  if (flavor === 'new-api' && Buffer.byteLength(trimmed, 'utf8') > 50) return l10n.t('The gateway allows at most 50 bytes (about 16 Chinese characters).');
  return undefined;
}

/**
 * A replacement's name that tells it apart from `name` (Rotate Key): `name-2`, or the next number when
 * `name` already ends in one; the base is shortened until it fits the gateway's limit.
 */
export function suffixedTokenName(name: string, flavor: 'new-api' | 'one-api'): string {
  const numbered = /^(.*)-(\d+)$/.exec(name);
  const suffix = numbered ? `-${Number(numbered[2]) + 1}` : '-2';
  let base = [...(numbered ? numbered[1]! : name)];
  while (base.length && validateTokenName(base.join('') + suffix, flavor)) base = base.slice(0, -1);
  return base.length ? base.join('') + suffix : name;
}

/** Parses an allowlist typed as commas, spaces or new lines. Returns the entries or the first bad one. */
export function parseIpAllowlist(text: string): { ok: true; entries: string[] } | { ok: false; error: string } {
  const entries = text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxPrefix = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (!family || !prefixOk || extra !== undefined) return { ok: false, error: l10n.t('"{0}" is not an IP address or CIDR range (e.g. 203.0.113.7 or 10.0.0.0/8).', entry) };
  }
  return { ok: true, entries };
}

/** `YYYY-MM-DD` (end of that day, local time) → Unix seconds; refuses the past. */
export function parseExpiryDate(text: string, now = new Date()): { ok: true; seconds: number } | { ok: false; error: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return { ok: false, error: l10n.t('Use the form YYYY-MM-DD, e.g. 2027-01-01.') };
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59);
  if (date.getMonth() !== Number(match[2]) - 1) return { ok: false, error: l10n.t('That date does not exist.') };
  // The server does not check this: a past date creates a token that is expired at once.
  if (date <= now) return { ok: false, error: l10n.t('Pick a date in the future.') };
  return { ok: true, seconds: Math.floor(date.getTime() / 1000) };
}

export function parseQuotaAmount(text: string): { ok: true; amount: number } | { ok: false; error: string } {
  const amount = Number(text.trim().replace(/^[$¥€£¤]/, '').replace(/,/g, ''));
  if (!text.trim() || !Number.isFinite(amount)) return { ok: false, error: l10n.t('Enter a number, e.g. 10 or 2.50.') };
  if (amount <= 0) return { ok: false, error: l10n.t('The cap must be more than 0 (or choose Unlimited).') };
  return { ok: true, amount };
}
