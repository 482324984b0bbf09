// The whole Add Gateway flow as a user clicks through it, against the gateway simulator:
// Custom URL → access token + user ID → notification, the tree row shows "Demo User", the status bar the balance.
import { addGatewayWithAccessToken } from './flows.mjs';

export default async function addGateway({ page, gatewayUrl, check, shot }) {
  const signedIn = await check('Add Gateway: Custom URL, access token and user ID', () => addGatewayWithAccessToken(page, gatewayUrl, { shot }));
  if (!signedIn) return;

  await check('a notification says "Signed in"', async () => {
    await page.locator('.notification-toast', { hasText: 'Signed in' }).first().waitFor();
    await shot('3-signed-in');
  });
  await check('the Token Management tree shows "Demo User"', async () => {
    await page.locator('.pane-body .monaco-list-row', { hasText: 'Demo User' }).first().waitFor();
  });
  await check('the status bar shows the balance, "Tokaify: $10.00"', async () => {
    await page.locator('.statusbar-item', { hasText: 'Tokaify: $10.00' }).first().waitFor();
    await shot('4-tree-and-status-bar');
  });
  await check('hovering the status bar shows the tooltip: account, balance, last check, and the Verify link', async () => {
    await page.locator('.statusbar-item', { hasText: 'Tokaify: $10.00' }).first().hover();
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Demo User' }).first();
    await hover.waitFor();
    await hover.locator('a', { hasText: 'Verify' }).first().waitFor();
    await shot('5-status-tooltip', 'status-tooltip');
  });
}
