/**
 * "Tokaify: Verify Setup" (and a click on the status bar): collects the facts for the active account
 * and the key its agents use, runs the diagnosis rules, and shows the findings in a report with
 * one-click fixes.
 */
import * as vscode from 'vscode';
import { accountLabel, type AccountMeta, type AccountStore } from '../core/accounts';
import { AGENT_LABELS, type AgentId } from '../core/agents/types';
import { collectFacts, type ConsoleSources } from '../core/diagnosis/collect';
import { attachMachineFacts, readMachine } from '../core/diagnosis/machine';
import { renderReport, REPORT_COMMANDS } from '../core/diagnosis/report';
import { diagnose } from '../core/diagnosis/rules';
import type { Finding, WorkspaceProfileFacts } from '../core/diagnosis/types';
import { errorMessage } from '../core/errors';
import { maskKey } from '../core/redact';
import type { Token } from '../core/tokenModel';
import { labelText } from '../core/untrustedText';
import { terminalEnvironment, workspaceFolderPaths } from './agentContext';
import type { AgentUsageStore } from './agents/agentUsage';
import type { TokenCommands } from './commands/tokenCommands';
import type { Gateways } from './gateways';
import { hostEnvironment } from './hostEnvironment';
import type { HttpService } from './httpFactory';
import type { Log } from './log';
import { addGatewayFirst, notify } from './ui';

export interface VerifyArgs {
  accountId?: string;
  tokenId?: number;
  /** false: no request in each agent's shape. */
  probe?: boolean;
  /** false: return the findings without opening the report (tests, scripts). */
  show?: boolean;
  /** Run this installed agent for one real turn (instead of Tokaify's own test requests). */
  realAgent?: AgentId;
}

const isAgentId = (value: unknown): value is AgentId => typeof value === 'string' && Object.prototype.hasOwnProperty.call(AGENT_LABELS, value);

export interface VerifyDeps {
  accounts: AccountStore;
  gateways: Gateways;
  http: HttpService;
  log: Log;
  tokens: TokenCommands;
  usage: AgentUsageStore;
  afterVerify: () => void;
  /** This window's workspace profile, when one is applied. */
  workspaceProfile?: () => Promise<WorkspaceProfileFacts | undefined>;
}

