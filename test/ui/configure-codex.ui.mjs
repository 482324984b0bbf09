// Configure Codex from the command palette as a user would: token, model, options, the diff preview,
// Apply; then the files in code-server's HOME are checked (what Codex would read) with their modes.
import fs from 'node:fs';
import path from 'node:path';
import { runCommand, sleep } from '../host/codeserver.mjs';
import { configureCodexWithDemo, consoleApi, signInShowingDemo, treeRow } from './flows.mjs';

export default async function configureCodex({ page, server, gatewayUrl, check, shot }) {
  const codexDir = path.join(server.home, '.codex');
  // An existing config with a comment and an MCP server: both must survive.
  fs.mkdirSync(codexDir, { recursive: true });
  fs.writeFileSync(path.join(codexDir, 'config.toml'), '# my settings\n[mcp_servers.docs]\ncommand = "npx"\n');

  if (!(await check('signed in', () => signInShowingDemo(page, gatewayUrl)))) return;

  const previewed = await check('Configure Codex: token, model, effort, review model, then a diff preview of config.toml and auth.json', async () => {
    await configureCodexWithDemo(page);
    await page.locator('.tab', { hasText: 'Codex config.toml' }).first().waitFor();
    await page.locator('.tab', { hasText: 'Codex auth.json' }).first().waitFor();
    await page.locator('.monaco-dialog-box', { hasText: 'Write the Codex CLI config' }).waitFor();
    await shot('1-diff-and-confirm', 'diff-preview');
  });
  if (!previewed) return;

  await check('the preview masks the key', async () => {
    const { items } = await consoleApi(gatewayUrl, 'GET', '/api/token/search?keyword=demo');
    const demo = items.find((t) => t.name === 'demo');
    const { key } = await consoleApi(gatewayUrl, 'POST', `/api/token/${demo.id}/key`);
    const editorsText = await page.locator('.editor-group-container').allInnerTexts();
    if (editorsText.join('\n').includes(key)) throw new Error('the full key is visible in the diff editor');
  });

  await check('Apply writes both files: comment and MCP server kept, auth.json mode 0600', async () => {
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Apply' }).first().click();
    await page.locator('.notification-toast', { hasText: 'Configured Codex CLI for "demo" with gpt-5.4' }).first().waitFor();
    const config = fs.readFileSync(path.join(codexDir, 'config.toml'), 'utf8');
    for (const want of ['# my settings', '[mcp_servers.docs]', 'model_provider = "tokaify"', 'model = "gpt-5.4"', 'review_model = "gpt-5.4"',
      'model_reasoning_effort = "high"', '[model_providers.tokaify]', `base_url = "${gatewayUrl}/v1"`, 'wire_api = "responses"']) {
      if (!config.includes(want)) throw new Error(`config.toml lacks ${want}:\n${config}`);
    }
    const auth = JSON.parse(fs.readFileSync(path.join(codexDir, 'auth.json'), 'utf8'));
    if (!/^sk-demo/.test(auth.OPENAI_API_KEY ?? '')) throw new Error('auth.json holds no demo key');
    const mode = fs.statSync(path.join(codexDir, 'auth.json')).mode & 0o777;
    if (mode !== 0o600) throw new Error(`auth.json mode ${mode.toString(8)}`);
    await shot('2-configured');
  });

  await check('"Test It" sends a Codex-shaped request and reports success', async () => {
    await page.locator('.notification-toast .monaco-button', { hasText: 'Test It' }).first().click();
    await page.locator('.notification-toast', { hasText: 'Codex CLI works: gpt-5.4 answered' }).first().waitFor();
  });

  await check('the tree says the token is used by Codex', async () => {
    await treeRow(page, 'demo').locator('.label-description', { hasText: 'used by Codex CLI' }).waitFor();
    await shot('3-used-by');
  });

  await check('a key placed by hand in Claude Code\'s settings.json is recognised: the tree says both agents use the token', async () => {
    const auth = JSON.parse(fs.readFileSync(path.join(codexDir, 'auth.json'), 'utf8'));
    const claudeDir = path.join(server.home, '.claude');
    fs.mkdirSync(claudeDir, { recursive: true });
    // As a person would paste it: the key and the gateway root, nothing from Tokaify.
    fs.writeFileSync(path.join(claudeDir, 'settings.json'), JSON.stringify({ env: { ANTHROPIC_BASE_URL: gatewayUrl, ANTHROPIC_AUTH_TOKEN: auth.OPENAI_API_KEY } }, null, 2));
    // The file watcher picks it up; Refresh is what a person would click if it did not.
    const row = treeRow(page, 'demo').locator('.label-description', { hasText: 'used by Codex CLI, Claude Code' });
    try {
      await row.waitFor({ timeout: 10_000 });
    } catch {
      throw new Error('the hand-placed key did not show within 10 s of writing settings.json (file watcher)');
    }
    await shot('4-used-by-two');
  });

  await check('disabling the token the agents use warns first, names them, and Cancel leaves it enabled', async () => {
    await treeRow(page, 'demo').click();
    await runCommand(page, 'Tokaify: Disable Token');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Disabling it stops them at once' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    for (const want of ['Codex CLI', 'Claude Code', '"demo"']) if (!text.includes(want)) throw new Error(`the warning does not name ${want}: ${text}`);
    await shot('5-disable-warning');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
    await dialog.waitFor({ state: 'detached' });
    await sleep(500);
    const { items } = await consoleApi(gatewayUrl, 'GET', '/api/token/search?keyword=demo');
    const demo = items.find((t) => t.name === 'demo');
    if (demo.status !== 1) throw new Error(`the token's status on the gateway is ${demo.status} after Cancel`);
  });
}
