/**
 * The status chunk (dist/status.js): what the first balance check needs and nothing more: the HTTP
 * client, the console and relay clients with their schemas, the account store and the status bar. The
 * startup chunk loads it right after activation when there is an account to check, so a returning
 * user's balance waits for this small chunk, not for the main one (commands, tree, agent writers,
 * diagnosis), which loads on first use and takes these parts over, so each exists once.
 */
import type * as vscode from 'vscode';
import { AccountStore, type SecretStore } from '../core/accounts';
import { WriteThroughState } from '../core/writeThroughState';
import { Gateways } from './gateways';
import { HttpService } from './httpFactory';
import { Log } from './log';
import { StatusBar } from './statusBar';
import type { StatusItem } from './statusItem';

/** What the startup chunk made before this chunk loaded, handed over. */
export interface StatusParts {
  statusItem: StatusItem;
  /** context.secrets, with the active account's credential already being read. */
  secrets: SecretStore;
}

export interface StatusChunk {
  log: Log;
  http: HttpService;
  /** globalState through one copy that a late echo of an earlier flush cannot roll back. */
  state: WriteThroughState;
  accounts: AccountStore;
  gateways: Gateways;
  statusBar: StatusBar;
}

export function startStatus(context: vscode.ExtensionContext, parts: StatusParts): StatusChunk {
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0');
  const log = new Log();
  const http = new HttpService(log, version);
  const state = new WriteThroughState(context.globalState);
  const accounts = new AccountStore(state, parts.secrets);
  const gateways = new Gateways(accounts, http, state);
  const statusBar = new StatusBar(accounts, gateways, log, parts.statusItem);
  context.subscriptions.push(log, http, statusBar);
  statusBar.start();
  log.info(`Tokaify ${version} activated.`);
  return { log, http, state, accounts, gateways, statusBar };
}
