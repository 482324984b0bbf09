/**
 * The Usage view as one self-contained HTML page, drawn from a UsagePageModel: the period switch, the totals,
 * the spend chart (SVG, chart.ts) with its numbers as a table, spend by model and by token, and the request
 * log with each failed request's error in Verify's words and a link to Verify. For a key-only account: what the
 * key itself can tell, and what a console sign-in would add.
 *
 * Safety: every gateway string (names, models, messages, the currency symbol in amounts) goes through
 * htmlText (redacted, plain, capped, entity-escaped); our own strings are entity-escaped too. Links are
 * `command:` URIs to USAGE_PAGE_COMMANDS only, their JSON argument URI-encoded and then escaped. The CSP
 * allows nothing but the nonce'd style and script; the script only moves the focus after a redraw.
 */
import * as l10n from '@vscode/l10n';
import { commandLink } from '../diagnosis/report';
import { displayLocale } from '../locale';
import { redact } from '../redact';
import { htmlText, TEXT_LIMITS } from '../untrustedText';
import { amount } from './amount';
import { localParts, type Period } from './calendar';
import { chartRows, chartTitle, requestsText, spendChartSvg, tokensText } from './chart';
import { NEEDS_CONSOLE, type ConsoleOnlyUsage, type KeyUsage } from './keyUsage';
import type { LogKind, UsageLogRow } from './logRow';
import type { Breakdown, UsageReport } from './report';
import { MAX_FILTER_LENGTH, PERIODS, type LogSection, type UsageArgs, type UsagePageModel } from './viewModel';

export const USAGE_COMMAND = 'tokaify.showUsage';
const VERIFY_COMMAND = 'tokaify.verify';
const ADD_GATEWAY_COMMAND = 'tokaify.addGateway';
/** The only commands the page's links may run (the webview's enableCommandUris). */
export const USAGE_PAGE_COMMANDS: readonly string[] = [USAGE_COMMAND, VERIFY_COMMAND, ADD_GATEWAY_COMMAND];

export interface PageEnv {
  /** A fresh random value per drawing, for the CSP. */
  nonce: string;
  /** ms since epoch, for "read … ago"-free times: the view states when it read, not how long ago. */
  now?: number;
}

/** Our own text, entity-escaped (it may hold a gateway string a translation placed in it: escape all). */
const esc = (text: string) => text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
/** A gateway name in a table cell. */
const name = (value: string) => (value ? htmlText(value, TEXT_LIMITS.label) : `<span class="muted">${esc(l10n.t('(none)'))}</span>`);
const number = (n: number) => n.toLocaleString(displayLocale());
/** Placeholders for HTML that is already safe, in a translated sentence: `html(l10n.t('Model: {0}', SLOT), value)`. */
const SLOT = '\u0001';
/** A translated sentence, escaped, with already-escaped HTML put where its SLOT was. */
const html = (message: string, value: string) => esc(message).replace(SLOT, () => value);
const pad = (n: number) => String(n).padStart(2, '0');

/** A name the log can be filtered by from a link: not empty, not longer than a name can be, holding no secret. */
const filterable = (value: string) => value !== '' && value.length <= MAX_FILTER_LENGTH && redact(value) === value;

function usageLink(model: UsagePageModel, args: UsageArgs): string {
  return esc(commandLink(USAGE_COMMAND, [{ accountId: model.accountId, ...args }]));
}

function periodName(period: Period): string {
  return period === 'today' ? l10n.t('Today') : period === '7d' ? l10n.t('Last 7 days') : l10n.t('Last 30 days');
}

/** `14:03:27` today, `12-01 14:03` on another day, in the view's time zone. */
function rowTime(at: number, model: UsagePageModel, todayKey: string): string {
  const p = localParts(at * 1000, model.timeZone);
  const day = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  return day === todayKey ? `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` : `${day.slice(5)} ${pad(p.hour)}:${pad(p.minute)}`;
}

