/**
 * Our share of activation: load the production chunks and run activate() with an inert `vscode`
 * (every API call answers a no-op), so what is timed is the extension's own work, nothing of VS Code's.
 * The startup chunk (dist/extension.js) is what VS Code loads at startup; the main chunk (dist/main.js)
 * loads on first need (a command, the view shown, the first balance check), so both are timed apart.
 * The real figure, VS Code included, is read from Developer: Show Running Extensions by
 * test/ui/welcome.ui.mjs and printed as `ui: activation N ms`.
 */
import { statSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

/** The names the bundle reads from `vscode`: esbuild's namespace import copies own keys, so they must exist. */
const API_NAMES = ['window', 'workspace', 'commands', 'env', 'extensions', 'l10n', 'Uri', 'EventEmitter', 'Disposable', 'ThemeIcon', 'ThemeColor',
  'TreeItem', 'TreeItemCollapsibleState', 'StatusBarAlignment', 'MarkdownString', 'ProgressLocation', 'ViewColumn', 'Position', 'Range',
  'QuickInputButtons', 'TabInputTextDiff'];

/** Production: activate() must not load the main chunk, so the bench times exactly what a user's startup costs. */
const ExtensionMode = { Production: 1, Development: 2, Test: 3 };

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
  return { ...Object.fromEntries(API_NAMES.map((name) => [name, make()])), ExtensionMode };
}

const ms = (from: number, to: number) => Number((to - from).toFixed(1));
const kb = (file: string) => Number((statSync(file).size / 1024).toFixed(1));

export function benchActivation(): Record<string, number> {
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = loader._load;
  const vscode = inert();
  loader._load = (request, parent, isMain) => (request === 'vscode' ? vscode : original(request, parent, isMain));
  const startupPath = path.resolve('dist/extension.js');
  const mainPath = path.resolve('dist/main.js');
  try {
    const t0 = performance.now();
    const extension = require(startupPath) as { activate(context: unknown): unknown };
    const t1 = performance.now();
    const context = { extensionMode: ExtensionMode.Production, subscriptions: [] as unknown[],
      globalState: { get: (_k: string, d?: unknown) => d, update: async () => undefined, keys: () => [] },
      secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
      extension: { packageJSON: { version: 'bench' } } };
    extension.activate(context);
    const t2 = performance.now();
    const loadedByActivate = mainPath in require.cache;
    // What the first command, the view or the first balance check pays: loading the main chunk and starting it.
    const main = require(mainPath) as { startMain(context: unknown, parts: unknown): unknown };
    const t3 = performance.now();
    main.startMain(context, { statusItem: { show() {}, dispose() {}, text: '', tooltip: '' }, treeView: { selection: [] }, secrets: context.secrets });
    const t4 = performance.now();
    return {
      'startup chunk KB (dist/extension.js)': kb(startupPath),
      'startup chunk require ms': ms(t0, t1),
      'activate() ms': ms(t1, t2),
      'main chunk loaded by activate() (0 = no)': loadedByActivate ? 1 : 0,
      'main chunk KB (dist/main.js)': kb(mainPath),
      'main chunk require ms (on first need)': ms(t2, t3),
      'main chunk startMain() ms': ms(t3, t4),
    };
  } finally {
    loader._load = original;
  }
}
