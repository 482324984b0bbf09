/** Judges OpenCode's config and auth.json: provider entry and id, baseURL, which gateway, default model, and the key it sends. */
import type { AgentFacts, Facts, Finding } from '../types';
import { agentOf, configureFix, fileOf, hostOf, isThisGateway, list, make, openAiBaseOf, opencodeSelection, v1BaseUrlFinding, type Rule } from './common';

/** What `opencode auth login` accepts as a provider id. */
const OPENCODE_PROVIDER_ID = /^[0-9a-z-]+$/;

function opencodeRule(id: string, check: (f: Facts, a: AgentFacts, oc: NonNullable<AgentFacts['opencode']>) => Finding | Finding[] | undefined): Rule {
  return {
    id,
    check(f) {
      const a = agentOf(f, 'opencode');
      return a?.opencode?.config ? check(f, a, a.opencode) : undefined;
    },
  };
}

export const OPENCODE_RULES: readonly Rule[] = [
  opencodeRule('opencode.provider-missing', (f, a, oc) => {
    if (!a.configured || opencodeSelection(f, a)) return undefined;
    const file = fileOf(a, /\.jsonc?$/i, 'opencode.json');
    const ids = Object.keys(oc.config?.providers ?? {});
    return make(
      'opencode.provider-missing',
      'error',
      `OpenCode's config has no "${oc.providerId}" provider for this gateway`,
      'The provider entry Tokaify wrote is gone, so OpenCode does not list the gateway\'s models. Configure OpenCode again.',
      [`${file}: provider.${oc.providerId} is not defined${ids.length ? ` (defined: ${ids.join(', ')})` : ''}`],
      configureFix(f, 'opencode', 'Configure OpenCode again'),
    );
  }),
  opencodeRule('opencode.provider-id', (f, a, oc) => {
    const providers = oc.config?.providers ?? {};
    const file = fileOf(a, /\.jsonc?$/i, 'opencode.json');
    const ids = new Set<string>([oc.providerId, ...Object.keys(providers).filter((id) => isThisGateway(f, providers[id]?.baseUrl))]);
    return [...ids]
      .filter((id) => !OPENCODE_PROVIDER_ID.test(id) && (providers[id] !== undefined || id === oc.providerId))
      .map((id) =>
        make(
          'opencode.provider-id',
          'warning',
          /[A-Z]/.test(id) ? `OpenCode provider id "${id}" has capital letters` : `OpenCode provider id "${id}" has characters OpenCode does not accept`,
          `OpenCode expects provider ids of lowercase letters, digits and hyphens (\`opencode auth login\` rejects anything else), and the key in auth.json must be stored under exactly the same id. Use "${id.toLowerCase().replace(/[^0-9a-z-]+/g, '-')}" as the id; the display name can still be "${id}".`,
          [`${file}: provider."${id}"`],
          configureFix(f, 'opencode', 'Configure OpenCode with a lowercase id'),
        ),
      );
  }),
  opencodeRule('opencode.base-url', (f, a) => {
    const selection = opencodeSelection(f, a);
    if (!selection) return undefined;
    const url = selection.provider.baseUrl;
    const line = `${selection.file}: provider.${selection.id}.options.baseURL = ${url === undefined ? '(not set)' : `"${url}"`}`;
    if (url === undefined) {
      return make(
        'opencode.base-url',
        'error',
        `OpenCode's provider "${selection.id}" has no baseURL`,
        `An OpenAI-compatible provider needs options.baseURL; it should be ${openAiBaseOf(f)}.`,
        [line],
        configureFix(f, 'opencode', 'Configure OpenCode again'),
      );
    }
    return v1BaseUrlFinding(f, 'opencode.base-url', 'opencode', { tool: 'OpenCode', field: 'baseURL', route: '/chat/completions' }, url, [line]);
  }),
  opencodeRule('opencode.other-gateway', (f, a) => {
    const selection = opencodeSelection(f, a);
    const url = selection?.provider.baseUrl;
    if (!selection || url === undefined || isThisGateway(f, url)) return undefined;
    return make(
      'opencode.other-gateway',
      a.configured ? 'warning' : 'info',
      `OpenCode's provider "${selection.id}" now uses ${hostOf(url)}, not this gateway`,
      'The provider points at another address, so the key being verified is not used by OpenCode. If that is intended, nothing is wrong; otherwise configure OpenCode again.',
      [`${selection.file}: provider.${selection.id}.options.baseURL = "${url}"`, `This gateway: ${openAiBaseOf(f)}`],
      configureFix(f, 'opencode', 'Point OpenCode at this gateway'),
    );
  }),
  opencodeRule('opencode.model', (f, a, oc) => {
    const selection = opencodeSelection(f, a);
    if (!selection) return undefined;
    const config = oc.config!;
    const file = selection.file;
    const model = config.model;
    const fix = configureFix(f, 'opencode', 'Configure OpenCode\'s default model');
    if (model === undefined) {
      if (!a.configured) return undefined;
      return make(
        'opencode.model',
        'warning',
        'OpenCode has no default model',
        `Without a top-level "model", OpenCode starts with a model of another provider. Pick a ${selection.id}/… model with /models, or configure OpenCode to set it.`,
        [`${file}: "model" is not set`],
        fix,
      );
    }
    const slash = model.indexOf('/');
    if (slash <= 0) {
      return make(
        'opencode.model',
        'error',
        `OpenCode's default model "${model}" does not name a provider`,
        `OpenCode models are written provider/model, for example "${selection.id}/${selection.provider.models[0] ?? 'gpt-5.4'}".`,
        [`${file}: "model": "${model}"`],
        fix,
      );
    }
    const providerId = model.slice(0, slash);
    const modelId = model.slice(slash + 1);
    const provider = config.providers[providerId];
    if (!provider) {
      return make(
        'opencode.model',
        'warning',
        `OpenCode's default model "${model}" names provider "${providerId}", which the config does not define`,
        `So OpenCode does not start with this gateway. Unless "${providerId}" is a built-in provider you are logged in to, OpenCode fails to load it. Use "${selection.id}/…".`,
        [`${file}: "model": "${model}"`, `Defined providers: ${Object.keys(config.providers).join(', ') || 'none'}`],
        fix,
      );
    }
    if (providerId !== selection.id) {
      if (isThisGateway(f, provider.baseUrl)) return undefined;
      return make(
        'opencode.model',
        'info',
        `OpenCode starts with ${model}, which does not go through this gateway`,
        `The default model belongs to provider "${providerId}". The gateway's models are still available under ${selection.id}/… in /models.`,
        [`${file}: "model": "${model}"`],
        fix,
      );
    }
    if (provider.models.includes(modelId)) return undefined;
    return make(
      'opencode.model',
      'error',
      `OpenCode's default model "${model}" is not defined under provider "${providerId}"`,
      `OpenCode only knows the models listed in provider.${providerId}.models, so it cannot start with ${modelId}. Add it there, or pick one of the listed models.`,
      [`${file}: "model": "${model}"`, `provider.${providerId}.models: ${list(provider.models) || 'none'}`],
      fix,
    );
  }),
  opencodeRule('opencode.key-missing', (f, a, oc) => {
    const selection = opencodeSelection(f, a);
    if (!selection || !isThisGateway(f, selection.provider.baseUrl) || oc.authHasKey || selection.provider.hasApiKey) return undefined;
    const auth = fileOf(a, /auth\.json$/i, 'auth.json');
    return make(
      'opencode.key-missing',
      'error',
      `OpenCode has no API key for provider "${selection.id}"`,
      `OpenCode looks for the key in auth.json under "${selection.id}" (or in options.apiKey) and finds none, so the gateway answers 401. Configure OpenCode again to store the key.`,
      [`${auth}: no "${selection.id}" entry of type "api"`, `${selection.file}: provider.${selection.id}.options.apiKey is not set`],
      configureFix(f, 'opencode', 'Configure OpenCode to store the key'),
    );
  }),
  opencodeRule('opencode.key-mismatch', (f, a, oc) => {
    const selection = opencodeSelection(f, a);
    if (!selection || !isThisGateway(f, selection.provider.baseUrl) || !oc.authHasKey || oc.authKeyMatches || selection.provider.hasApiKey) return undefined;
    const auth = fileOf(a, /auth\.json$/i, 'auth.json');
    return make(
      'opencode.key-mismatch',
      'error',
      'OpenCode sends a different key than the one verified here',
      `The key stored in auth.json for "${selection.id}" is not ${f.keyLabel}: it may be an older or deleted key. Configure OpenCode again to write this one.`,
      [`${auth}: "${selection.id}".key is not ${f.keyLabel}`],
      configureFix(f, 'opencode', 'Configure OpenCode with this key'),
    );
  }),
];
