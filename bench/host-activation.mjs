// `npm run bench:host`: activation in a real VS Code (code-server), Tokaify beside an empty extension
// (bench/peers/hello: one command, one status-bar item) and a small balance extension
// (bench/peers/balance: one item, one /api/user/self request), and a shell with Tokaify's contributions
// that only registers them (generated from package.json), all four installed in one code-server.
//
// Each round starts a fresh profile (new user-data-dir, extensions dir and browser profile: a first-time
// user, whom the demo's auto sign-in then signs in) and reloads the window --reloads times (a returning
// user: the account, its stored balance and SecretStorage are kept). After every load it reads each
// extension's activation time from Developer: Show Running Extensions, and, from a MutationObserver in
// the page, the time from each balance item appearing to it showing the gateway's new balance (the
// simulator's balance changes before every load; its latency, one round trip, is subtracted).
// Prints min/median/max per extension and profile, the ratios to hello and to the peer, and Tokaify's
// difference to hello and to the shell within each load (the workbench's load varies more than that); writes
// bench/results/host-activation.json. Figures, not tests: nothing here passes or fails.
//
// Usage: node bench/host-activation.mjs [--rounds N] [--reloads N]   (defaults 4 and 3)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  REPO, ensureInstall, installExtension, launchBrowser, openWorkbench, runCommand, screenshot, sleep, startCodeServer, startSimulator, tempDir,
} from '../test/host/codeserver.mjs';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROUNDS = arg('rounds', 4);
const RELOADS = arg('reloads', 3);
const LATENCY_MS = 100;
const QUOTA_PER_DOLLAR = 500_000;
/** Display names as the Running Extensions editor lists them, and the status-bar text each balance starts with. */
const EXTENSIONS = { tokaify: 'Tokaify', hello: 'Hello Bench', peer: 'Balance Bench', shell: 'Shell Bench' };
const ITEM_PREFIX = { tokaify: 'Tokaify', peer: 'Peer:' };

// BENCH_TOKAIFY_VSIX: measure another build of Tokaify (an instrumented or experimental one) in its place.
const vsix = process.env.BENCH_TOKAIFY_VSIX ?? path.join(REPO, 'dist/tokaify.vsix');
if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package`);

function packagePeer(name, outDir, dir = path.join(REPO, 'bench/peers', name)) {
  const out = path.join(outDir, `${name}.vsix`);
  execFileSync(path.join(REPO, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out],
    { cwd: dir, stdio: 'ignore' });
  return out;
}

/**
 * Tokaify's contributions (commands, view, settings, menus; ids renamed) with an activate() that only
 * registers them: what VS Code itself charges any extension of this shape, so Tokaify's own work is the
 * difference. Generated from package.json at run time, so it never drifts from the real manifest.
 */
function shellPeer(outDir) {
  const dir = path.join(outDir, 'shell');
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const contributes = JSON.parse(JSON.stringify(manifest.contributes).replaceAll('tokaify', 'shellBench').replaceAll('Tokaify', 'Shell Bench'));
  const view = contributes.views[Object.keys(contributes.views)[0]][0].id;
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(REPO, 'media'), path.join(dir, 'media'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'shell-bench', displayName: 'Shell Bench', version: '1.0.0', publisher: 'bench', license: 'MIT', engines: manifest.engines,
    main: './extension.js', activationEvents: manifest.activationEvents, contributes,
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), `const vscode = require('vscode');
const { contributes } = require('./package.json');
exports.activate = (context) => {
  const item = vscode.window.createStatusBarItem('shellBench.status', vscode.StatusBarAlignment.Left, 50);
  item.text = 'Shell Bench';
  item.show();
  const empty = { getChildren: () => [], getTreeItem: (node) => node };
  context.subscriptions.push(item, vscode.window.createTreeView(${JSON.stringify(view)}, { treeDataProvider: empty, canSelectMany: true }));
  for (const { command } of contributes.commands) context.subscriptions.push(vscode.commands.registerCommand(command, () => undefined));
};
`);
  return packagePeer('shell', outDir, dir);
}

/** Records, in page time, every change of a status-bar item whose text starts with one of the prefixes. */
function watchStatusBar(prefixes) {
  const seen = new Map();
  window.__statusTimeline = [];
  const scan = () => {
    for (const el of document.querySelectorAll('.statusbar-item')) {
      const text = el.textContent.trim();
      if (!prefixes.some((p) => text.startsWith(p)) || seen.get(el) === text) continue;
      seen.set(el, text);
      window.__statusTimeline.push({ t: performance.now(), text });
    }
  };
  new MutationObserver(scan).observe(document, { subtree: true, childList: true, characterData: true });
}

const dollars = (quota) => `$${(quota / QUOTA_PER_DOLLAR).toFixed(2)}`;

/** From the item's first appearance to the first time it shows `fresh`, minus one gateway round trip. */
function freshAfterAppearing(timeline, prefix, fresh) {
  const mine = timeline.filter((e) => e.text.startsWith(prefix));
  const shown = mine.find((e) => e.text.includes(fresh));
  return mine.length && shown ? Math.max(0, shown.t - mine[0].t - LATENCY_MS) : undefined;
}

async function activationTimes(page) {
  await runCommand(page, 'Developer: Show Running Extensions');
  const times = {};
  for (const [key, name] of Object.entries(EXTENSIONS)) {
    const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ timeout: 30_000 });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const match = /Activation:\s*(\d+)\s*ms/.exec(await row.innerText());
      if (match) { times[key] = Number(match[1]); break; }
      if (Date.now() > deadline) throw new Error(`no activation time for ${name}: ${JSON.stringify(await row.innerText())}`);
      await sleep(200);
    }
  }
  // Closed before the next load, so the restored editor does not add to the workbench's start.
  await page.keyboard.press('Escape');
  await sleep(300);
  await runCommand(page, 'View: Close All Editors');
  return times;
}

const samples = { fresh: [], returning: [] };
const install = ensureInstall();
const work = tempDir('bench-host');
const peerVsix = [packagePeer('hello', work), packagePeer('balance', work), shellPeer(work)];
const simulator = await startSimulator();
const control = (route, body) => fetch(`${simulator.url}/__simulator/${route}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
await control('faults', { latencyMs: LATENCY_MS });
let quota = 5_000_000;

