/**
 * First run: the walkthrough opens once after install for someone without a gateway, and
 * "Tokaify: Get Started" opens it again. Part of the startup chunk, so it only reads globalState and
 * asks the workbench to open an editor; the walkthrough itself is declared in package.json.
 */
import * as vscode from 'vscode';
import { Walkthrough } from './walkthroughIds';

async function openWalkthrough(context: vscode.ExtensionContext): Promise<void> {
  // `false`: open in the active editor group (not to the side) and focus it.
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${Walkthrough.id}`, false);
  // It opens as a preview tab, which the steps' own diff previews would replace: keep it open.
  await vscode.commands.executeCommand('workbench.action.keepEditor');
}

export function registerGetStarted(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(Walkthrough.command, () => openWalkthrough(context)));
}

/**
 * The first time the extension runs in this profile, opens the walkthrough, except for someone who
 * already has a gateway (an update from a version without the walkthrough) or who turned off VS Code's
 * own "open an extension's walkthrough on install" setting. Either way it is offered only once.
 */
export function offerWalkthroughOnce(context: vscode.ExtensionContext, hasAccounts: boolean): void {
  if (context.globalState.get<boolean>(Walkthrough.offeredKey)) return;
  void context.globalState.update(Walkthrough.offeredKey, true);
  if (hasAccounts || !vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)) return;
  // A workbench without walkthroughs (an embedder) rejects the command: the welcome view still offers it.
  openWalkthrough(context).catch(() => undefined);
}
