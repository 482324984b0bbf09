// Steps several UI tests share. Not a test file itself (run-ui.mjs loads only *.ui.mjs).
import { openViewContainer, pickItem, runCommand, typeInput, waitForQuickInput } from '../host/codeserver.mjs';

export const DEMO = { userId: '1', accessToken: 'demo-access-token' };

/** The palette's Add Gateway flow with a custom URL, the demo user ID and access token. */
export async function addGatewayWithAccessToken(page, gatewayUrl, { shot = async () => {} } = {}) {
  await page.locator('.statusbar-item', { hasText: 'Tokaify' }).first().waitFor({ timeout: 60_000 }); // activated
  await openViewContainer(page, 'Tokaify');
  await runCommand(page, 'Tokaify: Add Gateway');
  await signInWithAccessToken(page, gatewayUrl, { shot });
}

/** Add Gateway's questions, once it runs (from the palette, a button…): custom URL, demo user ID and access token. */
export async function signInWithAccessToken(page, gatewayUrl, { shot = async () => {} } = {}) {
  await waitForQuickInput(page, 'Add Gateway', { items: ['Tokaify', 'TokModel', 'Custom URL…'] });
  await shot('1-pick-gateway');
  await pickItem(page, 'Custom URL…');
  await waitForQuickInput(page, 'Gateway URL');
  await typeInput(page, gatewayUrl);
  await waitForQuickInput(page, 'Sign in with', { items: ['Access token and user ID', 'Username and password', 'API key only'] });
  await shot('2-sign-in-with');
  await pickItem(page, 'Access token and user ID');
  await waitForQuickInput(page, 'User ID');
  await typeInput(page, DEMO.userId);
  await waitForQuickInput(page, 'Access token');
  await typeInput(page, DEMO.accessToken);
}

/**
 * The token form's last questions, from its Models picker (models ticked as wanted) on: OK, any IP,
 * never expires, Create token; then waits for the notification.
 */
export async function finishTokenForm(page, name) {
  await page.locator('.quick-input-widget .quick-input-action .monaco-button', { hasText: 'OK' }).first().click();
  await waitForQuickInput(page, 'IP allowlist');
  await typeInput(page, '');
  await waitForQuickInput(page, 'Expiry', { items: ['Never'] });
  await pickItem(page, 'Never');
  await waitForQuickInput(page, 'Check and confirm', { items: ['Create token'] });
  await pickItem(page, 'Create token');
  await page.locator('.notification-toast', { hasText: `Created token "${name}"` }).first().waitFor();
}

/** Add Gateway with the demo access token, until the tree lists the token "demo". */
export async function signInShowingDemo(page, gatewayUrl) {
  await addGatewayWithAccessToken(page, gatewayUrl);
  await treeRow(page, 'demo').waitFor();
}

/** The tree row whose label is exactly `name`. */
export function treeRow(page, name) {
  return page.locator('.pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) }).first();
}

/** Console API call as the demo user, straight to the simulator (what the gateway really holds). */
export async function consoleApi(gatewayUrl, method, path) {
  const response = await fetch(`${gatewayUrl}${path}`, {
    method, headers: { authorization: `Bearer ${DEMO.accessToken}`, 'new-api-user': DEMO.userId },
  });
  const body = await response.json();
  if (!body.success) throw new Error(`${method} ${path}: ${body.message}`);
  return body.data;
}

/** Sets the simulator's fault switches (replacing them) or patches a user/token, from another process. */
export async function simulatorControl(gatewayUrl, what, body) {
  const response = await fetch(`${gatewayUrl}/__simulator/${what}`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`simulator control ${what}: HTTP ${response.status}`);
}

/** The frame of an open webview whose page has this heading (webviews are nested iframes). */
export async function webviewFrame(page, heading, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.locator('h1', { hasText: heading }).count().catch(() => 0)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview with the heading "${heading}"`);
    await page.waitForTimeout(200);
  }
}

/** The palette's Configure Codex up to its diff preview: the token "demo", gpt-5.4, the recommended effort, the same review model. */
export async function configureCodexWithDemo(page) {
  await runCommand(page, 'Tokaify: Configure Codex');
  await waitForQuickInput(page, 'Which token', { items: ['demo', 'Create a new token'] });
  await page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: /^demo$/ }) }).first().click();
  await waitForQuickInput(page, 'Pick a model', { items: ['gpt-5.4'] });
  await pickItem(page, 'gpt-5.4');
  await waitForQuickInput(page, 'How hard the model thinks', { items: ['high', 'xhigh'] });
  await pickItem(page, 'recommended');
  await waitForQuickInput(page, 'review_model', { items: ['Same as the main model'] });
  await pickItem(page, 'Same as the main model');
}
