/** Judges the model each agent will ask for: allowed by the token, offered by the gateway, accepted by the test request. */
import * as l10n from '@vscode/l10n';
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
  return a.expectedModel ? { model: a.expectedModel, where: l10n.t('configured by Tokaify') } : undefined;
}

/** Why the agent's model will be refused, if it will. */
export function modelProblem(f: Facts, a: AgentFacts): Finding | undefined {
  const label = AGENT_LABELS[a.agent];
  const probe = a.probe && !a.probe.ok ? probeSource(a) : undefined;
  const probeKind = probe ? refusal(probe.req) : undefined;
  const inUse = modelInUse(f, a);
  if (!inUse && !probe) return undefined;
  const evidence: string[] = inUse ? [l10n.t('{0} model: {1} ({2})', label, inUse.model, inUse.where)] : [];
  const limits = f.token?.modelLimits ?? [];
  if (inUse && limits.length && !limits.includes(inUse.model)) {
    return make(
      'model.not-allowed',
      'error',
      l10n.t('{0} uses {1}, which this token is not allowed to use', label, inUse.model),
      l10n.t('The token\'s model limits do not include {0}, so the gateway answers 403 "This token has no access to model {0}". Add the model to the token\'s allowed models, or configure {1} with one of the allowed models.', inUse.model, label),
      [...evidence, l10n.t('Token model limits: {0}', list(limits))],
      tokenFix(f, 'editToken', l10n.t('Edit the token\'s allowed models')),
    );
  }
  if (inUse && f.relay.models && !f.relay.models.includes(inUse.model)) {
    return make(
      'model.not-allowed',
      'error',
      l10n.t('{0} uses {1}, which this gateway does not offer to this key', label, inUse.model),
      l10n.t('GET /v1/models lists the models this key may use, and {0} is not among them, so {1}\'s requests will be refused (403 or 503 "no available channel"). Pick a model from the list.', inUse.model, label),
      [
        ...evidence,
        f.relay.models.length === 1
          ? l10n.t('GET /v1/models: 1 model ({0})', list(f.relay.models))
          : l10n.t('GET /v1/models: {0} models ({1})', f.relay.models.length, list(f.relay.models)),
      ],
      configureFix(f, a.agent, l10n.t('Configure {0} with another model', label)),
    );
  }
  if (probe && (probeKind === 'model-denied' || probeKind === 'no-channel')) {
    const evidenceLines = [...evidence, ...describe(probe)];
    const model = inUse?.model;
    if (probeKind === 'model-denied') {
      return make(
        'model.not-allowed',
        'error',
        model !== undefined ? l10n.t('{0}\'s model {1} is refused for this token', label, model) : l10n.t('{0}\'s model is refused for this token', label),
        model !== undefined
          ? l10n.t('The test request in {0}\'s shape was refused because the token may not use {1}. Allow the model on the token, or configure {0} with another model.', label, model)
          : l10n.t('The test request in {0}\'s shape was refused because the token may not use the model. Allow the model on the token, or configure {0} with another model.', label),
        evidenceLines,
        tokenFix(f, 'editToken', l10n.t('Edit the token\'s allowed models')),
      );
    }
    return make(
      'model.not-allowed',
      'error',
      model !== undefined ? l10n.t('The gateway has no channel serving {0} for this key\'s group', model) : l10n.t('The gateway has no channel serving the model for this key\'s group'),
      model !== undefined
        ? l10n.t('The gateway lists {0} but has no working upstream channel for it in this key\'s group. Pick another model, or ask the gateway\'s operator.', model)
        : l10n.t('The gateway lists the model but has no working upstream channel for it in this key\'s group. Pick another model, or ask the gateway\'s operator.'),
      evidenceLines,
      configureFix(f, a.agent, l10n.t('Configure {0} with another model', label)),
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
