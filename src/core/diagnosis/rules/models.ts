/** Judges the model each agent will ask for: allowed by the token, offered by the gateway, accepted by the test request. */
import { AGENT_LABELS } from '../../agents/types';
import type { AgentFacts, Facts, Finding } from '../types';
import { codexSelection, configureFix, fileOf, isThisGateway, list, make, opencodeSelection, reportedAgents, tokenFix, type Rule } from './common';
import { describe, probeSource, refusal } from './requests';

/** The model the agent will ask this gateway for, and where it comes from. */
export function modelInUse(f: Facts, a: AgentFacts): { model: string; where: string } | undefined {
  switch (a.agent) {
    case 'codex': {
      const selection = codexSelection(a);
      if (a.codex?.config && (!selection || !isThisGateway(f, selection.provider.baseUrl))) return undefined;
      if (a.codex?.config?.model) return { model: a.codex.config.model, where: `${fileOf(a, /config\.toml$/i, 'config.toml')}: model` };
      break;
    }
    case 'claude-code': {
      if (a.claude?.baseUrl !== undefined && !isThisGateway(f, a.claude.baseUrl)) return undefined;
      if (a.claude?.model) return { model: a.claude.model, where: `${fileOf(a, /settings\.json$/i, 'settings.json')}: env.ANTHROPIC_MODEL` };
      break;
    }
    case 'opencode': {
      const selection = opencodeSelection(f, a);
      const model = a.opencode?.config?.model;
      if (selection && model?.startsWith(`${selection.id}/`)) return { model: model.slice(selection.id.length + 1), where: `${selection.file}: model` };
      break;
    }
  }
  return a.expectedModel ? { model: a.expectedModel, where: 'configured by Tokaify' } : undefined;
}

/** Why the agent's model will be refused, if it will. */
export function modelProblem(f: Facts, a: AgentFacts): Finding | undefined {
  const label = AGENT_LABELS[a.agent];
  const probe = a.probe && !a.probe.ok ? probeSource(a) : undefined;
  const probeKind = probe ? refusal(probe.req) : undefined;
  const inUse = modelInUse(f, a);
  if (!inUse && !probe) return undefined;
  const evidence: string[] = inUse ? [`${label} model: ${inUse.model} (${inUse.where})`] : [];
  const limits = f.token?.modelLimits ?? [];
  if (inUse && limits.length && !limits.includes(inUse.model)) {
    return make(
      'model.not-allowed',
      'error',
      `${label} uses ${inUse.model}, which this token is not allowed to use`,
      `The token's model limits do not include ${inUse.model}, so the gateway answers 403 "This token has no access to model ${inUse.model}". Add the model to the token's allowed models, or configure ${label} with one of the allowed models.`,
      [...evidence, `Token model limits: ${list(limits)}`],
      tokenFix(f, 'editToken', 'Edit the token\'s allowed models'),
    );
  }
  if (inUse && f.relay.models && !f.relay.models.includes(inUse.model)) {
    return make(
      'model.not-allowed',
      'error',
      `${label} uses ${inUse.model}, which this gateway does not offer to this key`,
      `GET /v1/models lists the models this key may use, and ${inUse.model} is not among them, so ${label}'s requests will be refused (403 or 503 "no available channel"). Pick a model from the list.`,
      [...evidence, `GET /v1/models: ${f.relay.models.length} models (${list(f.relay.models)})`],
      configureFix(f, a.agent, `Configure ${label} with another model`),
    );
  }
  if (probe && (probeKind === 'model-denied' || probeKind === 'no-channel')) {
    const name = inUse?.model ?? 'the model';
    return make(
      'model.not-allowed',
      'error',
      probeKind === 'model-denied' ? `${label}'s model ${name} is refused for this token` : `The gateway has no channel serving ${name} for this key's group`,
      probeKind === 'model-denied'
        ? `The test request in ${label}'s shape was refused because the token may not use ${name}. Allow the model on the token, or configure ${label} with another model.`
        : `The gateway lists ${name} but has no working upstream channel for it in this key's group. Pick another model, or ask the gateway's operator.`,
      [...evidence, ...describe(probe)],
      probeKind === 'model-denied' ? tokenFix(f, 'editToken', 'Edit the token\'s allowed models') : configureFix(f, a.agent, `Configure ${label} with another model`),
    );
  }
  return undefined;
}

export const MODEL_RULES: readonly Rule[] = [
  {
    id: 'model.not-allowed',
    check(f) {
      return reportedAgents(f).map((a) => modelProblem(f, a)).filter((x): x is Finding => x !== undefined);
    },
  },
];
