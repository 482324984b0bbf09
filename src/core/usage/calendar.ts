/**
 * Days and hours in the user's time zone, for charts: where a local day starts (DST days have 23 or 25 hours,
 * a zone may skip midnight), and the slots of a period. Built on Intl only; each slot boundary is computed
 * once, and rows are then placed by binary search, never by formatting each row's time.
 */

export type Period = 'today' | '7d' | '30d';

export interface Slot {
  /** ms since epoch, inclusive. */
  start: number;
  /** ms since epoch, exclusive (the next slot's start, or the period's end). */
  end: number;
  /** `YYYY-MM-DD` for days, `HH:mm` (local) for hours. */
  label: string;
}

export interface PeriodRange {
  period: Period;
  timeZone: string;
  granularity: 'hour' | 'day';
  /** ms since epoch: the first slot's start, and `now`. */
  start: number;
  end: number;
  slots: Slot[];
}

const DAYS: Record<Period, number> = { today: 1, '7d': 7, '30d': 30 };
const HOUR = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // 'en-US' only to read the parts back as numbers: nothing shown to a person is formatted here.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone when Intl knows it, else UTC (a bad setting must not break the view). */
export function validTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

/** The zone's offset from UTC at `ms`, in ms (east of Greenwich positive), to the second. */
export function zoneOffset(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

const dayKey = (p: { year: number; month: number; day: number }) => p.year * 10_000 + p.month * 100 + p.day;
const pad = (n: number) => String(n).padStart(2, '0');

/** The first instant of the local calendar day `year-month-day` (month 1-12; out-of-range days roll over). */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  const target = new Date(wall);
  const key = dayKey({ year: target.getUTCFullYear(), month: target.getUTCMonth() + 1, day: target.getUTCDate() });
  let t = wall - zoneOffset(wall, timeZone);
  t = wall - zoneOffset(t, timeZone);
  if (dayKey(localParts(t, timeZone)) >= key) {
    // t may be a later hour of the day when the offset changed at night: step back while still the same day.
    while (dayKey(localParts(t - HOUR, timeZone)) === key) t -= HOUR;
    return t;
  }
  // Midnight does not exist (clocks jump from 23:59 to 01:00): the day starts at the jump; find it to the second.
  let lo = t;
  let hi = t + 3 * HOUR;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (dayKey(localParts(mid, timeZone)) >= key) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The slots of a period ending at `now`: today by hour (midnight to the next midnight, local hours, 23–25 of
 * them), 7 or 30 days by local day (the last is today). Slots after `now` are kept for today's hours (the chart
 * has its full width) but nothing falls in them yet.
 */
export function periodRange(period: Period, now: number, timeZone: string): PeriodRange {
  const zone = validTimeZone(timeZone);
  const today = localParts(now, zone);
  const days = DAYS[period];
  const dayStarts: number[] = [];
  for (let i = days - 1; i >= -1; i--) dayStarts.push(startOfLocalDay(today.year, today.month, today.day - i, zone));
  const slots: Slot[] = [];
  if (period === 'today') {
    const [start, next] = dayStarts as [number, number];
    for (let t = start; t < next; t += HOUR) {
      const p = localParts(t, zone);
      slots.push({ start: t, end: Math.min(t + HOUR, next), label: `${pad(p.hour)}:${pad(p.minute)}` });
    }
  } else {
    for (let i = 0; i < days; i++) {
      const p = localParts(dayStarts[i]!, zone);
      slots.push({ start: dayStarts[i]!, end: dayStarts[i + 1]!, label: `${p.year}-${pad(p.month)}-${pad(p.day)}` });
    }
  }
  return { period, timeZone: zone, granularity: period === 'today' ? 'hour' : 'day', start: dayStarts[0]!, end: now, slots };
}

/** The index of the slot holding `ms`, or -1 before the first or past the last (binary search). */
export function slotIndex(slots: readonly Slot[], ms: number): number {
  let lo = 0;
  let hi = slots.length - 1;
  if (hi < 0 || ms < slots[0]!.start || ms >= slots[hi]!.end) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (slots[mid]!.start <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
