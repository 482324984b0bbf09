/**
 * Where the agents will run, as VS Code knows it: its own environment (what its terminals inherit),
 * `terminal.integrated.env`, and the workspace folders an agent is started in. Configure judges its
 * plan against this before Apply; Verify reads the same.
 */
import * as vscode from 'vscode';
import type { ConflictContext } from '../core/agents/conflicts';
import { hostEnvironment } from './hostEnvironment';

const TERMINAL_ENV_KEY: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'osx', win32: 'windows' };

/** `terminal.integrated.env.<platform>`: the variables set for VS Code's terminals (null unsets one there). */
export function terminalEnvironment(): Record<string, string> {
  const key = TERMINAL_ENV_KEY[process.platform] ?? 'linux';
  const env = vscode.workspace.getConfiguration('terminal.integrated.env').get<Record<string, string | null>>(key) ?? {};
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The workspace folders on this machine's disk (a project's own agent settings live there). */
export function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

export function conflictContext(): ConflictContext {
  return { host: hostEnvironment(), environmentLabel: vscode.l10n.t('VS Code’s environment'), terminalEnv: terminalEnvironment(), projectFolders: workspaceFolderPaths() };
}