try {
  for (let round = 1; round <= ROUNDS; round++) {
    const root = tempDir(`bench-round${round}`);
    const extensionsDir = path.join(root, 'extensions');
    for (const file of [vsix, ...peerVsix]) installExtension(install, { vsix: file, extensionsDir, userDataDir: path.join(root, 'ud'), home: path.join(root, 'home') });
    const env = {
      TOKAIFY_AUTO_SIGNIN_URL: simulator.url, TOKAIFY_AUTO_SIGNIN_USER_ID: '1', TOKAIFY_AUTO_SIGNIN_ACCESS_TOKEN: 'demo-access-token',
      BALANCE_BENCH_URL: simulator.url, BALANCE_BENCH_USER: '1', BALANCE_BENCH_TOKEN: 'demo-access-token',
    };
    const server = await startCodeServer({ install, extensionsDir, env, name: `bench-host-round${round}` });
    const browser = await launchBrowser({ viewport: { width: 1400, height: 1600 } });
    try {
      await browser.page.addInitScript(watchStatusBar, Object.values(ITEM_PREFIX));
      for (let load = 0; load <= RELOADS; load++) {
        quota += 5_000; // one cent: the balance each item must end up showing
        await control('patch', { user: { id: 1, quota } });
        const fresh = dollars(quota);
        if (load === 0) await openWorkbench(browser.page, server.url, 120_000);
        else await browser.page.reload();
        for (const prefix of Object.values(ITEM_PREFIX)) {
          await browser.page.locator('.statusbar-item', { hasText: new RegExp(`^\\s*${prefix}.*\\${fresh}`) }).first().waitFor({ timeout: 60_000 });
        }
        const timeline = await browser.page.evaluate(() => window.__statusTimeline);
        let times;
        try {
          times = await activationTimes(browser.page);
        } catch (error) {
          // A sample lost to a slow workbench is reported, not fatal: the figures say how many were kept.
          console.log(`round ${round} load ${load}: skipped (${String(error.message).split('\n')[0]}; ${await screenshot(browser.page, `bench-host-round${round}-load${load}`)})`);
          await browser.page.keyboard.press('Escape');
          continue;
        }
        const sample = { ...times, tokaifyFreshMs: freshAfterAppearing(timeline, ITEM_PREFIX.tokaify, fresh), peerFreshMs: freshAfterAppearing(timeline, ITEM_PREFIX.peer, fresh) };
        (load === 0 ? samples.fresh : samples.returning).push(sample);
        console.log(`round ${round} ${load === 0 ? 'fresh    ' : `return ${load}`}: ${JSON.stringify(sample)}`);
      }
    } finally {
      await browser.close();
      await server.stop();
    }
  }
} finally {
  await simulator.stop();
}

const stats = (values) => {
  const v = values.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = v.length >> 1;
  return { min: v[0], median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, max: v.at(-1), n: v.length };
};
const ratio = (a, b) => (a && b ? Number((a.median / b.median).toFixed(2)) : undefined);
const summary = {};
for (const [profile, list] of Object.entries(samples)) {
  const column = (key) => stats(list.map((s) => s[key]));
  const [tokaify, hello, peer, shell] = [column('tokaify'), column('hello'), column('peer'), column('shell')];
  const paired = (other) => stats(list.filter((s) => s.tokaify !== undefined && s[other] !== undefined).map((s) => s.tokaify - s[other]));
  summary[profile] = {
    'activation ms': { tokaify, hello, peer, shell },
    'ratio tokaify/hello (medians)': ratio(tokaify, hello),
    'ratio tokaify/peer (medians)': ratio(tokaify, peer),
    'ratio shell/hello (medians): the same contributions, no work': ratio(shell, hello),
    'tokaify minus hello, same load, ms': paired('hello'),
    'tokaify minus shell, same load, ms': paired('shell'),
    'item appearing to fresh balance, latency subtracted, ms': { tokaify: column('tokaifyFreshMs'), peer: column('peerFreshMs') },
  };
}
console.log(`\n${JSON.stringify(summary, null, 2)}`);
fs.mkdirSync(path.join(REPO, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(REPO, 'bench/results/host-activation.json'),
  `${JSON.stringify({ when: new Date().toISOString(), rounds: ROUNDS, reloads: RELOADS, gatewayLatencyMs: LATENCY_MS, summary, samples }, null, 2)}\n`);
process.exit(0);
