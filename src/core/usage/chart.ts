/**
 * Spend over time as an SVG bar chart, drawn in the extension as a string (the Usage view runs no chart
 * script): one bar per slot of the report's series, a scale line at the peak and at half of it, slot labels
 * below. Every text in it (amounts carry the gateway's currency symbol) is entity-escaped; the chart names
 * itself with <title>/<desc> and each bar with a <title>, and `chartRows` gives the same numbers for a table.
 * Colours come from the page's CSS classes (VS Code's theme variables), not from the SVG.
 */
import * as l10n from '@vscode/l10n';
import { displayLocale } from '../locale';
import { htmlText } from '../untrustedText';
import { amount } from './amount';
import type { SeriesPoint, UsageReport } from './report';

/** The viewBox; the page scales it to its width. */
export const CHART_SIZE = { width: 720, height: 240 } as const;
const PLOT = { left: 76, right: 8, top: 14, bottom: 28 } as const;
/** At most this many slot labels under the bars (30 days: every 4th day). */
const MAX_X_LABELS = 8;
/** Amounts are short; a hostile currency symbol is cut here. */
const AMOUNT_MAX = 40;

/** One slot as the chart and its table show it; `label` is ours (a local time or date). */
export interface ChartRow {
  label: string;
  spend: string;
  requests: number;
  tokens: number;
  /** No data (older than a partial log scan reached), not zero. */
  missing: boolean;
  /** The slot a partial scan stopped in: the figure is a lower bound. */
  partial: boolean;
}

/** The slot's label as a person reads it: `14:00` for an hour, `12-01` for a day (the year is in the table). */
export function shortLabel(point: Pick<SeriesPoint, 'label'>, granularity: UsageReport['granularity']): string {
  return granularity === 'hour' ? point.label : point.label.slice(5);
}

export function chartRows(report: UsageReport): ChartRow[] {
  return report.series.map((p) => ({
    label: p.label, spend: p.spend.text, requests: p.requests, tokens: p.tokens, missing: p.coverage === 'none', partial: p.coverage === 'partial',
  }));
}

const number = (n: number) => n.toLocaleString(displayLocale());
/** "1 request", "12 requests", with the number in the user's locale. */
export const requestsText = (n: number) => (n === 1 ? l10n.t('1 request') : l10n.t('{0} requests', number(n)));
/** "1 token", "1,200 tokens" (LLM tokens). */
export const tokensText = (n: number) => (n === 1 ? l10n.t('1 token') : l10n.t('{0} tokens', number(n)));
const fixed = (n: number) => (Math.round(n * 10) / 10).toString();

/** What one bar says on hover and to a screen reader. */
function barTitle(row: ChartRow): string {
  if (row.missing) return l10n.t('{0}: no data (older than the requests read)', row.label);
  return row.partial
    ? l10n.t('{0}: at least {1}, {2}, {3} (partly read)', row.label, row.spend, requestsText(row.requests), tokensText(row.tokens))
    : l10n.t('{0}: {1}, {2}, {3}', row.label, row.spend, requestsText(row.requests), tokensText(row.tokens));
}

/**
 * The chart for a report. `id` prefixes the element ids (title, desc), so two charts on a page stay apart.
 * Bars carry `data-slot` (the slot label) and `data-quota` for tests and for anyone reading the markup.
 */
export function spendChartSvg(report: UsageReport, id = 'spend-chart'): string {
  const rows = chartRows(report);
  const { width, height } = CHART_SIZE;
  const plotWidth = width - PLOT.left - PLOT.right;
  const plotHeight = height - PLOT.top - PLOT.bottom;
  const baseline = PLOT.top + plotHeight;
  const peak = report.series.reduce((max, p) => Math.max(max, p.spend.quota), 0);
  const band = plotWidth / Math.max(1, rows.length);
  const barWidth = Math.max(1, band * 0.7);
  const esc = (text: string) => htmlText(text, AMOUNT_MAX * 4);

  const parts: string[] = [];
  // Scale lines: the peak and half of it, each labelled with its amount.
  const scale = peak > 0 ? [peak, peak / 2] : [];
  for (const q of scale) {
    const y = fixed(baseline - (q / peak) * plotHeight);
    parts.push(`<line class="grid" x1="${PLOT.left}" x2="${width - PLOT.right}" y1="${y}" y2="${y}"/>`,
      `<text class="axis" x="${PLOT.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${htmlText(amount(q, report.display).text, AMOUNT_MAX)}</text>`);
  }
  parts.push(`<line class="baseline" x1="${PLOT.left}" x2="${width - PLOT.right}" y1="${baseline}" y2="${baseline}"/>`);
  const step = Math.max(1, Math.ceil(rows.length / MAX_X_LABELS));
  rows.forEach((row, i) => {
    const point = report.series[i]!;
    const x = PLOT.left + i * band + (band - barWidth) / 2;
    const title = `<title>${esc(barTitle(row))}</title>`;
    if (row.missing) {
      parts.push(`<rect class="bar missing" data-slot="${esc(row.label)}" x="${fixed(x)}" y="${PLOT.top}" width="${fixed(barWidth)}" height="${plotHeight}">${title}</rect>`);
    } else {
      // A slot with any spend gets at least a sliver, so a cheap hour is not mistaken for an empty one.
      const h = peak > 0 && point.spend.quota > 0 ? Math.max(1.5, (point.spend.quota / peak) * plotHeight) : 0;
      parts.push(`<rect class="bar${row.partial ? ' partial' : ''}" data-slot="${esc(row.label)}" data-quota="${point.spend.quota}" x="${fixed(x)}" y="${fixed(baseline - h)}" width="${fixed(barWidth)}" height="${fixed(h)}">${title}</rect>`);
    }
    // Hours from midnight (00, 03, 06…); days from today backwards, so today is always labelled.
    if ((report.granularity === 'hour' ? i : rows.length - 1 - i) % step === 0) {
      parts.push(`<text class="axis" x="${fixed(x + barWidth / 2)}" y="${baseline + 18}" text-anchor="middle">${esc(shortLabel(point, report.granularity))}</text>`);
    }
  });
  if (peak === 0) {
    parts.push(`<text class="empty" x="${PLOT.left + plotWidth / 2}" y="${PLOT.top + plotHeight / 2}" text-anchor="middle">${esc(l10n.t('No spend in this period'))}</text>`);
  }
  return `<svg class="chart" id="${id}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" preserveAspectRatio="xMidYMid meet">`
    + `<title id="${id}-title">${esc(chartTitle(report))}</title><desc id="${id}-desc">${esc(chartSummary(report))}</desc>${parts.join('')}</svg>`;
}

export function chartTitle(report: UsageReport): string {
  return report.granularity === 'hour' ? l10n.t('Spend by hour, today') : l10n.t('Spend by day, last {0} days', report.series.length);
}

/** One sentence: the total and the busiest slot, for the chart's <desc>. */
export function chartSummary(report: UsageReport): string {
  const peak = report.series.reduce<SeriesPoint | undefined>((best, p) => (p.spend.quota > (best?.spend.quota ?? 0) ? p : best), undefined);
  if (!peak) return l10n.t('No spend in this period.');
  return l10n.t('Total {0}, {1}. The most, {2}, at {3}.', report.total.spend.text, requestsText(report.total.requests), peak.spend.text, peak.label);
}
