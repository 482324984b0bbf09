/**
 * The main chunk (dist/main.js): every service and command handler, loaded on first need by the
 * startup chunk (src/vscode/extension.ts), which already shows the status-bar item and the tree's shell.
 * Nothing here touches the network or the disk while loading.
 */
import * as vscode from 'vscode';
import type { AccountStore } from '../core/accounts';
import type { Gateways } from './gateways';
import type { Log } from './log';
import type { StatusBar } from './statusBar';
import type { StatusChunk, StatusParts } from './statusChunk';
import { AgentCommands, type ConfigureArgs, type ConfigureOptions, type ConfigureOutcome } from './agents/agentCommands';
import { AgentUsageStore } from './agents/agentUsage';
import { agentTokenAlerts, KeyUsageIndex } from './agents/keyUsage';
import { PreviewDocuments } from './agents/preview';
import { RotateKeyFlow, type RotateOptions, type RotateOutcome } from './agents/rotateKey';
import { scheduleAutoSignIn } from './autoSignIn';
import { Commands, ContextKeys, type CommandId } from './commandIds';
import { openConsole, signOut, switchGateway } from './commands/accountCommands';
import { addGateway, addGatewayCommandArgs, type AddGatewayArgs, type AddGatewayOutcome } from './commands/addGateway';
import { TokenCommands, type TokenRef } from './commands/tokenCommands';
import type { AgentId } from '../core/agents/types';
import type { Token, TokenInput } from '../core/tokenModel';
import { TokenTreeProvider, type TreeNode } from './tokenTree';
import { activeQuickPick, recentNotifications, recentPicks, type ShownNotification, type ShownPick } from './ui';
import { runRealAgent } from './realAgentCommand';
import { AccountSpend } from './spend';
import { UsageView } from './usage/usageView';
import { openFileAt, Verifier } from './verify';
import { WorkspaceProfiles } from './workspaceProfile';

/**
 * The paths that skip a prompt or a confirmation, for the extension's own tests. Commands never reach
 * them: a command argument can only name an account, a token or a choice, and every safeguard follows.
 */
export interface InternalApi {
  /** Add Gateway with every value given (credentials, allowInsecure). */
  addGateway(args: AddGatewayArgs): Promise<AddGatewayOutcome>;
  signOut(accountId: string, options: { confirm: boolean }): Promise<boolean>;
  createToken(accountId: string, input: Partial<TokenInput>): Promise<Token | undefined>;
  editToken(ref: TokenRef, edits: Partial<TokenInput>): Promise<Token | undefined>;
  deleteTokens(refs: readonly (TokenRef | TreeNode)[], options: { confirm: boolean }): Promise<number>;
  configure(agents: AgentId[] | undefined, args: ConfigureArgs, options: ConfigureOptions): Promise<ConfigureOutcome>;
  restore(backupId: string, options: ConfigureOptions): Promise<ConfigureOutcome>;
  /** Rotate Key… on this token; `confirm: false` answers the questions with `options`' choices (or the defaults). */
  rotateKey(ref: TokenRef, options: RotateOptions): Promise<RotateOutcome>;
  /** The notifications shown so far (sanitised, as a person saw them). */
  notifications(): readonly ShownNotification[];
  /** The quick picks offered so far (their items as shown). */
  picks(): readonly ShownPick[];
  /** The picker of ours that is open (token pickers), to type into it as a person would. */
  quickPick(): vscode.QuickPick<vscode.QuickPickItem> | undefined;
}

/**
 * What activate() returns outside production (tests, development): state to observe, and the internal
 * paths above. Installed from the marketplace, the extension exports nothing, so no other extension
 * can reach a path without its safeguards.
 */
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
  /** Which agent sends which token's key, from the agents' files. */
  keyUsage: KeyUsageIndex;
  /** Rotate Key… and the safeguards' "switch the agents first". */
  rotation: RotateKeyFlow;
  verifier: Verifier;
  /** Spend today and in the last 7 days, per account, for the tooltips. */
  spend: AccountSpend;
  /** The Usage view (lastModel, lastHtml: what it drew last). */
  usageView: UsageView;
  /** This workspace's profile (Use for This Workspace). */
  profiles: WorkspaceProfiles;
  internal: InternalApi;
}

