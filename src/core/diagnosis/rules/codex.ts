/** Judges Codex's config.toml and auth.json: provider table, wire_api, base_url, which gateway, and the key it sends. */
import type { AgentFacts, Facts, Finding } from '../types';
import { agentOf, codexSelection, configureFix, fileOf, hostOf, isThisGateway, make, openAiBaseOf, v1BaseUrlFinding, type CodexSelection, type Rule } from './common';

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
      `Codex does not start: config.toml selects a profile at its root (profile = "${profile.name}")`,
      'Codex 0.171 and later refuse a root profile ("legacy profile config is no longer supported; use --profile X with X.config.toml"), whatever else the file says. ' +
        'Remove that line (below: Tokaify replaces it by a comment saying what it was; [profiles.*] tables stay). ' +
        `To keep using that profile, put its settings in ${profile.name}.config.toml next to config.toml and start Codex with --profile ${profile.name}.`,
      [`${file}:${profile.line}: profile = "${profile.name}"`],
      configureFix(f, 'codex', 'Remove the root profile line', { codex: { removeLegacyProfile: true } }),
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
      `Codex's model_provider "${id}" has no [model_providers.${id}] table`,
      'Codex looks the provider up by exact, case-sensitive id and refuses to start when it is not defined. Configure Codex again to write the provider table, or correct model_provider.',
      [`${file}: model_provider = "${id}"`, defined.length ? `Defined providers: ${defined.join(', ')}` : 'No [model_providers.*] table is defined'],
      configureFix(f, 'codex', 'Configure Codex again'),
    );
  }),
  codexRule('codex.wire-api', (f, a) => {
    const selection = codexSelection(a);
    const wire = selection?.provider.wireApi;
    if (!selection || wire === undefined || wire === 'responses') return undefined;
    return make(
      'codex.wire-api',
      'error',
      `Codex's provider "${selection.id}" sets wire_api = "${wire}"; Codex only accepts "responses"`,
      wire === 'chat'
        ? 'Current Codex no longer supports wire_api = "chat" and refuses to start ("wire_api = \\"chat\\" is no longer supported"). Set wire_api = "responses": the gateway serves /v1/responses.'
        : `"${wire}" is not a wire API Codex knows; it refuses to start. Set wire_api = "responses".`,
      [`${selection.file}: [model_providers.${selection.id}] wire_api = "${wire}"`],
      configureFix(f, 'codex', 'Configure Codex again'),
    );
  }),
  codexRule('codex.base-url', (f, a) => {
    const selection = codexSelection(a);
    if (!selection) return undefined;
    const url = selection.provider.baseUrl;
    const evidenceLine = `${selection.file}: [model_providers.${selection.id}] base_url = ${url === undefined ? '(not set)' : `"${url}"`}`;
    if (url === undefined) {
      if (!a.configured) return undefined;
      return make(
        'codex.base-url',
        'error',
        `Codex's provider "${selection.id}" has no base_url`,
        `Without base_url Codex sends requests to OpenAI instead of the gateway. It should be ${openAiBaseOf(f)}.`,
        [evidenceLine],
        configureFix(f, 'codex', 'Configure Codex again'),
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
        `Codex uses its built-in "${id ?? 'openai'}" provider, not this gateway`,
        'config.toml does not select the gateway\'s provider, so Codex talks to OpenAI (or its local provider). Configure Codex again to select it.',
        [`${file}: model_provider = ${id === undefined ? '(not set)' : `"${id}"`}`],
        configureFix(f, 'codex', 'Point Codex at this gateway'),
      );
    }
    const url = selection?.provider.baseUrl;
    if (!selection || url === undefined || isThisGateway(f, url)) return undefined;
    return make(
      'codex.other-gateway',
      a.configured ? 'warning' : 'info',
      `Codex now uses ${hostOf(url)}, not this gateway`,
      `The provider Codex selects ("${selection.id}") points at another address, so the key being verified is not used by Codex. If that is intended, nothing is wrong; otherwise configure Codex again.`,
      [`${selection.file}: model_provider = "${selection.id}", base_url = "${url}"`, `This gateway: ${openAiBaseOf(f)}`],
      configureFix(f, 'codex', 'Point Codex at this gateway'),
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
        `Codex reads its key from ${p.envKey}, which is not set`,
        `The provider sets env_key = "${p.envKey}"; Codex stops with an error when that variable is missing or empty. VS Code and its terminals do not have it. Set it in your shell profile and restart VS Code, or let Tokaify store the key in auth.json instead.`,
        [`${file}: [model_providers.${selection.id}] env_key = "${p.envKey}"`, `${p.envKey} is not set in VS Code's environment or terminal.integrated.env`],
        configureFix(f, 'codex', 'Configure Codex to store the key'),
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
      'Codex has no API key for this gateway',
      codex.authMode === 'other'
        ? 'auth.json is in a login mode Codex does not send an API key from (a personal access token, Bedrock or an unknown auth_mode). Configure Codex again to store the key.'
        : 'The provider takes its key from auth.json, but auth.json has no OPENAI_API_KEY, so Codex asks you to log in or sends nothing. Configure Codex again to store the key.',
      [`${file}: [model_providers.${selection.id}]${p.requiresOpenaiAuth ? ' requires_openai_auth = true' : ''} (no env_key, no experimental_bearer_token)`, `${auth}: auth mode ${codex.authMode}, ${codex.authHasKey ? 'has' : 'no'} OPENAI_API_KEY`],
      configureFix(f, 'codex', 'Configure Codex to store the key'),
    );
  }),
  codexRule('codex.chatgpt-mode', (f, a, codex) => {
    const selection = codexHere(f, a);
    if (!selection || selection.provider.envKey || selection.provider.hasBearerToken || codex.authMode !== 'chatgpt') return undefined;
    const auth = fileOf(a, /auth\.json$/i, 'auth.json');
    return make(
      'codex.chatgpt-mode',
      'error',
      'Codex sends your ChatGPT login token to the gateway, not the API key',
      'auth.json is in ChatGPT mode (auth_mode "chatgpt"); in that mode an OPENAI_API_KEY in the same file is ignored, and Codex sends the ChatGPT access token to this gateway, which rejects it. Configure Codex again: either switch auth.json to API-key mode, or keep the ChatGPT login and put the key in config.toml.',
      [`${auth}: auth mode chatgpt${codex.authHasKey ? ' (its OPENAI_API_KEY is ignored)' : ''}`, `${selection.file}: [model_providers.${selection.id}] has no env_key or experimental_bearer_token`],
      configureFix(f, 'codex', 'Configure Codex again'),
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
      'Codex sends a different key than the one verified here',
      `The key in ${bearer ? 'config.toml (experimental_bearer_token)' : 'auth.json (OPENAI_API_KEY)'} is not ${f.keyLabel}: it may be an older or deleted key. Configure Codex again to write this one.`,
      [`${where} is not ${f.keyLabel}`],
      configureFix(f, 'codex', 'Configure Codex with this key'),
    );
  }),
];
