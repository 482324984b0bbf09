// The main flows on a one-api gateway, as a user clicks through them: sign in, the tree, Create Token
// (one-api has no groups; its models come from /api/user/available_models), Configure OpenCode (chat
// completions, which one-api serves) with that token, then Verify from the status bar.
// A one-api simulator of its own.
import fs from 'node:fs';
import path from 'node:path';
import { pickItem, runCommand, startSimulator, typeInput, waitForQuickInput } from '../host/codeserver.mjs';
import { addGatewayWithAccessToken, consoleApi, finishTokenForm, treeRow, webviewFrame } from './flows.mjs';

const NAME = 'ui-one-api';

export default async function oneApi({ page, server, check, shot }) {
  const gateway = await startSimulator({ args: ['--flavor', 'one-api'] });
  try {
    const signedIn = await check('one-api: signed in, the demo tokens are listed', async () => {
      await addGatewayWithAccessToken(page, gateway.url);
      await treeRow(page, 'demo-limited').waitFor();
      await page.locator('.statusbar-item', { hasText: 'Tokaify: $' }).first().waitFor();
    });
    if (!signedIn) return;

    const created = await check('one-api: Create Token with a model from the gateway\'s list (no group step)', async () => {
      await page.locator('.part.sidebar .title-actions .action-label[aria-label^="Create Token"]').first().click();
      await waitForQuickInput(page, 'Token name');
      await typeInput(page, NAME);
      await waitForQuickInput(page, 'Quota', { items: ['Unlimited', 'Set a cap…'] });
      await pickItem(page, 'Unlimited');
      await waitForQuickInput(page, 'Models', { items: ['gpt-4o-mini'] });
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: /^gpt-4o-mini/ }).first().locator('.monaco-checkbox, input[type=checkbox]').first().click();
      await finishTokenForm(page, NAME);
      const tokens = await consoleApi(gateway.url, 'GET', '/api/token/?p=0');
      const t = tokens.find((x) => x.name === NAME);
      if (!t) throw new Error('the gateway has no such token');
      if (t.models !== 'gpt-4o-mini') throw new Error(`its models are ${JSON.stringify(t.models)}`);
      await treeRow(page, NAME).waitFor();
      await shot('1-created');
    });
    if (!created) return;

    const configured = await check('one-api: Configure OpenCode with the new token: diff preview, Apply, the file written', async () => {
      await runCommand(page, 'Tokaify: Configure OpenCode');
      await waitForQuickInput(page, 'Which token', { items: [NAME] });
      await page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${NAME}$`) }) }).first().click();
      await waitForQuickInput(page, 'Pick a model', { items: ['gpt-4o-mini'] });
      await pickItem(page, 'gpt-4o-mini');
      await waitForQuickInput(page, 'OpenCode', { items: ['default model'] });
      await pickItem(page, 'default model');
      await page.locator('.monaco-dialog-box', { hasText: 'Write the OpenCode config' }).waitFor();
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Apply' }).first().click();
      await page.locator('.notification-toast', { hasText: `Configured OpenCode for "${NAME}"` }).first().waitFor();
      const dir = path.join(server.home, '.config', 'opencode');
      const file = ['opencode.json', 'opencode.jsonc'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
      if (!file) throw new Error(`no OpenCode config in ${dir}`);
      const text = fs.readFileSync(file, 'utf8');
      if (!text.includes(`${gateway.url}/v1`) || !text.includes('tokaify/gpt-4o-mini')) throw new Error(text);
    });
    if (!configured) return;

    await check('one-api: Verify from the status bar finds no problem with OpenCode on this gateway', async () => {
      await page.locator('.statusbar-item', { hasText: 'Tokaify: $' }).first().click();
      const report = await webviewFrame(page, 'Tokaify: Verify Setup', 60_000);
      await report.locator('.finding').first().waitFor();
      const problems = await report.locator('.finding.error').allInnerTexts();
      if (problems.length) throw new Error(`problems: ${problems.join(' | ')}`);
      await shot('2-verify');
    });
  } finally {
    await gateway.stop();
  }
}
