/**
 * Entry point. activate() only wires objects together: nothing here touches the network or the disk
 * (the tree loads when its view is visible; the demo's auto sign-in runs after activation returns).
 */
import * as vscode from 'vscode';
import { AccountStore } from '../core/accounts';
import { AgentCommands } from './agents/agentCommands';
import { AgentUsageStore } from './agents/agentUsage';
import { PreviewDocuments } from './agents/preview';
import { scheduleAutoSignIn } from './autoSignIn';
import { Commands, ContextKeys } from './commandIds';
import { openConsole, signOut, switchGateway } from './commands/accountCommands';
import { addGateway, type AddGatewayArgs } from './commands/addGateway';
import { TokenCommands } from './commands/tokenCommands';
import { Gateways } from './gateways';
import { HttpService } from './httpFactory';
import { Log } from './log';
import { StatusBar } from './statusBar';
import { TokenTreeProvider, type TreeNode } from './tokenTree';
import { openFileAt, Verifier } from './verify';

/** What activate() returns: used by the extension-host tests to observe state, never to change it behind the UI's back. */
export interface TokaifyApi {
  accounts: AccountStore;
  gateways: Gateways;
  tree: TokenTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  statusBar: StatusBar;
  log: Log;
  globalState: vscode.Memento;
  agents: AgentCommands;
  usage: AgentUsageStore;
  verifier: Verifier;
}

export function activate(context: vscode.ExtensionContext): TokaifyApi {
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0');
  const log = new Log();
  const http = new HttpService(log, version);
  const accounts = new AccountStore(context.globalState, context.secrets);
  const gateways = new Gateways(accounts, http);
  const usage = new AgentUsageStore(context.globalState);
  const tree = new TokenTreeProvider(accounts, gateways, log, usage);
  const treeView = vscode.window.createTreeView('tokaify.tokens', { treeDataProvider: tree, canSelectMany: true });
  const statusBar = new StatusBar(accounts, gateways, http, log);
  const tokens = new TokenCommands({ accounts, gateways, log, selection: () => treeView.selection });
  const preview = new PreviewDocuments();
  const agents = new AgentCommands({ accounts, gateways, http, log, tokens, usage, preview, refreshTree: () => tree.refreshRows() });
  const verifier = new Verifier({ accounts, gateways, http, log, tokens, usage, afterVerify: () => void statusBar.refreshNow() });

  const syncContextKeys = () => void vscode.commands.executeCommand('setContext', ContextKeys.hasAccounts, accounts.list().length > 0);
  syncContextKeys();

  const isArgs = (value: unknown): value is AddGatewayArgs => !!value && typeof value === 'object' && !('kind' in value);
  const register = (id: string, handler: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, handler);
  context.subscriptions.push(
    log, http, tree, treeView, statusBar, preview, verifier,
    { dispose: accounts.onDidChange(syncContextKeys).dispose },
    // Another window signed in or out: our view of the secrets is stale.
    context.secrets.onDidChange((e) => e.key.startsWith('tokaify.') && tree.refresh()),
    register(Commands.addGateway, (args?: unknown) => addGateway(accounts, http.client, log, isArgs(args) ? args : {})),
    register(Commands.switchGateway, (arg?: unknown) => switchGateway(accounts, arg as never)),
    register(Commands.signOut, (arg?: unknown, options?: { confirm?: boolean }) => signOut(accounts, arg as never, options)),
    register(Commands.openConsole, (arg?: unknown) => openConsole(accounts, arg as never)),
    register(Commands.refresh, () => tree.refresh()),
    register(Commands.showLog, () => log.show()),
    register(Commands.createToken, (arg?: unknown) => tokens.create(arg)),
    register(Commands.editToken, (arg?: unknown) => tokens.edit(arg)),
    register(Commands.enableToken, (arg?: unknown, many?: unknown) => tokens.setEnabled(true, arg, many)),
    register(Commands.disableToken, (arg?: unknown, many?: unknown) => tokens.setEnabled(false, arg, many)),
    register(Commands.deleteToken, (arg?: unknown, many?: unknown, options?: { confirm?: boolean }) => tokens.delete(arg, many, options)),
    register(Commands.copyKey, (arg?: unknown) => tokens.copyKey(arg)),
    register(Commands.copyConnectionString, (arg?: unknown) => tokens.copyConnectionString(arg)),
    register(Commands.openTokenInConsole, (arg?: unknown) => tokens.openInConsole(arg)),
    register(Commands.loadMoreTokens, (arg?: unknown) => tokens.loadMore(arg)),
    register(Commands.loadAllTokens, (arg?: unknown) => tokens.loadAll(arg)),
    register(Commands.filterTokens, (arg?: unknown) => tokens.filter(arg)),
    register(Commands.clearTokenFilter, (arg?: unknown) => tokens.clearFilter(arg)),
    register(Commands.sortTokens, (arg?: unknown) => tokens.sort(arg)),
    register(Commands.configureCodex, (arg?: unknown) => agents.configure(['codex'], arg)),
    register(Commands.configureClaudeCode, (arg?: unknown) => agents.configure(['claude-code'], arg)),
    register(Commands.configureOpenCode, (arg?: unknown) => agents.configure(['opencode'], arg)),
    register(Commands.configureAgents, (arg?: unknown) => agents.configure(undefined, arg)),
    register(Commands.restoreAgentConfig, (arg?: unknown) => agents.restore(arg)),
    register(Commands.refreshStatus, () => statusBar.refreshNow()),
    register(Commands.verify, (arg?: unknown) => verifier.verify(arg)),
    register(Commands.openFileAt, (file?: unknown, line?: unknown, column?: unknown) => openFileAt(file, line, column)),
    register(Commands.openTerminalEnvSettings, () => vscode.commands.executeCommand('workbench.action.openSettings', 'terminal.integrated.env')),
  );
  scheduleAutoSignIn(accounts, log);
  statusBar.start();
  log.info(`Tokaify ${version} activated.`);
  return { accounts, gateways, tree, treeView, statusBar, log, globalState: context.globalState, agents, usage, verifier };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
