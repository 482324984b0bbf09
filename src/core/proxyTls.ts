/**
 * Which undici agent carries the requests, and with which certificate checks. VS Code's
 * `http.proxyStrictSSL: false` exists for a proxy that intercepts TLS (a corporate CA); it must not
 * also switch off certificate checks on direct connections to the gateway, nor on a proxy that only
 * the environment (HTTPS_PROXY) names. Pure, so the choice is unit-tested without VS Code.
 */

export interface TlsOptions {
  rejectUnauthorized: boolean;
}

export type DispatcherPlan =
  /** `http.proxy` is set: a ProxyAgent; the setting's strictness applies to the proxy and to TLS through it. */
  | { kind: 'proxy'; uri: string; proxyTls: TlsOptions; requestTls: TlsOptions }
  /** Direct, or through HTTP(S)_PROXY / NO_PROXY from the environment (EnvHttpProxyAgent): always verified. */
  | { kind: 'env'; connect: TlsOptions };

/** Anything but an explicit `false` keeps checks on: a missing or mistyped setting must not weaken TLS. */
export function dispatcherPlan(proxySetting: unknown, proxyStrictSSL: unknown): DispatcherPlan {
  const uri = typeof proxySetting === 'string' ? proxySetting.trim() : '';
  if (!uri) return { kind: 'env', connect: { rejectUnauthorized: true } };
  const tls = { rejectUnauthorized: proxyStrictSSL !== false };
  return { kind: 'proxy', uri, proxyTls: tls, requestTls: { ...tls } };
}
