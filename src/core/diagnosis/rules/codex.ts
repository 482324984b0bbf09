/** Judges Codex's config.toml and auth.json: provider table, wire_api, base_url, which gateway, and the key it sends. */
import * as l10n from '@vscode/l10n';
import type { AgentFacts, Facts, Finding } from '../types';
import { agentOf, codexSelection, configureFix, fileOf, hostOf, isThisGateway, make, openAiBaseOf, sentences, v1BaseUrlFinding, type CodexSelection, type Rule } from './common';

/** Codex's built-in provider ids: `model_provider` may name them without a `[model_providers.x]` table. */
const CODEX_BUILTIN_PROVIDERS = ['openai', 'ollama', 'lmstudio', 'amazon-bedrock']; // RESERVED_CODEX_PROVIDER_IDS minus the removed ollama-chat

function codexRule(id: string, check: (f: Facts, a: AgentFacts, codex: NonNullable<AgentFacts['codex']>) => Finding | undefined): Rule {
  return {
    id,
    check(f) {
      const a = agentOf(f, 'codex');
      return a?.codex ? check(f, a, a.codex) : undefined;
    },
  };
}

/** Codex's selected provider, when it points at this gateway (the key checks only make sense then). */
function codexHere(f: Facts, a: AgentFacts): CodexSelection | undefined {
  const selection = codexSelection(a);
  return selection && isThisGateway(f, selection.provider.baseUrl) ? selection : undefined;
}

