import * as vscode from 'vscode';
import { HttpClient } from '../core/http';
import type { Log } from './log';
import { requestTimeoutMs } from './settings';

/**
 * One HttpClient for the extension, rebuilt when the timeout setting changes. Proxies
 * (`http.proxy`, `http.noProxy`, `http.proxySupport`, HTTP(S)_PROXY / NO_PROXY) and certificate checks
 * (`http.proxyStrictSSL`, system certificates) are VS Code's business: HttpClient uses the global
 * fetch, which VS Code patches in the extension host, so Tokaify connects as other extensions do.
 */
export class HttpService implements vscode.Disposable {
  private current?: HttpClient;
  private readonly listener: vscode.Disposable;

  constructor(private readonly log: Log, private readonly version: string) {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tokaify.requestTimeoutSeconds')) this.current = undefined;
    });
  }

  get client(): HttpClient {
    this.current ??= new HttpClient({
      timeoutMs: requestTimeoutMs(),
      userAgent: `tokaify-vscode/${this.version} vscode/${vscode.version}`,
      log: (line) => this.log.trace(line),
    });
    return this.current;
  }

  dispose(): void {
    this.listener.dispose();
    this.current = undefined;
  }
}
