/**
 * Entry point, the startup chunk (dist/extension.js). activate() shows the status-bar item with the
 * last stored balance, registers every command with a handler that loads the main chunk
 * (dist/main.js, src/vscode/main.ts) on first run, and gives the view a provider that loads it when the
 * view is first shown. The first balance check, right after activate() returns, loads only the status
 * chunk (dist/status.js, src/vscode/statusChunk.ts: HTTP, clients, schemas, status bar) when there is an
 * account to check; the main chunk takes its parts over when it loads. Only type imports of the other
 * chunks' modules are allowed here: a value import would pull them into this chunk
 * (test/unit/bundle.test.ts keeps this chunk under 30 KB).
 */
import * as vscode from 'vscode';
import { credentialKey, storedAccounts, storedActiveAccount } from '../core/accountKeys';
import { useLanguage } from '../core/locale';
import { PrimedSecrets } from '../core/primedSecrets';
import { Commands, ContextKeys, WORKSPACE_PROFILE_STATE, type CommandId } from './commandIds';
import { offerWalkthroughOnce, registerGetStarted } from './firstRun';
import type { MainChunk, StartupParts, TokaifyApi } from './main';
import type { StatusChunk, StatusParts } from './statusChunk';
import { StatusItem } from './statusItem';
import { TreeShell } from './treeShell';

export type { InternalApi, TokaifyApi } from './main';

/** The other chunks' paths, relative to this one; esbuild keeps them as plain runtime requires. */
const STATUS_CHUNK = './status.js';
const MAIN_CHUNK = './main.js';

export function activate(context: vscode.ExtensionContext): TokaifyApi | undefined {
  // Before anything renders: the core's strings come from the same bundle as vscode.l10n.t's.
  useLanguage(vscode.env.language, vscode.l10n.bundle);
  const active = storedActiveAccount(context.globalState);
  const statusItem = new StatusItem();
  statusItem.showStored(context.globalState, active);
  // The first balance check needs this credential: its round trip runs while the main chunk waits to load.
  const secrets = new PrimedSecrets(context.secrets, active ? [credentialKey(active.id)] : []);
  let status: StatusChunk | undefined;
  let main: MainChunk | undefined;
  const tree = new TreeShell(() => loadMain().tree);
  const treeView = vscode.window.createTreeView('tokaify.tokens', { treeDataProvider: tree, canSelectMany: true });
  const loadStatus = (): StatusChunk => {
    if (!status) {
      const chunk = require(STATUS_CHUNK) as { startStatus(context: vscode.ExtensionContext, parts: StatusParts): StatusChunk };
      status = chunk.startStatus(context, { statusItem, secrets });
    }
    return status;
  };
  const loadMain = (): MainChunk => {
    if (!main) {
      const chunk = require(MAIN_CHUNK) as { startMain(context: vscode.ExtensionContext, parts: StartupParts): MainChunk };
      main = chunk.startMain(context, { statusItem, treeView, secrets, status: loadStatus() });
      tree.attach(main.tree);
    }
    return main;
  };

  const hasAccounts = storedAccounts(context.globalState).length > 0;
  void vscode.commands.executeCommand('setContext', ContextKeys.hasAccounts, hasAccounts);
  context.subscriptions.push(statusItem, tree, treeView);
  for (const id of Object.values(Commands)) {
    const run = (...args: never[]): unknown => loadMain().handlers[id satisfies CommandId](...args);
    context.subscriptions.push(vscode.commands.registerCommand(id, run));
  }
  registerGetStarted(context);
  // A workspace profile's variables live in memory only: applied again after activation, never during it.
  if (context.workspaceState.get(WORKSPACE_PROFILE_STATE) !== undefined) {
    const timer = setTimeout(() => void loadMain().profiles.reapply(), 0);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }

  // Outside production the tests drive the whole extension through the API: load everything now.
  if (context.extensionMode !== vscode.ExtensionMode.Production) return loadMain().api;
  offerWalkthroughOnce(context, hasAccounts);
  // A returning user's first check needs only the status chunk; the demo's auto sign-in (no account
  // yet) needs the main one; with neither, nothing loads until the user acts.
  const first = active ? loadStatus : process.env.TOKAIFY_AUTO_SIGNIN_URL ? loadMain : undefined;
  if (first) {
    const timer = setTimeout(first, 0);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
  return undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
