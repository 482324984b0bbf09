// The reproduced attack, in the real workbench: a gateway whose display name is
// `Eve [Sign in again](command:workbench.action.terminal.sendSequence?{"text":"echo PWNED\n"})`.
// Signing in to it must show that name as text: no link in the notification, and clicking the text
// types nothing into the open terminal (the link would leave tokaify-pwned.txt in the workspace). Its token named "$(add) Create a new token…" and its currency
// symbol "$(add)" must not render as icons or links in the picker and the status bar.
// A simulator of its own: hostile mode rewrites the state, which the other UI files must not see.
import fs from 'node:fs';
import path from 'node:path';
import { startSimulator } from '../host/codeserver.mjs';
import { addGatewayWithAccessToken, simulatorControl } from './flows.mjs';
import { runCommand, waitForQuickInput } from '../host/codeserver.mjs';

export default async function hostile({ page, server, check, shot }) {
  const gateway = await startSimulator();
  try {
    await simulatorControl(gateway.url, 'faults', { hostile: true });
    // The attack types into the open terminal: open one first, as a user would have.
    await check('a terminal is open in the workspace folder', async () => {
      await page.locator('.statusbar-item', { hasText: 'Tokaify' }).first().waitFor({ timeout: 60_000 });
      await runCommand(page, 'Terminal: Create New Terminal');
      await page.locator('.terminal-wrapper').first().waitFor();
      await page.waitForTimeout(2000); // the shell's prompt
    });
    const signedIn = await check('Add Gateway against a hostile gateway', () => addGatewayWithAccessToken(page, gateway.url));
    if (!signedIn) return;

    const toast = page.locator('.notification-toast', { hasText: 'Signed in' }).first();
    await check('the sign-in notification shows the hostile name as text, with no link in it', async () => {
      await toast.waitFor();
      const message = await toast.locator('.notification-list-item-message').innerText();
      if (!message.includes('Eve [Sign in again]')) throw new Error(`unexpected message: ${message}`);
      const links = await toast.locator('.notification-list-item-message a').count();
      if (links) throw new Error(`${links} link(s) in the notification`);
      await shot('1-notification');
    });

    await check('clicking "Sign in again" in the notification types nothing into the terminal', async () => {
      // Where the link would be: the words "Sign in again" inside the notification itself.
      await toast.locator('.notification-list-item-message').getByText('Sign in again', { exact: false }).first().click();
      await page.waitForTimeout(2500);
      const pwned = path.join(server.folder, 'tokaify-pwned.txt');
      if (fs.existsSync(pwned)) throw new Error(`the link ran in the terminal: ${pwned} exists`);
    });

    await check('the status bar shows one icon (its own): the "$(add)" currency symbol stays text', async () => {
      await page.locator('.statusbar-item', { hasText: 'Tokaify' }).first().waitFor();
      // The first check runs shortly after sign-in; wait for the amount with the hostile symbol.
      const item = page.locator('.statusbar-item', { hasText: 'add)' }).first();
      await item.waitFor({ timeout: 20_000 });
      const icons = await item.locator('.codicon').count();
      if (icons !== 1) throw new Error(`${icons} icons in the status-bar item: ${await item.innerText()}`);
      if (await item.locator('a[href*="command:"]').count()) throw new Error('a command link in the status bar');
      await shot('2-status-bar');
    });

    await check('the token picker lists "$(add) Create a new token…" as text, not as our menu item', async () => {
      await runCommand(page, 'Tokaify: Copy Key');
      const widget = await waitForQuickInput(page, 'Which token?');
      const row = widget.locator('.monaco-list-row', { hasText: 'Create a new token' }).first();
      await row.waitFor();
      const text = await row.innerText();
      if (!text.includes('$')) throw new Error(`the row lost its text: ${text}`);
      if (await widget.locator('.monaco-list-row .codicon-add').count()) throw new Error('an add icon rendered from a token name');
      await shot('3-token-picker');
      await page.keyboard.press('Escape');
    });
  } finally {
    await gateway.stop();
  }
}
