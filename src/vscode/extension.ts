/**
 * Entry point. activate() only wires objects together: nothing here touches the network or the disk
 * (the tree loads when its view is visible; the demo's auto sign-in runs after activation returns).
 */
import * as vscode from 'vscode';
import { AccountStore } from '../core/accounts';
import { AccountsTreeProvider } from './accountsTree';
import { Commands, ContextKeys } from './commandIds';
import { openConsole, signOut, switchGateway } from './commands/accountCommands';
import { addGateway, type AddGatewayArgs } from './commands/addGateway';
import { HttpService } from './httpFactory';
import { Log } from './log';
import { StatusBar } from './statusBar';
import { scheduleAutoSignIn } from './autoSignIn';

/** What activate() returns: used by the extension-host tests to observe state, never to change it behind the UI's back. */
export interface TokaifyApi {
  accounts: AccountStore;
  tree: AccountsTreeProvider;
  statusBar: StatusBar;
  log: Log;
  globalState: vscode.Memento;
}

export function activate(context: vscode.ExtensionContext): TokaifyApi {
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0');
  const log = new Log();
  const http = new HttpService(log, version);
  const accounts = new AccountStore(context.globalState, context.secrets);
  const tree = new AccountsTreeProvider(accounts, http, log);
  const statusBar = new StatusBar(accounts);

  const syncContextKeys = () => void vscode.commands.executeCommand('setContext', ContextKeys.hasAccounts, accounts.list().length > 0);
  syncContextKeys();

  const isArgs = (value: unknown): value is AddGatewayArgs => !!value && typeof value === 'object' && !('kind' in value);
  context.subscriptions.push(
    log, http, tree, statusBar,
    vscode.window.createTreeView('tokaify.tokens', { treeDataProvider: tree }),
    { dispose: accounts.onDidChange(syncContextKeys).dispose },
    // Another window signed in or out: our view of the secrets is stale.
    context.secrets.onDidChange((e) => e.key.startsWith('tokaify.') && tree.refresh()),
    vscode.commands.registerCommand(Commands.addGateway, (args?: unknown) => addGateway(accounts, http.client, log, isArgs(args) ? args : {})),
    vscode.commands.registerCommand(Commands.switchGateway, (arg?) => switchGateway(accounts, arg)),
    vscode.commands.registerCommand(Commands.signOut, (arg?, options?: { confirm?: boolean }) => signOut(accounts, arg, options)),
    vscode.commands.registerCommand(Commands.openConsole, (arg?) => openConsole(accounts, arg)),
    vscode.commands.registerCommand(Commands.refresh, () => tree.refresh()),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
  );
  scheduleAutoSignIn(accounts, log);
  log.info(`Tokaify ${version} activated.`);
  return { accounts, tree, statusBar, log, globalState: context.globalState };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
