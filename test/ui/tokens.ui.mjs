// Token Management as a user clicks through it: create a token with the multi-step form from the
// view's title bar, see its row, disable it, copy its key with the row's inline button, delete it.
// The simulator is asked directly what it holds, so the test checks the gateway, not just the tree.
import { pickItem, runCommand, typeInput, waitForQuickInput } from '../host/codeserver.mjs';
import { addGatewayWithAccessToken, consoleApi, treeRow } from './flows.mjs';

const NAME = 'ui-codex-laptop';

export default async function tokens({ page, gatewayUrl, check, shot }) {
  const serverToken = async () => (await consoleApi(gatewayUrl, 'GET', `/api/token/search?keyword=${NAME}`)).items.find((t) => t.name === NAME);
  const rowOf = () => treeRow(page, NAME);
  /** Selects the token's row, then runs the command from the palette (it acts on the selection). */
  const runOnRow = async (title) => {
    await rowOf().click();
    await runCommand(page, title);
  };

  const signedIn = await check('signed in: the demo tokens are listed', async () => {
    await addGatewayWithAccessToken(page, gatewayUrl);
    await treeRow(page, 'demo-limited').waitFor();
  });
  if (!signedIn) return;

  const created = await check('Create Token from the view title: name, group, $5 cap, one model, 30 days', async () => {
    await page.locator('.part.sidebar .title-actions .action-label[aria-label^="Create Token"]').first().click();
    await waitForQuickInput(page, 'Token name');
    await typeInput(page, NAME);
    await waitForQuickInput(page, 'Group', { items: ['Account default', 'vip'] });
    await pickItem(page, 'vip');
    await waitForQuickInput(page, 'Quota', { items: ['Unlimited', 'Set a cap…'] });
    await pickItem(page, 'Set a cap…');
    await waitForQuickInput(page, 'Cap in');
    await typeInput(page, '5');
    await waitForQuickInput(page, 'Models', { items: ['gpt-4o-mini'] });
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: /^gpt-4o-mini/ }).first().locator('.monaco-checkbox, input[type=checkbox]').first().click();
    await page.locator('.quick-input-widget .quick-input-action .monaco-button', { hasText: 'OK' }).first().click();
    await waitForQuickInput(page, 'IP allowlist');
    await typeInput(page, '');
    await waitForQuickInput(page, 'Expiry', { items: ['Never', 'In 30 days'] });
    await pickItem(page, 'In 30 days');
    await waitForQuickInput(page, 'Check and confirm', { items: ['Create token'] });
    await shot('1-summary');
    await pickItem(page, 'Create token');
    await page.locator('.notification-toast', { hasText: `Created token "${NAME}"` }).first().waitFor();
  });
  if (!created) return;

  await check('the gateway holds the token with every field as entered', async () => {
    const t = await serverToken();
    if (!t) throw new Error('the simulator has no such token');
    const want = { group: 'vip', remain_quota: 2_500_000, unlimited_quota: false, model_limits_enabled: true, model_limits: 'gpt-4o-mini', status: 1 };
    for (const [field, value] of Object.entries(want)) {
      if (t[field] !== value) throw new Error(`${field} is ${JSON.stringify(t[field])}, expected ${JSON.stringify(value)}`);
    }
    const days = (t.expired_time - Date.now() / 1000) / 86_400;
    if (days < 29 || days > 31) throw new Error(`expires in ${days.toFixed(1)} days, expected 30`);
  });

  await check('its row reads "$5.00 left · expires <date>" with the enabled icon', async () => {
    const row = rowOf();
    await row.waitFor();
    await row.locator('.label-description', { hasText: /^\$5\.00 left · expires \d{4}-\d{2}-\d{2}$/ }).waitFor();
    await row.locator('.codicon-key').waitFor();
    await shot('2-created', 'token-tree');
  });

  await check('Disable Token for the selected row: the icon changes and the gateway says disabled', async () => {
    await runOnRow('Tokaify: Disable Token');
    await rowOf().locator('.codicon-circle-slash').waitFor();
    const t = await serverToken();
    if (t.status !== 2) throw new Error(`status on the gateway is ${t.status}, expected 2`);
    await shot('3-disabled');
  });

  await check('Copy Key puts the full sk- key on the clipboard, and no notification shows it', async () => {
    const origin = new URL(page.url()).origin;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    // The row's inline copy button (it shows on hover).
    await rowOf().hover();
    await rowOf().locator('.action-label[aria-label^="Copy Key"]').click();
    const t = await serverToken();
    const { key } = await consoleApi(gatewayUrl, 'POST', `/api/token/${t.id}/key`);
    const deadline = Date.now() + 10_000;
    let copied = '';
    while (Date.now() < deadline && copied !== `sk-${key}`) {
      copied = await page.evaluate(() => navigator.clipboard.readText());
      await page.waitForTimeout(200);
    }
    if (copied !== `sk-${key}`) throw new Error(`the clipboard holds ${copied === 'before' ? 'what it held before' : `${copied.length} other characters`}`);
    const shown = await page.locator('.notifications-toasts').innerText().catch(() => '');
    if (shown.includes(key)) throw new Error('a notification shows the key');
  });

  await check('Delete Token asks first, naming the token, then it is gone from tree and gateway', async () => {
    await runOnRow('Tokaify: Delete Token');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    if (!(await dialog.innerText()).includes(`"${NAME}"`)) throw new Error('the confirmation does not name the token');
    await shot('4-confirm-delete');
    await dialog.locator('.monaco-button', { hasText: 'Delete' }).first().click();
    await rowOf().waitFor({ state: 'detached' });
    if (await serverToken()) throw new Error('the token still exists on the gateway');
  });
}
