// UI end-to-end tests: playwright drives the code-server workbench with the packaged extension
// (dist/tokaify.vsix, as users get it) installed. code-server runs WITHOUT the smoke-test flag, which
// would hide notification toasts. Each test file gets a fresh code-server user-data-dir and a fresh
// browser profile (SecretStorage lives there), so no file sees another's sign-in.
//
// A test file (test/ui/*.ui.mjs) exports `default async function (ui)`, where ui is
//   { page, server, gatewayUrl, check(name, fn) -> Promise<boolean>, shot(name), setup }.
// It may also export `async function setup({ gatewayUrl })` returning { env, settings, locale, teardown, ... }:
// env, settings and locale (the display language, e.g. 'zh-cn') go to its code-server, the whole object
// to the test as `setup`, teardown runs last.
// Usage: node test/host/run-ui.mjs [file...]   Env: TOKAIFY_VSIX (default dist/tokaify.vsix).
// Prints `ui: N passed, N failed` as its last line; exits 0 only if every check passed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  REPO, ensureInstall, installExtension, launchBrowser, openWorkbench, screenshot, startCodeServer, startSimulator, tempDir, toastTexts,
} from './codeserver.mjs';

const files = process.argv.length > 2
  ? process.argv.slice(2).map((f) => path.resolve(f))
  : fs.readdirSync(path.join(REPO, 'test/ui')).filter((f) => f.endsWith('.ui.mjs')).sort().map((f) => path.join(REPO, 'test/ui', f));
const vsix = path.resolve(process.env.TOKAIFY_VSIX || path.join(REPO, 'dist/tokaify.vsix'));

let passed = 0;
let failed = 0;
const record = (ok, name, detail = '') => {
  ok ? passed++ : failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};

let simulator;
const shared = tempDir('ui');
try {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package`);
  const install = ensureInstall();
  // Install the VSIX once into an extensions dir that every file's code-server reuses.
  const extensionsDir = path.join(shared, 'extensions');
  installExtension(install, { vsix, extensionsDir, userDataDir: path.join(shared, 'ud'), home: path.join(shared, 'home') });
  simulator = await startSimulator();
  console.log(`gateway simulator: ${simulator.url}`);

  for (const file of files) {
    const name = path.basename(file, '.ui.mjs');
    const started = Date.now();
    console.log(`\n== ${name}`);
    let server, browser, setup;
    try {
      const { default: test, setup: prepare } = await import(pathToFileURL(file).href);
      setup = prepare ? await prepare({ gatewayUrl: simulator.url }) : {};
      // A display language installs a language pack: into an extensions dir of this file's own.
      let filesExtensions = extensionsDir;
      if (setup.locale) {
        const own = tempDir(`ui-${name}`);
        filesExtensions = path.join(own, 'extensions');
        installExtension(install, { vsix, extensionsDir: filesExtensions, userDataDir: path.join(own, 'ud'), home: path.join(own, 'home') });
      }
      server = await startCodeServer({ install, extensionsDir: filesExtensions, env: setup.env, settings: setup.settings, locale: setup.locale, name: `ui-${name}-code-server` });
      browser = await launchBrowser();
      const { page } = browser;
      page.setDefaultTimeout(30_000);
      await openWorkbench(page, server.url);
      // shot(label, publishAs): with TOKAIFY_PUBLISH_SCREENSHOTS=1 (npm run screenshots) the picture also
      // becomes media/screenshots/<publishAs>.png, the README's.
      const shot = async (label, publishAs) => {
        const file = await screenshot(page, `ui-${name}-${label}`);
        if (publishAs && process.env.TOKAIFY_PUBLISH_SCREENSHOTS) {
          fs.mkdirSync(path.join(REPO, 'media/screenshots'), { recursive: true });
          const published = path.join(REPO, 'media/screenshots', `${publishAs}.png`);
          fs.copyFileSync(file, published);
          // A third of the size, for the repository; left as it is where pngquant is not installed.
          try { execFileSync('pngquant', ['--force', '--quality', '70-90', '--output', published, published], { stdio: 'ignore' }); } catch { /* kept */ }
        }
        return file;
      };
      const check = async (label, fn) => {
        try {
          await fn();
          record(true, `${name}: ${label}`);
          return true;
        } catch (error) {
          const toasts = (await toastTexts(page)).map((t) => `\n     notification: ${t.replace(/\s+/g, ' ').trim()}`).join('');
          record(false, `${name}: ${label}`, `${firstLine(error)} (screenshot ${path.relative(REPO, await shot('failure'))})${toasts}`);
          return false;
        }
      };
      await test({ page, server, gatewayUrl: simulator.url, check, shot, setup });
    } catch (error) {
      // Setup or the file itself broke outside a check: one failure for the whole file.
      const where = browser ? ` (screenshot ${path.relative(REPO, await screenshot(browser.page, `ui-${name}-crash`))})` : '';
      record(false, `${name}: crashed`, `${firstLine(error)}${where}`);
    } finally {
      await browser?.close();
      await server?.stop();
      await setup?.teardown?.();
      console.log(`   ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }
} catch (error) {
  record(false, 'ui setup', firstLine(error));
} finally {
  await simulator?.stop();
}

if (!passed && !failed) record(false, 'ui', 'no checks ran');
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

function firstLine(error) {
  return String(error instanceof Error ? error.message : error).split('\n')[0];
}
