/**
 * "Tokaify: Run the Real Agent…" and the report's "Run the real … (one tiny request)" button: one headless
 * turn of an installed agent, then the Verify report with what it printed. Without an agent in the
 * argument the user picks one of those found on PATH; nothing runs without that click.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { detectAgent, type InstalledAgent } from '../core/agents/installedAgents';
import { AGENT_IDS, AGENT_LABELS, type AgentId } from '../core/agents/types';
import type { Finding } from '../core/diagnosis/types';
import { labelText } from '../core/untrustedText';
import { Commands } from './commandIds';
import { hostEnvironment } from './hostEnvironment';
import { notify, pickOne } from './ui';
import type { Verifier } from './verify';

const AGENTS = AGENT_IDS;

interface RunArgs {
  accountId?: string;
  tokenId?: number;
  agent?: AgentId;
  show?: boolean;
}

/** Only what names things is taken from a command argument. */
function argsOf(arg: unknown): RunArgs {
  if (typeof arg !== 'object' || arg === null) return {};
  const raw = arg as Record<string, unknown>;
  return {
    ...(typeof raw.accountId === 'string' ? { accountId: raw.accountId } : {}),
    ...(typeof raw.tokenId === 'number' && Number.isInteger(raw.tokenId) ? { tokenId: raw.tokenId } : {}),
    ...(AGENTS.includes(raw.agent as AgentId) ? { agent: raw.agent as AgentId } : {}),
    ...(raw.show === false ? { show: false } : {}),
  };
}

async function installedAgents(): Promise<InstalledAgent[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tokaify-agent-version-'));
  try {
    const found = await Promise.all(AGENTS.map((agent) => detectAgent(agent, hostEnvironment(), dir)));
    return found.filter((a): a is InstalledAgent => a !== undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRealAgent(verifier: Verifier, arg?: unknown): Promise<Finding[] | undefined> {
  const args = argsOf(arg);
  let agent = args.agent;
  if (!agent) {
    const installed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking for Codex, Claude Code and OpenCode…') }, installedAgents);
    if (!installed.length) {
      const verify = vscode.l10n.t('Verify Setup');
      void notify.info(vscode.l10n.t('None of Codex CLI (codex), Claude Code (claude) or OpenCode (opencode) is on the PATH a terminal started from VS Code would use. Install one and restart VS Code, or verify the setup with Tokaify\'s own test requests.'), verify)
        .then((choice) => choice === verify && vscode.commands.executeCommand(Commands.verify, { accountId: args.accountId, tokenId: args.tokenId }));
      return undefined;
    }
    const picked = await pickOne(installed.map((a) => ({
      label: vscode.l10n.t('Run the real {0}', AGENT_LABELS[a.agent]),
      description: a.version ? vscode.l10n.t('{0} · one tiny request', labelText(a.version)) : vscode.l10n.t('one tiny request'),
      detail: vscode.l10n.t('One headless turn, tools off, in an empty temporary folder: {0}', labelText(a.path, 120)),
      value: a.agent,
    })), { title: vscode.l10n.t('Run the Real Agent'), placeHolder: vscode.l10n.t('It reads its own files and sends one tiny request to the gateway; its output goes into the Verify report.') });
    if (!picked) return undefined;
    agent = picked.value;
  }
  return verifier.verify({ accountId: args.accountId, tokenId: args.tokenId, realAgent: agent, ...(args.show === false ? { show: false } : {}) });
}
