// The extension-host suite through @vscode/test-electron, i.e. a downloaded desktop VS Code. For
// machines with internet access; offline it fails at once (update.code.visualstudio.com unreachable),
// which is why `npm test` uses run-exthost.mjs (code-server) instead.
// Env: VSCODE_VERSION (default 'stable'), VSCODE_EXECUTABLE (use an installed VS Code, no download).
import fs from 'node:fs';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO, tempDir } from './codeserver.mjs';

const extensionTestsPath = path.join(REPO, 'dist/test/exthost.js');
if (!fs.existsSync(extensionTestsPath)) {
  console.error(`${extensionTestsPath} is missing: run npm run build`);
  process.exit(1);
}
const workspace = tempDir('electron-ws');
const userData = tempDir('electron-ud');
let code = 1;
try {
  // Resolves when the suite's run() resolved; the suite prints its own `exthost: N passed, N failed`.
  await runTests({
    extensionDevelopmentPath: REPO,
    extensionTestsPath,
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION || 'stable' }),
    // A fresh profile, no other extensions, no trust prompt: the same conditions as the code-server run.
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
  });
  code = 0;
} catch (error) {
  console.error(`electron: ${error instanceof Error ? error.message : error}`);
}
process.exit(code);
