/**
 * Read-only documents for the diff preview: `tokaify-preview:` URIs whose text we hold in memory.
 * Secrets are masked on both sides (maskSecrets, which applies redact too), so a preview can be shown
 * on a shared screen.
 */
import * as vscode from 'vscode';
import { redact } from '../../core/redact';
import type { FileChange } from '../../core/agents/fileWriter';
import { SecretMasker } from '../../core/agents/maskSecrets';

export const PREVIEW_SCHEME = 'tokaify-preview';

export class PreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this);
  private serial = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Opens one diff editor per changed file: current (left) against proposed (right). */
  async show(changes: readonly FileChange[], title: (change: FileChange) => string): Promise<void> {
    const run = ++this.serial;
    for (const change of changes) {
      if (change.before === change.after) continue;
      // The file name keeps its extension so the editor highlights TOML/JSON; the query keeps URIs unique.
      const name = change.path.split(/[\\/]/).pop() ?? 'file';
      // One masker per file: an unchanged secret masks alike on both sides, a changed one differently.
      const masker = new SecretMasker();
      const left = this.put(vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/current/${name}`, query: `${run}:${change.path}` }), masker.mask(change.before ?? ''));
      const right = this.put(vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/proposed/${name}`, query: `${run}:${change.path}` }), masker.mask(change.after ?? ''));
      await vscode.commands.executeCommand('vscode.diff', left, right, title(change), { preview: false });
    }
  }

  /** `masked` has been through maskSecrets; redact stays as the last guard of what is held here. */
  private put(uri: vscode.Uri, masked: string): vscode.Uri {
    this.texts.set(uri.toString(), redact(masked));
    this.changed.fire(uri);
    return uri;
  }

  /** Closes the preview tabs of earlier runs and forgets their texts. */
  async closeAll(): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === PREVIEW_SCHEME);
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
    this.texts.clear();
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.texts.clear();
  }
}
