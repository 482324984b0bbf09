// Verify from the status bar, as a user meets seed 002's failure: Claude Code set up by hand with a
// /v1 base URL, and a gateway that rejects context_management. A click on the status bar opens the
// report naming both; the report's fix button runs Configure Claude Code; a second Verify is clean.
import fs from 'node:fs';
import path from 'node:path';
import { pickItem, waitForQuickInput } from '../host/codeserver.mjs';
import { addGatewayWithAccessToken, simulatorControl, treeRow, webviewFrame } from './flows.mjs';

const DEMO_KEY = `sk-demo${'DemoKey0'.repeat(5)}Sim1`; // the simulator's fixed demo key

export default async function verify({ page, server, gatewayUrl, check, shot }) {
  const settingsPath = path.join(server.home, '.claude', 'settings.json');
  fs.mkdirSync(path.dirname(settingsPath), { recursive: true });
  fs.writeFileSync(settingsPath, `${JSON.stringify({ env: { ANTHROPIC_BASE_URL: `${gatewayUrl}/v1`, ANTHROPIC_AUTH_TOKEN: DEMO_KEY, ANTHROPIC_MODEL: 'claude-sonnet-4-5' } }, null, 2)}\n`);
  await simulatorControl(gatewayUrl, 'faults', { contextManagementRejected: true });
  try {
    const signedIn = await check('signed in; the status bar shows the balance', async () => {
      await addGatewayWithAccessToken(page, gatewayUrl);
      await treeRow(page, 'demo').waitFor();
      await page.locator('.statusbar-item', { hasText: 'Tokaify: $' }).first().waitFor();
    });
    if (!signedIn) return;

    let report;
    const opened = await check('clicking the status bar asks which key, then opens the Verify report', async () => {
      await page.locator('.statusbar-item', { hasText: 'Tokaify: $' }).first().click();
      await waitForQuickInput(page, 'Which token', { items: ['demo'] });
      await page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: /^demo$/ }) }).first().click();
      report = await webviewFrame(page, 'Tokaify: Verify Setup', 60_000);
    });
    if (!opened) return;

    await check('the report names the context_management 400 and the /v1 base URL, each with a fix', async () => {
      await report.locator('.finding.error', { hasText: 'context_management' }).first().waitFor();
      await report.locator('.finding', { hasText: '/v1' }).first().waitFor();
      await report.locator('.finding.error a.button', { hasText: 'Disable experimental betas' }).first().waitFor();
      const text = await report.locator('body').innerText();
      if (text.includes(DEMO_KEY)) throw new Error('the report shows the full key');
      await shot('1-report', 'verify-report');
    });

    await check('the fix button runs Configure Claude Code: model, diff preview, Apply', async () => {
      await report.locator('a.button', { hasText: 'Disable experimental betas' }).first().click();
      await waitForQuickInput(page, 'Pick a model', { items: ['claude-sonnet-4-5'] });
      await pickItem(page, 'claude-sonnet-4-5');
      await page.locator('.monaco-dialog-box', { hasText: 'Write the Claude Code config' }).waitFor();
      await shot('2-fix-preview');
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Apply' }).first().click();
      await page.locator('.notification-toast', { hasText: 'Configured Claude Code' }).first().waitFor();
      const env = JSON.parse(fs.readFileSync(settingsPath, 'utf8')).env;
      if (env.CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS !== '1') throw new Error('the betas switch was not written');
      if (env.ANTHROPIC_BASE_URL !== gatewayUrl) throw new Error(`base URL is ${env.ANTHROPIC_BASE_URL}`);
    });

    await check('Verify again from the status bar: no question this time (Claude Code uses "demo"), everything is fine', async () => {
      await page.locator('.statusbar-item', { hasText: 'Tokaify: $' }).first().click();
      await page.waitForTimeout(1000);
      const fresh = await webviewFrame(page, 'Tokaify: Verify Setup');
      await fresh.locator('.finding.ok', { hasText: 'All good' }).first().waitFor({ timeout: 60_000 });
      await shot('3-all-good');
    });
  } finally {
    await simulatorControl(gatewayUrl, 'faults', {});
  }
}