/** What the startup and status chunks made before this chunk loaded, handed over. */
export interface StartupParts extends StatusParts {
  treeView: vscode.TreeView<TreeNode>;
  status: StatusChunk;
}

/** What the startup chunk gets back: a handler per command id, the tree to delegate to, and the test API. */
export interface MainChunk {
  handlers: Record<CommandId, (...args: never[]) => unknown>;
  tree: TokenTreeProvider;
  profiles: WorkspaceProfiles;
  api: TokaifyApi;
}

export function startMain(context: vscode.ExtensionContext, parts: StartupParts): MainChunk {
  const { log, http, state, accounts, gateways, statusBar } = parts.status;
  const usage = new AgentUsageStore(state);
  const spend = new AccountSpend(accounts, gateways);
  const keyUsage = new KeyUsageIndex(accounts, gateways, context.secrets, log);
  const tree = new TokenTreeProvider(accounts, gateways, log, keyUsage, spend);
  statusBar.setSpend(spend);
  const treeView = parts.treeView;
  // The safeguards offer to switch the agents first; the flow needs the token commands, hence the late binding.
  let rotation: RotateKeyFlow | undefined;
  const tokens = new TokenCommands({ accounts, gateways, log, selection: () => treeView.selection, keyUsage,
    switchAgents: (target) => rotation?.switchAgents(target) ?? Promise.resolve(false) });
  const preview = new PreviewDocuments();
  const agents = new AgentCommands({ accounts, gateways, http, log, tokens, usage, preview,
    // The files changed: scan them again; the tree redraws when the index changes.
    refreshTree: () => void keyUsage.refresh() });
  rotation = new RotateKeyFlow({ accounts, gateways, tokens, agents, keyUsage, usage, log });
  const rotate = rotation;
  const profiles = new WorkspaceProfiles({ context, accounts, tokens, agents, log, onDidChange: (summary) => statusBar.setWorkspaceProfile(summary) });
  const verifier = new Verifier({ accounts, gateways, http, log, tokens, usage, afterVerify: () => void statusBar.refreshNow(), workspaceProfile: () => profiles.facts() });
  const usageView = new UsageView({ accounts, gateways, http, log, extensionUri: context.extensionUri });

  // The status tooltip names used tokens about to stop working, from the tree's data (no request of its own).
  const syncAgentAlerts = () => statusBar.setAgentAlerts(agentTokenAlerts(accounts, gateways, keyUsage));
  context.subscriptions.push(keyUsage.onDidChange(syncAgentAlerts), gateways.onDidChangeTokens(syncAgentAlerts));

  const syncContextKeys = () => void vscode.commands.executeCommand('setContext', ContextKeys.hasAccounts, accounts.list().length > 0);
  syncContextKeys();

  const signIn = (args: AddGatewayArgs) => addGateway(accounts, http.client, log, args);
  context.subscriptions.push(
    tree, keyUsage, spend, preview, verifier, usageView,
    { dispose: accounts.onDidChange(syncContextKeys).dispose },
    // Another window signed in or out: our view of the secrets is stale.
    context.secrets.onDidChange((e) => e.key.startsWith('tokaify.') && tree.refresh()),
    // Restricted Mode kept the profile off; trusting the workspace turns it on.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void profiles.reapply()),
  );
  // Handlers pass on only what names a thing; no handler forwards an option that skips a safeguard.
  const handlers: MainChunk['handlers'] = {
    [Commands.addGateway]: (arg?: unknown) => signIn(addGatewayCommandArgs(arg, accounts)),
    [Commands.switchGateway]: (arg?: unknown) => switchGateway(accounts, arg),
    [Commands.signOut]: (arg?: unknown) => signOut(accounts, arg),
    [Commands.openConsole]: (arg?: unknown) => openConsole(accounts, arg),
    [Commands.refresh]: () => tree.refresh(),
    [Commands.showLog]: () => log.show(),
    [Commands.createToken]: (arg?: unknown) => tokens.create(arg),
    [Commands.editToken]: (arg?: unknown) => tokens.edit(arg),
    [Commands.enableToken]: (arg?: unknown, many?: unknown) => tokens.setEnabled(true, arg, many),
    [Commands.disableToken]: (arg?: unknown, many?: unknown) => tokens.setEnabled(false, arg, many),
    [Commands.deleteToken]: (arg?: unknown, many?: unknown) => tokens.delete(arg, many),
    [Commands.copyKey]: (arg?: unknown) => tokens.copyKey(arg),
    [Commands.copyConnectionString]: (arg?: unknown) => tokens.copyConnectionString(arg),
    [Commands.openTokenInConsole]: (arg?: unknown) => tokens.openInConsole(arg),
    [Commands.loadMoreTokens]: (arg?: unknown) => tokens.loadMore(arg),
    [Commands.loadAllTokens]: (arg?: unknown) => tokens.loadAll(arg),
    [Commands.filterTokens]: (arg?: unknown) => tokens.filter(arg),
    [Commands.clearTokenFilter]: (arg?: unknown) => tokens.clearFilter(arg),
    [Commands.sortTokens]: (arg?: unknown) => tokens.sort(arg),
    [Commands.configureCodex]: (arg?: unknown) => agents.configure(['codex'], arg),
    [Commands.configureClaudeCode]: (arg?: unknown) => agents.configure(['claude-code'], arg),
    [Commands.configureOpenCode]: (arg?: unknown) => agents.configure(['opencode'], arg),
    [Commands.configureAgents]: (arg?: unknown) => agents.configure(undefined, arg),
    [Commands.restoreAgentConfig]: () => agents.restore(),
    [Commands.rotateKey]: (arg?: unknown) => rotate.rotate(arg),
    [Commands.refreshStatus]: () => statusBar.refreshNow(),
    [Commands.verify]: (arg?: unknown) => verifier.verify(arg),
    [Commands.runRealAgent]: (arg?: unknown) => runRealAgent(verifier, arg),
    [Commands.showUsage]: (arg?: unknown) => usageView.show(arg),
    [Commands.useForWorkspace]: (arg?: unknown) => profiles.use(arg),
    [Commands.clearWorkspaceProfile]: () => profiles.clear(),
    [Commands.openFileAt]: (file?: unknown, line?: unknown, column?: unknown) => openFileAt(file, line, column),
    [Commands.openTerminalEnvSettings]: () => vscode.commands.executeCommand('workbench.action.openSettings', 'terminal.integrated.env'),
  };
  scheduleAutoSignIn(accounts, log, signIn);
  const internal: InternalApi = {
    addGateway: signIn,
    signOut: (accountId, options) => signOut(accounts, accountId, options),
    createToken: (accountId, input) => tokens.create(accountId, input),
    editToken: (ref, edits) => tokens.edit(ref, edits),
    deleteTokens: (refs, options) => tokens.delete(refs, undefined, options),
    configure: (which, args, options) => agents.configure(which, args, options),
    restore: (backupId, options) => agents.restore({ backupId }, options),
    rotateKey: (ref, options) => rotate.rotate(ref, options),
    notifications: recentNotifications,
    picks: recentPicks,
    quickPick: activeQuickPick,
  };
  const api: TokaifyApi = { accounts, gateways, tree, treeView, statusBar, log, globalState: context.globalState, agents, usage, keyUsage, rotation: rotate, verifier, usageView, spend, profiles, internal };
  return { handlers, tree, profiles, api };
}