export class Verifier implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  /** The last report's HTML, for tests and for re-showing. */
  lastHtml = '';

  constructor(private readonly deps: VerifyDeps) {}

  async verify(arg?: unknown): Promise<Finding[] | undefined> {
    const args: VerifyArgs = typeof arg === 'object' && arg !== null ? (arg as VerifyArgs) : {};
    const realAgent = isAgentId(args.realAgent) ? args.realAgent : undefined;
    const meta = args.accountId ? this.deps.accounts.get(args.accountId) : this.deps.accounts.active();
    if (!meta) {
      await addGatewayFirst(vscode.l10n.t('Tokaify: no gateway connected yet. Add one, then verify the setup.'));
      return undefined;
    }
    try {
      const subject = await this.subject(meta, args.tokenId);
      if (!subject) return undefined;
      const findings = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: realAgent
            ? vscode.l10n.t('Running the real {0} (one tiny request)…', AGENT_LABELS[realAgent])
            : vscode.l10n.t('Verifying {0}…', labelText(accountLabel(meta))),
        },
        () => this.run(meta, subject, args.probe !== false && !realAgent, realAgent),
      );
      this.deps.afterVerify();
      const subtitle = subject.token
        ? vscode.l10n.t('{0} · key {1} ("{2}")', accountLabel(meta), maskKey(subject.key), subject.token.name)
        : vscode.l10n.t('{0} · key {1}', accountLabel(meta), maskKey(subject.key));
      this.report(findings, subtitle, args.show !== false);
      const problems = findings.filter((f) => f.severity === 'error').length;
      this.deps.log.info(`Verify ${accountLabel(meta)}: ${findings.map((f) => `${f.severity}:${f.id}`).join(', ')}`);
      if (args.show !== false && problems === 0) void notify.info(findings[0]?.title ?? vscode.l10n.t('Everything checked is fine.'));
      return findings;
    } catch (error) {
      this.deps.log.error(`Verify failed: ${errorMessage(error)}`);
      const showLog = vscode.l10n.t('Show Log');
      void notify.error(vscode.l10n.t('Verify failed: {0}', errorMessage(error)), showLog).then((choice) => choice === showLog && this.deps.log.show());
      return undefined;
    }
  }

  /** The key to verify: the account's own (key-only), the token the agents use, or one the user picks. */
  private async subject(meta: AccountMeta, tokenId?: number): Promise<{ key: string; token?: Token } | undefined> {
    if (meta.authKind === 'key') return { key: await this.deps.accounts.apiKey(meta.id) };
    const used = this.deps.usage.all().filter((u) => u.accountId === meta.id && u.tokenId !== undefined).sort((a, b) => b.at - a.at);
    const id = tokenId ?? used[0]?.tokenId;
    const target = await this.deps.tokens.target(id !== undefined ? { accountId: meta.id, tokenId: id } : undefined, vscode.l10n.t('Verify Setup'));
    if (!target) {
      if (id === undefined) return undefined; // the picker was dismissed
      // The gateway would not give us the token (a lost sign-in, or it was deleted): verify with the key
      // we hold for it, so the report says what is wrong instead of nothing.
      const key = await this.deps.tokens.storedKey(meta.id, id);
      if (key) return { key };
      const signIn = vscode.l10n.t('Sign In Again');
      void notify.error(vscode.l10n.t('Verify could not read token #{0} from the gateway, and Tokaify holds no key for it. Sign in again or pick another token, then verify.', id), signIn)
        .then((choice) => choice === signIn && vscode.commands.executeCommand('tokaify.addGateway', { baseUrl: meta.baseUrl }));
      return undefined;
    }
    const key = await this.deps.tokens.keyFor(target);
    return key ? { key, token: target.token } : undefined;
  }

  private async run(meta: AccountMeta, subject: { key: string; token?: Token }, probe: boolean, realAgent?: AgentId): Promise<Finding[]> {
    // Fresh reads only: collectFacts records a failed one (a finding) and marks the cached token as such.
    let consoleSources: ConsoleSources | undefined;
    if (meta.authKind !== 'key') {
      const cached = subject.token;
      consoleSources = {
        token: cached && {
          cached, cachedAt: this.deps.gateways.tokens(meta).readAt(cached.id),
          read: async () => (await this.deps.gateways.tokenApi(meta)).get(cached.id),
        },
        self: async () => (await this.deps.gateways.console(meta)).self(),
      };
    }
    const display = await this.deps.gateways.quotaDisplay(meta);
    const configured = this.deps.usage.all().filter((u) => u.accountId === meta.id && (subject.token === undefined || u.tokenId === subject.token.id))
      .map((u) => ({ agent: u.agent, model: u.model }));
    const host = hostEnvironment();
    // The installed agents are looked up on every Verify; one runs only when the user asked for it.
    const machine = readMachine(host, realAgent).catch((error: unknown) => {
      this.deps.log.warn(`Could not look for the agents on this machine: ${errorMessage(error)}`);
      return { installed: [] };
    });
    const facts = await collectFacts({
      http: this.deps.http.client, accountId: meta.id, accountKind: meta.authKind, gatewayRoot: meta.baseUrl, key: subject.key, console: consoleSources, display,
      configured, host, probe,
      terminalEnv: terminalEnvironment(), workspaceFolders: workspaceFolderPaths(),
    });
    attachMachineFacts(facts, await machine);
    facts.workspaceProfile = await this.deps.workspaceProfile?.();
    return diagnose(facts);
  }

  /** Renders the report (kept in lastHtml) and, unless `show` is false, puts it in the report panel. */
  private report(findings: Finding[], subtitle: string, show: boolean): void {
    if (show && !this.panel) {
      this.panel = vscode.window.createWebviewPanel('tokaify.verify', vscode.l10n.t('Tokaify: Verify Setup'), vscode.ViewColumn.Active, {
        enableScripts: false, enableCommandUris: [...REPORT_COMMANDS], enableFindWidget: true,
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.lastHtml = renderReport(findings, { title: vscode.l10n.t('Tokaify: Verify Setup'), subtitle, cspSource: this.panel?.webview.cspSource ?? '' });
    if (!show || !this.panel) return;
    this.panel.webview.html = this.lastHtml;
    this.panel.reveal();
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

export async function openFileAt(file: unknown, line: unknown, column: unknown): Promise<void> {
  if (typeof file !== 'string') return;
  const position = new vscode.Position(Math.max(0, Number(line ?? 1) - 1), Math.max(0, Number(column ?? 1) - 1));
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position) });
}
