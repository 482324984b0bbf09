// Signed out: the Tokaify view offers "Add Gateway", the status bar has a Tokaify item, and VS Code's
// own Running Extensions editor reports how long activation took.
import { openViewContainer, runCommand } from '../host/codeserver.mjs';

export default async function welcome({ page, check, shot }) {
  await check('status bar has a Tokaify item', async () => {
    // The first start after an install is slow; activation (onStartupFinished) follows the workbench.
    await page.locator('.statusbar-item', { hasText: 'Tokaify' }).first().waitFor({ timeout: 60_000 });
  });

  await check('the Tokaify view shows the welcome text with an "Add Gateway" and a "Get Started" button', async () => {
    await openViewContainer(page, 'Tokaify');
    const sidebar = page.locator('.part.sidebar');
    await sidebar.locator('.composite.title', { hasText: 'Token Management' }).first().waitFor();
    await sidebar.locator('.welcome-view-content .monaco-button', { hasText: 'Add Gateway' }).first().waitFor();
    await sidebar.locator('.welcome-view-content .monaco-button', { hasText: 'Get Started' }).first().waitFor();
    await shot('welcome');
  });

  await check('Running Extensions reports the activation time of Tokaify', async () => {
    // A virtualised list: rows below the fold are not in the DOM, so make the page tall.
    await page.setViewportSize({ width: 1400, height: 1600 });
    await runCommand(page, 'Developer: Show Running Extensions');
    const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Tokaify' }).first();
    await row.waitFor();
    const match = /Activation:\s*(\d+)\s*ms/.exec(await row.innerText());
    await shot('running-extensions');
    if (!match) throw new Error(`no "Activation: N ms" in ${JSON.stringify(await row.innerText())}`);
    console.log(`ui: activation ${match[1]} ms`);
  });
}
