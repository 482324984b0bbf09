import * as vscode from 'vscode';
import type { AccountStore } from '../../core/accounts';
import { hostLabel, normalizeBaseUrl } from '../../core/baseUrl';
import { errorMessage, isGatewayError } from '../../core/errors';
import type { HttpClient } from '../../core/http';
import {
  normalizeApiKey, probeGateway, signInWithAccessToken, signInWithKey, signInWithPassword, type Probe, type SignInResult,
} from '../../core/signIn';
import { Commands } from '../commandIds';
import type { Log } from '../log';
import { accountName } from '../names';
import { notify, pickOne } from '../ui';

export type SignInMethod = 'accessToken' | 'password' | 'key';

/**
 * Everything the flow can be given instead of asking: for the extension's own callers (the demo's
 * auto sign-in, tests through the internal API). The command itself takes only addGatewayCommandArgs.
 */
export interface AddGatewayArgs {
  baseUrl?: string;
  method?: SignInMethod;
  userId?: number;
  accessToken?: string;
  username?: string;
  password?: string;
  twoFactorCode?: string;
  apiKey?: string;
  /** Accept plain http to a non-loopback host without asking. */
  allowInsecure?: boolean;
}

/**
 * What `tokaify.addGateway` accepts from a command invocation (a tree row, a link, a keybinding, another
 * extension): at most the address of a gateway already added, to sign in to it again. Credentials,
 * the sign-in method and `allowInsecure` are never taken from command arguments: every other value is
 * asked for, and plain http is warned about, exactly as from the palette.
 */
export function addGatewayCommandArgs(arg: unknown, accounts: AccountStore): AddGatewayArgs {
  if (typeof arg !== 'object' || arg === null || !('baseUrl' in arg) || typeof arg.baseUrl !== 'string') return {};
  const { baseUrl } = arg;
  return accounts.list().some((a) => a.baseUrl === baseUrl) ? { baseUrl } : {};
}

export type AddGatewayOutcome = { ok: true; accountId: string; label: string } | { ok: false; error: string } | { ok: false; cancelled: true };

export const PRESETS = [
  { label: 'Tokaify', url: 'https://api.tokaify.com' },
  { label: 'TokModel', url: 'https://tokmodel.com' },
] as const;

const title = () => vscode.l10n.t('Add Gateway');
const cancelled: AddGatewayOutcome = { ok: false, cancelled: true };

export async function addGateway(accounts: AccountStore, http: HttpClient, log: Log, args: AddGatewayArgs = {}): Promise<AddGatewayOutcome> {
  const baseUrl = await resolveBaseUrl(args);
  if (!baseUrl) return cancelled;

  let probe: Probe | undefined;
  try {
    probe = await withProgress(vscode.l10n.t('Connecting to {0}…', hostLabel(baseUrl)), (signal) => probeGateway(http, baseUrl, signal));
  } catch (error) {
    if (isGatewayError(error, 'cancelled')) return cancelled;
    // A key may still work against a relay-only endpoint; every other method needs the console.
    if (args.method !== 'key') return fail(log, vscode.l10n.t('Could not connect to {0}. {1}', baseUrl, errorMessage(error)));
  }

  const method = args.method ?? (await pickMethod());
  if (!method) return cancelled;

  let result: SignInResult | undefined;
  try {
    result = await signIn(http, baseUrl, probe, method, args);
  } catch (error) {
    if (isGatewayError(error, 'cancelled')) return cancelled;
    return fail(log, errorMessage(error));
  }
  if (!result) return cancelled;

  await accounts.save(result.meta, result.credential);
  const who = accountName(result.meta);
  log.info(`Signed in to ${baseUrl} as ${who} (${result.meta.authKind}, ${result.meta.flavor}).`);
  void notify.info(vscode.l10n.t('Signed in to {0} as {1}.', hostLabel(baseUrl), who));
  return { ok: true, accountId: result.meta.id, label: who };
}

