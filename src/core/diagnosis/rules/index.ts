/** Verify, second half: runs the RULES table over the Facts, masks secrets, sorts by severity, and says `ok` when nothing is wrong. */
import * as l10n from '@vscode/l10n';
import { AGENT_LABELS } from '../../agents/types';
import { redact } from '../../redact';
import type { Facts, Finding, Severity } from '../types';
import { PARSE_RULES, CONFIG_MISSING_RULES, PROBE_RULES } from './agents';
import { CLAUDE_RULES } from './claudeCode';
import { CODEX_RULES } from './codex';
import { hostOf, joinAnd, joinParts, list, make, reportedAgents, type Rule } from './common';
import { CONSOLE_RULES } from './console';
import { ENV_RULES, PROJECT_RULES } from './environment';
import { WORKSPACE_PROFILE_RULE } from './workspaceProfile';
import { GATEWAY_RULES } from './gateway';
import { MODEL_RULES, modelInUse } from './models';
import { RELAY_RULES } from './relay';
import { OPENCODE_RULES } from './opencode';
import { REAL_AGENT_MISSING, REAL_AGENT_RULES } from './realAgent';
import { balanceLine, describe, gatewaySource, relaySource, tokenLine } from './requests';

export type { Rule } from './common';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, ok: 3 };

/**
 * Every check, in the order findings of equal severity are shown. Sources for the wording: the gateway
 * seeds' FAQs (OpenCode, Codex, Claude Code, token management, TokModel errors), console-api.md §6 (relay
 * key errors of new-api and one-api) and client-configs.md §1–§5 (where each tool reads its settings and
 * what breaks it). The gateway's messages are matched only to pick the explanation; the verbatim text is
 * always shown as evidence, with an English gloss.
 */
export const RULES: readonly Rule[] = [
  ...GATEWAY_RULES,
  ...CONSOLE_RULES,
  ...RELAY_RULES,
  ...MODEL_RULES,
  ...PARSE_RULES,
  ...CONFIG_MISSING_RULES,
  ...CODEX_RULES,
  ...CLAUDE_RULES,
  ...OPENCODE_RULES,
  ...PROBE_RULES,
  ...REAL_AGENT_RULES,
  REAL_AGENT_MISSING,
  ...ENV_RULES,
  ...PROJECT_RULES,
  WORKSPACE_PROFILE_RULE,
];

/** One `ok` finding saying what was checked, for when nothing is wrong. */
function allGood(f: Facts, infos: Finding[]): Finding {
  const agents = reportedAgents(f);
  const models = f.relay.models?.length;
  const parts = [
    f.gateway.latencyMs !== undefined ? l10n.t('gateway reachable in {0} ms', f.gateway.latencyMs) : l10n.t('gateway reachable'),
    l10n.t('key accepted'),
    ...(models !== undefined ? [models === 1 ? l10n.t('1 model') : l10n.t('{0} models', models)] : []),
    agents.length ? l10n.t('{0} OK', joinAnd(agents.map((a) => AGENT_LABELS[a.agent]))) : l10n.t('no agent configured yet'),
  ];
  const evidence = [...describe(gatewaySource(f)), ...describe(relaySource(f)).slice(0, 1)];
  if (f.relay.models?.length) evidence.push(l10n.t('Models: {0}', list(f.relay.models)));
  const token = tokenLine(f);
  if (token) evidence.push(token);
  const balance = balanceLine(f);
  if (balance) evidence.push(balance);
  for (const a of agents) {
    const model = modelInUse(f, a);
    const facts = [l10n.t('points at this gateway')];
    if (model) facts.push(l10n.t('model {0}', model.model));
    if (a.probe?.ok) facts.push(a.probe.latencyMs !== undefined ? l10n.t('test request OK in {0} ms', a.probe.latencyMs) : l10n.t('test request OK'));
    evidence.push(l10n.t('{0}: {1}', AGENT_LABELS[a.agent], joinParts(facts)));
  }
  return make(
    'ok',
    'ok',
    l10n.t('All good: {0}', joinParts(parts)),
    infos.length ? l10n.t('Nothing needs fixing; the notes below are for information.') : l10n.t('Everything Tokaify checks for {0} is in order.', hostOf(f.gatewayRoot)),
    evidence,
  );
}

function scrub(finding: Finding): Finding {
  return { ...finding, title: redact(finding.title), detail: redact(finding.detail), evidence: finding.evidence.map(redact) };
}

export function diagnose(facts: Facts): Finding[] {
  const found: Finding[] = [];
  for (const rule of RULES) {
    const result = rule.check(facts);
    if (result === undefined) continue;
    found.push(...(Array.isArray(result) ? result : [result]));
  }
  if (!found.some((x) => x.severity === 'error' || x.severity === 'warning')) found.push(allGood(facts, found));
  return found
    .map(scrub)
    .map((x, i) => ({ x, i }))
    .sort((a, b) => SEVERITY_ORDER[a.x.severity] - SEVERITY_ORDER[b.x.severity] || a.i - b.i)
    .map(({ x }) => x);
}
