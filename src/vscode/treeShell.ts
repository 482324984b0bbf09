import * as vscode from 'vscode';
import type { TreeNode } from './tokenTree';

/** The part of TokenTreeProvider the shell delegates to. */
type TreeTarget = Required<Pick<vscode.TreeDataProvider<TreeNode>, 'getTreeItem' | 'getChildren' | 'getParent'>> & {
  onDidChangeTreeData: vscode.Event<TreeNode | undefined>;
};

/**
 * The Token Management view's provider in the startup chunk: it holds no rows of its own and loads the
 * main chunk when the view first asks for them (the view being shown), then forwards every call.
 */
export class TreeShell implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private target?: TreeTarget;
  private forwarding?: vscode.Disposable;

  constructor(private readonly load: () => TreeTarget) {}

  /** Called once the main chunk is up: its changes reach the view from now on. */
  attach(target: TreeTarget): void {
    if (this.target) return;
    this.target = target;
    this.forwarding = target.onDidChangeTreeData((node) => this.changed.fire(node));
  }

  private loaded(): TreeTarget {
    if (!this.target) this.attach(this.load());
    return this.target!;
  }

  getChildren(node?: TreeNode): vscode.ProviderResult<TreeNode[]> {
    return this.loaded().getChildren(node);
  }

  // Nodes only ever come from the loaded tree, so these never load anything themselves.
  getTreeItem(node: TreeNode): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.loaded().getTreeItem(node);
  }

  getParent(node: TreeNode): vscode.ProviderResult<TreeNode> {
    return this.loaded().getParent(node);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}
