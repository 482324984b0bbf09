// Builds every bundle the project ships or tests:
//   dist/extension.js   the extension (cjs, `vscode` external)
//   dist/simulator.js   the new-api gateway simulator (`npm run gateway`)
//   dist/cli.js         `tokaify write …`: the agent config writers without VS Code
//   dist/test/exthost.js  the mocha suite that runs inside a real VS Code extension host
//   dist/test/unit/*.js   unit tests for plain Node mocha
//   dist/bench/run.js     `npm run bench`
// Flags: --production (minify, no sourcemaps), --watch, --only=<name>[,<name>].
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const production = args.includes('--production');
const watch = args.includes('--watch');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');

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

const exthostTests = listTests('test/exthost');
const targets = {
  extension: { entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
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
  unit: {
    entryPoints: listTests('test/unit').map((f) => `test/unit/${f}`),
    outdir: 'dist/test/unit',
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
    await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  } finally {
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
  }
}
