/** Judges Claude Code's settings.json: base URL, which gateway, key variables, and the context_management rejection. */
import * as l10n from '@vscode/l10n';
import type { AgentFacts, Facts, Finding } from '../types';
import { agentOf, configureFix, envValue, fileOf, hostOf, isOurKey, isThisGateway, make, sentences, v1Count, type Rule } from './common';
import { describe, probeSource } from './requests';

function claudeRule(id: string, check: (f: Facts, a: AgentFacts, claude: NonNullable<AgentFacts['claude']>, file: string) => Finding | undefined): Rule {
  return {
    id,
    check(f) {
      const a = agentOf(f, 'claude-code');
      return a?.claude ? check(f, a, a.claude, fileOf(a, /settings\.json$/i, 'settings.json')) : undefined;
    },
  };
}

/** A key variable for Claude Code from the environment (shell or terminal setting). */
function claudeEnvKey(f: Facts): string | undefined {
  return envValue(f, 'ANTHROPIC_AUTH_TOKEN') ?? envValue(f, 'ANTHROPIC_API_KEY');
}

export const CLAUDE_RULES: readonly Rule[] = [
  claudeRule('claude.base-url', (f, _a, claude, file) => {
    const url = claude.baseUrl;
    if (url === undefined || !isThisGateway(f, url) || v1Count(url) === 0) return undefined;
    return make(
      'claude.base-url',
      'error',
      l10n.t('Claude Code\'s ANTHROPIC_BASE_URL ends in /v1'),
      l10n.t('Claude Code appends /v1/messages itself, so requests go to …/v1/v1/messages, which the gateway does not serve (404). Use the gateway root, {0}.', f.gatewayRoot),
      [`${file}: env.ANTHROPIC_BASE_URL = "${url}"`],
      configureFix(f, 'claude-code', l10n.t('Configure Claude Code again')),
    );
  }),
  claudeRule('claude.other-gateway', (f, a, claude, file) => {
    const url = claude.baseUrl;
    if (url === undefined) {
      const fromEnv = envValue(f, 'ANTHROPIC_BASE_URL');
      if (!a.configured || (fromEnv !== undefined && isThisGateway(f, fromEnv))) return undefined;
      return make(
        'claude.other-gateway',
        'warning',
        l10n.t('Claude Code has no ANTHROPIC_BASE_URL, so it talks to Anthropic, not this gateway'),
        l10n.t('settings.json does not set ANTHROPIC_BASE_URL. Configure Claude Code again to point it at the gateway.'),
        [l10n.t('{0}: env.ANTHROPIC_BASE_URL is not set', file)],
        configureFix(f, 'claude-code', l10n.t('Point Claude Code at this gateway')),
      );
    }
    if (isThisGateway(f, url)) return undefined;
    return make(
      'claude.other-gateway',
      a.configured ? 'warning' : 'info',
      l10n.t('Claude Code now uses {0}, not this gateway', hostOf(url)),
      l10n.t('ANTHROPIC_BASE_URL points at another address, so the key being verified is not used by Claude Code. If that is intended, nothing is wrong; otherwise configure Claude Code again.'),
      [`${file}: env.ANTHROPIC_BASE_URL = "${url}"`, l10n.t('This gateway: {0}', f.gatewayRoot)],
      configureFix(f, 'claude-code', l10n.t('Point Claude Code at this gateway')),
    );
  }),
  claudeRule('claude.both-keys', (f, _a, claude, file) => {
    if (claude.keyVariables.length < 2) return undefined;
    return make(
      'claude.both-keys',
      'warning',
      l10n.t('Claude Code\'s settings set both ANTHROPIC_AUTH_TOKEN and ANTHROPIC_API_KEY'),
      l10n.t('Claude Code then sends two credentials (Authorization and X-Api-Key), asks you to approve the API key (the dialog defaults to No, which leaves you "Not logged in"), and warns about an auth conflict. Keep only ANTHROPIC_AUTH_TOKEN: configure Claude Code again.'),
      [l10n.t('{0}: env.ANTHROPIC_AUTH_TOKEN and env.ANTHROPIC_API_KEY are both set', file)],
      configureFix(f, 'claude-code', l10n.t('Configure Claude Code with one key variable')),
    );
  }),
  claudeRule('claude.key-missing', (f, a, claude, file) => {
    if (claude.keyVariables.length || (claude.baseUrl !== undefined && !isThisGateway(f, claude.baseUrl))) return undefined;
    if (claude.baseUrl === undefined && !a.configured) return undefined;
    const fromEnv = claudeEnvKey(f);
    if (fromEnv !== undefined && isOurKey(f, fromEnv)) return undefined;
    return make(
      'claude.key-missing',
      fromEnv !== undefined ? 'warning' : 'error',
      l10n.t('Claude Code has no API key for this gateway in its settings'),
      fromEnv !== undefined
        ? l10n.t('settings.json sets no ANTHROPIC_AUTH_TOKEN, so Claude Code uses the key from the environment, which is not the key verified here. Configure Claude Code again to store this key in settings.json.')
        : l10n.t('settings.json sets neither ANTHROPIC_AUTH_TOKEN nor ANTHROPIC_API_KEY, so Claude Code asks you to log in to Anthropic. Configure Claude Code again to store the key.'),
      [l10n.t('{0}: env has no ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY', file)],
      configureFix(f, 'claude-code', l10n.t('Configure Claude Code to store the key')),
    );
  }),
  claudeRule('claude.key-mismatch', (f, _a, claude, file) => {
    if (!claude.keyVariables.length || claude.keyMatches || (claude.baseUrl !== undefined && !isThisGateway(f, claude.baseUrl))) return undefined;
    return make(
      'claude.key-mismatch',
      'error',
      l10n.t('Claude Code sends a different key than the one verified here'),
      l10n.t('The key in settings.json ({0}) is not {1}: it may be an older or deleted key. Configure Claude Code again to write this one.', claude.keyVariables[0]!, f.keyLabel),
      [l10n.t('{0}: env.{1} is not {2}', file, claude.keyVariables[0]!, f.keyLabel)],
      configureFix(f, 'claude-code', l10n.t('Configure Claude Code with this key')),
    );
  }),
  {
    id: 'claude.context-management',
    check(f) {
      const a = agentOf(f, 'claude-code');
      const source = a ? probeSource(a) : undefined;
      if (!a || !source || !a.probe?.contextManagementRejected) return undefined;
      const already = a.claude?.disableExperimentalBetas === true;
      const evidence = describe(source);
      if (a.claude) {
        const file = fileOf(a, /settings\.json$/i, 'settings.json');
        evidence.push(already ? l10n.t('{0}: CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS is on', file) : l10n.t('{0}: CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS is not set', file));
      }
      return make(
        'claude.context-management',
        'error',
        l10n.t('The gateway rejects Claude Code\'s context_management field (400 "Extra inputs are not permitted")'),
        sentences(
          l10n.t('This usually does not mean the key is wrong. Claude Code\'s experimental betas add a context_management field to each request, and this gateway (or its upstream) does not accept it. In Claude Code you see "Unable to connect to Anthropic services / Failed to connect to api.anthropic.com: ERR_BAD_REQUEST" at the top; that is generic wording, not a network problem: the 400 at the bottom is the real error.'),
          already
            ? l10n.t('CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS is already on; some Claude Code versions still send the field. Try DISABLE_PROMPT_CACHING=1 as well, update Claude Code, or ask the gateway\'s operator to accept context_management.')
            : l10n.t('Fix: set CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1 in settings.json (one click below), then open a new terminal and start claude again.'),
        ),
        evidence,
        configureFix(f, 'claude-code', l10n.t('Disable experimental betas'), { claude: { disableExperimentalBetas: true } }),
      );
    },
  },
];
