import * as vscode from 'vscode';
import { accountLabel, type AccountMeta, type AccountStore } from '../../core/accounts';
import { labelText } from '../../core/untrustedText';
import { Commands } from '../commandIds';
import { addGatewayFirst, notify, pickOne } from '../ui';
import { accountOf } from './args';

/** Signed-in accounts as picker items; names come from the gateway, so they are plain labels. */
function accountItems(accounts: AccountStore) {
  const activeId = accounts.active()?.id;
  return accounts.list().map((meta) => ({ label: labelText(accountLabel(meta)), description: meta.id === activeId ? vscode.l10n.t('active') : undefined, meta: meta as AccountMeta | undefined }));
}

async function pickAccount(accounts: AccountStore, title: string, placeHolder: string): Promise<AccountMeta | undefined> {
  const all = accounts.list();
  if (all.length <= 1) return all[0];
  return (await pickOne(accountItems(accounts), { title, placeHolder }))?.meta;
}

export async function switchGateway(accounts: AccountStore, arg?: unknown): Promise<string | undefined> {
  let target = accountOf(accounts, arg);
  if (!target) {
    const picked = await pickOne(
      [...accountItems(accounts), { label: `$(add) ${vscode.l10n.t('Add Gateway…')}`, description: undefined, meta: undefined }],
      { title: vscode.l10n.t('Switch Gateway'), placeHolder: vscode.l10n.t('Switch to which gateway account?') },
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

/** Signs out after a modal confirmation. Only the extension's own code (tests) may pass `confirm: false`. */
export async function signOut(accounts: AccountStore, arg?: unknown, options: { confirm?: boolean } = {}): Promise<boolean> {
  const target = accountOf(accounts, arg) ?? (await pickAccount(accounts, vscode.l10n.t('Sign Out'), vscode.l10n.t('Sign out of which gateway account?')));
  if (!target) return false;
  if (options.confirm !== false) {
    const action = vscode.l10n.t('Sign Out');
    const choice = await notify.modal('warning', vscode.l10n.t('Sign out of {0}?', accountLabel(target)),
      vscode.l10n.t('Its access token or session and every key revealed through it are removed from VS Code. Agent config files you wrote are not changed.'),
      action);
    if (choice !== action) return false;
  }
  await accounts.remove(target.id);
  void notify.info(vscode.l10n.t('Signed out of {0}.', accountLabel(target)));
  return true;
}

export async function openConsole(accounts: AccountStore, arg?: unknown): Promise<void> {
  const target = accountOf(accounts, arg) ?? accounts.active();
  if (target) await vscode.env.openExternal(vscode.Uri.parse(target.baseUrl));
  else await addGatewayFirst();
}
