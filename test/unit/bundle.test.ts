// Loads the built dist/extension.js in plain Node, as VS Code would, with `vscode` standing in as an
// inert module: a dependency esbuild failed to bundle, or a module that does work at load time,
// fails here in milliseconds instead of as a silent activation error in the host.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
const bundlePath = path.join(root, manifest.main);
/** The rest of the extension, required by the startup chunk on first need. */
const mainChunkPath = path.join(path.dirname(bundlePath), 'main.js');

/** The startup chunk's budget, minified (issue "Lean startup"). */
const STARTUP_BUDGET_BYTES = 30 * 1024;
/** The first balance check loads this much; zod is a third of it. */
const STATUS_BUDGET_BYTES = 80 * 1024;

/** Any property read or call on it is recorded: loading the bundle must not touch the vscode API. */
function inertVscode(touched: string[]): unknown {
  const handler: ProxyHandler<() => void> = {
    get: (_target, property) => (typeof property === 'string' && property !== 'then' && property !== '__esModule' ? (touched.push(property), new Proxy(() => undefined, handler)) : undefined),
    apply: () => new Proxy(() => undefined, handler),
    construct: () => new Proxy(() => undefined, handler),
  };
  return new Proxy(() => undefined, handler);
}

describe('the built extension bundle', () => {
  it('is where package.json "main" points', () => {
    assert.ok(existsSync(bundlePath), `${manifest.main} is missing: the build did not produce it`);
  });

  it('loads outside VS Code, exports activate/deactivate, and does nothing with vscode until activated', () => {
    const touched: string[] = [];
    const fake = inertVscode(touched);
    type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
    const loader = Module as unknown as { _load: Loader };
    const original = loader._load;
    loader._load = (request, parent, isMain) => (request === 'vscode' ? fake : original(request, parent, isMain));
    try {
      const loaded = require(bundlePath) as Record<string, unknown>;
      assert.equal(typeof loaded.activate, 'function');
      assert.equal(typeof loaded.deactivate, 'function');
    } finally {
      loader._load = original;
    }
    // Enum reads such as vscode.TreeItemCollapsibleState at module level are harmless; calls are not.
    const calls = touched.filter((name) => /^(window|commands|workspace|env|languages|authentication)$/.test(name));
    assert.deepEqual(calls, [], `the bundle used the vscode API while loading: ${calls.join(', ')}`);
  });

  it('keeps the vscode module external rather than bundling a copy', () => {
    assert.match(readFileSync(bundlePath, 'utf8'), /require\(["']vscode["']\)/);
  });

  it('ships both chunks: the startup one and main.js beside it', () => {
    assert.ok(existsSync(mainChunkPath), 'dist/main.js is missing: the build did not produce the main chunk');
    assert.match(readFileSync(path.join(root, '.vscodeignore'), 'utf8'), /^!dist\/main\.js$/m, '.vscodeignore does not ship dist/main.js');
  });

  it('carries zod/mini only, not classic zod and its 40 locale tables (a `{ z }` import pulled in 400 KB once)', () => {
    const text = readFileSync(bundlePath, 'utf8') + readFileSync(mainChunkPath, 'utf8');
    assert.ok(!text.includes('"Zeichen"'), 'the German locale of zod is in the bundle: import zod as `import * as z from \'zod/mini\'`');
  });

  it('carries no HTTP client of its own: requests use VS Code\'s global fetch (bundled undici was two thirds of the bundle)', () => {
    const text = readFileSync(bundlePath, 'utf8') + readFileSync(mainChunkPath, 'utf8');
    assert.ok(!text.includes('WebAssembly'), 'an HTTP parser (undici\'s llhttp wasm) is in the bundle: use the global fetch, not an import of undici');
  });
});

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** A `vscode` for activate(): the names it reads, each inert, and the few values whose identity matters. */
function fakeVscode(items: Record<string, unknown>[]): Record<string, unknown> {
  const handler: ProxyHandler<() => void> = {
    get: (_t, property) => (property === 'then' ? undefined : new Proxy(function inert() {}, handler)),
    apply: () => new Proxy(function inert() {}, handler),
    construct: () => new Proxy(function inert() {}, handler),
  };
  const inert = () => new Proxy(function inert() {}, handler);
  const names = ['workspace', 'Uri', 'EventEmitter', 'Disposable', 'ThemeIcon', 'ThemeColor', 'TreeItem', 'TreeItemCollapsibleState',
    'MarkdownString', 'ProgressLocation', 'ViewColumn', 'Position', 'Range', 'QuickInputButtons', 'TabInputTextDiff', 'extensions'];
  return {
    ...Object.fromEntries(names.map((name) => [name, inert()])),
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    env: { language: 'en' },
    l10n: { bundle: undefined, t: (message: string) => message },
    StatusBarAlignment: { Left: 1, Right: 2 },
    commands: { registerCommand: () => ({ dispose() {} }), executeCommand: async () => undefined },
    window: {
      // A plain object, so the test can read what the item shows.
      createStatusBarItem: () => {
        const item: Record<string, unknown> = { show() {}, dispose() {} };
        items.push(item);
        return item;
      },
      createTreeView: () => ({ dispose() {} }),
      createOutputChannel: () => inert(),
      onDidChangeWindowState: () => ({ dispose() {} }),
      state: { focused: true },
    },
  };
}

describe('the startup chunk (issue "Lean startup")', function () {
  this.timeout(60_000);
  let out: string;
  before(() => {
    // The production build, as shipped, into a temporary directory so dist/ stays the test build.
    out = mkdtempSync(path.join(os.tmpdir(), 'tokaify-chunks-'));
    const build = spawnSync(process.execPath, ['esbuild.mjs', '--production', '--only=extension,status,main', `--out=${out}`], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it(`stays under ${STARTUP_BUDGET_BYTES / 1024} KB minified`, () => {
    const size = statSync(path.join(out, 'extension.js')).size;
    const meta = JSON.parse(readFileSync(path.join(out, 'extension.meta.json'), 'utf8')) as Metafile;
    const output = Object.values(meta.outputs).find((o) => Object.keys(o.inputs).length > 0);
    const biggest = Object.entries(output?.inputs ?? {}).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 8)
      .map(([file, { bytesInOutput }]) => `${file} ${(bytesInOutput / 1024).toFixed(1)} KB`);
    assert.ok(size <= STARTUP_BUDGET_BYTES, `dist/extension.js is ${(size / 1024).toFixed(1)} KB; the biggest modules in it: ${biggest.join(', ')}`);
  });

  it('holds none of the heavy modules; the status chunk holds only what the first balance check needs; no chunk copies another\'s module', () => {
    const [startup, status, main] = ['extension', 'status', 'main'].map((name) => JSON.parse(readFileSync(path.join(out, `${name}.meta.json`), 'utf8')) as Metafile);
    // In a git worktree node_modules may be a symlink, and esbuild names its files ../<checkout>/node_modules/…
    const inputsOf = (m: Metafile) => Object.values(m.outputs).flatMap((o) => Object.keys(o.inputs))
      .map((f) => f.replace(/^(\.\.\/)+[^/]+\/(?=node_modules\/)/, '')).filter((f) => f.startsWith('src/') || f.startsWith('node_modules/'));
    // @vscode/l10n (4 KB) is the one package activation needs: the core's strings are translated from its first frame.
    const heavy = inputsOf(startup!).filter((f) => !f.startsWith('node_modules/@vscode/l10n/')).filter((f) => /node_modules|src\/core\/(http|schemas|consoleClient|relayClient|accounts|diagnosis)|src\/vscode\/(main|verify|agents|commands)/.test(f));
    assert.deepEqual(heavy, [], 'the startup chunk pulled in modules that belong to the main chunk');
    const notForTheCheck = inputsOf(status!).filter((f) => /toml-eslint-parser|jsonc-parser|node_modules\/diff|src\/core\/(diagnosis|agents)|src\/vscode\/(main|verify|agents|commands|tokenTree)/.test(f));
    assert.deepEqual(notForTheCheck, [], 'the status chunk pulled in modules only the main chunk needs');
    const startupFiles = new Set(inputsOf(startup!));
    const statusFiles = new Set(inputsOf(status!));
    assert.deepEqual(inputsOf(status!).filter((f) => startupFiles.has(f)), [], 'the status chunk carries its own copy of startup modules (two registries, two classes)');
    assert.deepEqual(inputsOf(main!).filter((f) => startupFiles.has(f) || statusFiles.has(f)), [], 'the main chunk carries its own copy of an earlier chunk\'s modules');
  });

  it(`the status chunk stays under ${STATUS_BUDGET_BYTES / 1024} KB minified: a returning user's balance waits for it`, () => {
    const size = statSync(path.join(out, 'status.js')).size;
    assert.ok(size <= STATUS_BUDGET_BYTES, `dist/status.js is ${(size / 1024).toFixed(1)} KB`);
  });

  it('activate() in production shows the stored balance at once, then loads dist/status.js for the first check and not dist/main.js', async () => {
    const startupPath = path.join(out, 'extension.js');
    const statusPath = path.join(out, 'status.js');
    const mainPath = path.join(out, 'main.js');
    const items: Record<string, unknown>[] = [];
    const fake = fakeVscode(items);
    type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
    const loader = Module as unknown as { _load: Loader };
    const original = loader._load;
    loader._load = (request, parent, isMain) => (request === 'vscode' ? fake : original(request, parent, isMain));
    const account = { id: 'a1', baseUrl: 'https://gw.example', authKind: 'accessToken', flavor: 'new-api', userId: 1, displayName: 'Ada', addedAt: 1 };
    const display = { type: 'USD', quotaPerUnit: 500_000, usdExchangeRate: 7.3, customSymbol: '¤', customRate: 1 };
    const values: Record<string, unknown> = {
      'tokaify.accounts': [account], 'tokaify.activeAccount': 'a1',
      'tokaify.accounts.a1.lastBalance': { snapshot: { remaining: 5_000_000, used: 0, unlimited: false, source: 'account', latencyMs: 5, at: Date.now() }, display },
    };
    const subscriptions: { dispose(): void }[] = [];
    try {
      const startup = require(startupPath) as { activate(context: unknown): unknown };
      const exported = startup.activate({
        extensionMode: 1, subscriptions,
        globalState: { get: (key: string) => values[key], update: async () => undefined, keys: () => Object.keys(values) },
        workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
        secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
        extension: { packageJSON: { version: 'test' } },
      });
      assert.equal(exported, undefined, 'production exports nothing');
      assert.ok(!(mainPath in require.cache) && !(statusPath in require.cache), 'activate() loaded another chunk before returning');
      assert.equal(items.length, 1);
      assert.equal(items[0]!.text, '$(pass) Tokaify: $10.00', 'the status-bar item does not show the stored balance at once');
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(statusPath in require.cache, 'the first check did not load dist/status.js');
      assert.ok(!(mainPath in require.cache), 'the first check loaded dist/main.js: the balance waits for the whole extension');
    } finally {
      for (const s of subscriptions) s.dispose();
      loader._load = original;
      for (const chunk of [startupPath, statusPath, mainPath]) delete require.cache[chunk];
    }
  });
});
