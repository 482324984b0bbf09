/** Judges whether the gateway can be reached and is a new-api / one-api gateway: DNS, refused, reset, TLS, timeout, wrong service, broken replies, 5xx, slowness. */
import * as l10n from '@vscode/l10n';
import { SLOW_MS } from '../../statusView';
import { FIX_COMMANDS, type Facts, type Fix } from '../types';
import { hostOf, make, sentences, type Rule } from './common';
import { brokenReply, describe, gatewaySource, networkFailure, notGateway, relaySource, serverFailure } from './requests';

/** `title` and `detail` are functions: the table is built at load, before the language is set. */
function networkRule(id: string, codes: RegExp, title: (host: string) => string, detail: () => string, fix?: (f: Facts) => Fix): Rule {
  return {
    id,
    check(f) {
      const failed = networkFailure(f);
      if (!failed || !codes.test(failed.req.code ?? '')) return undefined;
      const host = hostOf(f.gatewayRoot);
      return make(id, 'error', title(host), detail(), describe(failed), fix?.(f));
    },
  };
}

const addGatewayFix = (f: Facts): Fix => ({ label: l10n.t('Correct the gateway address'), command: FIX_COMMANDS.addGateway, args: [{ baseUrl: f.gatewayRoot }] });

const TLS_CODES = /CERT|TLS|SSL|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|EPROTO/;
const TIMEOUT_CODES = /^(TIMEOUT|ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT)$/;
const KNOWN_NETWORK_CODES = /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|EPIPE|UND_ERR_SOCKET)$/;

