/** Judges whether the gateway can be reached and is a new-api / one-api gateway: DNS, refused, reset, TLS, timeout, wrong service, broken replies, 5xx, slowness. */
import { SLOW_MS } from '../../statusView';
import { FIX_COMMANDS, type Facts, type Fix } from '../types';
import { hostOf, make, type Rule } from './common';
import { brokenReply, describe, gatewaySource, networkFailure, notGateway, relaySource, serverFailure } from './requests';

function networkRule(id: string, codes: RegExp, title: (host: string) => string, detail: string, fix?: (f: Facts) => Fix): Rule {
  return {
    id,
    check(f) {
      const failed = networkFailure(f);
      if (!failed || !codes.test(failed.req.code ?? '')) return undefined;
      const host = hostOf(f.gatewayRoot);
      return make(id, 'error', title(host), detail, describe(failed), fix?.(f));
    },
  };
}

const addGatewayFix = (f: Facts): Fix => ({ label: 'Correct the gateway address', command: FIX_COMMANDS.addGateway, args: [{ baseUrl: f.gatewayRoot }] });

const TLS_CODES = /CERT|TLS|SSL|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|EPROTO/;
const TIMEOUT_CODES = /^(TIMEOUT|ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT)$/;
const KNOWN_NETWORK_CODES = /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|EPIPE|UND_ERR_SOCKET)$/;

export const GATEWAY_RULES: readonly Rule[] = [
  networkRule(
    'gateway.dns',
    /^(ENOTFOUND|EAI_AGAIN)$/,
    (host) => `The gateway's host name ${host} could not be resolved`,
    'DNS has no address for this host: the address may be misspelt, the machine offline, or a VPN / company DNS required. Check the address in a browser; if it is wrong, add the gateway again with the right one.',
    addGatewayFix,
  ),
  networkRule(
    'gateway.refused',
    /^ECONNREFUSED$/,
    (host) => `Nothing answers at ${host}: the connection was refused`,
    'The host exists but nothing listens on that port. The gateway may be down or restarting, or the address has the wrong port or scheme (http vs https). Try again in a minute, then check the address.',
  ),
  networkRule(
    'gateway.reset',
    /^(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/,
    (host) => `The connection to ${host} was cut off`,
    'The connection was reset before the gateway answered. This is usually a proxy, firewall or VPN in between, or the gateway restarting. Try again; if it persists, check the proxy settings (http.proxy) and the network.',
  ),
  {
    id: 'gateway.tls',
    check(f) {
      const failed = networkFailure(f);
      if (!failed || !TLS_CODES.test(failed.req.code ?? '')) return undefined;
      return make(
        'gateway.tls',
        'error',
        `The TLS certificate of ${hostOf(f.gatewayRoot)} is not trusted`,
        'The secure connection could not be verified (expired, self-signed, or issued for another host name). A company proxy that inspects HTTPS causes this too: its root certificate must be trusted by VS Code. Do not turn off certificate checks for a gateway that receives your API key.',
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
        `${hostOf(f.gatewayRoot)} did not answer in time`,
        'The gateway took too long to answer. It may be overloaded or unreachable from this network (firewall, VPN, proxy). Try again; if it keeps timing out, open the address in a browser.',
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
        `${hostOf(f.gatewayRoot)} could not be reached`,
        'No answer came back from the gateway. Check the network connection, VPN and proxy settings, then try again.',
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
        `${f.gatewayRoot} answers, but not like a new-api / one-api gateway`,
        'GET /api/status did not return the gateway\'s status. The address probably points at a web page, a console sub-path or another service. Use the API address shown in the gateway\'s console (for example https://api.tokaify.com, without /v1).',
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
      const [title, what] =
        code === 'BODY_TOO_LARGE' ? ['The gateway answered with a reply too large to read', 'a far larger reply than any gateway sends']
          : status !== undefined ? ['The gateway answered with a broken (truncated) body', 'a reply that was cut short or is not valid JSON']
            : ['The gateway answered with a reply Tokaify cannot read', 'JSON of a shape new-api and one-api do not send'];
      return make(
        'gateway.bad-response',
        'error',
        title,
        `${broken.label} got ${what}. This is a fault in the gateway or a proxy in between, not in your configuration or the address. Try again; if it persists, ask the gateway's operator.`,
        describe(broken),
      );
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
        `The gateway failed with HTTP ${failed.req.status ?? '5xx'}`,
        'This is a fault on the gateway\'s side (or the proxy in front of it), not in your configuration. Try again in a few minutes; if it persists, tell the gateway\'s operator and quote the request id from the message.',
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
        `The gateway is slow: ${seconds} s to answer ${slowest.label.replace(/^GET /, '')}`,
        `A gateway answers these in well under ${SLOW_MS / 1000} s; at this speed every agent request waits too, and long ones may time out. The gateway may be overloaded, or the network path to it (VPN, proxy) is slow. Try again later; if it stays slow, tell the gateway's operator.`,
        [gatewaySource(f), relaySource(f)].filter((s) => s.req.status !== undefined).flatMap((s) => describe(s).slice(0, 1)),
      );
    },
  },
];
