// Builds every bundle the project ships or tests:
//   dist/extension.js   the extension's startup chunk (cjs, `vscode` external): what activate() needs
//   dist/status.js      the first balance check (HTTP, clients, schemas, status bar), required right after activation
//   dist/main.js        the rest of the extension, required by the startup chunk on first need
//   dist/simulator.js   the new-api gateway simulator (`npm run gateway`)
//   dist/cli.js         `tokaify write …`: the agent config writers without VS Code
//   dist/test/exthost.js  the mocha suite that runs inside a real VS Code extension host
//   dist/test/unit/*.js   unit tests for plain Node mocha
//   dist/test/agents/*.js the real Codex, Claude Code and OpenCode against the simulator (test/agents/run.mjs)
//   dist/test/nsRunner.js a command beside a fresh simulator in a loopback-only namespace (exthost real-agent tests)
//   dist/bench/run.js     `npm run bench`
// Flags: --production (minify, no sourcemaps), --watch, --only=<name>[,<name>].
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const production = args.includes('--production');
const watch = args.includes('--watch');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
/** --out=<dir>: the extension chunks (and their esbuild metafiles) go there instead of dist/ (the bundle test's production build). */
const outDir = args.find((a) => a.startsWith('--out='))?.slice('--out='.length);

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser and friends ship a UMD `main` that esbuild cannot follow; prefer their ESM build.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
};

/** Test files are bundled through a generated entry so adding a file needs no registration. */
function listTests(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort() : [];
}

/**
 * The three extension chunks share modules without copying them. Each chunk exports its modules (as
 * `__shared`), and a later chunk's imports of them read them from there (dist/status.js and dist/main.js
 * require ./extension.js, already loaded; dist/main.js requires ./status.js). So a module's state (the
 * redaction registry, the l10n bundle, a class's identity) exists once, and no chunk carries an earlier
 * chunk's code. Prepasses list each chunk's modules; the builds take those lists.
 *   extension.js  activate(): the status item with the stored balance, lazy command handlers, the tree shell
 *   status.js     the first balance check: HTTP, console/relay clients, schemas (zod), the status bar
 *   main.js       everything else, on first use
 */
