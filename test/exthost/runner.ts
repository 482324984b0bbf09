/**
 * Mocha entry for the suite that runs inside a real VS Code extension host. The contract is the one
 * `@vscode/test-electron` and code-server's `payload` launcher share: `extensionTestsPath` points at a
 * module exporting `run(): Promise<void>`, and the promise decides the host's exit code.
 *
 * esbuild bundles this module first and the `*.test.ts` files after it; those call describe/it while
 * they load. So the Mocha instance is created and the bdd globals are installed here, at module top
 * level, before any test module is evaluated. `mocha` stays external and resolves from node_modules.
 */
import Mocha = require('mocha');

// EXTHOST_GREP (through EXTHOST_ENV's extension environment) runs only the matching tests.
const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec', ...(process.env.EXTHOST_GREP ? { grep: process.env.EXTHOST_GREP } : {}) });
mocha.suite.emit('pre-require', globalThis, 'exthost', mocha);

export function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
      if (stats.pending) console.log(`exthost: ${stats.pending} pending`);
      // The launchers (test/host/run-*.mjs, scripts/test-all.sh) read this exact last line.
      console.log(`exthost: ${stats.passes} passed, ${stats.failures} failed`);
      if (failures) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