async function signIn(http: HttpClient, baseUrl: string, probe: Probe | undefined, method: SignInMethod, args: AddGatewayArgs): Promise<SignInResult | undefined> {
  if (method === 'key') {
    const raw = args.apiKey ?? (await input({
      prompt: vscode.l10n.t('API key (the full sk-… secret from the console\'s token list)'), password: true, placeHolder: 'sk-…',
      validateInput: (v) => (normalizeApiKey(v).ok ? undefined : vscode.l10n.t('Paste the full "sk-…" secret.')),
    }));
    if (raw === undefined) return undefined;
    const key = normalizeApiKey(raw);
    if (!key.ok) throw new Error(key.error);
    return withProgress(vscode.l10n.t('Checking the key…'), (signal) => signInWithKey(http, baseUrl, probe, key.key, signal));
  }
  if (!probe) return undefined;
  if (method === 'accessToken') {
    const userIdText = args.userId !== undefined ? String(args.userId) : await input({
      prompt: vscode.l10n.t('User ID (a number, shown in the console under Personal Settings)'), placeHolder: vscode.l10n.t('e.g. 1'),
      validateInput: (v) => (/^\s*[1-9]\d*\s*$/.test(v) ? undefined : vscode.l10n.t('The user ID is a whole number, such as 1.')),
    });
    if (userIdText === undefined) return undefined;
    const accessToken = args.accessToken ?? (await input({
      prompt: vscode.l10n.t('Access token: in the console\'s Personal Settings, "System Access Token" creates one (a new one replaces the previous one).'), password: true,
      validateInput: (v) => (v.trim().length >= 8 ? undefined : vscode.l10n.t('Paste the access token from Personal Settings.')),
    }));
    if (accessToken === undefined) return undefined;
    return withProgress(vscode.l10n.t('Signing in…'), (signal) => signInWithAccessToken(http, baseUrl, probe, Number(userIdText.trim()), accessToken.trim(), signal));
  }
  const username = args.username ?? (await input({ prompt: vscode.l10n.t('User name or email') }));
  if (username === undefined) return undefined;
  const password = args.password ?? (await input({ prompt: vscode.l10n.t('Password (sent once to sign in, never stored)'), password: true }));
  if (password === undefined) return undefined;
  const askCode = async () => args.twoFactorCode ?? input({
    prompt: vscode.l10n.t('Two-factor code (6 digits from your authenticator app, or a backup code)'),
    validateInput: (v) => (v.trim().length >= 6 ? undefined : vscode.l10n.t('Enter the 6-digit code.')),
  });
  return withProgress(vscode.l10n.t('Signing in…'), (signal) => signInWithPassword(http, baseUrl, probe, username.trim(), password, askCode, signal));
}

async function resolveBaseUrl(args: AddGatewayArgs): Promise<string | undefined> {
  let raw = args.baseUrl;
  if (raw === undefined) {
    const picked = await pickOne(
      [
        ...PRESETS.map((p) => ({ label: p.label, detail: p.url, url: p.url as string | undefined })),
        { label: vscode.l10n.t('Custom URL…'), detail: vscode.l10n.t('A self-hosted new-api or one-api gateway'), url: undefined },
      ],
      { title: title(), placeHolder: vscode.l10n.t('Which gateway?'), ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    raw = picked.url ?? (await input({
      prompt: vscode.l10n.t('Gateway URL: the address of its web console or API, without /v1'), placeHolder: 'https://gateway.example.com',
      validateInput: (v) => {
        const result = normalizeBaseUrl(v);
        if (!result.ok) return result.error;
        return result.value.notes.length
          ? { message: vscode.l10n.t('Will use {0}. {1}', result.value.baseUrl, result.value.notes.join(' ')), severity: vscode.InputBoxValidationSeverity.Info }
          : undefined;
      },
    }));
    if (raw === undefined) return undefined;
  }
  const result = normalizeBaseUrl(raw);
  if (!result.ok) {
    const again = vscode.l10n.t('Try Again');
    void notify.error(result.error, again).then((choice) => choice === again && vscode.commands.executeCommand(Commands.addGateway));
    return undefined;
  }
  if (result.value.insecure && !args.allowInsecure) {
    const anyway = vscode.l10n.t('Use http Anyway');
    const choice = await notify.modal('warning',
      vscode.l10n.t('{0} uses plain http: your access token and keys would cross the network unencrypted.', result.value.baseUrl),
      vscode.l10n.t('Use https unless this gateway is on a network you trust.'),
      anyway,
    );
    if (choice !== anyway) return undefined;
  }
  return result.value.baseUrl;
}

async function pickMethod(): Promise<SignInMethod | undefined> {
  const picked = await pickOne(
    [
      {
        label: vscode.l10n.t('Access token and user ID'), description: vscode.l10n.t('recommended'),
        detail: vscode.l10n.t('Full token management. Find both under Personal Settings in the console.'), method: 'accessToken' as const,
      },
      { label: vscode.l10n.t('Username and password'), detail: vscode.l10n.t('The password is sent once and never stored; two-factor codes are supported.'), method: 'password' as const },
      {
        label: vscode.l10n.t('API key only'),
        detail: vscode.l10n.t('For an sk-… key without console access: status bar and agent setup work, token management does not.'), method: 'key' as const,
      },
    ],
    { title: vscode.l10n.t('Add Gateway: Sign in with'), placeHolder: vscode.l10n.t('Sign in with'), ignoreFocusOut: true },
  );
  return picked?.method;
}

function input(options: vscode.InputBoxOptions): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: title(), ignoreFocusOut: true, ...options });
}

function withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return task(controller.signal);
  });
}

function fail(log: Log, message: string): AddGatewayOutcome {
  log.error(message);
  const showLog = vscode.l10n.t('Show Log');
  void notify.error(message, showLog).then((choice) => {
    if (choice === showLog) log.show();
  });
  return { ok: false, error: message };
}