const STARTUP_ENTRY = 'src/vscode/extension.ts';
const STATUS_ENTRY = 'src/vscode/statusChunk.ts';
async function modulesOf(entry) {
  const result = await esbuild.build({ ...common, entryPoints: [entry], external: ['vscode'], write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
  return Object.keys(result.metafile.inputs).filter((input) => input.startsWith('src/') && input !== entry).sort();
}
const needsChunks = !only || ['extension', 'status', 'main'].some((name) => only.includes(name));
/**
 * Packages whose single copy lives in the startup chunk, by import specifier: @vscode/l10n holds the
 * bundle configured at activation. (A package shared this way is shared whole, not tree-shaken: zod
 * would be 420 KB. Every zod schema is in a status-chunk module, so zod is there and nowhere else.)
 */
const STARTUP_PACKAGES = ['@vscode/l10n'];
const startupModules = needsChunks ? [...await modulesOf(STARTUP_ENTRY), ...STARTUP_PACKAGES] : [];
const statusModules = needsChunks ? (await modulesOf(STATUS_ENTRY)).filter((file) => !startupModules.includes(file)) : [];
const isPackage = (name) => !name.startsWith('src/');

/** A chunk's entry: the entry module's exports plus `__shared`, every module the later chunks may import. */
function chunkEntry(entry, modules) {
  const specifier = (file) => (isPackage(file) ? file : path.relative(path.dirname(entry), file).replace(/\\/g, '/').replace(/^(?!\.)/, './').replace(/\.ts$/, ''));
  return {
    contents: [
      `export * from './${path.basename(entry, '.ts')}';`,
      ...modules.map((file, i) => `import * as m${i} from '${specifier(file)}';`),
      `export const __shared = { ${modules.map((file, i) => `${JSON.stringify(file)}: m${i}`).join(', ')} };`,
    ].join('\n'),
    resolveDir: path.resolve(path.dirname(entry)),
    sourcefile: `${path.basename(entry, '.ts')}-entry.ts`,
    loader: 'ts',
  };
}

/** In a later chunk, an import of an earlier chunk's module becomes a read of that chunk's copy. */
function fromEarlierChunks(chunks) {
  return {
    name: 'from-earlier-chunks',
    setup(build) {
      const owner = new Map();
      for (const { file: chunkFile, modules } of chunks) for (const module of modules) owner.set(isPackage(module) ? module : path.resolve(module), { chunkFile, module });
      build.onResolve({ filter: /.*/, namespace: 'file' }, (args) => {
        const candidates = args.path.startsWith('.')
          ? (() => { const base = path.resolve(args.resolveDir, args.path); return [base, `${base}.ts`, path.join(base, 'index.ts')]; })()
          : [args.path];
        const found = candidates.map((c) => owner.get(c)).find(Boolean);
        return found ? { path: found.module, namespace: 'earlier-chunk', pluginData: found.chunkFile } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'earlier-chunk' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.pluginData)}).__shared[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
      build.onResolve({ filter: /^\.\/(extension|status)\.js$/, namespace: 'earlier-chunk' }, (args) => ({ path: args.path, external: true }));
    },
  };
}
const startupChunk = { file: './extension.js', modules: startupModules };
const statusChunk = { file: './status.js', modules: statusModules };

const exthostTests = listTests('test/exthost');
const targets = {
  extension: { stdin: chunkEntry(STARTUP_ENTRY, startupModules), outfile: path.join(outDir ?? 'dist', 'extension.js'), external: ['vscode'], metafile: true },
  status: {
    stdin: chunkEntry(STATUS_ENTRY, statusModules), outfile: path.join(outDir ?? 'dist', 'status.js'), external: ['vscode'], plugins: [fromEarlierChunks([startupChunk])], metafile: true,
  },
  main: {
    entryPoints: ['src/vscode/main.ts'], outfile: path.join(outDir ?? 'dist', 'main.js'), external: ['vscode'], plugins: [fromEarlierChunks([startupChunk, statusChunk])], metafile: true,
  },
  simulator: { entryPoints: ['src/simulator/main.ts'], outfile: 'dist/simulator.js' },
  cli: { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  exthost: {
    stdin: {
      contents: `export { run } from './runner';\n${exthostTests.map((f) => `import './${f.replace(/\.ts$/, '')}';`).join('\n')}\n`,
      resolveDir: path.resolve('test/exthost'),
      sourcefile: 'exthost-entry.ts',
      loader: 'ts',
    },
    outfile: 'dist/test/exthost.js',
    external: ['vscode', 'mocha'],
  },
  bench: { entryPoints: ['bench/run.ts'], outfile: 'dist/bench/run.js' },
  // The logging proxy, for the UI tests (plain .mjs, run outside VS Code) as well as the exthost suite.
  uiSupport: { entryPoints: ['test/exthost/loggingProxy.ts'], outfile: 'dist/test/loggingProxy.js' },
  // The extension-host tests start it inside a loopback-only namespace, beside a real agent.
  nsRunner: { entryPoints: ['test/exthost/nsRunner.ts'], outfile: 'dist/test/nsRunner.js' },
  unit: {
    entryPoints: listTests('test/unit').map((f) => `test/unit/${f}`),
    outdir: 'dist/test/unit',
    // l10n-dev loads its tree-sitter grammars from its own folder. `vscode` is the stand-in of
    // test/unit/fakeVscode.ts, for the glue's strings in plain Node.
    external: ['mocha', '@vscode/l10n-dev', 'vscode'],
  },
  agents: {
    entryPoints: listTests('test/agents').map((f) => `test/agents/${f}`),
    outdir: 'dist/test/agents',
    external: ['mocha'],
  },
};

const selected = Object.entries(targets).filter(([name]) => !only || only.includes(name));
const contexts = await Promise.all(selected.map(([, options]) => esbuild.context({ ...common, ...options })));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  console.log('[esbuild] watching…');
} else {
  try {
    const results = await Promise.all(contexts.map((ctx) => ctx.rebuild()));
    // Which modules make up each chunk, for the bundle test and anyone asking why a chunk grew.
    results.forEach((result, i) => {
      const { outfile } = selected[i][1];
      if (result.metafile && outfile) writeFileSync(outfile.replace(/\.js$/, '.meta.json'), JSON.stringify(result.metafile));
    });
  } finally {
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
  }
}
