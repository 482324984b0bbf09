/**
 * What the Usage view shows, as plain data (the glue fills it in, page.ts draws it), and the arguments its
 * links carry. The page runs no script of its own to act: each control is a `command:tokaify.showUsage` link
 * whose argument names a choice (a period, a log filter, the next page). Command arguments are untrusted (any
 * link, keybinding or extension can send any JSON), so `usageArgs` keeps only those choices, checked and capped.
 */
import type { GatewayFlavor } from '../accounts';
import type { QuotaDisplay } from '../quota';
import type { Period } from './calendar';
import type { KeyUsage } from './keyUsage';
import type { UsageLogRow } from './logRow';
import type { UsageReport } from './report';
import type { UnsupportedFilter } from './usageApi';

export const PERIODS: readonly Period[] = ['today', '7d', '30d'];

/** A part of the view that is read from the gateway: still loading, read, or failed with a plain message. */
export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

export interface LogViewFilter {
  tokenName?: string;
  modelName?: string;
  /** Failed requests only (new-api's error rows). */
  failedOnly?: boolean;
}

export interface LogSection {
  filter: LogViewFilter;
  /** Every row read so far, newest first. */
  rows: UsageLogRow[];
  state: 'loading' | 'ready' | 'failed';
  message?: string;
  /** Another page can be read. */
  more: boolean;
  /** new-api: the rows the filter matches in all. */
  total?: number;
  unsupported: UnsupportedFilter[];
}

export interface UsagePageModel {
  accountId: string;
  /** The gateway address stored with the account (Add Gateway's link starts from it for a console sign-in). */
  baseUrl: string;
  /** The account as the tree names it (untrusted: it holds the gateway's display name). */
  account: string;
  flavor: GatewayFlavor;
  keyOnly: boolean;
  period: Period;
  display: QuotaDisplay;
  timeZone: string;
  /** Console accounts. */
  report?: Loadable<UsageReport>;
  /** The report read the log even where the hourly table exists (split by token). */
  detail: boolean;
  log?: LogSection;
  /** Key-only accounts: what the key itself can tell. */
  key?: Loadable<KeyUsage>;
  /** Token ids by name (the tree's list), so Verify on a failed request checks that request's token. */
  tokenIds: ReadonlyMap<string, number>;
  /** The element to scroll to and focus after drawing (an id on the page). */
  focus?: string;
}

/** What a link in the view (or a caller) asks for. Empty strings clear a filter. */
export interface UsageArgs {
  period?: Period;
  refresh?: true;
  /** Read the log for the split by token (and prompt/completion tokens). */
  detail?: true;
  /** The log's next page, or every log filter cleared. */
  log?: 'more' | 'clear';
  token?: string;
  model?: string;
  failed?: boolean;
}

/** Longer than any token or model name a gateway accepts; a longer one is not a name. */
export const MAX_FILTER_LENGTH = 200;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const filterText = (value: unknown): string | undefined => (typeof value === 'string' && value.length <= MAX_FILTER_LENGTH ? value : undefined);

/** The choices in a command argument; anything else in it (including a tree row's fields) is ignored. */
export function usageArgs(arg: unknown): UsageArgs {
  if (!isObject(arg)) return {};
  const out: UsageArgs = {};
  if (typeof arg.period === 'string' && (PERIODS as readonly string[]).includes(arg.period)) out.period = arg.period as Period;
  if (arg.refresh === true) out.refresh = true;
  if (arg.detail === true) out.detail = true;
  if (arg.log === 'more' || arg.log === 'clear') out.log = arg.log;
  const token = filterText(arg.token);
  if (token !== undefined) out.token = token;
  const model = filterText(arg.model);
  if (model !== undefined) out.model = model;
  if (typeof arg.failed === 'boolean') out.failed = arg.failed;
  return out;
}

/** The log filter after a link's choices: `log: 'clear'` first clears all, then each choice sets one (an empty string clears it). */
export function nextLogFilter(current: LogViewFilter, args: UsageArgs): LogViewFilter {
  const next: LogViewFilter = args.log === 'clear' ? {} : { ...current };
  if (args.token !== undefined) next.tokenName = args.token || undefined;
  if (args.model !== undefined) next.modelName = args.model || undefined;
  if (args.failed !== undefined) next.failedOnly = args.failed || undefined;
  return Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as LogViewFilter;
}

/** Whether the args change the log's filter (so the log is read again from its first page). */
export function changesLogFilter(args: UsageArgs): boolean {
  return args.log === 'clear' || args.token !== undefined || args.model !== undefined || args.failed !== undefined;
}
