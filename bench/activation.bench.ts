/**
 * Our share of activation: load the production chunks and run activate() with an inert `vscode`
 * (every API call answers a no-op), so what is timed is the extension's own work, nothing of VS Code's.
 * The startup chunk (dist/extension.js) is what VS Code loads at startup; the status chunk (dist/status.js)
 * loads for the first balance check; the main chunk (dist/main.js) on first need (a command, the view
 * shown), so the three are timed apart.
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

/** Production: activate() must load no other chunk, so the bench times exactly what a user's startup costs. */
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
  const statusPath = path.resolve('dist/status.js');
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
    const loadedByActivate = statusPath in require.cache || mainPath in require.cache;
    // What the first balance check pays: the status chunk (HTTP, clients, schemas, status bar).
    const statusChunk = require(statusPath) as { startStatus(context: unknown, parts: unknown): unknown };
    const t3 = performance.now();
    const statusItem = { show() {}, dispose() {}, text: '', tooltip: '' };
    const status = statusChunk.startStatus(context, { statusItem, secrets: context.secrets });
    const t4 = performance.now();
    // What the first command or the view pays on top: the main chunk.
    const main = require(mainPath) as { startMain(context: unknown, parts: unknown): unknown };
    const t5 = performance.now();
    main.startMain(context, { statusItem, treeView: { selection: [] }, secrets: context.secrets, status });
    const t6 = performance.now();
    return {
      'startup chunk KB (dist/extension.js)': kb(startupPath),
      'startup chunk require ms': ms(t0, t1),
      'activate() ms': ms(t1, t2),
      'another chunk loaded by activate() (0 = no)': loadedByActivate ? 1 : 0,
      'status chunk KB (dist/status.js, the first balance check)': kb(statusPath),
      'status chunk require ms': ms(t2, t3),
      'status chunk startStatus() ms': ms(t3, t4),
      'main chunk KB (dist/main.js)': kb(mainPath),
      'main chunk require ms (on first need)': ms(t4, t5),
      'main chunk startMain() ms': ms(t5, t6),
    };
  } finally {
    loader._load = original;
  }
}
