// An untrusted repository in Restricted Mode whose .vscode/settings.json sets the request-shaping
// settings to hostile values (the reproduced storm: "x" became NaN and sent 160 requests in 3 s; a
// timeout of 0 broke every request, -1 showed a raw RangeError). The extension must ignore them: one
// check, the balance shown, no error. A code-server of its own with workspace trust on, and a
// simulator of its own, so the request log counts this window's requests only.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, openWorkbench, runCommand, startCodeServer, startSimulator, tempDir } from '../host/codeserver.mjs';
import { addGatewayWithAccessToken } from './flows.mjs';

async function requests(gatewayUrl) {
  const response = await fetch(`${gatewayUrl}/__simulator/requests`, { method: 'POST', body: '{}' });
  return (await response.json()).requests;
}

export default async function restricted({ server, check, shot }) {
  const folder = tempDir('untrusted-repo');
  fs.mkdirSync(path.join(folder, '.vscode'));
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({
    'tokaify.statusRefreshMinutes': 'x', 'tokaify.requestTimeoutSeconds': -1,
  }, null, 2));
  const gateway = await startSimulator();
  const untrusted = await startCodeServer({ extensionsDir: server.extensionsDir, folder, workspaceTrust: true, name: 'ui-restricted-untrusted-code-server' });
  const browser = await launchBrowser();
  const { page } = browser;
  page.setDefaultTimeout(30_000);
  try {
    await openWorkbench(page, untrusted.url);
    const ready = await check('the repository opens in Restricted Mode', async () => {
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    });
    if (!ready) return;
    const signedIn = await check('Add Gateway works in Restricted Mode', () => addGatewayWithAccessToken(page, gateway.url));
    if (!signedIn) return;
    await check('the status bar shows the balance: a timeout of -1 from the repository is ignored', async () => {
      await page.locator('.statusbar-item', { hasText: 'Tokaify: $10.00' }).first().waitFor({ timeout: 20_000 });
      await shot('1-status-bar');
    });
    await check('no request storm: once the first reads are done, no balance read for 5 s (the storm was 160 in 3 s)', async () => {
      const reads = async () => (await requests(gateway.url)).filter((r) => r.path === '/api/user/self').length;
      await page.waitForTimeout(3000); // sign-in, the tree's balance row and the status bar's first check settle
      const settled = await reads();
      await page.waitForTimeout(5000);
      const later = await reads();
      if (later !== settled) throw new Error(`${later - settled} balance reads in 5 s after settling (${later} in all)`);
      if (later > 10) throw new Error(`${later} balance reads for one sign-in`);
    });
    await check('Use for This Workspace refuses in Restricted Mode: no profile for an untrusted repository', async () => {
      await runCommand(page, 'Tokaify: Use for This Workspace…');
      await page.locator('.notification-toast', { hasText: 'This workspace is not trusted (Restricted Mode)' }).first().waitFor({ timeout: 20_000 });
      await shot('2-use-for-workspace-refused');
    });
    await check('no raw error in any notification', async () => {
      const toasts = await page.locator('.notification-toast').allInnerTexts();
      const bad = toasts.find((t) => /RangeError|NaN|Invalid/i.test(t));
      if (bad) throw new Error(bad);
    });
  } finally {
    await browser.close();
    await untrusted.stop();
    await gateway.stop();
  }
}
