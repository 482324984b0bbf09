// The whole Add Gateway flow as a user clicks through it, against the gateway simulator:
// Custom URL → access token + user ID → notification, tree row and status bar show "Demo User".
import { openViewContainer, pickItem, runCommand, typeInput, waitForQuickInput } from '../host/codeserver.mjs';

export default async function addGateway({ page, gatewayUrl, check, shot }) {
  const signedIn = await check('Add Gateway: Custom URL, access token and user ID', async () => {
    await page.locator('.statusbar-item', { hasText: 'Tokaify' }).first().waitFor({ timeout: 60_000 }); // activated
    await openViewContainer(page, 'Tokaify');
    await runCommand(page, 'Tokaify: Add Gateway');
    await waitForQuickInput(page, 'Add Gateway', { items: ['Tokaify', 'TokModel', 'Custom URL…'] });
    await shot('1-pick-gateway');
    await pickItem(page, 'Custom URL…');
    await waitForQuickInput(page, 'Gateway URL');
    await typeInput(page, gatewayUrl);
    await waitForQuickInput(page, 'Sign in with', { items: ['Access token and user ID', 'Username and password', 'API key only'] });
    await shot('2-sign-in-with');
    await pickItem(page, 'Access token and user ID');
    await waitForQuickInput(page, 'User ID');
    await typeInput(page, '1');
    await waitForQuickInput(page, 'Access token');
    await typeInput(page, 'demo-access-token');
  });
  if (!signedIn) return;

  await check('a notification says "Signed in"', async () => {
    await page.locator('.notification-toast', { hasText: 'Signed in' }).first().waitFor();
    await shot('3-signed-in');
  });
  await check('the Token Management tree shows "Demo User"', async () => {
    await page.locator('.pane-body .monaco-list-row', { hasText: 'Demo User' }).first().waitFor();
  });
  await check('the status bar shows "Demo User"', async () => {
    await page.locator('.statusbar-item', { hasText: 'Demo User' }).first().waitFor();
    await shot('4-tree-and-status-bar');
  });
}
