/**
 * Usage and spend (issue 14), vscode-free. The entry points the webview, the tree and the status bar build on:
 *
 * - `new UsageApi(consoleClient, meta.flavor)`: the console's usage routes for a signed-in account.
 * - `usageReport(api, { period, display, dataExport, timeZone })`: what the Usage view draws for a period
 *   ('today' by hour, '7d' / '30d' by day): `series` (one point per slot, `coverage` 'none' where a partial log
 *   scan did not reach), `byModel`, `byToken` (from the log only), `total`, `gatewayTotal`, `source` (table or log,
 *   complete or partial and why), `note` (a sentence when figures are partial or late). Pass
 *   `dataExport: status.enable_data_export` from the account's cached GatewayStatus; `detail: true` (a "by token"
 *   tab, say) reads the capped log even where the table exists.
 * - `api.firstLogPage(filter)` / `api.nextLogPage(page.next)`: the request log, one page a call, only when asked.
 *   Rows carry `failure` (Verify's wording) on failed requests; `unsupported` names filters the gateway ignores.
 * - `new SpendCache(() => api)`: `token(name, display)` (today, last 7 days) for token tooltips and
 *   `accountToday(display)` for the status bar, kept with `readAt`; `peekToken` / `peekAccountToday` send nothing.
 * - `keyUsage(http, root, key, flavor, display)`: what an `sk-` key alone can tell (no history); `needsConsole`
 *   lists what a console sign-in would add.
 *
 * Every amount is an `Amount` ({ quota, text }) in the account's display unit; every name, model and message is
 * the gateway's untrusted text, to be escaped by whoever shows it. Nothing here runs on activation.
 */
export { amount, spendText, type Amount } from './amount';
export { periodRange, validTimeZone, type Period, type PeriodRange, type Slot } from './calendar';
export type { FailedRequest } from './failedRequest';
export { keyUsage, NEEDS_CONSOLE, type ConsoleOnlyUsage, type KeyUsage, type KeyUsageOptions } from './keyUsage';
export type { LogKind, UsageLogRow } from './logRow';
export { DEFAULT_LOG_LIMITS, usageReport, type Breakdown, type LogLimits, type SeriesPoint, type TableState, type UsageReport, type UsageReportOptions, type UsageSource } from './report';
export { SpendCache, type SpendCacheOptions, type SpendSummary } from './spendCache';
export { LOG_PAGE_SIZE, UsageApi, type LogCursor, type LogFilter, type LogPage, type LogStat, type QuotaBucket, type QuotaDataResult, type UnsupportedFilter } from './usageApi';
