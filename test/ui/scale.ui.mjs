// Token Management with 10,000 tokens on the gateway, in the real workbench: the first page shows
// without waiting for the rest, "Load more…" fetches the next page. How long the first rows took is
// printed as a measurement (`ui: …`), never asserted against a time.
import { startSimulator } from '../host/codeserver.mjs';
import { addGatewayWithAccessToken, treeRow } from './flows.mjs';

export default async function scale({ page, check, shot }) {
  const big = await startSimulator({ args: ['--tokens', '10000'] });
  try {
    let started = 0;
    const signedIn = await check('signed in to a gateway with 10,000 tokens', async () => {
      await addGatewayWithAccessToken(page, big.url);
      started = Date.now();
    });
    if (!signedIn) return;

    await check('the first page (newest first) and a "Load more…" row appear; the rest is not loaded', async () => {
      await treeRow(page, 'token-10000').waitFor({ timeout: 60_000 });
      console.log(`ui: first token rows of 10,004 shown ${Date.now() - started} ms after sign-in`);
      // The tree is virtualised: go to its last row, where "Load more…" sits after the first 100.
      await treeRow(page, 'token-10000').click();
      await page.keyboard.press('End');
      await page.locator('.pane-body .monaco-list-row', { hasText: 'Load more…' }).first().waitFor();
      // "Load more…" as the last row means only this page was fetched; the row above it ends the page.
      await treeRow(page, 'token-09901').waitFor();
      await shot('1-first-page');
    });

    await check('"Load more…" brings the next 100', async () => {
      await page.locator('.pane-body .monaco-list-row', { hasText: 'Load more…' }).first().click();
      // Newest first: the second page ends with token-09801, and another "Load more…" follows it.
      // Keep going to the end while the page arrives (End before it lands stops at the old end).
      for (let i = 0; i < 50 && !(await treeRow(page, 'token-09801').count()); i++) {
        await page.keyboard.press('End');
        await page.waitForTimeout(200);
      }
      await treeRow(page, 'token-09801').waitFor({ timeout: 5_000 });
      await page.locator('.pane-body .monaco-list-row', { hasText: 'Load more…' }).first().waitFor();
      await shot('2-second-page');
    });
  } finally {
    await big.stop();
  }
}
