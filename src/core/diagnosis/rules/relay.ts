/** Judges the key on the relay (GET /v1/models and the agents' test requests): invalid key, token state, credit, IP allowlist, group, ban, rate limit, model list. */
import { FIX_COMMANDS, type Facts, type Fix, type Severity } from '../types';
import { CONFIGURE, consoleFix, list, make, openAiBaseOf, reportedAgents, tokenFix, type Rule, type TokenFixCommand } from './common';
import { balanceLine, describe, firstRefusal, notGateway, refusal, relaySource, tokenLine, tokenState, type Refusal, type Source, type TokenState } from './requests';

function keyEvidence(f: Facts, source: Source | undefined): string[] {
  const lines = source ? describe(source) : [];
  const token = tokenLine(f);
  if (token) lines.push(token);
  lines.push(`Key under test: ${f.keyLabel}`);
  return lines;
}

/**
 * The request that shows a token state: its own message, or, when the console says the token is in that
 * state, a generic 401 (newer new-api answers one "invalid token" for disabled, expired and used-up keys).
 */
function tokenStateSource(f: Facts, state: TokenState): Source | undefined {
  return firstRefusal(f, state) ?? (tokenState(f) === state ? firstRefusal(f, 'invalid') : undefined);
}

const GENERIC_401 = ' The gateway\'s 401 does not name the reason (newer new-api versions answer one generic "invalid token" for every key problem), but the console shows it.';

function stateDetail(f: Facts, state: TokenState, detail: string): string {
  return firstRefusal(f, state) === undefined && tokenStateSource(f, state) !== undefined ? detail + GENERIC_401 : detail;
}

/** A token the gateway refuses because of its state (or the console shows in it): evidence, why, and the console fix. */
function tokenStateRule(id: string, state: TokenState, what: string, detail: string, fix: TokenFixCommand, fixLabel: string): Rule {
  return {
    id,
    check(f) {
      const source = tokenStateSource(f, state);
      if (!source && tokenState(f) !== state) return undefined;
      return make(id, 'error', `The token${f.token ? ` "${f.token.name}"` : ''} ${what}`, stateDetail(f, state, detail), keyEvidence(f, source), tokenFix(f, fix, fixLabel));
    },
  };
}

/** A refusal of one kind on any keyed request: that request as evidence, plus what the console adds, and a fix if there is one. */
function refusalRule(
  id: string,
  kind: Refusal,
  severity: Severity,
  title: string,
  detail: string,
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
      return make(id, severity, title, detail, evidence, more?.fix?.(f));
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
          ? { label: 'Sign in again with a valid key', command: FIX_COMMANDS.addGateway, args: [{ baseUrl: f.gatewayRoot }] }
          : { label: 'Pick another token', command: CONFIGURE[reportedAgents(f)[0]?.agent ?? 'codex'], args: [{ accountId: f.accountId }] };
      return make(
        'relay.key-invalid',
        'error',
        'The gateway does not accept this API key (401)',
        (enabled
          ? 'The console lists the token as enabled, so the key Tokaify holds is not (or no longer) that token\'s key: it may have been regenerated, or the token deleted and created again. '
          : 'The key is unknown to the gateway, incomplete (it must be the full sk-… secret), or was deleted. Newer new-api versions also answer this single 401 for disabled, expired and used-up keys. ') +
          'Sign in again, or pick another token and configure the agents with it.',
        keyEvidence(f, source),
        fix,
      );
    },
  },
  tokenStateRule(
    'relay.token-disabled',
    'disabled',
    'is disabled',
    'A disabled token is refused on every request (401 该令牌状态不可用, "this key is disabled"). Enable it in the token list; nothing else needs to change.',
    'enableToken',
    'Enable the token',
  ),
  tokenStateRule(
    'relay.token-expired',
    'expired',
    'has expired',
    'The token\'s expiry time has passed, so the gateway refuses it (401 该令牌已过期, "this key has expired"). Edit the token and set a later expiry, or "never expires".',
    'editToken',
    'Extend the token\'s expiry',
  ),
  tokenStateRule(
    'relay.token-exhausted',
    'exhausted',
    'has used up its quota',
    'The token\'s own quota is spent (401 额度已用尽, "this key has used up its quota"), even if the account still has balance. Edit the token: raise its quota or make it unlimited.',
    'editToken',
    'Raise the token\'s quota',
  ),
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
        'The account has no balance left',
        'The key is valid, but the account cannot pay for requests: the gateway answers 403 (insufficient_user_quota / 用户额度不足, "Insufficient credits"). Listing models still works, which is why this can look like a configuration problem. Top up the balance in the console.',
        evidence,
        consoleFix(f, 'Open the console to top up'),
      );
    },
  },
  refusalRule(
    'relay.ip-denied',
    'ip-denied',
    'error',
    'The token does not allow requests from this IP address',
    'The token has an IP allowlist and this machine\'s public address is not on it (403 您的 IP 不在令牌允许访问的列表中). A VPN or changing home IP causes this. Add your current address to the token\'s allowlist, or clear the list.',
    {
      evidence: (f) => (f.token?.allowIps.length ? `Token IP allowlist: ${list(f.token.allowIps)}` : undefined),
      fix: (f) => tokenFix(f, 'editToken', 'Edit the token\'s IP allowlist'),
    },
  ),
  refusalRule(
    'relay.group',
    'group',
    'error',
    'The token\'s group is not available to this account',
    'The token belongs to a group the user may not use, or the gateway removed that group (403 无权访问 … 分组 / 分组 … 已被弃用). Edit the token and choose one of the groups the console offers.',
    {
      evidence: (f) => (f.token ? `Token group: "${f.token.group || 'default'}"` : undefined),
      fix: (f) => tokenFix(f, 'editToken', 'Change the token\'s group'),
    },
  ),
  refusalRule(
    'relay.user-banned',
    'banned',
    'error',
    'The gateway account is banned',
    'The gateway refuses every key of this user (403 用户已被封禁, "this user is banned"). Only the gateway\'s operator can lift this; contact them.',
  ),
  refusalRule(
    'relay.rate-limited',
    'rate-limited',
    'warning',
    'The gateway is rate-limiting this key (429)',
    'Too many requests in a short time. Wait a minute and verify again; if it happens in normal use, ask the gateway\'s operator about the limits.',
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
        `The model list request failed with HTTP ${req.status}`,
        req.status === 404
          ? `${openAiBaseOf(f)}/models does not exist: this gateway serves its OpenAI-compatible API somewhere else. Check the gateway address.`
          : 'The gateway refused to list models for this key. The message below says why.',
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
        'The gateway offers no models to this key',
        'GET /v1/models answered with an empty list: the token\'s group has no model with a price, or the token\'s model limits are empty. Check the token\'s group and allowed models in the console.',
        keyEvidence(f, relaySource(f)),
        tokenFix(f, 'editToken', 'Edit the token'),
      );
    },
  },
];
