// Builds every bundle the project ships or tests:
//   dist/extension.js   the extension's startup chunk (cjs, `vscode` external): what activate() needs
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
 * The two extension chunks share modules without copying them: every module of the startup chunk is
 * exported from it (as `__shared`), and the main chunk's imports of those modules read them from there
 * (dist/main.js requires ./extension.js, already loaded). So a module's state (the redaction registry,
 * a class's identity) exists once, and main.js carries none of the startup chunk's code.
 * A prepass lists the startup chunk's modules; both builds take that list.
 */
const STARTUP_ENTRY = 'src/vscode/extension.ts';
async function startupModules() {
  const result = await esbuild.build({ ...common, entryPoints: [STARTUP_ENTRY], external: ['vscode'], write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
  return Object.keys(result.metafile.inputs).filter((input) => input.startsWith('src/') && input !== STARTUP_ENTRY).sort();
}
const needsStartup = !only || only.includes('extension') || only.includes('main');
/**
 * Packages whose state must exist once across both chunks: @vscode/l10n holds the configured bundle,
 * set at activation and read by the main chunk's core modules.
 */
const SHARED_PACKAGES = ['@vscode/l10n'];
const shared = needsStartup ? [...await startupModules(), ...SHARED_PACKAGES] : [];

const startupEntry = {
  contents: [
    `export * from './${path.basename(STARTUP_ENTRY, '.ts')}';`,
    ...shared.map((file, i) => `import * as m${i} from '${SHARED_PACKAGES.includes(file) ? file : path.relative(path.dirname(STARTUP_ENTRY), file).replace(/\\/g, '/').replace(/^(?!\.)/, './').replace(/\.ts$/, '')}';`),
    `export const __shared = { ${shared.map((file, i) => `${JSON.stringify(file)}: m${i}`).join(', ')} };`,
  ].join('\n'),
  resolveDir: path.resolve(path.dirname(STARTUP_ENTRY)),
  sourcefile: 'startup-entry.ts',
  loader: 'ts',
};

/** In the main chunk, an import of a startup module becomes a read of the startup chunk's copy. */
const fromStartupChunk = {
  name: 'from-startup-chunk',
  setup(build) {
    const byPath = new Map(shared.map((file) => [path.resolve(file), file]));
    build.onResolve({ filter: /^\./, namespace: 'file' }, (args) => {
      const base = path.resolve(args.resolveDir, args.path);
      const file = [base, `${base}.ts`, path.join(base, 'index.ts')].map((p) => byPath.get(p)).find(Boolean);
      return file ? { path: file, namespace: 'startup-chunk' } : undefined;
    });
    for (const name of SHARED_PACKAGES) {
      build.onResolve({ filter: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`), namespace: 'file' }, () => ({ path: name, namespace: 'startup-chunk' }));
    }
    build.onResolve({ filter: /^\.\/extension\.js$/, namespace: 'startup-chunk' }, () => ({ path: './extension.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'startup-chunk' }, (args) => ({
      contents: `module.exports = require('./extension.js').__shared[${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
  },
};

const exthostTests = listTests('test/exthost');
const targets = {
  extension: { stdin: startupEntry, outfile: path.join(outDir ?? 'dist', 'extension.js'), external: ['vscode'], metafile: true },
  main: { entryPoints: ['src/vscode/main.ts'], outfile: path.join(outDir ?? 'dist', 'main.js'), external: ['vscode'], plugins: [fromStartupChunk], metafile: true },
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
