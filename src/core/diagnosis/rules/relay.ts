/** Judges the key on the relay (GET /v1/models and the agents' test requests): invalid key, token state, credit, IP allowlist, group, ban, rate limit, model list. */
import * as l10n from '@vscode/l10n';
import { CONFIGURE_COMMAND, FIX_COMMANDS, type Facts, type Fix, type Severity } from '../types';
import { consoleFix, list, make, openAiBaseOf, reportedAgents, sentences, tokenFix, type Rule, type TokenFixCommand } from './common';
import { balanceLine, describe, firstRefusal, notGateway, refusal, relaySource, tokenLine, tokenState, type Refusal, type Source, type TokenState } from './requests';

function keyEvidence(f: Facts, source: Source | undefined): string[] {
  const lines = source ? describe(source) : [];
  const token = tokenLine(f);
  if (token) lines.push(token);
  lines.push(l10n.t('Key under test: {0}', f.keyLabel));
  return lines;
}

/**
 * The request that shows a token state: its own message, or, when the console says the token is in that
 * state, a generic 401 (newer new-api answers one "invalid token" for disabled, expired and used-up keys).
 */
function tokenStateSource(f: Facts, state: TokenState): Source | undefined {
  return firstRefusal(f, state) ?? (tokenState(f) === state ? firstRefusal(f, 'invalid') : undefined);
}

function stateDetail(f: Facts, state: TokenState, detail: string): string {
  if (firstRefusal(f, state) !== undefined || tokenStateSource(f, state) === undefined) return detail;
  return sentences(detail, l10n.t('The gateway\'s 401 does not name the reason (newer new-api versions answer one generic "invalid token" for every key problem), but the console shows it.'));
}

/** How a token state reads: the title with and without the token's name, why, and the fix's label. */
interface StateText {
  named: (name: string) => string;
  unnamed: () => string;
  detail: () => string;
  fixLabel: () => string;
}

/** A token the gateway refuses because of its state (or the console shows in it): evidence, why, and the console fix. */
function tokenStateRule(id: string, state: TokenState, text: StateText, fix: TokenFixCommand): Rule {
  return {
    id,
    check(f) {
      const source = tokenStateSource(f, state);
      if (!source && tokenState(f) !== state) return undefined;
      const title = f.token ? text.named(f.token.name) : text.unnamed();
      return make(id, 'error', title, stateDetail(f, state, text.detail()), keyEvidence(f, source), tokenFix(f, fix, text.fixLabel()));
    },
  };
}

/** A refusal of one kind on any keyed request: that request as evidence, plus what the console adds, and a fix if there is one. */
function refusalRule(
  id: string,
  kind: Refusal,
  severity: Severity,
  title: () => string,
  detail: () => string,
  more?: { evidence?: (f: Facts) => string | undefined; fix?: (f: Facts) => Fix },
): Rule {
  return {
    id,
    check(f) {
      const source = firstRefusal(f, kind);
      if (!source) return undefined;
      const evidence = describe(source);
      const extra = more?.evidence?.(f);
      if (extra !== undefined) evidence.push(extra);
      return make(id, severity, title(), detail(), evidence, more?.fix?.(f));
    },
  };
}