export const GATEWAY_RULES: readonly Rule[] = [
  networkRule(
    'gateway.dns',
    /^(ENOTFOUND|EAI_AGAIN)$/,
    (host) => l10n.t('The gateway\'s host name {0} could not be resolved', host),
    () => l10n.t('DNS has no address for this host: the address may be misspelt, the machine offline, or a VPN / company DNS required. Check the address in a browser; if it is wrong, add the gateway again with the right one.'),
    addGatewayFix,
  ),
  networkRule(
    'gateway.refused',
    /^ECONNREFUSED$/,
    (host) => l10n.t('Nothing answers at {0}: the connection was refused', host),
    () => l10n.t('The host exists but nothing listens on that port. The gateway may be down or restarting, or the address has the wrong port or scheme (http vs https). Try again in a minute, then check the address.'),
  ),
  networkRule(
    'gateway.reset',
    /^(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/,
    (host) => l10n.t('The connection to {0} was cut off', host),
    () => l10n.t('The connection was reset before the gateway answered. This is usually a proxy, firewall or VPN in between, or the gateway restarting. Try again; if it persists, check the proxy settings (http.proxy) and the network.'),
  ),
  {
    id: 'gateway.tls',
    check(f) {
      const failed = networkFailure(f);
      if (!failed || !TLS_CODES.test(failed.req.code ?? '')) return undefined;
      return make(
        'gateway.tls',
        'error',
        l10n.t('The TLS certificate of {0} is not trusted', hostOf(f.gatewayRoot)),
        l10n.t('The secure connection could not be verified (expired, self-signed, or issued for another host name). A company proxy that inspects HTTPS causes this too: its root certificate must be trusted by VS Code. Do not turn off certificate checks for a gateway that receives your API key.'),
        describe(failed),
      );
    },
  },
  {
    id: 'gateway.timeout',
    check(f) {
      const failed = [gatewaySource(f), relaySource(f)].find((s) => !s.req.ok && (s.req.errorKind === 'timeout' || TIMEOUT_CODES.test(s.req.code ?? '')));
      if (!failed) return undefined;
      return make(
        'gateway.timeout',
        'error',
        l10n.t('{0} did not answer in time', hostOf(f.gatewayRoot)),
        l10n.t('The gateway took too long to answer. It may be overloaded or unreachable from this network (firewall, VPN, proxy). Try again; if it keeps timing out, open the address in a browser.'),
        describe(failed),
      );
    },
  },
  {
    id: 'gateway.unreachable',
    check(f) {
      const failed = networkFailure(f);
      if (!failed || failed.req.errorKind === 'timeout') return undefined;
      const code = failed.req.code ?? '';
      if (KNOWN_NETWORK_CODES.test(code) || TLS_CODES.test(code) || TIMEOUT_CODES.test(code)) return undefined;
      return make(
        'gateway.unreachable',
        'error',
        l10n.t('{0} could not be reached', hostOf(f.gatewayRoot)),
        l10n.t('No answer came back from the gateway. Check the network connection, VPN and proxy settings, then try again.'),
        describe(failed),
      );
    },
  },
  {
    id: 'gateway.not-gateway',
    check(f) {
      if (!notGateway(f)) return undefined;
      return make(
        'gateway.not-gateway',
        'error',
        l10n.t('{0} answers, but not like a new-api / one-api gateway', f.gatewayRoot),
        l10n.t('GET /api/status did not return the gateway\'s status. The address probably points at a web page, a console sub-path or another service. Use the API address shown in the gateway\'s console (for example https://api.tokaify.com, without /v1).'),
        describe(gatewaySource(f)),
        addGatewayFix(f),
      );
    },
  },
  {
    id: 'gateway.bad-response',
    check(f) {
      const broken = brokenReply(f);
      if (!broken) return undefined;
      // The right server answered: its address is correct, so no "correct the address" fix here.
      const { code, status } = broken.req;
      const advice = l10n.t('This is a fault in the gateway or a proxy in between, not in your configuration or the address. Try again; if it persists, ask the gateway\'s operator.');
      const [title, what] =
        code === 'BODY_TOO_LARGE'
          ? [l10n.t('The gateway answered with a reply too large to read'), l10n.t('{0} got a far larger reply than any gateway sends.', broken.label)]
          : status !== undefined
            ? [l10n.t('The gateway answered with a broken (truncated) body'), l10n.t('{0} got a reply that was cut short or is not valid JSON.', broken.label)]
            : [l10n.t('The gateway answered with a reply Tokaify cannot read'), l10n.t('{0} got JSON of a shape new-api and one-api do not send.', broken.label)];
      return make('gateway.bad-response', 'error', title, sentences(what, advice), describe(broken));
    },
  },
  {
    id: 'gateway.server-error',
    check(f) {
      const failed = serverFailure(f);
      if (!failed) return undefined;
      return make(
        'gateway.server-error',
        'error',
        l10n.t('The gateway failed with HTTP {0}', failed.req.status ?? '5xx'),
        l10n.t('This is a fault on the gateway\'s side (or the proxy in front of it), not in your configuration. Try again in a few minutes; if it persists, tell the gateway\'s operator and quote the request id from the message.'),
        describe(failed),
      );
    },
  },
  {
    id: 'gateway.slow',
    check(f) {
      // Answers (any status) slower than the status bar's "slow" mark, so the two agree; the test requests wait on a model and do not count.
      const slowest = [gatewaySource(f), relaySource(f)]
        .filter((s) => s.req.status !== undefined && (s.req.latencyMs ?? 0) > SLOW_MS)
        .sort((a, b) => (b.req.latencyMs ?? 0) - (a.req.latencyMs ?? 0))[0];
      if (!slowest) return undefined;
      const seconds = ((slowest.req.latencyMs ?? 0) / 1000).toFixed(1);
      return make(
        'gateway.slow',
        'warning',
        l10n.t('The gateway is slow: {0} s to answer {1}', seconds, slowest.label.replace(/^GET /, '')),
        l10n.t('A gateway answers these in well under {0} s; at this speed every agent request waits too, and long ones may time out. The gateway may be overloaded, or the network path to it (VPN, proxy) is slow. Try again later; if it stays slow, tell the gateway\'s operator.', SLOW_MS / 1000),
        [gatewaySource(f), relaySource(f)].filter((s) => s.req.status !== undefined).flatMap((s) => describe(s).slice(0, 1)),
      );
    },
  },
];
