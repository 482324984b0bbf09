/** Judges what every agent shares: files that do not parse, a configuration that is gone, a test request that failed unexplained. */
import * as l10n from '@vscode/l10n';
import { AGENT_IDS, AGENT_LABELS, type AgentId } from '../../agents/types';
import type { AgentFacts, Facts, Finding } from '../types';
import { agentOf, codexSelection, configureFix, make, missingFiles, openFileFix, PREFIX, sentences, type Rule } from './common';
import { modelProblem } from './models';
import { describe, networkFailure, probeSource, refusal, serverFailure } from './requests';

// Functions, so the text is translated when a finding is made (the language is set after load).
const PARSE_DETAIL: Record<AgentId, (path: string) => string> = {
  codex: (path) =>
    /auth\.json$/i.test(path)
      ? l10n.t('Codex reads auth.json as strict JSON; when it does not parse, Codex reports "not logged in" and sends no key. Fix the file or configure Codex again.')
      : l10n.t('Codex refuses to start when config.toml is not valid TOML (a duplicate key or table, an unclosed string…). Fix the line shown, then start Codex again.'),
  'claude-code': () =>
    l10n.t('Claude Code reads settings.json as strict JSON: a comment or a trailing comma makes it discard the whole file, so none of the gateway settings (base URL, key, model) apply. Remove the comment or comma at the line shown.'),
  opencode: (path) =>
    /auth\.json$/i.test(path)
      ? l10n.t('OpenCode\'s auth.json is strict JSON written by OpenCode itself; when it does not parse, the stored keys are ignored.')
      : l10n.t('OpenCode stops with a configuration error when its config does not parse. Fix the line shown.'),
};

/** A 404 on the agent's test request: the route that agent sends to is missing. Each names its own route only. */
const ROUTE_MISSING: Record<AgentId, (a: AgentFacts) => string> = {
  codex: (a) =>
    sentences(
      codexSelection(a)?.provider.wireApi === 'chat'
        ? l10n.t('Codex\'s config asks for chat completions (wire_api = "chat"), which current Codex refuses; with wire_api = "responses" it sends every request to /v1/responses, and this gateway has no such route (404).')
        : l10n.t('Codex (wire_api = "responses") sends every request to /v1/responses, and this gateway has no such route (404).'),
      l10n.t('Gateways from before the Responses API (one-api, older new-api versions) lack it. Use a gateway version that serves /v1/responses, or another tool.'),
    ),
  'claude-code': () =>
    l10n.t('Claude Code sends every request to /v1/messages (the Anthropic Messages API), and this gateway has no such route (404); one-api does not serve it. Use a gateway that does (new-api), or another tool.'),
  opencode: () =>
    l10n.t('OpenCode\'s OpenAI-compatible provider sends every request to /v1/chat/completions, and this gateway has no such route (404). Check that the provider\'s baseURL is this gateway\'s /v1 address; if it is, the gateway does not serve chat completions.'),
};

const AGENTS = AGENT_IDS;

/** One rule per agent, id `<prefix>.<suffix>`, checked only when that agent is reported on. */
function perAgent(suffix: string, check: (f: Facts, a: AgentFacts, id: string, label: string) => Finding | Finding[] | undefined): readonly Rule[] {
  return AGENTS.map((agent): Rule => {
    const id = `${PREFIX[agent]}.${suffix}`;
    return {
      id,
      check(f) {
        const a = agentOf(f, agent);
        return a ? check(f, a, id, AGENT_LABELS[agent]) : undefined;
      },
    };
  });
}

export const PARSE_RULES: readonly Rule[] = perAgent('parse', (_f, a, id, label) =>
  a.parseProblems.map((p) =>
    make(
      id,
      'error',
      l10n.t('{0} cannot read {1}: {2}', label, p.path.split(/[\\/]/).pop() ?? p.path, p.reason),
      PARSE_DETAIL[a.agent](p.path),
      [`${p.path}:${p.line}:${p.column}: ${p.reason}`],
      openFileFix(p.path, p.line, p.column),
    ),
  ),
);

export const CONFIG_MISSING_RULES: readonly Rule[] = perAgent('config-missing', (f, a, id, label) => {
  if (!a.configured) return undefined;
  const configProblems = a.parseProblems.filter((p) => !/auth\.json$/i.test(p.path));
  if (configProblems.length) return undefined;
  const missing = a.agent === 'codex' ? !a.codex?.config : a.agent === 'claude-code' ? !a.claude : !a.opencode?.config;
  if (!missing) return undefined;
  return make(
    id,
    'error',
    l10n.t('{0}\'s configuration is gone', label),
    l10n.t('Tokaify configured {0}, but its settings file is missing now (deleted, or the tool\'s folder moved). Configure {0} again.', label),
    missingFiles(a),
    configureFix(f, a.agent, l10n.t('Configure {0} again', label)),
  );
});

export const PROBE_RULES: readonly Rule[] = perAgent('probe-failed', (f, a, id, label) => {
  const source = probeSource(a);
  if (!source || source.req.ok || probeExplained(f, a)) return undefined;
  const { status, message } = source.req;
  const real = !!a.probe?.by;
  let title: string;
  if (status === undefined) title = real ? l10n.t('The real {0}\'s request failed', label) : l10n.t('A test request in {0}\'s shape failed', label);
  else title = real ? l10n.t('The real {0}\'s request failed (HTTP {1})', label, status) : l10n.t('A test request in {0}\'s shape failed (HTTP {1})', label, status);
  let detail: string;
  if (status === 404) detail = ROUTE_MISSING[a.agent](a);
  else if (message !== undefined) detail = l10n.t('The key and the model list are fine, but the request {0} sends was refused: {1}', label, message);
  else detail = l10n.t('The key and the model list are fine, but the request {0} sends was refused: see the gateway\'s message below', label);
  return make(id, 'error', title, detail, describe(source));
});

/** A failed test request that another finding already explains. */
function probeExplained(f: Facts, a: AgentFacts): boolean {
  const probe = a.probe;
  if (!probe) return true;
  if (probe.contextManagementRejected) return true;
  if (refusal(probe) !== undefined) return true;
  if (probe.status === undefined && networkFailure(f)) return true;
  if (probe.status !== undefined && probe.status >= 500 && serverFailure(f)) return true;
  return modelProblem(f, a) !== undefined;
}