function clockTime(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

export function renderUsagePage(model: UsagePageModel, env: PageEnv): string {
  const title = l10n.t('Tokaify: Usage');
  const body = model.keyOnly ? keyOnlyBody(model) : consoleBody(model, env);
  const focus = model.focus ? ` data-focus="${esc(model.focus)}"` : '';
  return `<!DOCTYPE html>
<html lang="${esc(displayLocale())}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${esc(env.nonce)}'; script-src 'nonce-${esc(env.nonce)}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style nonce="${esc(env.nonce)}">${STYLE}</style></head>
<body${focus}>
<h1>${esc(l10n.t('Usage'))}</h1>
<p class="subtitle">${htmlText(model.account, TEXT_LIMITS.description)} · ${esc(model.flavor)}</p>
${body}
<script nonce="${esc(env.nonce)}">${SCRIPT}</script>
</body></html>`;
}

function periodNav(model: UsagePageModel): string {
  const links = PERIODS.map((p) => (p === model.period
    ? `<a id="period-${p}" aria-current="true" href="${usageLink(model, { period: p })}">${esc(periodName(p))}</a>`
    : `<a id="period-${p}" href="${usageLink(model, { period: p })}">${esc(periodName(p))}</a>`));
  return `<nav class="periods" aria-label="${esc(l10n.t('Period'))}">${links.join('')}<a id="refresh" class="refresh" href="${usageLink(model, { refresh: true })}">${esc(l10n.t('Refresh'))}</a></nav>`;
}

function loadingBlock(): string {
  return `<p class="muted" aria-busy="true">${esc(l10n.t('Reading from the gateway…'))}</p>`;
}

function failedBlock(message: string): string {
  return `<p class="callout error" role="alert">${htmlText(message, TEXT_LIMITS.tooltip)}</p>`;
}

function consoleBody(model: UsagePageModel, env: PageEnv): string {
  const parts = [periodNav(model)];
  const report = model.report;
  if (!report || report.state === 'loading') parts.push(loadingBlock());
  else if (report.state === 'failed') parts.push(failedBlock(report.message));
  else parts.push(reportHtml(model, report.value));
  parts.push(logHtml(model, env));
  return parts.join('\n');
}

function card(label: string, value: string, detail = ''): string {
  return `<div class="card"><div class="label">${esc(label)}</div><div class="value">${value}</div>${detail ? `<div class="muted">${detail}</div>` : ''}</div>`;
}

function reportHtml(model: UsagePageModel, report: UsageReport): string {
  const out: string[] = [];
  const read = l10n.t('Read at {0} ({1}).', clockTime(report.readAt, report.timeZone), report.timeZone);
  out.push(`<p class="muted">${esc(read)} ${esc(sourceText(report))}</p>`);
  if (report.note) out.push(`<p class="callout note" role="note">${htmlText(report.note, TEXT_LIMITS.tooltip)}</p>`);
  const { total } = report;
  // The table lags, a partial scan falls short: the gateway's own total says by how much.
  const counted = report.gatewayTotal.quota !== total.spend.quota ? html(l10n.t('the gateway counts {0}', SLOT), htmlText(report.gatewayTotal.text, 40)) : '';
  const cards = [card(l10n.t('Spend'), htmlText(total.spend.text, 40), counted)];
  cards.push(card(l10n.t('Requests'), esc(number(total.requests))));
  const inOut = total.promptTokens !== undefined && total.completionTokens !== undefined
    ? esc(l10n.t('{0} in, {1} out', number(total.promptTokens), number(total.completionTokens))) : '';
  cards.push(card(l10n.t('Tokens'), esc(number(total.tokens)), inOut));
  if (report.lastMinute) {
    cards.push(card(l10n.t('Last minute'), esc(requestsText(report.lastMinute.requests)), esc(tokensText(report.lastMinute.tokens))));
  }
  out.push(`<section aria-labelledby="totals-h"><h2 id="totals-h" class="sr-only">${esc(l10n.t('Totals'))}</h2><div class="cards">${cards.join('')}</div></section>`);

  const rows = chartRows(report);
  const table = `<details><summary>${esc(l10n.t('The chart\'s numbers as a table'))}</summary><table class="chart-data">
<thead><tr><th scope="col">${esc(report.granularity === 'hour' ? l10n.t('Hour') : l10n.t('Day'))}</th><th scope="col" class="num">${esc(l10n.t('Spend'))}</th><th scope="col" class="num">${esc(l10n.t('Requests'))}</th><th scope="col" class="num">${esc(l10n.t('Tokens'))}</th></tr></thead>
<tbody>${rows.map((r) => `<tr data-slot="${esc(r.label)}"><th scope="row">${esc(r.label)}</th>${r.missing
    ? `<td class="num" colspan="3">${esc(l10n.t('no data'))}</td>`
    : `<td class="num">${htmlText(r.spend, 40)}${r.partial ? ` ${esc(l10n.t('(partly read)'))}` : ''}</td><td class="num">${esc(number(r.requests))}</td><td class="num">${esc(number(r.tokens))}</td>`}</tr>`).join('')}</tbody></table></details>`;
  out.push(`<section aria-labelledby="chart-h"><h2 id="chart-h">${esc(chartTitle(report))}</h2>${spendChartSvg(report)}${table}</section>`);

  out.push(`<section aria-labelledby="models-h"><h2 id="models-h">${esc(l10n.t('By model'))}</h2>${breakdownTable(model, report.byModel, 'model')}</section>`);
  const byToken = report.byToken
    ? breakdownTable(model, report.byToken, 'token')
    : `<p class="muted">${esc(l10n.t('The gateway\'s hourly figures have no split by token.'))} <a id="detail" href="${usageLink(model, { period: report.period, detail: true })}">${esc(l10n.t('Read the request log for it'))}</a></p>`;
  out.push(`<section aria-labelledby="tokens-h"><h2 id="tokens-h">${esc(l10n.t('By token'))}</h2>${byToken}</section>`);
  return out.join('\n');
}

function sourceText(report: UsageReport): string {
  const source = report.source;
  if (source.kind === 'table') return l10n.t('From the gateway\'s hourly figures.');
  return source.complete
    ? l10n.t('From the request log: {0}.', requestsText(source.rows))
    : l10n.t('From the newest part of the request log: {0}.', requestsText(source.rows));
}

/** A share of the total as a small bar (decoration) beside its percentage (the text). */
function shareBar(share: number): string {
  const width = Math.max(0, Math.min(100, share * 100));
  return `<svg class="share" viewBox="0 0 100 8" aria-hidden="true" focusable="false"><rect class="track" width="100" height="8"/><rect class="fill" width="${width.toFixed(1)}" height="8"/></svg>`;
}

function percent(share: number): string {
  return (share * 100).toLocaleString(displayLocale(), { maximumFractionDigits: 1 }) + '%';
}

function breakdownTable(model: UsagePageModel, rows: readonly Breakdown[], by: 'model' | 'token'): string {
  if (!rows.length) return `<p class="muted">${esc(l10n.t('No spend in this period.'))}</p>`;
  const head = by === 'model' ? l10n.t('Model') : l10n.t('Token');
  const filterTitle = by === 'model' ? l10n.t('Show this model\'s requests in the log') : l10n.t('Show this token\'s requests in the log');
  const body = rows.map((r) => {
    const cell = filterable(r.name)
      ? `<a href="${usageLink(model, by === 'model' ? { model: r.name } : { token: r.name })}" title="${esc(filterTitle)}">${name(r.name)}</a>` : name(r.name);
    return `<tr><th scope="row">${cell}</th><td class="num">${htmlText(r.spend.text, 40)}</td><td class="share">${shareBar(r.share)} ${esc(percent(r.share))}</td><td class="num">${esc(number(r.requests))}</td><td class="num">${esc(number(r.tokens))}</td></tr>`;
  }).join('');
  return `<table class="breakdown ${by}"><thead><tr><th scope="col">${esc(head)}</th><th scope="col" class="num">${esc(l10n.t('Spend'))}</th><th scope="col">${esc(l10n.t('Share'))}</th><th scope="col" class="num">${esc(l10n.t('Requests'))}</th><th scope="col" class="num">${esc(l10n.t('Tokens'))}</th></tr></thead><tbody>${body}</tbody></table>`;
}

function kindText(kind: LogKind): string {
  switch (kind) {
    case 'consume': return l10n.t('OK');
    case 'error': return l10n.t('Failed');
    case 'topup': return l10n.t('Top-up');
    case 'manage': return l10n.t('Management');
    case 'system': return l10n.t('System');
    case 'refund': return l10n.t('Refund');
    case 'test': return l10n.t('Test');
    case 'unknown': return l10n.t('Other');
  }
}

function logHtml(model: UsagePageModel, env: PageEnv): string {
  const log = model.log;
  const heading = `<h2 id="log-h">${esc(l10n.t('Request log'))}</h2>`;
  if (!log) return `<section id="log" tabindex="-1" aria-labelledby="log-h">${heading}${loadingBlock()}</section>`;
  const parts = [heading, logFilters(model, log)];
  if (log.unsupported.includes('kind')) parts.push(`<p class="muted">${esc(l10n.t('This gateway keeps no log of failed requests.'))}</p>`);
  if (log.state === 'failed' && log.message) parts.push(failedBlock(log.message));
  if (log.state === 'loading' && !log.rows.length) parts.push(loadingBlock());
  else if (log.state !== 'failed' || log.rows.length) parts.push(logTable(model, log, env));
  const count = log.total !== undefined ? l10n.t('{0} of {1} shown.', number(log.rows.length), number(log.total)) : l10n.t('{0} shown.', number(log.rows.length));
  const more = log.more ? ` <a id="log-more" href="${usageLink(model, { log: 'more' })}">${esc(l10n.t('Older requests'))}</a>` : '';
  if (log.rows.length) parts.push(`<p class="muted">${esc(count)}${more}</p>`);
  return `<section id="log" tabindex="-1" aria-labelledby="log-h">${parts.join('\n')}</section>`;
}

function logFilters(model: UsagePageModel, log: LogSection): string {
  const chips: string[] = [];
  const remove = esc(l10n.t('Remove this filter'));
  if (log.filter.tokenName) chips.push(`<span class="chip">${html(l10n.t('Token: {0}', SLOT), htmlText(log.filter.tokenName, TEXT_LIMITS.label))} <a href="${usageLink(model, { token: '' })}" title="${remove}" aria-label="${remove}">✕</a></span>`);
  if (log.filter.modelName) chips.push(`<span class="chip">${html(l10n.t('Model: {0}', SLOT), htmlText(log.filter.modelName, TEXT_LIMITS.label))} <a href="${usageLink(model, { model: '' })}" title="${remove}" aria-label="${remove}">✕</a></span>`);
  const failed = log.filter.failedOnly
    ? `<a href="${usageLink(model, { failed: false })}">${esc(l10n.t('All requests'))}</a>`
    : model.flavor === 'one-api' ? '' : `<a href="${usageLink(model, { failed: true })}">${esc(l10n.t('Failed requests only'))}</a>`;
  const range = `<span class="muted">${esc(l10n.t('{0}, newest first.', periodName(model.period)))}</span>`;
  if (log.filter.failedOnly) chips.push(`<span class="chip">${esc(l10n.t('Failed requests only'))}</span>`);
  return `<p class="filters">${range} ${chips.join(' ')} ${failed}</p>`;
}

function logTable(model: UsagePageModel, log: LogSection, env: PageEnv): string {
  if (!log.rows.length) return `<p class="muted">${esc(log.filter.tokenName || log.filter.modelName || log.filter.failedOnly ? l10n.t('No request matches the filter in this period.') : l10n.t('No requests in this period.'))}</p>`;
  const now = env.now ?? Date.now();
  const p = localParts(now, model.timeZone);
  const todayKey = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  const head = [l10n.t('Time'), l10n.t('Token'), l10n.t('Model'), l10n.t('In'), l10n.t('Out'), l10n.t('Cost'), l10n.t('Duration'), l10n.t('Stream'), l10n.t('Status')];
  const numeric = new Set([3, 4, 5, 6]);
  const rows = log.rows.map((row, i) => logRowHtml(model, row, i, todayKey)).join('');
  return `<table class="log"><thead><tr>${head.map((h, i) => `<th scope="col"${numeric.has(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`;
}

function logRowHtml(model: UsagePageModel, row: UsageLogRow, index: number, todayKey: string): string {
  const filterLink = (value: string, args: UsageArgs) => (filterable(value) ? `<a href="${usageLink(model, args)}">${name(value)}</a>` : name(value));
  const billed = row.kind === 'consume' || row.quota > 0;
  const cost = billed ? htmlText(amount(row.quota, model.display).text, 40) : '';
  const duration = row.durationMs !== undefined ? esc(l10n.t('{0} s', (row.durationMs / 1000).toLocaleString(displayLocale(), { maximumFractionDigits: 1 }))) : '';
  const tokensKnown = row.kind === 'consume' || row.promptTokens > 0 || row.completionTokens > 0;
  const cells = [
    `<td class="time">${esc(rowTime(row.at, model, todayKey))}</td>`,
    `<td>${filterLink(row.tokenName, { token: row.tokenName })}</td>`,
    `<td>${filterLink(row.modelName, { model: row.modelName })}</td>`,
    `<td class="num">${tokensKnown ? esc(number(row.promptTokens)) : ''}</td>`,
    `<td class="num">${tokensKnown ? esc(number(row.completionTokens)) : ''}</td>`,
    `<td class="num">${cost}</td>`,
    `<td class="num">${duration}</td>`,
    `<td>${row.stream ? esc(l10n.t('Yes')) : ''}</td>`,
    `<td class="status">${statusHtml(model, row)}</td>`,
  ];
  return `<tr id="log-row-${index}" class="${row.failure ? 'failed' : esc(row.kind)}">${cells.join('')}</tr>`;
}

function statusHtml(model: UsagePageModel, row: UsageLogRow): string {
  if (row.failure) {
    const { failure } = row;
    const tokenId = row.tokenName ? model.tokenIds.get(row.tokenName) : undefined;
    const verify = commandLink(VERIFY_COMMAND, [tokenId !== undefined ? { accountId: model.accountId, tokenId } : { accountId: model.accountId }]);
    const said = failure.said ? `<div class="said">${html(l10n.t('The gateway said: {0}', SLOT), htmlText(failure.said, TEXT_LIMITS.tooltip))}</div>` : '';
    return `<span class="sr-only">${esc(l10n.t('Failed request:'))} </span><strong>${htmlText(failure.title, TEXT_LIMITS.description)}</strong>${said}<a class="verify" href="${esc(verify)}">${esc(l10n.t('Verify'))}</a>`;
  }
  if (row.kind === 'consume') return esc(kindText('consume'));
  const content = row.content ? ` <span class="muted">${htmlText(row.content, TEXT_LIMITS.description)}</span>` : '';
  return `${esc(kindText(row.kind))}${content}`;
}

function keyOnlyBody(model: UsagePageModel): string {
  const key = model.key;
  const parts: string[] = [];
  if (!key || key.state === 'loading') parts.push(loadingBlock());
  else if (key.state === 'failed') parts.push(failedBlock(key.message));
  else parts.push(keyUsageHtml(model, key.value));
  const adds = NEEDS_CONSOLE.map((what) => `<li>${esc(consoleAdds(what))}</li>`).join('');
  const signIn = esc(commandLink(ADD_GATEWAY_COMMAND, [{ baseUrl: model.baseUrl }]));
  parts.push(`<section aria-labelledby="console-h"><h2 id="console-h">${esc(l10n.t('What a console sign-in adds'))}</h2>
<p>${esc(l10n.t('This account is signed in with an API key only. A key tells its own totals, not where they went. Signed in to the gateway\'s console (access token or password), this view also shows:'))}</p>
<ul>${adds}</ul><p><a class="button" href="${signIn}">${esc(l10n.t('Sign in to the console'))}</a></p></section>`);
  return parts.join('\n');
}

function consoleAdds(what: ConsoleOnlyUsage): string {
  switch (what) {
    case 'history': return l10n.t('spend over time: today by hour, the last 7 and 30 days by day');
    case 'byModel': return l10n.t('spend by model');
    case 'byToken': return l10n.t('spend by token');
    case 'requestLog': return l10n.t('the request log, with the error of each failed request');
  }
}

function keyUsageHtml(model: UsagePageModel, usage: KeyUsage): string {
  const money = (quota: number) => htmlText(amount(quota, model.display).text, 40);
  const rows: [string, string][] = [[l10n.t('Used'), money(usage.used)]];
  if (usage.unlimited) rows.push([l10n.t('Quota'), esc(l10n.t('Unlimited'))]);
  else {
    if (usage.remaining !== undefined) rows.push([l10n.t('Remaining'), money(usage.remaining)]);
    if (usage.granted !== undefined) rows.push([l10n.t('Granted'), money(usage.granted)]);
  }
  if (usage.name) rows.push([l10n.t('Token name'), htmlText(usage.name, TEXT_LIMITS.label)]);
  if (usage.modelLimits?.length) rows.push([l10n.t('Models allowed'), htmlText(usage.modelLimits.join(', '), TEXT_LIMITS.tooltip)]);
  const expires = usage.expiresAt !== undefined ? new Date(usage.expiresAt * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : l10n.t('Never');
  rows.push([l10n.t('Expires'), esc(expires)]);
  const list = rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('');
  const read = l10n.t('Read at {0} ({1}), over the lifetime of the key.', clockTime(usage.readAt, model.timeZone), model.timeZone);
  return `<section aria-labelledby="key-h"><h2 id="key-h">${esc(l10n.t('What this API key can tell'))}</h2><dl class="key">${list}</dl><p class="muted">${esc(read)}</p></section>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; max-width: 72em; line-height: 1.4; }
h1 { font-size: 1.4em; margin-bottom: 0.1em; }
h2 { font-size: 1.1em; margin: 1.6em 0 0.5em; }
.subtitle, .muted { color: var(--vscode-descriptionForeground); }
.subtitle { margin-top: 0; }
a { color: var(--vscode-textLink-foreground); }
a:hover { color: var(--vscode-textLink-activeForeground); }
a:focus-visible, [tabindex]:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
nav.periods { display: flex; flex-wrap: wrap; gap: 0.4em; margin: 1em 0; }
nav.periods a, a.button { padding: 0.25em 0.9em; border-radius: 2px; text-decoration: none; border: 1px solid var(--vscode-button-border, transparent);
  background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
nav.periods a[aria-current], a.button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
nav.periods a:hover, a.button:hover { background: var(--vscode-button-hoverBackground); color: var(--vscode-button-foreground); }
nav.periods a.refresh { margin-left: auto; background: none; color: var(--vscode-textLink-foreground); }
.cards { display: flex; flex-wrap: wrap; gap: 0.8em; }
.card { min-width: 9em; padding: 0.5em 1em; border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); background: var(--vscode-editorWidget-background); }
.card .label { color: var(--vscode-descriptionForeground); }
.card .value { font-size: 1.5em; font-weight: 600; font-variant-numeric: tabular-nums; }
.callout { padding: 0.4em 0.9em; border-left: 4px solid var(--vscode-editorWarning-foreground); background: var(--vscode-textBlockQuote-background); }
.callout.error { border-color: var(--vscode-errorForeground); }
svg.chart { display: block; width: 100%; max-width: 60em; height: auto; }
svg.chart .bar { fill: var(--vscode-charts-blue); }
svg.chart .bar.partial { fill-opacity: 0.55; }
svg.chart .bar.missing { fill: none; stroke: var(--vscode-descriptionForeground); stroke-dasharray: 3 3; stroke-opacity: 0.6; }
svg.chart .grid { stroke: var(--vscode-descriptionForeground); stroke-opacity: 0.35; stroke-dasharray: 2 4; }
svg.chart .baseline { stroke: var(--vscode-foreground); stroke-opacity: 0.6; }
svg.chart text { fill: var(--vscode-descriptionForeground); font-size: 11px; font-family: var(--vscode-font-family); }
svg.chart text.empty { fill: var(--vscode-foreground); font-size: 14px; }
body.vscode-high-contrast svg.chart .bar, body.vscode-high-contrast-light svg.chart .bar { stroke: var(--vscode-contrastBorder); stroke-width: 1; }
svg.share { width: 5em; height: 0.6em; vertical-align: middle; }
svg.share .track { fill: var(--vscode-descriptionForeground); fill-opacity: 0.25; }
svg.share .fill { fill: var(--vscode-charts-blue); }
body.vscode-high-contrast svg.share .fill, body.vscode-high-contrast-light svg.share .fill { fill: var(--vscode-contrastActiveBorder, var(--vscode-foreground)); }
details { margin: 0.6em 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.25em 0.6em; border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); vertical-align: top; }
thead th { color: var(--vscode-descriptionForeground); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.failed td { background: var(--vscode-inputValidation-errorBackground, transparent); }
tr.failed td.status strong { color: var(--vscode-errorForeground); }
td.status .said { color: var(--vscode-descriptionForeground); overflow-wrap: anywhere; }
a.verify { display: inline-block; margin-top: 0.2em; }
.chip { display: inline-block; padding: 0 0.5em; border-radius: 1em; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
.chip a { color: inherit; text-decoration: none; }
dl.key { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1.2em; }
dl.key dt { color: var(--vscode-descriptionForeground); } dl.key dd { margin: 0; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/** After a redraw, puts the reader back where they acted (the log, its next rows, the period switch). */
const SCRIPT = `(() => { const id = document.body.dataset.focus; const el = id && document.getElementById(id);
if (el) { el.scrollIntoView({ block: el.closest('nav') ? 'nearest' : 'start' }); if (!el.hasAttribute('tabindex') && !el.matches('a')) el.setAttribute('tabindex', '-1'); el.focus({ preventScroll: true }); } })();`;