export const RELAY_RULES: readonly Rule[] = [
  {
    id: 'relay.key-invalid',
    check(f) {
      const source = firstRefusal(f, 'invalid');
      if (!source || tokenState(f)) return undefined;
      const enabled = f.token?.status === 'enabled';
      // Without a tokenId the configure flow asks which token to use.
      const fix: Fix =
        f.accountKind === 'key'
          ? { label: l10n.t('Sign in again with a valid key'), command: FIX_COMMANDS.addGateway, args: [{ baseUrl: f.gatewayRoot }] }
          : { label: l10n.t('Pick another token'), command: CONFIGURE_COMMAND[reportedAgents(f)[0]?.agent ?? 'codex'], args: [{ accountId: f.accountId }] };
      return make(
        'relay.key-invalid',
        'error',
        l10n.t('The gateway does not accept this API key (401)'),
        sentences(
          enabled
            ? l10n.t('The console lists the token as enabled, so the key Tokaify holds is not (or no longer) that token\'s key: it may have been regenerated, or the token deleted and created again.')
            : l10n.t('The key is unknown to the gateway, incomplete (it must be the full sk-… secret), or was deleted. Newer new-api versions also answer this single 401 for disabled, expired and used-up keys.'),
          l10n.t('Sign in again, or pick another token and configure the agents with it.'),
        ),
        keyEvidence(f, source),
        fix,
      );
    },
  },
  tokenStateRule('relay.token-disabled', 'disabled', {
    named: (name) => l10n.t('The token "{0}" is disabled', name),
    unnamed: () => l10n.t('The token is disabled'),
    detail: () => l10n.t('A disabled token is refused on every request (401 该令牌状态不可用, "this key is disabled"). Enable it in the token list; nothing else needs to change.'),
    fixLabel: () => l10n.t('Enable the token'),
  }, 'enableToken'),
  tokenStateRule('relay.token-expired', 'expired', {
    named: (name) => l10n.t('The token "{0}" has expired', name),
    unnamed: () => l10n.t('The token has expired'),
    detail: () => l10n.t('The token\'s expiry time has passed, so the gateway refuses it (401 该令牌已过期, "this key has expired"). Edit the token and set a later expiry, or "never expires".'),
    fixLabel: () => l10n.t('Extend the token\'s expiry'),
  }, 'editToken'),
  tokenStateRule('relay.token-exhausted', 'exhausted', {
    named: (name) => l10n.t('The token "{0}" has used up its quota', name),
    unnamed: () => l10n.t('The token has used up its quota'),
    detail: () => l10n.t('The token\'s own quota is spent (401 额度已用尽, "this key has used up its quota"), even if the account still has balance. Edit the token: raise its quota or make it unlimited.'),
    fixLabel: () => l10n.t('Raise the token\'s quota'),
  }, 'editToken'),
  {
    id: 'relay.no-credit',
    check(f) {
      const source = firstRefusal(f, 'no-credit');
      const broke = f.user !== undefined && f.user.quota <= 0;
      if (!source && !broke) return undefined;
      const evidence = source ? describe(source) : [];
      const balance = balanceLine(f);
      if (balance) evidence.push(balance);
      return make(
        'relay.no-credit',
        'error',
        l10n.t('The account has no balance left'),
        l10n.t('The key is valid, but the account cannot pay for requests: the gateway answers 403 (insufficient_user_quota / 用户额度不足, "Insufficient credits"). Listing models still works, which is why this can look like a configuration problem. Top up the balance in the console.'),
        evidence,
        consoleFix(f, l10n.t('Open the console to top up')),
      );
    },
  },
  refusalRule(
    'relay.ip-denied',
    'ip-denied',
    'error',
    () => l10n.t('The token does not allow requests from this IP address'),
    () => l10n.t('The token has an IP allowlist and this machine\'s public address is not on it (403 您的 IP 不在令牌允许访问的列表中). A VPN or changing home IP causes this. Add your current address to the token\'s allowlist, or clear the list.'),
    {
      evidence: (f) => (f.token?.allowIps.length ? l10n.t('Token IP allowlist: {0}', list(f.token.allowIps)) : undefined),
      fix: (f) => tokenFix(f, 'editToken', l10n.t('Edit the token\'s IP allowlist')),
    },
  ),
  refusalRule(
    'relay.group',
    'group',
    'error',
    () => l10n.t('The token\'s group is not available to this account'),
    () => l10n.t('The token belongs to a group the user may not use, or the gateway removed that group (403 无权访问 … 分组 / 分组 … 已被弃用). Edit the token and choose one of the groups the console offers.'),
    {
      evidence: (f) => (f.token ? l10n.t('Token group: "{0}"', f.token.group || 'default') : undefined),
      fix: (f) => tokenFix(f, 'editToken', l10n.t('Change the token\'s group')),
    },
  ),
  refusalRule(
    'relay.user-banned',
    'banned',
    'error',
    () => l10n.t('The gateway account is banned'),
    () => l10n.t('The gateway refuses every key of this user (403 用户已被封禁, "this user is banned"). Only the gateway\'s operator can lift this; contact them.'),
  ),
  refusalRule(
    'relay.rate-limited',
    'rate-limited',
    'warning',
    () => l10n.t('The gateway is rate-limiting this key (429)'),
    () => l10n.t('Too many requests in a short time. Wait a minute and verify again; if it happens in normal use, ask the gateway\'s operator about the limits.'),
  ),
  {
    id: 'relay.failed',
    check(f) {
      const req = f.relay;
      if (req.ok || req.status === undefined || req.status >= 500 || req.errorKind === 'badResponse' || refusal(req) !== undefined || notGateway(f) || !f.gateway.ok) {
        return undefined;
      }
      return make(
        'relay.failed',
        'error',
        l10n.t('The model list request failed with HTTP {0}', req.status),
        req.status === 404
          ? l10n.t('{0}/models does not exist: this gateway serves its OpenAI-compatible API somewhere else. Check the gateway address.', openAiBaseOf(f))
          : l10n.t('The gateway refused to list models for this key. The message below says why.'),
        keyEvidence(f, relaySource(f)),
      );
    },
  },
  {
    id: 'relay.no-models',
    check(f) {
      if (!f.relay.ok || !f.relay.models || f.relay.models.length > 0) return undefined;
      return make(
        'relay.no-models',
        'warning',
        l10n.t('The gateway offers no models to this key'),
        l10n.t('GET /v1/models answered with an empty list: the token\'s group has no model with a price, or the token\'s model limits are empty. Check the token\'s group and allowed models in the console.'),
        keyEvidence(f, relaySource(f)),
        tokenFix(f, 'editToken', l10n.t('Edit the token')),
      );
    },
  },
];
