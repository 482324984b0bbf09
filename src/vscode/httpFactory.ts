import { EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';
import * as vscode from 'vscode';
import { HttpClient } from '../core/http';
import { dispatcherPlan } from '../core/proxyTls';
import type { Log } from './log';
import { requestTimeoutMs } from './settings';

/**
 * One HttpClient for the extension, rebuilt when proxy or timeout settings change.
 * undici does not see VS Code's patched http module, so `http.proxy` / `http.proxyStrictSSL`
 * (and the HTTP(S)_PROXY / NO_PROXY environment) are honoured here explicitly.
 */
export class HttpService implements vscode.Disposable {
  private current?: { client: HttpClient; dispatcher: Dispatcher };
  private readonly listener: vscode.Disposable;

  constructor(private readonly log: Log, private readonly version: string) {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('http') || e.affectsConfiguration('tokaify.requestTimeoutSeconds')) this.reset();
    });
  }

  get client(): HttpClient {
    if (!this.current) {
      const http = vscode.workspace.getConfiguration('http');
      // proxyStrictSSL:false loosens only connections through the http.proxy proxy, never direct ones.
      const plan = dispatcherPlan(http.get<unknown>('proxy'), http.get<unknown>('proxyStrictSSL', true));
      const dispatcher: Dispatcher = plan.kind === 'proxy'
        ? new ProxyAgent({ uri: plan.uri, requestTls: plan.requestTls, proxyTls: plan.proxyTls })
        : new EnvHttpProxyAgent({ connect: plan.connect });
      const client = new HttpClient({
        dispatcher,
        timeoutMs: requestTimeoutMs(),
        userAgent: `tokaify-vscode/${this.version} vscode/${vscode.version}`,
        log: (line) => this.log.trace(line),
      });
      this.current = { client, dispatcher };
      if (plan.kind === 'proxy') this.log.info(`Using proxy from the http.proxy setting.`);
    }
    return this.current.client;
  }

  private reset(): void {
    const old = this.current;
    this.current = undefined;
    void old?.dispatcher.close().catch(() => undefined);
  }

  dispose(): void {
    this.listener.dispose();
    this.reset();
  }
}
