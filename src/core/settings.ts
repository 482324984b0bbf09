/**
 * Numeric settings that shape requests, made safe to use. VS Code hands over whatever the JSON holds
 * (a string, null, NaN from a typo), and its schema minimum/maximum only draws a squiggle, so a
 * value that reaches a timer or a timeout is checked here. Pure: the vscode glue is src/vscode/settings.ts.
 */

export interface NumberRange {
  min: number;
  max: number;
  /** Used when the value is not a finite number at all. */
  fallback: number;
}

/** `tokaify.requestTimeoutSeconds`: as in package.json. */
export const REQUEST_TIMEOUT_SECONDS: NumberRange = { min: 1, max: 120, fallback: 15 };
/** `tokaify.statusRefreshMinutes`: as in package.json (1440 = a day). */
export const STATUS_REFRESH_MINUTES: NumberRange = { min: 1, max: 1440, fallback: 5 };

/**
 * A finite number clamped to [min, max]; the fallback for anything that is not a number.
 * A string that is just a number ("30") counts as that number: it is what a person meant.
 */
export function clampNumberSetting(raw: unknown, { min, max, fallback }: NumberRange): number {
  const value = typeof raw === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}
