/**
 * The Verify report as one self-contained HTML page: findings grouped by severity, each with its
 * evidence and, where one exists, a button that runs the fix through a `command:` link (the webview
 * allows exactly the fix commands). No scripts. Everything is escaped and already redacted.
 */
import * as l10n from '@vscode/l10n';
import { displayLocale } from '../locale';
import { htmlText, TEXT_LIMITS } from '../untrustedText';
import { joinParts } from './rules/common';
import { FIX_COMMANDS, type Finding, type Severity } from './types';

export interface ReportHeader {
  title: string;
  subtitle: string;
  /** The webview's CSP source, for the style-src rule. */
  cspSource: string;
}

export const REPORT_COMMANDS: readonly string[] = [...Object.values(FIX_COMMANDS), 'tokaify.verify'];

/** What a screen reader says before a finding's title (the icon says it to the eye). */
function severityLabel(severity: Severity): string {
  switch (severity) {
    case 'error': return l10n.t('Problem:');
    case 'warning': return l10n.t('Warning:');
    case 'info': return l10n.t('Note:');
    case 'ok': return l10n.t('OK:');
  }
}

/** `2 problems`, `1 warning`…: one message per severity and number, so each language picks its own plural. */
function countLabel(severity: 'error' | 'warning' | 'info', n: number): string {
  switch (severity) {
    case 'error': return n === 1 ? l10n.t('1 problem') : l10n.t('{0} problems', n);
    case 'warning': return n === 1 ? l10n.t('1 warning') : l10n.t('{0} warnings', n);
    case 'info': return n === 1 ? l10n.t('1 note') : l10n.t('{0} notes', n);
  }
}

const ICON: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ', ok: '✔' };

/** For our own strings (titles, labels, links): entity-escaping only. Untrusted text goes through htmlText. */
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function commandLink(command: string, args?: unknown[]): string {
  return `command:${command}${args?.length ? `?${encodeURIComponent(JSON.stringify(args))}` : ''}`;
}

function findingHtml(finding: Finding): string {
  const evidence = finding.evidence.length
    ? `<ul class="evidence">${finding.evidence.map((line) => `<li><code>${htmlText(line, TEXT_LIMITS.tooltip)}</code></li>`).join('')}</ul>` : '';
  const fix = finding.fix && REPORT_COMMANDS.includes(finding.fix.command)
    ? `<p><a class="button" href="${escape(commandLink(finding.fix.command, finding.fix.args))}">${htmlText(finding.fix.label, TEXT_LIMITS.label)}</a></p>` : '';
  return `<section class="finding ${finding.severity}" data-id="${escape(finding.id)}">
<h2><span class="icon" aria-hidden="true">${ICON[finding.severity]}</span> <span class="sr">${escape(severityLabel(finding.severity))}</span> ${htmlText(finding.title, TEXT_LIMITS.tooltip)}</h2>
<p>${htmlText(finding.detail, 2 * TEXT_LIMITS.tooltip)}</p>${evidence}${fix}
</section>`;
}

export function renderReport(findings: readonly Finding[], header: ReportHeader): string {
  const counts = (['error', 'warning', 'info'] as const).map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const summary = counts.length ? joinParts(counts.map(([s, n]) => countLabel(s, n))) : l10n.t('everything checked is fine');
  return `<!DOCTYPE html>
<html lang="${escape(displayLocale())}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${header.cspSource} 'unsafe-inline';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(header.title)}</title>
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.5em 2em; max-width: 60em; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; } .subtitle { color: var(--vscode-descriptionForeground); margin-top: 0; }
.finding { border-left: 4px solid var(--vscode-panel-border); padding: 0.2em 1em; margin: 1em 0; background: var(--vscode-editor-inactiveSelectionBackground); }
.finding.error { border-color: var(--vscode-errorForeground); } .finding.warning { border-color: var(--vscode-editorWarning-foreground); }
.finding.ok { border-color: var(--vscode-testing-iconPassed); } .finding h2 { font-size: 1.1em; }
.sr { position: absolute; left: -9999px; } .evidence { color: var(--vscode-descriptionForeground); }
a.button { display: inline-block; padding: 0.3em 0.9em; background: var(--vscode-button-background); color: var(--vscode-button-foreground); text-decoration: none; border-radius: 2px; }
a.button:hover { background: var(--vscode-button-hoverBackground); }
</style></head>
<body>
<h1>${escape(header.title)}</h1>
<p class="subtitle">${htmlText(header.subtitle, TEXT_LIMITS.tooltip)} · ${escape(summary)} · <a href="${commandLink('tokaify.verify')}">${escape(l10n.t('Verify again'))}</a></p>
${findings.map(findingHtml).join('\n')}
</body></html>`;
}
