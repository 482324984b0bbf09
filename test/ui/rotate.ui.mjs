// Rotate Key… as a user would: Codex configured from the palette and a key pasted by hand into Claude
// Code's settings.json, then right-click the token → Rotate Key… → name and afterwards → one preview →
// Apply; the files in code-server's HOME then hold the new token's key and the old token is disabled.
import fs from 'node:fs';
import path from 'node:path';
import { pickItem, runCommand, sleep, startSimulator, toastTexts, waitForQuickInput } from '../host/codeserver.mjs';
import { configureCodexWithDemo, consoleApi, signInShowingDemo, treeRow } from './flows.mjs';

/** A gateway of its own: rotating disables "demo", which the other UI tests (sharing the run's simulator) rely on. */
export async function setup() {
  const gateway = await startSimulator();
  return { gatewayUrl: gateway.url, teardown: () => gateway.stop() };
}

export default async function rotate({ page, server, check, shot, setup: { gatewayUrl } }) {
  const authFile = path.join(server.home, '.codex', 'auth.json');
  const settingsFile = path.join(server.home, '.claude', 'settings.json');
  const tokenNamed = async (name) => (await consoleApi(gatewayUrl, 'GET', `/api/token/search?keyword=${name}`)).items.find((t) => t.name === name);

  if (!(await check('signed in', () => signInShowingDemo(page, gatewayUrl)))) return;

  const configured = await check('Codex configured with "demo", and its key pasted into Claude Code\'s settings.json: the tree names both', async () => {
    await configureCodexWithDemo(page);
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Apply' }).first().click();
    await page.locator('.notification-toast', { hasText: 'Configured Codex CLI for "demo"' }).first().waitFor();
    const key = JSON.parse(fs.readFileSync(authFile, 'utf8')).OPENAI_API_KEY;
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify({ env: { ANTHROPIC_BASE_URL: gatewayUrl, ANTHROPIC_AUTH_TOKEN: key, ANTHROPIC_MODEL: 'claude-sonnet-4-5' } }, null, 2));
    await treeRow(page, 'demo').locator('.label-description', { hasText: 'used by Codex CLI, Claude Code' }).waitFor({ timeout: 15_000 });
  });
  if (!configured) return;
  const oldKey = JSON.parse(fs.readFileSync(authFile, 'utf8')).OPENAI_API_KEY;
  const before = { auth: fs.readFileSync(authFile, 'utf8'), settings: fs.readFileSync(settingsFile, 'utf8') };

  const previewed = await check('right-click → Rotate Key…: name, afterwards, then one preview of both agents\' files', async () => {
    await treeRow(page, 'demo').click({ button: 'right' });
    await page.locator('.monaco-menu .action-item', { hasText: 'Rotate Key…' }).first().click();
    await waitForQuickInput(page, 'same group, quota, models', { items: ['demo', 'demo-2'] });
    await pickItem(page, 'demo-2');
    await waitForQuickInput(page, 'what happens to "demo"', { items: ['Disable the old token', 'Delete the old token'] });
    await pickItem(page, 'Disable the old token');
    await page.locator('.tab', { hasText: 'Codex auth.json' }).first().waitFor();
    await page.locator('.tab', { hasText: 'Claude Code settings.json' }).first().waitFor();
    await page.locator('.monaco-dialog-box', { hasText: 'from "demo" to "demo-2"' }).waitFor();
    const editors = (await page.locator('.editor-group-container').allInnerTexts()).join('\n');
    if (editors.includes(oldKey.slice(3))) throw new Error('the full old key is visible in the preview');
    await shot('1-rotate-preview', 'diff-preview');
  });
  if (!previewed) return;

  await check('Apply: the agents are tested with the new key, the old token disabled, and the notification names the agents and the undo', async () => {
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Apply' }).first().click();
    // The old token is touched last: wait for that, then read the notifications (several may have come and gone as toasts).
    for (let waited = 0; (await tokenNamed('demo')).status !== 2; waited += 500) {
      if (waited > 30_000) throw new Error(`"demo" was not disabled within 30 s; on screen: ${JSON.stringify(await toastTexts(page))}`);
      await sleep(500);
    }
    await runCommand(page, 'Notifications: Show Notifications');
    const center = page.locator('.notifications-center');
    const done = center.locator('.notification-list-item', { hasText: 'Rotated the key' }).first();
    await done.waitFor();
    const text = await done.innerText();
    for (const want of ['Codex CLI', 'Claude Code', '"demo-2"', '"demo" was disabled', 'Restore Agent Config…']) if (!text.includes(want)) throw new Error(`the notification lacks ${want}: ${text}`);
    await center.locator('.notification-list-item', { hasText: 'Codex CLI works' }).first().waitFor();
    await center.locator('.notification-list-item', { hasText: 'Claude Code works' }).first().waitFor();
    await shot('2-rotated');
  });

  await check('the files on disk carry the new key, and nothing else changed; "demo" is disabled at the gateway', async () => {
    const created = await tokenNamed('demo-2');
    if (!created) throw new Error('no token "demo-2" on the gateway');
    const { key } = await consoleApi(gatewayUrl, 'POST', `/api/token/${created.id}/key`);
    const newKey = key.startsWith('sk-') ? key : `sk-${key}`;
    const swap = (text) => text.split(oldKey).join(newKey);
    if (fs.readFileSync(authFile, 'utf8') !== swap(before.auth)) throw new Error('auth.json is not the old file with the new key');
    if (fs.readFileSync(settingsFile, 'utf8') !== swap(before.settings)) throw new Error('settings.json is not the old file with the new key');
    const demo = await tokenNamed('demo');
    if (demo.status !== 2) throw new Error(`"demo" has status ${demo.status} at the gateway`);
    await treeRow(page, 'demo-2').locator('.label-description', { hasText: 'used by' }).waitFor({ timeout: 15_000 });
  });
}
