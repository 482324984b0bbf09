/**
 * Every notification the extension shows goes through here. The whole message is made inert
 * (notificationText: no link or icon syntax, no bidi or control characters, secrets redacted, length
 * capped), because a message often carries a gateway's words and VS Code renders `[label](command:…)`
 * in notifications as a link that runs with every command allowed. Our own messages never contain
 * links, so nothing we mean is lost.
 *
 * What was shown is kept (the last 200, already sanitised) so tests can prove what a person saw.
 */
import * as vscode from 'vscode';
import type { AccountMeta } from '../core/accounts';
import { notificationText } from '../core/untrustedText';
import { Commands } from './commandIds';

export type NotificationKind = 'info' | 'warning' | 'error';

export interface ShownNotification {
  kind: NotificationKind;
  message: string;
  detail?: string;
  modal: boolean;
  actions: string[];
}

const recent: ShownNotification[] = [];

export function recentNotifications(): readonly ShownNotification[] {
  return recent;
}

function show(kind: NotificationKind, message: string, options: vscode.MessageOptions, actions: string[]): Thenable<string | undefined> {
  const shown: ShownNotification = {
    kind, message: notificationText(message), modal: !!options.modal, actions: actions.map((a) => notificationText(a, 60)),
    ...(options.detail !== undefined ? { detail: options.detail.split('\n').map((line) => notificationText(line)).join('\n') } : {}),
  };
  recent.push(shown);
  if (recent.length > 200) recent.shift();
  const opts: vscode.MessageOptions = { modal: shown.modal, ...(shown.detail !== undefined ? { detail: shown.detail } : {}) };
  const answer = kind === 'info' ? vscode.window.showInformationMessage(shown.message, opts, ...shown.actions)
    : kind === 'warning' ? vscode.window.showWarningMessage(shown.message, opts, ...shown.actions)
    : vscode.window.showErrorMessage(shown.message, opts, ...shown.actions);
  // Actions are compared by what was shown; map the answer back to the caller's spelling.
  return answer.then((answer) => (answer === undefined ? undefined : actions[shown.actions.indexOf(answer)]));
}

export const notify = {
  info: (message: string, ...actions: string[]) => show('info', message, {}, actions),
  warning: (message: string, ...actions: string[]) => show('warning', message, {}, actions),
  error: (message: string, ...actions: string[]) => show('error', message, {}, actions),
  /** A modal question; `detail` is shown under it. Resolves the chosen action, undefined when dismissed. */
  modal: (kind: NotificationKind, message: string, detail: string | undefined, ...actions: string[]) =>
    show(kind, message, { modal: true, ...(detail !== undefined ? { detail } : {}) }, actions),
};

/** Nothing to act on without a gateway: says so, with the button that adds one. */
export async function addGatewayFirst(message = vscode.l10n.t('No gateway is connected yet. Add one to get started.')): Promise<void> {
  const add = vscode.l10n.t('Add Gateway');
  if ((await notify.warning(message, add)) === add) await vscode.commands.executeCommand(Commands.addGateway);
}

/** A key-only account cannot manage tokens: says so, with the button that signs in to its console. */
export async function consoleSignInFirst(meta: AccountMeta): Promise<void> {
  const signIn = vscode.l10n.t('Sign In to the Console');
  const choice = await notify.warning(vscode.l10n.t('Token management needs a console sign-in: add this gateway with an access token or your password.'), signIn);
  if (choice === signIn) await vscode.commands.executeCommand(Commands.addGateway, { baseUrl: meta.baseUrl });
}

/**
 * Quick picks. Item text from a gateway is made plain where the item is built (labelText), since our
 * own items carry icons on purpose; these wrappers record what was offered so tests can walk it.
 */
export interface ShownPick {
  title?: string;
  placeholder?: string;
  items: { label: string; description?: string; detail?: string }[];
}

const recentPickList: ShownPick[] = [];

export function recentPicks(): readonly ShownPick[] {
  return recentPickList;
}

export function recordPick(title: string | undefined, placeholder: string | undefined, items: readonly vscode.QuickPickItem[]): void {
  recentPickList.push({ title, placeholder, items: items.map(({ label, description, detail }) => ({ label, description, detail })) });
  if (recentPickList.length > 50) recentPickList.shift();
}

export function pickOne<T extends vscode.QuickPickItem>(items: readonly T[], options: Omit<vscode.QuickPickOptions, 'canPickMany'>): Thenable<T | undefined> {
  recordPick(options.title, options.placeHolder, items);
  return vscode.window.showQuickPick(items, { ...options, canPickMany: false });
}

export function pickSome<T extends vscode.QuickPickItem>(items: readonly T[], options: Omit<vscode.QuickPickOptions, 'canPickMany'>): Thenable<T[] | undefined> {
  recordPick(options.title, options.placeHolder, items);
  return vscode.window.showQuickPick(items, { ...options, canPickMany: true });
}

let currentQuickPick: vscode.QuickPick<vscode.QuickPickItem> | undefined;

/** Remembers a picker we built while it is open, so tests can type into it as a person would. */
export function trackQuickPick<T extends vscode.QuickPickItem>(qp: vscode.QuickPick<T>): void {
  const tracked = qp as unknown as vscode.QuickPick<vscode.QuickPickItem>;
  currentQuickPick = tracked;
  qp.onDidHide(() => {
    if (currentQuickPick === tracked) currentQuickPick = undefined;
  });
}

export function activeQuickPick(): vscode.QuickPick<vscode.QuickPickItem> | undefined {
  return currentQuickPick;
}
