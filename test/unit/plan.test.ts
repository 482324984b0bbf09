import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planAgent } from '../../src/core/agents/plan';
import type { HostEnvironment } from '../../src/core/agents/paths';

const KEY = 'sk-test' + 'p'.repeat(40);
const CHATGPT_AUTH = JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: 'i', access_token: 'a', refresh_token: 'r', account_id: 'x' } }, null, 2);

describe('planAgent: which files change for a request', () => {
  let home: string;
  let host: HostEnvironment;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'tokaify-plan-'));
    host = { env: {}, home, platform: process.platform };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const request = { gatewayRoot: 'https://gw.example.com', key: KEY, model: 'gpt-5.4' };

  it('Codex on a fresh machine: config.toml with the /v1 base, and auth.json with the key', async () => {
    const plan = await planAgent('codex', request, host);
    assert.deepEqual(plan.changes.map((c) => [path.relative(home, c.path), c.before, c.secret]), [['.codex/config.toml', undefined, false], ['.codex/auth.json', undefined, true]]);
    assert.match(plan.changes[0]!.after!, /base_url = "https:\/\/gw\.example\.com\/v1"/);
    assert.match(plan.changes[1]!.after!, new RegExp(KEY));
  });

  it('Codex with a ChatGPT login in auth.json: the login is left alone and the key goes into config.toml (0600)', async () => {
    mkdirSync(path.join(home, '.codex'));
    writeFileSync(path.join(home, '.codex', 'auth.json'), CHATGPT_AUTH);
    const plan = await planAgent('codex', request, host);
    assert.deepEqual(plan.changes.map((c) => path.basename(c.path)), ['config.toml'], 'auth.json is not touched');
    assert.equal(plan.changes[0]!.secret, true);
    assert.match(plan.changes[0]!.after!, new RegExp(`experimental_bearer_token = "${KEY}"`));
    assert.match(plan.notes.join(' '), /ChatGPT login/);
  });

  it('Codex with a ChatGPT login, when the user chooses auth.json: it switches to API-key mode and says so', async () => {
    mkdirSync(path.join(home, '.codex'));
    writeFileSync(path.join(home, '.codex', 'auth.json'), CHATGPT_AUTH);
    const plan = await planAgent('codex', { ...request, codex: { credential: 'auth-json' } }, host);
    const auth = JSON.parse(plan.changes.find((c) => c.path.endsWith('auth.json'))!.after!) as Record<string, unknown>;
    assert.equal(auth.auth_mode, 'apikey');
    assert.deepEqual(auth.tokens, JSON.parse(CHATGPT_AUTH).tokens, 'the login tokens stay in the file');
    assert.match(plan.notes.join(' '), /switches from your ChatGPT login/);
  });

  it('a CODEX_HOME that does not exist is refused, as Codex itself would', async () => {
    await assert.rejects(planAgent('codex', request, { ...host, env: { CODEX_HOME: path.join(home, 'nope') } }), /CODEX_HOME points to .*nope.*not an existing folder/);
  });

  it('Claude Code gets the gateway root (no /v1); OpenCode the /v1 base and its key in auth.json', async () => {
    const claude = await planAgent('claude-code', { ...request, gatewayRoot: 'https://gw.example.com' }, host);
    assert.equal((JSON.parse(claude.changes[0]!.after!) as { env: Record<string, string> }).env.ANTHROPIC_BASE_URL, 'https://gw.example.com');
    const opencode = await planAgent('opencode', request, host);
    assert.deepEqual(opencode.changes.map((c) => path.relative(home, c.path)), ['.config/opencode/opencode.json', '.local/share/opencode/auth.json']);
    assert.match(opencode.changes[0]!.after!, /"baseURL": "https:\/\/gw\.example\.com\/v1"/);
    assert.ok(!opencode.changes[0]!.after!.includes(KEY), 'the key is not in opencode.json');
  });

  it('OpenCode: an existing opencode.jsonc is the file edited; both present is explained', async () => {
    const dir = path.join(home, '.config', 'opencode');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'opencode.jsonc'), '{\n  // mine\n}\n');
    writeFileSync(path.join(dir, 'opencode.json'), '{}\n');
    const plan = await planAgent('opencode', request, host);
    assert.equal(path.basename(plan.changes[0]!.path), 'opencode.jsonc');
    assert.match(plan.changes[0]!.after!, /\/\/ mine/);
    assert.match(plan.notes.join(' '), /Both opencode.json and opencode.jsonc/);
  });
});
