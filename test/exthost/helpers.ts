import { promises as fs, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { DEMO, startGateway, type GatewayOptions, type RunningGateway } from '../../src/simulator';
import type { TokaifyApi } from '../../src/vscode/extension';

export const EXTENSION_ID = 'tokaify.tokaify-vscode';

export async function activateExtension(): Promise<TokaifyApi> {
  const extension = vscode.extensions.getExtension<TokaifyApi | undefined>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  const api = await extension.activate();
  if (!api) throw new Error(`${EXTENSION_ID} exported no test API: is the host running in test mode?`);
  return api;
}

/** Signs out of every account through Sign Out's own code, without its confirmation (internal API). */
export async function signOutAll(api: TokaifyApi): Promise<void> {
  for (const account of api.accounts.list()) await api.internal.signOut(account.id, { confirm: false });
}

export interface TreeRow {
  label: string;
  description: string;
  children: { label: string; description: string }[];
}

/** Reads the Token Management tree the way it is rendered: labels and descriptions. */
export async function readTree(api: TokaifyApi): Promise<TreeRow[]> {
  const text = (value: string | vscode.TreeItemLabel | boolean | undefined) =>
    typeof value === 'string' ? value : typeof value === 'object' ? value.label : '';
  const rows: TreeRow[] = [];
  for (const node of await api.tree.getChildren()) {
    const item = api.tree.getTreeItem(node);
    const children = await api.tree.getChildren(node);
    rows.push({
      label: text(item.label),
      description: text(item.description),
      children: children.map((c) => {
        const ci = api.tree.getTreeItem(c);
        return { label: text(ci.label), description: text(ci.description) };
      }),
    });
  }
  return rows;
}

/** The variables through which the agents' files are found; a test home sets them all. */
const AGENT_ENV = ['CODEX_HOME', 'CLAUDE_CONFIG_DIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'OPENCODE_CONFIG', 'OPENAI_BASE_URL'] as const;

/**
 * A temporary home for the agents' files. The tools' own env overrides (CODEX_HOME, CLAUDE_CONFIG_DIR,
 * XDG_*) point into it, so the extension writes there exactly as it would resolve a user's files.
 * dispose() restores the environment and removes the folder.
 */
export class TempAgentHome {
  private readonly saved = new Map<string, string | undefined>();

  private constructor(readonly root: string) {}

  static async create(prefix: string): Promise<TempAgentHome> {
    const home = new TempAgentHome(mkdtempSync(path.join(os.tmpdir(), `tokaify-${prefix}-`)));
    for (const key of AGENT_ENV) home.saved.set(key, process.env[key]);
    for (const key of ['OPENCODE_CONFIG', 'OPENAI_BASE_URL']) delete process.env[key];
    Object.assign(process.env, {
      CODEX_HOME: home.file('codex'), CLAUDE_CONFIG_DIR: home.file('claude'), XDG_CONFIG_HOME: home.file('config'),
      XDG_DATA_HOME: home.file('data'), XDG_STATE_HOME: home.file('state'),
    });
    await fs.mkdir(home.file('codex')); // Codex requires an existing CODEX_HOME
    return home;
  }

  file(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  async dispose(): Promise<void> {
    for (const [key, value] of this.saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await fs.rm(this.root, { recursive: true, force: true });
  }
}

/** Add Gateway with the demo access token, as the command palette would; returns the account id. */
export async function signInWithAccessToken(baseUrl: string): Promise<string> {
  const api = await activateExtension();
  const outcome = await api.internal.addGateway({ baseUrl, method: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
  if (!outcome.ok) throw new Error(`Add Gateway failed: ${JSON.stringify(outcome)}`);
  // The sign-in starts the status bar's check (balance, then today's spend): joined, so a test counting requests
  // from here on sees only its own.
  await api.statusBar.refreshNow();
  await api.statusBar.spendRead;
  return outcome.accountId;
}

/** Markdown as a person reads it: backslash escapes removed (server values in tooltips are fully escaped). */
export function readMarkdown(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

export interface SignedInSuite {
  api: TokaifyApi;
  gw: RunningGateway;
  accountId: string;
  home: TempAgentHome | undefined;
}

/**
 * A suite's usual start: the extension active with no account, a simulator with `options`, signed in
 * with the demo access token, and (with `homePrefix`) a temporary home for the agents' files.
 * `beforeSignIn` runs against the fresh simulator first (e.g. traffic the sign-in's first check must see).
 */
export async function signedInSuite(options: GatewayOptions, homePrefix: string): Promise<SignedInSuite & { home: TempAgentHome }>;
export async function signedInSuite(options?: GatewayOptions, homePrefix?: undefined, beforeSignIn?: (gw: RunningGateway) => Promise<void>): Promise<SignedInSuite>;
export async function signedInSuite(options: GatewayOptions = {}, homePrefix?: string, beforeSignIn?: (gw: RunningGateway) => Promise<void>): Promise<SignedInSuite> {
  const api = await activateExtension();
  await signOutAll(api);
  const gw = await startGateway(options);
  await beforeSignIn?.(gw);
  const accountId = await signInWithAccessToken(gw.url);
  const home = homePrefix ? await TempAgentHome.create(homePrefix) : undefined;
  return { api, gw, accountId, home };
}

/** The suite's end: signed out, the simulator closed, the temporary home removed. */
export async function endSuite({ api, gw, home }: Partial<SignedInSuite>): Promise<void> {
  if (api) await signOutAll(api);
  await gw?.close();
  await home?.dispose();
}
