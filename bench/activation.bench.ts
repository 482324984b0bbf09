/**
 * Our share of activation: load the production bundle and run activate() with an inert `vscode`
 * (every API call answers a no-op), so what is timed is the extension's own work, nothing of VS Code's.
 * The real figure, VS Code included, is read from Developer: Show Running Extensions by
 * test/ui/welcome.ui.mjs and printed as `ui: activation N ms`.
 */
import Module from 'node:module';
import path from 'node:path';

/** The names the bundle reads from `vscode`: esbuild's namespace import copies own keys, so they must exist. */
const API_NAMES = ['window', 'workspace', 'commands', 'env', 'extensions', 'l10n', 'Uri', 'EventEmitter', 'Disposable', 'ThemeIcon', 'ThemeColor',
  'TreeItem', 'TreeItemCollapsibleState', 'StatusBarAlignment', 'MarkdownString', 'ProgressLocation', 'ViewColumn', 'Position', 'Range',
  'QuickInputButtons', 'TabInputTextDiff', 'ExtensionMode'];

function inert(): unknown {
  // A `function` target (not an arrow) so `new vscode.EventEmitter()` works too.
  const target = function inertApi(): void {};
  const make = (): unknown => new Proxy(target, handler);
  const handler: ProxyHandler<() => void> = {
    get: (_t, property) => (property === 'then' ? undefined : property === Symbol.toPrimitive ? () => '' : make()),
    apply: () => make(),
    construct: () => make() as object,
    set: () => true, // `item.name = …` and friends are accepted and forgotten
  };
  return Object.fromEntries(API_NAMES.map((name) => [name, make()]));
}

export function benchActivation(): Record<string, number> {
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = loader._load;
  const vscode = inert();
  loader._load = (request, parent, isMain) => (request === 'vscode' ? vscode : original(request, parent, isMain));
  try {
    const t0 = performance.now();
    const extension = require(path.resolve('dist/extension.js')) as { activate(context: unknown): unknown };
    const t1 = performance.now();
    const context = { subscriptions: [] as unknown[], globalState: { get: (_k: string, d?: unknown) => d, update: async () => undefined, keys: () => [] },
      secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
      extension: { packageJSON: { version: 'bench' } } };
    extension.activate(context);
    const t2 = performance.now();
    return { 'require bundle ms': Number((t1 - t0).toFixed(1)), 'activate() ms': Number((t2 - t1).toFixed(1)) };
  } finally {
    loader._load = original;
  }
}
