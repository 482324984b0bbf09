/**
 * The settings that shape requests, read and clamped. Both are application-scoped (package.json), so
 * VS Code already ignores a repository's `.vscode/settings.json` for them; the clamp is defence in depth.
 */
import * as vscode from 'vscode';
import { clampNumberSetting, REQUEST_TIMEOUT_SECONDS, STATUS_REFRESH_MINUTES } from '../core/settings';

export function requestTimeoutMs(): number {
  return clampNumberSetting(vscode.workspace.getConfiguration('tokaify').get<unknown>('requestTimeoutSeconds'), REQUEST_TIMEOUT_SECONDS) * 1000;
}

export function statusRefreshMinutes(): number {
  return clampNumberSetting(vscode.workspace.getConfiguration('tokaify').get<unknown>('statusRefreshMinutes'), STATUS_REFRESH_MINUTES);
}
