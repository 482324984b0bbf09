import * as vscode from 'vscode';
import type { TokaifyApi } from '../../src/vscode/extension';

export const EXTENSION_ID = 'tokaify.tokaify-vscode';

export async function activateExtension(): Promise<TokaifyApi> {
  const extension = vscode.extensions.getExtension<TokaifyApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  return extension.activate();
}

/** Signs out of every account through the same path as the Sign Out command (no confirmation in tests). */
export async function signOutAll(api: TokaifyApi): Promise<void> {
  for (const account of api.accounts.list()) {
    await vscode.commands.executeCommand('tokaify.signOut', account.id, { confirm: false });
  }
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
