// The user's proxy settings, honoured: Tokaify's requests go through VS Code's patched fetch, so
// `http.proxy`, `http.noProxy` and `http.proxySupport` decide the route. A logging proxy shows which
// requests passed through it.
//
// What the experiment found (code-server 4.139.1, @vscode/proxy-agent 0.45.0):
// - The proxy resolver sends `localhost`, `127.0.0.1`, `::1` and `::ffff:127.0.0.1` DIRECT whatever the
//   settings say (it compares the host name, not the address). So the simulator listens on 127.0.0.2:
//   loopback to the kernel (Linux routes all of 127/8 to `lo`), an ordinary host to the resolver. Where
//   127.0.0.2 cannot be bound (macOS without an alias) the machine's own non-internal IPv4 stands in.
// - The fetch patch reads `http.proxy`, `http.noProxy` and `http.proxySupport` on every request, so a
//   change applies to the next request without a reload (HTTP(S)_PROXY / NO_PROXY are read once, when
//   the extension host starts, and are not exercised here).
// - undici's ProxyAgent tunnels http:// requests too (CONNECT host:port), so the proxy sees the
//   gateway's host:port, not the paths.
import assert from 'node:assert/strict';
import os from 'node:os';
import * as vscode from 'vscode';
import { HttpClient } from '../../src/core/http';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';
import type { TokaifyApi } from '../../src/vscode/extension';
import { activateExtension, signOutAll } from './helpers';
import { startLoggingProxy, type LoggingProxy } from './loggingProxy';

type HttpSetting = 'proxy' | 'noProxy' | 'proxySupport';
const SETTINGS: HttpSetting[] = ['proxy', 'noProxy', 'proxySupport'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sets the User (Global) value of http.<key> and waits until this extension host sees it. */
async function setHttp(key: HttpSetting, value: unknown): Promise<void> {
  const config = () => vscode.workspace.getConfiguration('http');
  await config().update(key, value, vscode.ConfigurationTarget.Global);
  const want = JSON.stringify(value ?? config().inspect(key)?.defaultValue);
  for (const end = Date.now() + 5000; JSON.stringify(config().get(key)) !== want;) {
    if (Date.now() > end) throw new Error(`http.${key} did not become ${want} in the extension host (it is ${JSON.stringify(config().get(key))})`);
    await sleep(20);
  }
}

/** A gateway whose host the proxy resolver does not take for loopback. */
async function startNonLoopbackNamedGateway(): Promise<RunningGateway> {
  try {
    return await startGateway({ flavor: 'new-api', host: '127.0.0.2' });
  } catch {
    const own = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!own) throw new Error('no address to give the simulator that the proxy resolver would not bypass as loopback');
    return startGateway({ flavor: 'new-api', host: own.address });
  }
}

describe('Proxy: requests follow VS Code\'s http.proxy, http.noProxy and http.proxySupport', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let proxy: LoggingProxy;
  let hostPort: string;
  const saved = new Map<HttpSetting, unknown>();

  const refreshed = async () => {
    await api.statusBar.refreshNow();
    return api.statusBar.text;
  };
  const proxiedToGateway = () => proxy.targets().filter((t) => t === hostPort).length;

  before(async () => {
    api = await activateExtension();
    await signOutAll(api);
    for (const key of SETTINGS) saved.set(key, vscode.workspace.getConfiguration('http').inspect(key)?.globalValue);
    proxy = await startLoggingProxy();
    gw = await startNonLoopbackNamedGateway();
    hostPort = new URL(gw.url).host;
  });
  after(async () => {
    for (const key of SETTINGS) await setHttp(key, saved.get(key));
    await signOutAll(api);
    await gw?.close();
    await proxy?.close();
  });

  it('with http.proxy set, sign-in and the status bar reach the gateway through the proxy', async () => {
    await setHttp('proxySupport', 'override');
    await setHttp('proxy', proxy.url);
    const outcome = await api.internal.addGateway({ baseUrl: gw.url, method: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const afterSignIn = proxiedToGateway();
    assert.ok(afterSignIn > 0, `the proxy saw no request to ${hostPort}: ${JSON.stringify(proxy.log)}`);
    assert.ok(gw.requests.length > 0);

    proxy.dropConnections(); // the refresh cannot ride a tunnel already logged
    const before = proxy.log.length;
    const requestsBefore = gw.requests.length;
    assert.equal(await refreshed(), '$(pass) Tokaify: $10.00');
    assert.ok(gw.requests.length > requestsBefore, 'the refresh reached the gateway');
    const fresh = proxy.log.slice(before).map((r) => `${r.method} ${r.target}`);
    assert.ok(fresh.length > 0 && fresh.every((r) => r === `CONNECT ${hostPort}`), `the refresh went through the proxy: ${JSON.stringify(fresh)}`);
    assert.deepEqual([...new Set(proxy.targets())], [hostPort], 'the proxy saw requests to the gateway only');
  });

  it('the setting is read on every request: a proxy that is down makes the next refresh fail', async () => {
    const dead = await startLoggingProxy();
    await dead.close(); // a port where nothing listens now
    await setHttp('proxy', dead.url);
    assert.match(await refreshed(), /\(stale\) · offline$/);
    await setHttp('proxy', proxy.url);
    assert.equal(await refreshed(), '$(pass) Tokaify: $10.00');
  });

  /** The status bar's check and a plain request both reach the gateway, and the proxy sees neither. */
  async function assertDirect(): Promise<void> {
    proxy.dropConnections(); // a kept-alive tunnel would carry a proxied request unlogged
    const seen = proxy.log.length;
    const requestsBefore = gw.requests.length;
    assert.equal(await refreshed(), '$(pass) Tokaify: $10.00');
    assert.equal((await new HttpClient().send({ method: 'GET', url: `${gw.url}/api/status` })).status, 200);
    assert.ok(gw.requests.length >= requestsBefore + 2, 'both requests reached the gateway');
    assert.deepEqual(proxy.log.slice(seen), [], 'nothing went through the proxy');
  }

  it('http.noProxy listing the gateway\'s host: requests go direct and succeed', async () => {
    await setHttp('proxy', proxy.url);
    await setHttp('noProxy', [new URL(gw.url).hostname]);
    try {
      await assertDirect();
    } finally {
      await setHttp('noProxy', undefined);
    }
  });

  it('http.proxySupport off: requests go direct and succeed', async () => {
    await setHttp('proxy', proxy.url);
    await setHttp('proxySupport', 'off');
    try {
      await assertDirect();
    } finally {
      await setHttp('proxySupport', 'override');
    }
  });

  it('loopback by name (127.0.0.1) is never proxied: VS Code sends it direct whatever http.proxy says', async () => {
    const local = await startGateway({ flavor: 'new-api' });
    try {
      await setHttp('proxy', proxy.url);
      const seen = proxy.log.length;
      assert.equal((await new HttpClient().send({ method: 'GET', url: `${local.url}/api/status` })).status, 200);
      assert.equal(local.requests.length, 1);
      assert.deepEqual(proxy.log.slice(seen), [], `${local.url} went through the proxy`);
    } finally {
      await local.close();
    }
  });
});
