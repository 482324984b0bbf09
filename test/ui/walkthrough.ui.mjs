// A newcomer's first minutes (issue 13, "First run"): the walkthrough opens by itself after install, and
// its buttons alone take them to a verified Codex config against the gateway simulator: connect, create
// a token, configure Codex, verify. Each step must tick itself; ~/.codex is checked; the time from the
// walkthrough opening to the Verify report is printed (a figure, not an assertion).
import fs from 'node:fs';
import path from 'node:path';
import { pickItem, runCommand, typeInput, waitForQuickInput } from '../host/codeserver.mjs';
import { finishTokenForm, signInWithAccessToken, webviewFrame } from './flows.mjs';

const TOKEN = 'walkthrough';
const WALKTHROUGH = 'tokaify.tokaify-vscode#getStarted';

/** OFFLINE_SETTINGS turn VS Code's "open walkthroughs on install" off for the other files; this one needs it. */
export async function setup() {
  return { settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true } };
}

export default async function walkthrough({ page, server, gatewayUrl, check, shot }) {
  const codexDir = path.join(server.home, '.codex');
  const step = (id) => page.locator(`.getting-started-step[data-step-id="${WALKTHROUGH}#${id}"]`);
  // The welcome page keeps hidden copies of the title: the one on screen.
  const title = () => page.locator('.getting-started-category .category-title', { hasText: 'Get started with Tokaify' }).filter({ visible: true }).first();
  /** Expands a step (a click on an expanded one would fold it) and returns it. */
  const open = async (id) => {
    const row = step(id);
    await row.waitFor();
    if (!(await row.evaluate((el) => el.classList.contains('expanded')))) await row.click();
    await page.locator(`.getting-started-step.expanded[data-step-id="${WALKTHROUGH}#${id}"]`).waitFor();
    return row;
  };
  const ticked = (id, timeout = 15_000) => page.locator(`.getting-started-step[data-step-id="${WALKTHROUGH}#${id}"][aria-checked="true"]`).waitFor({ timeout });
  /**
   * Back to the walkthrough if the diff preview or the report hid it, as a person would: "Tokaify: Get
   * Started". (A click on its tab is not the same: re-opening the Welcome editor without a walkthrough
   * shows the Welcome page's home.)
   */
  const backToWalkthrough = async () => {
    if (await title().isVisible()) return;
    await runCommand(page, 'Tokaify: Get Started');
    await title().waitFor();
  };
  let started;

  const opened = await check('the walkthrough opens by itself on the first start after install', async () => {
    await page.locator('.statusbar-item', { hasText: 'Tokaify' }).first().waitFor({ timeout: 60_000 }); // activated
    await title().waitFor({ timeout: 30_000 });
    started = Date.now();
    for (const id of ['connect', 'token', 'configure', 'verify']) await step(id).waitFor();
    await shot('1-opened');
  });
  if (!opened) return;

  const connected = await check('1. Connect a gateway: its "Add Gateway" button signs in to the simulator, and the step ticks itself', async () => {
    const row = await open('connect');
    await row.locator('.button-container .monaco-button', { hasText: 'Add Gateway' }).first().click();
    await signInWithAccessToken(page, gatewayUrl);
    await page.locator('.notification-toast', { hasText: 'Signed in' }).first().waitFor();
    await ticked('connect');
  });
  if (!connected) return;

  const created = await check(`2. Pick or create a token: its "Create Token" button creates "${TOKEN}" (unlimited, every model, never expires)`, async () => {
    const row = await open('token');
    await shot('2-token-step');
    await row.locator('.button-container .monaco-button', { hasText: 'Create Token' }).first().click();
    await waitForQuickInput(page, 'Token name');
    await typeInput(page, TOKEN);
    await waitForQuickInput(page, 'Group', { items: ['Account default'] });
    await pickItem(page, 'Account default');
    await waitForQuickInput(page, 'Quota', { items: ['Unlimited'] });
    await pickItem(page, 'Unlimited');
    await waitForQuickInput(page, 'Models');
    await finishTokenForm(page, TOKEN); // no model ticked: every model
    await ticked('token');
  });
  if (!created) return;

  const configured = await check(`3. Configure your coding agents: the step's "Codex" link, token "${TOKEN}", gpt-5.4, the diff preview, Apply`, async () => {
    const row = await open('configure');
    await shot('3-configure-step');
    await row.locator('a', { hasText: /^Codex$/ }).first().click();
    await waitForQuickInput(page, 'Which token', { items: [TOKEN] });
    await page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${TOKEN}$`) }) }).first().click();
    await waitForQuickInput(page, 'Pick a model', { items: ['gpt-5.4'] });
    await pickItem(page, 'gpt-5.4');
    await waitForQuickInput(page, 'How hard the model thinks');
    await pickItem(page, 'recommended');
    await waitForQuickInput(page, 'review_model', { items: ['Same as the main model'] });
    await pickItem(page, 'Same as the main model');
    await page.locator('.monaco-dialog-box', { hasText: 'Write the Codex CLI config' }).waitFor();
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Apply' }).first().click();
    await page.locator('.notification-toast', { hasText: `Configured Codex CLI for "${TOKEN}" with gpt-5.4` }).first().waitFor();
    await backToWalkthrough();
    await ticked('configure');
    await shot('4-configured');
  });
  if (!configured) return;

  await check('the Codex config is written: config.toml points at the gateway, auth.json holds the new token\'s key (mode 0600)', async () => {
    const config = fs.readFileSync(path.join(codexDir, 'config.toml'), 'utf8');
    for (const want of ['model_provider = "tokaify"', 'model = "gpt-5.4"', '[model_providers.tokaify]', `base_url = "${gatewayUrl}/v1"`]) {
      if (!config.includes(want)) throw new Error(`config.toml lacks ${want}:\n${config}`);
    }
    const auth = JSON.parse(fs.readFileSync(path.join(codexDir, 'auth.json'), 'utf8'));
    if (!/^sk-/.test(auth.OPENAI_API_KEY ?? '')) throw new Error('auth.json holds no key');
    if (/^sk-demo/.test(auth.OPENAI_API_KEY)) throw new Error(`auth.json holds the demo token's key, not "${TOKEN}"'s`);
    const mode = fs.statSync(path.join(codexDir, 'auth.json')).mode & 0o777;
    if (mode !== 0o600) throw new Error(`auth.json mode ${mode.toString(8)}`);
  });

  const verified = await check('4. Verify the setup: its "Verify Setup" button opens the report, with no error', async () => {
    await backToWalkthrough();
    const row = await open('verify');
    await row.locator('.button-container .monaco-button', { hasText: 'Verify Setup' }).first().click();
    // Codex uses the new token, so Verify should not ask which one; answer if it does.
    const report = await Promise.race([
      webviewFrame(page, 'Tokaify: Verify Setup', 60_000),
      waitForQuickInput(page, 'Which token', { items: [TOKEN], timeout: 60_000 }).then(async () => {
        await page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${TOKEN}$`) }) }).first().click();
        return webviewFrame(page, 'Tokaify: Verify Setup', 60_000);
      }),
    ]);
    await report.locator('.finding').first().waitFor({ timeout: 60_000 });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    await shot('5-verified');
    const errors = await report.locator('.finding.error h2').allInnerTexts();
    const all = (await report.locator('.finding h2').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    console.log(`ui: walkthrough, from opening to the Verify report: ${seconds} s (findings: ${all.join(' | ')})`);
    if (errors.length) throw new Error(`Verify found errors: ${errors.join(' | ')}`);
  });
  if (!verified) return;

  await check('"Tokaify: Get Started" shows the walkthrough again, with all four steps done', async () => {
    await runCommand(page, 'Tokaify: Get Started');
    await title().waitFor();
    for (const id of ['connect', 'token', 'configure', 'verify']) await ticked(id, 5000);
    await shot('6-all-done');
  });
}
