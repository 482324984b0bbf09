/**
 * Entry point, the startup chunk (dist/extension.js). activate() shows the status-bar item with the
 * last stored balance, registers every command with a handler that loads the main chunk
 * (dist/main.js, src/vscode/main.ts) on first run, and gives the view a provider that loads it when the
 * view is first shown. The first balance check, right after activate() returns, loads it too when there
 * is an account to check. Only type imports of the main chunk's modules are allowed here: a value
 * import would pull it into this chunk (test/unit/bundle.test.ts keeps this chunk under 30 KB).
 */
import * as vscode from 'vscode';
import { credentialKey, storedAccounts, storedActiveAccount } from '../core/accountKeys';
import { useLanguage } from '../core/locale';
import { PrimedSecrets } from '../core/primedSecrets';
import { Commands, ContextKeys, type CommandId } from './commandIds';
import type { MainChunk, StartupParts, TokaifyApi } from './main';
import { StatusItem } from './statusItem';
import { TreeShell } from './treeShell';

export type { InternalApi, TokaifyApi } from './main';

/** The main chunk's path, relative to this one; esbuild keeps it as a plain runtime require. */
const MAIN_CHUNK = './main.js';

export function activate(context: vscode.ExtensionContext): TokaifyApi | undefined {
  // Before anything renders: the core's strings come from the same bundle as vscode.l10n.t's.
  useLanguage(vscode.env.language, vscode.l10n.bundle);
  const active = storedActiveAccount(context.globalState);
  const statusItem = new StatusItem();
  statusItem.showStored(context.globalState, active);
  // The first balance check needs this credential: its round trip runs while the main chunk waits to load.
  const secrets = new PrimedSecrets(context.secrets, active ? [credentialKey(active.id)] : []);
  let main: MainChunk | undefined;
  const tree = new TreeShell(() => loadMain().tree);
  const treeView = vscode.window.createTreeView('tokaify.tokens', { treeDataProvider: tree, canSelectMany: true });
  const loadMain = (): MainChunk => {
    if (!main) {
      const chunk = require(MAIN_CHUNK) as { startMain(context: vscode.ExtensionContext, parts: StartupParts): MainChunk };
      main = chunk.startMain(context, { statusItem, treeView, secrets });
      tree.attach(main.tree);
    }
    return main;
  };

  void vscode.commands.executeCommand('setContext', ContextKeys.hasAccounts, storedAccounts(context.globalState).length > 0);
  context.subscriptions.push(statusItem, tree, treeView);
  for (const id of Object.values(Commands)) {
    const run = (...args: never[]): unknown => loadMain().handlers[id satisfies CommandId](...args);
    context.subscriptions.push(vscode.commands.registerCommand(id, run));
  }

  // Outside production the tests drive the whole extension through the API: load everything now.
  if (context.extensionMode !== vscode.ExtensionMode.Production) return loadMain().api;
  // The first check (or the demo's auto sign-in) needs the main chunk; with neither, it waits for the user.
  if (active || process.env.TOKAIFY_AUTO_SIGNIN_URL) {
    const timer = setTimeout(loadMain, 0);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
  return undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