export const CODEX_RULES: readonly Rule[] = [
  codexRule('codex.legacy-profile', (f, a, codex) => {
    const profile = codex.config?.legacyProfile;
    if (!profile) return undefined;
    const file = fileOf(a, /config\.toml$/i, 'config.toml');
    return make(
      'codex.legacy-profile',
      'error',
      l10n.t('Codex does not start: config.toml selects a profile at its root (profile = "{0}")', profile.name),
      sentences(
        l10n.t('Codex 0.171 and later refuse a root profile ("legacy profile config is no longer supported; use --profile X with X.config.toml"), whatever else the file says.'),
        l10n.t('Remove that line (below: Tokaify replaces it by a comment saying what it was; [profiles.*] tables stay).'),
        l10n.t('To keep using that profile, put its settings in {0}.config.toml next to config.toml and start Codex with --profile {0}.', profile.name),
      ),
      [`${file}:${profile.line}: profile = "${profile.name}"`],
      configureFix(f, 'codex', l10n.t('Remove the root profile line'), { codex: { removeLegacyProfile: true } }),
    );
  }),
  codexRule('codex.provider-missing', (f, a, codex) => {
    const id = codex.config?.modelProvider;
    if (!codex.config || id === undefined || codex.config.providers[id] || CODEX_BUILTIN_PROVIDERS.includes(id)) return undefined;
    const file = fileOf(a, /config\.toml$/i, 'config.toml');
    const defined = Object.keys(codex.config.providers);
    return make(
      'codex.provider-missing',
      'error',
      l10n.t('Codex\'s model_provider "{0}" has no [model_providers.{0}] table', id),
      l10n.t('Codex looks the provider up by exact, case-sensitive id and refuses to start when it is not defined. Configure Codex again to write the provider table, or correct model_provider.'),
      [`${file}: model_provider = "${id}"`, defined.length ? l10n.t('Defined providers: {0}', defined.join(', ')) : l10n.t('No [model_providers.*] table is defined')],
      configureFix(f, 'codex', l10n.t('Configure Codex again')),
    );
  }),
  codexRule('codex.wire-api', (f, a) => {
    const selection = codexSelection(a);
    const wire = selection?.provider.wireApi;
    if (!selection || wire === undefined || wire === 'responses') return undefined;
    return make(
      'codex.wire-api',
      'error',
      l10n.t('Codex\'s provider "{0}" sets wire_api = "{1}"; Codex only accepts "responses"', selection.id, wire),
      wire === 'chat'
        ? l10n.t('Current Codex no longer supports wire_api = "chat" and refuses to start ("wire_api = \\"chat\\" is no longer supported"). Set wire_api = "responses": the gateway serves /v1/responses.')
        : l10n.t('"{0}" is not a wire API Codex knows; it refuses to start. Set wire_api = "responses".', wire),
      [`${selection.file}: [model_providers.${selection.id}] wire_api = "${wire}"`],
      configureFix(f, 'codex', l10n.t('Configure Codex again')),
    );
  }),
  codexRule('codex.base-url', (f, a) => {
    const selection = codexSelection(a);
    if (!selection) return undefined;
    const url = selection.provider.baseUrl;
    const evidenceLine = url === undefined
      ? l10n.t('{0}: [model_providers.{1}] base_url = (not set)', selection.file, selection.id)
      : `${selection.file}: [model_providers.${selection.id}] base_url = "${url}"`;
    if (url === undefined) {
      if (!a.configured) return undefined;
      return make(
        'codex.base-url',
        'error',
        l10n.t('Codex\'s provider "{0}" has no base_url', selection.id),
        l10n.t('Without base_url Codex sends requests to OpenAI instead of the gateway. It should be {0}.', openAiBaseOf(f)),
        [evidenceLine],
        configureFix(f, 'codex', l10n.t('Configure Codex again')),
      );
    }
    return v1BaseUrlFinding(f, 'codex.base-url', 'codex', { tool: 'Codex', field: 'base_url', route: '/responses' }, url, [evidenceLine]);
  }),
  codexRule('codex.other-gateway', (f, a, codex) => {
    if (!codex.config) return undefined;
    const id = codex.config.modelProvider;
    const file = fileOf(a, /config\.toml$/i, 'config.toml');
    const selection = codexSelection(a);
    const builtin = id === undefined || (!selection && CODEX_BUILTIN_PROVIDERS.includes(id));
    if (builtin) {
      if (!a.configured) return undefined;
      return make(
        'codex.other-gateway',
        'warning',
        l10n.t('Codex uses its built-in "{0}" provider, not this gateway', id ?? 'openai'),
        l10n.t('config.toml does not select the gateway\'s provider, so Codex talks to OpenAI (or its local provider). Configure Codex again to select it.'),
        [id === undefined ? l10n.t('{0}: model_provider = (not set)', file) : `${file}: model_provider = "${id}"`],
        configureFix(f, 'codex', l10n.t('Point Codex at this gateway')),
      );
    }
    const url = selection?.provider.baseUrl;
    if (!selection || url === undefined || isThisGateway(f, url)) return undefined;
    return make(
      'codex.other-gateway',
      a.configured ? 'warning' : 'info',
      l10n.t('Codex now uses {0}, not this gateway', hostOf(url)),
      l10n.t('The provider Codex selects ("{0}") points at another address, so the key being verified is not used by Codex. If that is intended, nothing is wrong; otherwise configure Codex again.', selection.id),
      [`${selection.file}: model_provider = "${selection.id}", base_url = "${url}"`, l10n.t('This gateway: {0}', openAiBaseOf(f))],
      configureFix(f, 'codex', l10n.t('Point Codex at this gateway')),
    );
  }),
  codexRule('codex.key-missing', (f, a, codex) => {
    const selection = codexHere(f, a);
    if (!selection) return undefined;
    const p = selection.provider;
    const file = selection.file;
    if (p.envKey) {
      if (f.environment.processEnv[p.envKey] !== undefined || f.environment.terminalEnv[p.envKey] !== undefined) return undefined;
      return make(
        'codex.key-missing',
        'error',
        l10n.t('Codex reads its key from {0}, which is not set', p.envKey),
        l10n.t('The provider sets env_key = "{0}"; Codex stops with an error when that variable is missing or empty. VS Code and its terminals do not have it. Set it in your shell profile and restart VS Code, or let Tokaify store the key in auth.json instead.', p.envKey),
        [`${file}: [model_providers.${selection.id}] env_key = "${p.envKey}"`, l10n.t('{0} is not set in VS Code\'s environment or terminal.integrated.env', p.envKey)],
        configureFix(f, 'codex', l10n.t('Configure Codex to store the key')),
      );
    }
    if (p.hasBearerToken) return undefined;
    if (a.parseProblems.some((x) => /auth\.json$/i.test(x.path))) return undefined;
    const auth = fileOf(a, /auth\.json$/i, 'auth.json');
    if (codex.authMode === 'chatgpt') return undefined; // codex.chatgpt-mode
    if (codex.authHasKey && codex.authMode === 'apikey') return undefined;
    return make(
      'codex.key-missing',
      'error',
      l10n.t('Codex has no API key for this gateway'),
      codex.authMode === 'other'
        ? l10n.t('auth.json is in a login mode Codex does not send an API key from (a personal access token, Bedrock or an unknown auth_mode). Configure Codex again to store the key.')
        : l10n.t('The provider takes its key from auth.json, but auth.json has no OPENAI_API_KEY, so Codex asks you to log in or sends nothing. Configure Codex again to store the key.'),
      [
        l10n.t('{0}: [model_providers.{1}]{2} (no env_key, no experimental_bearer_token)', file, selection.id, p.requiresOpenaiAuth ? ' requires_openai_auth = true' : ''),
        codex.authHasKey
          ? l10n.t('{0}: auth mode {1}, has OPENAI_API_KEY', auth, codex.authMode)
          : l10n.t('{0}: auth mode {1}, no OPENAI_API_KEY', auth, codex.authMode),
      ],
      configureFix(f, 'codex', l10n.t('Configure Codex to store the key')),
    );
  }),
  codexRule('codex.chatgpt-mode', (f, a, codex) => {
    const selection = codexHere(f, a);
    if (!selection || selection.provider.envKey || selection.provider.hasBearerToken || codex.authMode !== 'chatgpt') return undefined;
    const auth = fileOf(a, /auth\.json$/i, 'auth.json');
    return make(
      'codex.chatgpt-mode',
      'error',
      l10n.t('Codex sends your ChatGPT login token to the gateway, not the API key'),
      l10n.t('auth.json is in ChatGPT mode (auth_mode "chatgpt"); in that mode an OPENAI_API_KEY in the same file is ignored, and Codex sends the ChatGPT access token to this gateway, which rejects it. Configure Codex again: either switch auth.json to API-key mode, or keep the ChatGPT login and put the key in config.toml.'),
      [
        codex.authHasKey ? l10n.t('{0}: auth mode chatgpt (its OPENAI_API_KEY is ignored)', auth) : l10n.t('{0}: auth mode chatgpt', auth),
        l10n.t('{0}: [model_providers.{1}] has no env_key or experimental_bearer_token', selection.file, selection.id),
      ],
      configureFix(f, 'codex', l10n.t('Configure Codex again')),
    );
  }),
  codexRule('codex.key-mismatch', (f, a, codex) => {
    const selection = codexHere(f, a);
    if (!selection || selection.provider.envKey) return undefined;
    const bearer = selection.provider.hasBearerToken;
    if (bearer ? codex.bearerKeyMatches : !(codex.authMode === 'apikey' && codex.authHasKey && !codex.authKeyMatches)) return undefined;
    const where = bearer ? `${selection.file}: [model_providers.${selection.id}] experimental_bearer_token` : `${fileOf(a, /auth\.json$/i, 'auth.json')}: OPENAI_API_KEY`;
    return make(
      'codex.key-mismatch',
      'error',
      l10n.t('Codex sends a different key than the one verified here'),
      l10n.t('The key in {0} is not {1}: it may be an older or deleted key. Configure Codex again to write this one.', bearer ? 'config.toml (experimental_bearer_token)' : 'auth.json (OPENAI_API_KEY)', f.keyLabel),
      [l10n.t('{0} is not {1}', where, f.keyLabel)],
      configureFix(f, 'codex', l10n.t('Configure Codex with this key')),
    );
  }),
];
