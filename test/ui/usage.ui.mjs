// Usage as a user meets it, on a gateway with a month of history: Configure Codex, Test It (a request through
// the gateway), a request the upstream refuses, then "Tokaify: Show Usage" from the palette. Today's totals
// match what the gateway logged, the log lists the Test It request and the failed one in Verify's words; "Last
// 30 days" redraws the chart, whose numbers for today (bar title and table) are read back. Screenshots in the
// light and the dark theme (the README's, with npm run screenshots).
import { runCommand, startSimulator } from '../host/codeserver.mjs';
import { configureCodexWithDemo, consoleApi, signInShowingDemo, simulatorControl, webviewFrame } from './flows.mjs';

const DEMO_KEY = `sk-demo${'DemoKey0'.repeat(5)}Sim1`; // the simulator's fixed demo key
const pad = (n) => String(n).padStart(2, '0');

/** Local midnight and today's label (code-server's extension host runs in this process's time zone). */
function today() {
  const now = new Date();
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return { start: Math.floor(midnight.getTime() / 1000), label: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}` };
}

/** `dark`, `light` or `high-contrast`: the theme the webview was drawn in (VS Code sets the body's class). */
const themeOf = (frame) => frame.evaluate(() => (document.body.classList.contains('vscode-high-contrast') ? 'high-contrast' : document.body.classList.contains('vscode-dark') ? 'dark' : 'light'));

/** A totals card's value, by its exact label. */
const cardValue = (frame, label) => frame.locator('.card', { has: frame.locator('.label', { hasText: new RegExp(`^${label}$`) }) }).locator('.value').innerText();

/** The Usage page's frame once it shows `period` as the current choice and has finished reading. */
async function usageFrame(page, period, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = await webviewFrame(page, 'Usage', timeout).catch(() => undefined);
    if (frame) {
      const current = await frame.locator('nav.periods a[aria-current]').innerText().catch(() => '');
      const busy = await frame.locator('[aria-busy="true"]').count().catch(() => 1);
      if (current === period && busy === 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`the Usage page never showed "${period}" read`);
    await page.waitForTimeout(200);
  }
}

/** A gateway of its own: 30 days, 3,000 requests of history (a chart with a shape), the error log on. */
export async function setup() {
  const gateway = await startSimulator({ args: ['--usage-days', '30', '--usage-rows', '3000', '--error-log'] });
  return { gatewayUrl: gateway.url, teardown: () => gateway.stop() };
}

export default async function usage({ page, check, shot, setup: { gatewayUrl } }) {
  if (!(await check('signed in', () => signInShowingDemo(page, gatewayUrl)))) return;

  const tested = await check('Configure Codex, then Test It: one request through the gateway', async () => {
    await configureCodexWithDemo(page);
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Apply' }).first().click();
    await page.locator('.notification-toast .monaco-button', { hasText: 'Test It' }).first().click();
    await page.locator('.notification-toast', { hasText: 'Codex CLI works: gpt-5.4 answered' }).first().waitFor();
  });
  if (!tested) return;

  // A request the upstream refuses (new-api logs it as an error row while its error log is on).
  await simulatorControl(gatewayUrl, 'faults', { upstreamFailure: { status: 429, message: 'Rate limit reached for requests', code: 'rate_limit_exceeded' } });
  try {
    const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await res.text();
  } finally {
    await simulatorControl(gatewayUrl, 'faults', {});
  }

  const { start, label } = today();
  let frame;
  const opened = await check('Show Usage from the palette: today\'s requests and spend are the gateway\'s', async () => {
    await runCommand(page, 'Tokaify: Show Usage');
    frame = await usageFrame(page, 'Today');
    const logged = await consoleApi(gatewayUrl, 'GET', `/api/log/self?p=1&page_size=100&type=2&start_timestamp=${start}`);
    const requests = await cardValue(frame, 'Requests');
    if (Number(requests.replace(/\D/g, '')) !== logged.total) throw new Error(`the view counts ${requests} requests today, the gateway ${logged.total}`);
    const spend = await cardValue(frame, 'Spend');
    if (!/^\$\d/.test(spend) || /^\$0(\.0+)?$/.test(spend)) throw new Error(`today's spend reads ${spend}`);
    await frame.locator('table.breakdown.model th', { hasText: 'gpt-5.4' }).first().waitFor();
    await shot(`1-today-${await themeOf(frame)}`);
  });
  if (!opened) return;

  await check('the log lists the Test It request, and the failed one in Verify\'s words with a Verify link', async () => {
    // The newest rows: the failed request, and just before it the Test It request (token "demo", gpt-5.4).
    const newest = frame.locator('table.log tbody tr:nth-child(-n+3)');
    const cells = await newest.evaluateAll((rows) => rows.map((r) => [r.className, ...[...r.cells].map((c) => c.innerText.trim())]));
    if (!cells.some(([kind, , token, model]) => kind === 'consume' && token === 'demo' && model === 'gpt-5.4')) throw new Error(`the newest rows: ${JSON.stringify(cells)}`);
    const failed = frame.locator('table.log tr.failed').first();
    await failed.locator('strong', { hasText: 'The gateway is rate-limiting this key (429)' }).waitFor();
    await failed.locator('.said', { hasText: 'Rate limit reached for requests' }).waitFor();
    await failed.locator('a.verify', { hasText: 'Verify' }).waitFor();
  });

  await check('"Last 30 days" redraws the chart: 30 bars, and today\'s bar and table row give today\'s spend', async () => {
    const todaySpend = await cardValue(frame, 'Spend');
    await frame.locator('nav.periods a', { hasText: 'Last 30 days' }).click();
    frame = await usageFrame(page, 'Last 30 days');
    const bars = await frame.locator('svg.chart rect.bar').count();
    if (bars !== 30) throw new Error(`${bars} bars`);
    const title = await frame.locator(`svg.chart rect.bar[data-slot="${label}"] title`).textContent();
    if (!title.startsWith(`${label}: ${todaySpend},`)) throw new Error(`today's bar says "${title}", the total was ${todaySpend}`);
    const theme = await themeOf(frame);
    await shot(`2-30-days-${theme}`, `usage-${theme}`);
    const table = frame.locator('details summary', { hasText: 'numbers as a table' });
    await table.click();
    const cell = await frame.locator(`table.chart-data tr[data-slot="${label}"] td`).first().innerText();
    if (cell !== todaySpend) throw new Error(`today's table row says ${cell}, the total was ${todaySpend}`);
    await table.click(); // closed again, for the next picture
  });

  await check('drawn again in the other theme (light ↔ dark): the bars take the theme\'s chart colour', async () => {
    const before = await themeOf(frame);
    const fillBefore = await frame.locator('svg.chart rect.bar').first().evaluate((el) => getComputedStyle(el).fill);
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    const deadline = Date.now() + 10_000;
    let fresh = await usageFrame(page, 'Last 30 days');
    while ((await themeOf(fresh)) === before && Date.now() < deadline) {
      await page.waitForTimeout(200);
      fresh = await usageFrame(page, 'Last 30 days');
    }
    const after = await themeOf(fresh);
    if (after === before) throw new Error(`still ${before}`);
    const fill = await fresh.locator('svg.chart rect.bar').first().evaluate((el) => getComputedStyle(el).fill);
    if (!/^rgb/.test(fill) || fill === fillBefore) throw new Error(`bars are filled ${fill} in ${after}, ${fillBefore} in ${before}`);
    await shot(`3-30-days-${after}`, `usage-${after}`);
  });
}
