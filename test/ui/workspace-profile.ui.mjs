// Two windows on two workspaces, each with its own token (issue 16's "done"): Use for This Workspace is run
// in each window from the palette, then a terminal opened in each window prints its environment. Each
// window's agents get its own token's key, and the user's global agent files are never touched.
// (That the agents honour these variables over the global files is proven with the real agents in
// test/agents/workspaceProfile.test.ts.)
import fs from 'node:fs';
import path from 'node:path';
import { openWorkbench, pickItem, runCommand, sleep, tempDir, typeInput, waitForQuickInput } from '../host/codeserver.mjs';
import { addGatewayWithAccessToken, consoleApi } from './flows.mjs';

const KEY_VARIABLE = 'TOKAIFY_WORKSPACE_KEY';

/** The token's full key, as the gateway reveals it. */
async function keyOf(gatewayUrl, name) {
  const { items } = await consoleApi(gatewayUrl, 'GET', `/api/token/search?keyword=${name}`);
  const token = items.find((t) => t.name === name);
  const { key } = await consoleApi(gatewayUrl, 'POST', `/api/token/${token.id}/key`);
  return key.startsWith('sk-') ? key : `sk-${key}`;
}

/** Use for This Workspace from the palette: the token by name, every agent, one model id typed for each. */
async function useForWorkspace(page, token) {
  await runCommand(page, 'Tokaify: Use for This Workspace…');
  await waitForQuickInput(page, 'Which token', { items: [token] });
  await page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${token}$`) }) }).first().click();
  await waitForQuickInput(page, 'Which agents', { items: ['Codex CLI', 'Claude Code', 'OpenCode'] });
  await page.locator('.quick-input-widget input').first().press('Enter');
  for (let i = 0; i < 3; i++) {
    await waitForQuickInput(page, 'model id');
    await typeInput(page, 'gpt-4o-mini');
    await sleep(300);
  }
  await page.locator('.notification-toast', { hasText: `New terminals in this window use "${token}"` }).first().waitFor();
}

/** A terminal opened in this window, as a person would, writes `env` to a file; returns name → value. */
async function terminalEnv(page, out) {
  await runCommand(page, 'Terminal: Create New Terminal');
  await page.locator('.terminal-wrapper.active, .xterm').first().waitFor();
  await sleep(1500); // the shell's prompt
  await page.keyboard.type(`env > '${out}.tmp' && mv '${out}.tmp' '${out}'`);
  await page.keyboard.press('Enter');
  for (let waited = 0; !fs.existsSync(out); waited += 200) {
    if (waited > 20_000) throw new Error('the terminal never wrote its environment');
    await sleep(200);
  }
  return Object.fromEntries(fs.readFileSync(out, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

export default async function workspaceProfile({ page, server, gatewayUrl, check, shot }) {
  const work = tempDir('two-windows');
  const [folderA, folderB] = ['repo-a', 'repo-b'].map((name) => {
    const dir = path.join(work, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  });
  // The user's global files, which neither window may touch.
  const globals = {
    [path.join(server.home, '.codex', 'config.toml')]: '# mine\nmodel = "o3"\n',
    [path.join(server.home, '.claude', 'settings.json')]: '{ "env": { "ANTHROPIC_MODEL": "opus" } }\n',
  };
  for (const [file, text] of Object.entries(globals)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  const second = await page.context().newPage();
  try {
    const ready = await check('window A on repo-a: signed in', async () => {
      await openWorkbench(page, `${server.base}/?folder=${encodeURIComponent(folderA)}`);
      await addGatewayWithAccessToken(page, gatewayUrl);
      await page.locator('.statusbar-item', { hasText: 'Tokaify: $' }).first().waitFor({ timeout: 30_000 });
    });
    if (!ready) return;
    const usedA = await check('window A: Use for This Workspace… with the token "demo"', () => useForWorkspace(page, 'demo'));
    const usedB = await check('window B on repo-b (same account): Use for This Workspace… with the token "demo-limited"', async () => {
      await openWorkbench(second, `${server.base}/?folder=${encodeURIComponent(folderB)}`);
      await second.locator('.statusbar-item', { hasText: 'Tokaify: $' }).first().waitFor({ timeout: 60_000 });
      await useForWorkspace(second, 'demo-limited');
      await shot('1-window-b');
    });
    if (!usedA || !usedB) return;
    await check('a terminal in each window gets its own window\'s token, at the same time', async () => {
      const [envA, envB] = [await terminalEnv(page, path.join(work, 'env-a.txt')), await terminalEnv(second, path.join(work, 'env-b.txt'))];
      const [keyA, keyB] = [await keyOf(gatewayUrl, 'demo'), await keyOf(gatewayUrl, 'demo-limited')];
      if (envA[KEY_VARIABLE] !== keyA) throw new Error(`window A's terminal has ${KEY_VARIABLE}=${envA[KEY_VARIABLE] ? 'another key' : 'nothing'}`);
      if (envB[KEY_VARIABLE] !== keyB) throw new Error(`window B's terminal has ${KEY_VARIABLE}=${envB[KEY_VARIABLE] ? 'another key' : 'nothing'}`);
      if (envA.ANTHROPIC_AUTH_TOKEN !== keyA || envB.ANTHROPIC_AUTH_TOKEN !== keyB) throw new Error('Claude Code\'s variables do not follow each window\'s token');
      await shot('2-terminal-a');
    });
    await check('the global agent files are untouched, and no key is in either folder', async () => {
      for (const [file, text] of Object.entries(globals)) if (fs.readFileSync(file, 'utf8') !== text) throw new Error(`${file} changed`);
      const keys = [await keyOf(gatewayUrl, 'demo'), await keyOf(gatewayUrl, 'demo-limited')];
      for (const folder of [folderA, folderB]) {
        for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
          if (!entry.isFile()) continue;
          const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
          if (keys.some((k) => text.includes(k.slice(3)))) throw new Error(`a key is in ${path.join(entry.parentPath, entry.name)}`);
        }
      }
    });
  } finally {
    await second.close();
  }
}
