/** Judges OpenCode's config and auth.json: provider entry and id, baseURL, which gateway, default model, and the key it sends. */
import * as l10n from '@vscode/l10n';
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
      l10n.t('OpenCode\'s config has no "{0}" provider for this gateway', oc.providerId),
      l10n.t('The provider entry Tokaify wrote is gone, so OpenCode does not list the gateway\'s models. Configure OpenCode again.'),
      [
        ids.length
          ? l10n.t('{0}: provider.{1} is not defined (defined: {2})', file, oc.providerId, ids.join(', '))
          : l10n.t('{0}: provider.{1} is not defined', file, oc.providerId),
      ],
      configureFix(f, 'opencode', l10n.t('Configure OpenCode again')),
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
          /[A-Z]/.test(id) ? l10n.t('OpenCode provider id "{0}" has capital letters', id) : l10n.t('OpenCode provider id "{0}" has characters OpenCode does not accept', id),
          l10n.t('OpenCode expects provider ids of lowercase letters, digits and hyphens (`opencode auth login` rejects anything else), and the key in auth.json must be stored under exactly the same id. Use "{0}" as the id; the display name can still be "{1}".', id.toLowerCase().replace(/[^0-9a-z-]+/g, '-'), id),
          [`${file}: provider."${id}"`],
          configureFix(f, 'opencode', l10n.t('Configure OpenCode with a lowercase id')),
        ),
      );
  }),
  opencodeRule('opencode.base-url', (f, a) => {
    const selection = opencodeSelection(f, a);
    if (!selection) return undefined;
    const url = selection.provider.baseUrl;
    const line = url === undefined
      ? l10n.t('{0}: provider.{1}.options.baseURL = (not set)', selection.file, selection.id)
      : `${selection.file}: provider.${selection.id}.options.baseURL = "${url}"`;
    if (url === undefined) {
      return make(
        'opencode.base-url',
        'error',
        l10n.t('OpenCode\'s provider "{0}" has no baseURL', selection.id),
        l10n.t('An OpenAI-compatible provider needs options.baseURL; it should be {0}.', openAiBaseOf(f)),
        [line],
        configureFix(f, 'opencode', l10n.t('Configure OpenCode again')),
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
      l10n.t('OpenCode\'s provider "{0}" now uses {1}, not this gateway', selection.id, hostOf(url)),
      l10n.t('The provider points at another address, so the key being verified is not used by OpenCode. If that is intended, nothing is wrong; otherwise configure OpenCode again.'),
      [`${selection.file}: provider.${selection.id}.options.baseURL = "${url}"`, l10n.t('This gateway: {0}', openAiBaseOf(f))],
      configureFix(f, 'opencode', l10n.t('Point OpenCode at this gateway')),
    );
  }),
  opencodeRule('opencode.model', (f, a, oc) => {
    const selection = opencodeSelection(f, a);
    if (!selection) return undefined;
    const config = oc.config!;
    const file = selection.file;
    const model = config.model;
    const fix = configureFix(f, 'opencode', l10n.t('Configure OpenCode\'s default model'));
    if (model === undefined) {
      if (!a.configured) return undefined;
      return make(
        'opencode.model',
        'warning',
        l10n.t('OpenCode has no default model'),
        l10n.t('Without a top-level "model", OpenCode starts with a model of another provider. Pick a {0}/… model with /models, or configure OpenCode to set it.', selection.id),
        [l10n.t('{0}: "model" is not set', file)],
        fix,
      );
    }
    const slash = model.indexOf('/');
    if (slash <= 0) {
      return make(
        'opencode.model',
        'error',
        l10n.t('OpenCode\'s default model "{0}" does not name a provider', model),
        l10n.t('OpenCode models are written provider/model, for example "{0}".', `${selection.id}/${selection.provider.models[0] ?? 'gpt-5.4'}`),
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
        l10n.t('OpenCode\'s default model "{0}" names provider "{1}", which the config does not define', model, providerId),
        l10n.t('So OpenCode does not start with this gateway. Unless "{0}" is a built-in provider you are logged in to, OpenCode fails to load it. Use "{1}/…".', providerId, selection.id),
        [`${file}: "model": "${model}"`, l10n.t('Defined providers: {0}', Object.keys(config.providers).join(', ') || l10n.t('none'))],
        fix,
      );
    }
    if (providerId !== selection.id) {
      if (isThisGateway(f, provider.baseUrl)) return undefined;
      return make(
        'opencode.model',
        'info',
        l10n.t('OpenCode starts with {0}, which does not go through this gateway', model),
        l10n.t('The default model belongs to provider "{0}". The gateway\'s models are still available under {1}/… in /models.', providerId, selection.id),
        [`${file}: "model": "${model}"`],
        fix,
      );
    }
    if (provider.models.includes(modelId)) return undefined;
    return make(
      'opencode.model',
      'error',
      l10n.t('OpenCode\'s default model "{0}" is not defined under provider "{1}"', model, providerId),
      l10n.t('OpenCode only knows the models listed in provider.{0}.models, so it cannot start with {1}. Add it there, or pick one of the listed models.', providerId, modelId),
      [`${file}: "model": "${model}"`, `provider.${providerId}.models: ${list(provider.models) || l10n.t('none')}`],
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
      l10n.t('OpenCode has no API key for provider "{0}"', selection.id),
      l10n.t('OpenCode looks for the key in auth.json under "{0}" (or in options.apiKey) and finds none, so the gateway answers 401. Configure OpenCode again to store the key.', selection.id),
      [l10n.t('{0}: no "{1}" entry of type "api"', auth, selection.id), l10n.t('{0}: provider.{1}.options.apiKey is not set', selection.file, selection.id)],
      configureFix(f, 'opencode', l10n.t('Configure OpenCode to store the key')),
    );
  }),
  opencodeRule('opencode.key-mismatch', (f, a, oc) => {
    const selection = opencodeSelection(f, a);
    if (!selection || !isThisGateway(f, selection.provider.baseUrl) || !oc.authHasKey || oc.authKeyMatches || selection.provider.hasApiKey) return undefined;
    const auth = fileOf(a, /auth\.json$/i, 'auth.json');
    return make(
      'opencode.key-mismatch',
      'error',
      l10n.t('OpenCode sends a different key than the one verified here'),
      l10n.t('The key stored in auth.json for "{0}" is not {1}: it may be an older or deleted key. Configure OpenCode again to write this one.', selection.id, f.keyLabel),
      [l10n.t('{0}: "{1}".key is not {2}', auth, selection.id, f.keyLabel)],
      configureFix(f, 'opencode', l10n.t('Configure OpenCode with this key')),
    );
  }),
];
