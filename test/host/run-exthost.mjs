// Runs the mocha suite (dist/test/exthost.js) inside code-server's real Node extension host, on the
// development copy of the extension (the repo root), like @vscode/test-electron's runTests would.
// How: the web workbench reads extensionDevelopmentPath/extensionTestsPath from the `payload` URL
// parameter (only with --vscode-option enable-smoke-test-driver; without it the payload is silently
// ignored), streams the host's console through window.codeAutomationLog and reports the result of
// run() through window.codeAutomationExit.
//
// Usage: node test/host/run-exthost.mjs [extensionDevelopmentPath] [extensionTestsPath]
// Prints `exthost: N passed, N failed` as its last line; exits 0 only if the suite passed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { REPO, launchBrowser, screenshot, startCodeServer } from './codeserver.mjs';

// The real-agent suite (test/exthost/realAgents.test.ts) adds a few agent turns to the run.
const TIMEOUT_MS = Number(process.env.EXTHOST_TIMEOUT_MS || 480_000);
// Where scripts/agents-install.sh links the real agents (the host's HOME is a temporary one).
const AGENTS_BIN = path.join(process.env.TOKAIFY_VSHOST_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'tokaify-vshost'), 'agents-bin');
const devPath = path.resolve(process.argv[2] || REPO);
const testsPath = path.resolve(process.argv[3] || path.join(devPath, 'dist/test/exthost.js'));
// codeAutomationLog also carries the workbench's own console. Drop its routine chatter (connection
// setup, 1.139's agent/chat plumbing) and shorten its errors (open-vsx.org unreachable, no GitHub auth)
// to one line; VERBOSE=1 shows everything.
const NOISE = /^(\[(AgentHost[^\]]*|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time)\]|Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache)/;
const WORKBENCH_STACK = /\/static\/out\/vs\//;

let summary; // the suite's own `exthost: N passed, N failed` line
let code = 'crashed';
const started = Date.now();
let server, browser;
try {
  if (!fs.existsSync(testsPath)) throw new Error(`${testsPath} is missing: run npm run build`);
  server = await startCodeServer({ flags: ['--vscode-option', 'enable-smoke-test-driver'], name: 'exthost-code-server', env: { TOKAIFY_AGENTS_BIN: AGENTS_BIN } });
  fs.writeFileSync(path.join(server.folder, 'README.md'), 'Workspace for the Tokaify extension-host tests.\n');
  browser = await launchBrowser();
  const { page } = browser;

  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    let text = util.format(...(args ?? []));
    const match = /^exthost: \d+ passed, \d+ failed$/m.exec(text);
    if (match) summary = match[0];
    if (!process.env.VERBOSE) {
      if (NOISE.test(text)) return;
      if (WORKBENCH_STACK.test(text)) text = `[workbench] ${text.split('\n')[0]}`;
    }
    for (const line of text.split('\n')) console.log(`  ${type === 'error' ? '[error] ' : ''}${line}`);
  });
  await page.exposeFunction('codeAutomationExit', (c) => exit(c));

  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(testsPath)],
    ['extensionEnvironment', process.env.EXTHOST_ENV || '{}'], // JSON object, extra env for the extension host
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  await page.goto(`${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  code = await Promise.race([exited, new Promise((r) => setTimeout(() => r(`timeout after ${TIMEOUT_MS} ms`), TIMEOUT_MS))]);
  if (code !== 0) await screenshot(page, 'exthost-failure');
} catch (error) {
  console.error(error);
} finally {
  await browser?.close();
  await server?.stop();
}

console.log(`extension host exited: ${code} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
const ok = code === 0 && summary !== undefined && / 0 failed$/.test(summary);
if (!ok && server) console.log(`code-server log: ${path.relative(process.cwd(), server.logFile)}`);
// A run that died before the suite reported (or whose host exit code contradicts it) counts as one failure.
let last = summary ?? 'exthost: 0 passed, 1 failed';
if (!ok) last = last.replace(/ 0 failed$/, ' 1 failed');
console.log(last);
process.exit(ok ? 0 : 1);
