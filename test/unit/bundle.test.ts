// Loads the built dist/extension.js in plain Node, as VS Code would, with `vscode` standing in as an
// inert module: a dependency esbuild failed to bundle, or a module that does work at load time,
// fails here in milliseconds instead of as a silent activation error in the host.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
const bundlePath = path.join(root, manifest.main);

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

  it('carries zod/mini only, not classic zod and its 40 locale tables (a `{ z }` import pulled in 400 KB once)', () => {
    const text = readFileSync(bundlePath, 'utf8');
    assert.ok(!text.includes('"Zeichen"'), 'the German locale of zod is in the bundle: import zod as `import * as z from \'zod/mini\'`');
  });

  it('carries no HTTP client of its own: requests use VS Code\'s global fetch (bundled undici was two thirds of the bundle)', () => {
    const text = readFileSync(bundlePath, 'utf8');
    assert.ok(!text.includes('WebAssembly'), 'an HTTP parser (undici\'s llhttp wasm) is in the bundle: use the global fetch, not an import of undici');
  });
});
