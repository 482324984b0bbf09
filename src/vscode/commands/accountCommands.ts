import * as vscode from 'vscode';
import { accountLabel, type AccountMeta, type AccountStore } from '../../core/accounts';
import type { TreeNode } from '../tokenTree';
import { Commands } from '../commandIds';

/** Accepts a tree row, an account id (scripted use) or nothing (then the user picks). */
type AccountArg = TreeNode | string | undefined;

function fromArg(accounts: AccountStore, arg: AccountArg): AccountMeta | undefined {
  if (typeof arg === 'string') return accounts.get(arg);
  if (arg && arg.kind === 'account') return arg.meta;
  return undefined;
}

async function pickAccount(accounts: AccountStore, placeHolder: string): Promise<AccountMeta | undefined> {
  const all = accounts.list();
  if (all.length <= 1) return all[0];
  const activeId = accounts.active()?.id;
  const picked = await vscode.window.showQuickPick(
    all.map((meta) => ({ label: accountLabel(meta), description: meta.id === activeId ? 'active' : undefined, meta })),
    { placeHolder },
  );
  return picked?.meta;
}

export async function switchGateway(accounts: AccountStore, arg?: AccountArg): Promise<string | undefined> {
  let target = fromArg(accounts, arg);
  if (!target) {
    const activeId = accounts.active()?.id;
    const picked = await vscode.window.showQuickPick(
      [
        ...accounts.list().map((meta) => ({ label: accountLabel(meta), description: meta.id === activeId ? 'active' : undefined, meta: meta as AccountMeta | undefined })),
        { label: '$(add) Add Gateway…', description: undefined, meta: undefined },
      ],
      { placeHolder: 'Switch to which gateway account?' },
    );
    if (!picked) return undefined;
    if (!picked.meta) {
      await vscode.commands.executeCommand(Commands.addGateway);
      return undefined;
    }
    target = picked.meta;
  }
  await accounts.setActive(target.id);
  return target.id;
}

export async function signOut(accounts: AccountStore, arg?: AccountArg, options: { confirm?: boolean } = {}): Promise<boolean> {
  const target = fromArg(accounts, arg) ?? (await pickAccount(accounts, 'Sign out of which gateway account?'));
  if (!target) return false;
  if (options.confirm !== false) {
    const choice = await vscode.window.showWarningMessage(
      `Sign out of ${accountLabel(target)}?`,
      { modal: true, detail: 'Its access token or session and every key revealed through it are removed from VS Code. Agent config files you wrote are not changed.' },
      'Sign Out',
    );
    if (choice !== 'Sign Out') return false;
  }
  await accounts.remove(target.id);
  void vscode.window.showInformationMessage(`Signed out of ${accountLabel(target)}.`);
  return true;
}

export async function openConsole(accounts: AccountStore, arg?: AccountArg): Promise<void> {
  const target = fromArg(accounts, arg) ?? accounts.active();
  if (target) await vscode.env.openExternal(vscode.Uri.parse(target.baseUrl));
}
