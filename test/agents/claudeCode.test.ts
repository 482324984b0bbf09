// The real Claude Code (`claude -p`) reads what `tokaify write claude-code` wrote and finishes a turn
// through the simulator's /v1/messages; and what it does with a shell key, a project's settings and the
// context_management fault.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SIM_REPLY_MARKER } from '../../src/simulator';
import { assertTurn, describeTurn, runTurn, TempUser, useGateway, writeConfig } from './harness';

const MODEL = 'claude-sonnet-4-5';
const SETTINGS = '.claude/settings.json';
/** The user's own Anthropic key in their shell (fake). */
const SHELL_KEY = `sk-ant-api03-${'u'.repeat(40)}`;

/** Adds `env` entries to the written settings.json (what the fix under way will write). */
function addEnv(user: TempUser, entries: Record<string, string>): void {
  const settings = JSON.parse(user.read(SETTINGS)) as { env: Record<string, string> };
  Object.assign(settings.env, entries);
  writeFileSync(user.file(SETTINGS), `${JSON.stringify(settings, null, 2)}\n`);
}

describe('Claude Code 2.1.332 (claude -p) with the files tokaify wrote', () => {
  // A project's own model and the id Claude Code remaps claude-opus-4-1 to, served besides the simulator's.
  const sim = useGateway(['claude-project-pinned', 'claude-opus-5-5']);
  let user: TempUser;
  afterEach(() => {
    user?.remove();
    sim.gateway().resetFaults();
  });

  it('ANTHROPIC_AUTH_TOKEN: Authorization: Bearer <our key> alone on /v1/messages, our model, the reply printed', async () => {
    user = new TempUser();
    const key = sim.newKey('claude-auth-token');
    writeConfig(user, 'claude-code', sim.gateway().url, MODEL, key);
    const turn = await runTurn(sim.gateway(), user, 'claude');
    assertTurn(turn, { route: '/v1/messages', model: MODEL, header: 'authorization', key });
  });

  it('ANTHROPIC_API_KEY: x-api-key: <our key> alone, no approval asked in -p mode', async () => {
    user = new TempUser();
    const key = sim.newKey('claude-api-key');
    writeConfig(user, 'claude-code', sim.gateway().url, MODEL, key, ['--key-variable', 'ANTHROPIC_API_KEY']);
    const turn = await runTurn(sim.gateway(), user, 'claude');
    assertTurn(turn, { route: '/v1/messages', model: MODEL, header: 'x-api-key', key });
  });

  it('settings with their own model, base URL, env and permissions: ours win, theirs kept', async () => {
    user = new TempUser();
    user.seed(SETTINGS, `${JSON.stringify({
      model: 'opus',
      permissions: { allow: ['Bash(ls:*)'], deny: ['Read(./.env)'] },
      env: { ANTHROPIC_BASE_URL: 'https://api.anthropic.com', MY_TOOL_HOME: '/opt/tool', BASH_DEFAULT_TIMEOUT_MS: '60000' },
      includeCoAuthoredBy: false,
    }, null, 2)}\n`, 0o644);
    const key = sim.newKey('claude-existing');
    writeConfig(user, 'claude-code', sim.gateway().url, MODEL, key);
    const settings = JSON.parse(user.read(SETTINGS)) as { model: string; env: Record<string, string>; permissions: unknown };
    assert.equal(settings.env.MY_TOOL_HOME, '/opt/tool');
    assert.deepEqual(settings.permissions, { allow: ['Bash(ls:*)'], deny: ['Read(./.env)'] });
    const turn = await runTurn(sim.gateway(), user, 'claude');
    assertTurn(turn, { route: '/v1/messages', model: MODEL, header: 'authorization', key });
  });

  it('a shell ANTHROPIC_API_KEY rides along as x-api-key next to our token, and new-api answers 401; "ANTHROPIC_API_KEY": "" in settings env stops it', async () => {
    user = new TempUser();
    const key = sim.newKey('claude-shell-key');
    writeConfig(user, 'claude-code', sim.gateway().url, MODEL, key);
    const leaked = await runTurn(sim.gateway(), user, 'claude', { env: { ANTHROPIC_API_KEY: SHELL_KEY } });
    const why = describeTurn(leaked);
    assert.ok(leaked.relay.length > 0, why);
    for (const r of leaked.relay) {
      assert.deepEqual(r.keyHeaders, ['authorization', 'x-api-key'], `both headers are sent\n${why}`);
      assert.equal(r.authorization, `Bearer ${key}`, why);
      assert.equal(r.xApiKey, SHELL_KEY, `the user's own key reaches the gateway\n${why}`);
      // new-api's TokenAuth takes x-api-key over Authorization on /v1/messages: the shell key is the one checked.
      assert.equal(r.status, 401, why);
    }
    assert.notEqual(leaked.code, 0, why);
    assert.match(leaked.stdout, /Failed to authenticate\. API Error: 401 无效的令牌 \(request id: \w+\)/, why);
    console.log(`      Claude Code printed: ${JSON.stringify(leaked.stdout.trim())}`);
    addEnv(user, { ANTHROPIC_API_KEY: '' });
    const fixed = await runTurn(sim.gateway(), user, 'claude', { env: { ANTHROPIC_API_KEY: SHELL_KEY } });
    assertTurn(fixed, { route: '/v1/messages', model: MODEL, header: 'authorization', key });
  });

  it('the reverse: a shell ANTHROPIC_AUTH_TOKEN rides along as Authorization next to our x-api-key; "ANTHROPIC_AUTH_TOKEN": "" stops it', async () => {
    user = new TempUser();
    const key = sim.newKey('claude-shell-token');
    writeConfig(user, 'claude-code', sim.gateway().url, MODEL, key, ['--key-variable', 'ANTHROPIC_API_KEY']);
    const leaked = await runTurn(sim.gateway(), user, 'claude', { env: { ANTHROPIC_AUTH_TOKEN: SHELL_KEY } });
    const why = describeTurn(leaked);
    assert.ok(leaked.relay.length > 0, why);
    for (const r of leaked.relay) {
      assert.deepEqual(r.keyHeaders, ['authorization', 'x-api-key'], `both headers are sent\n${why}`);
      assert.equal(r.authorization, `Bearer ${SHELL_KEY}`, why);
      assert.equal(r.xApiKey, key, why);
    }
    addEnv(user, { ANTHROPIC_AUTH_TOKEN: '' });
    const fixed = await runTurn(sim.gateway(), user, 'claude', { env: { ANTHROPIC_AUTH_TOKEN: SHELL_KEY } });
    assertTurn(fixed, { route: '/v1/messages', model: MODEL, header: 'x-api-key', key });
  });

  it("a project's .claude/settings.json ANTHROPIC_MODEL wins over ours (what the CLI must warn about)", async () => {
    user = new TempUser();
    const key = sim.newKey('claude-project-model');
    writeConfig(user, 'claude-code', sim.gateway().url, MODEL, key);
    mkdirSync(path.join(user.work, '.claude'));
    writeFileSync(path.join(user.work, '.claude', 'settings.json'), `${JSON.stringify({ env: { ANTHROPIC_MODEL: 'claude-project-pinned' } })}\n`);
    const turn = await runTurn(sim.gateway(), user, 'claude');
    assertTurn(turn, { route: '/v1/messages', model: 'claude-project-pinned', header: 'authorization', key });
  });

  it('a legacy model id the user chose is sent as chosen (we write CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP=1); without it Claude Code swaps it for claude-opus-5-5', async () => {
    user = new TempUser();
    const key = sim.newKey('claude-legacy-model');
    writeConfig(user, 'claude-code', sim.gateway().url, 'claude-opus-4-1', key);
    const kept = await runTurn(sim.gateway(), user, 'claude');
    assertTurn(kept, { route: '/v1/messages', model: 'claude-opus-4-1', header: 'authorization', key });
    assert.doesNotMatch(kept.stderr, /remapped/);
    // Why the variable is written: with it emptied, the id the gateway was asked for is no longer the user's.
    addEnv(user, { CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP: '' });
    const remapped = await runTurn(sim.gateway(), user, 'claude');
    assertTurn(remapped, { route: '/v1/messages', model: 'claude-opus-5-5', header: 'authorization', key });
    assert.match(remapped.stderr, /claude-opus-4-1 is automatically remapped to Opus 5\.5/);
  });

  it('the context_management 400: Claude Code 2.1.332 retries without the field (and its beta) and finishes; with --disable-experimental-betas it never sends it', async () => {
    user = new TempUser();
    const key = sim.newKey('claude-context-management');
    writeConfig(user, 'claude-code', sim.gateway().url, MODEL, key);
    sim.gateway().faults.contextManagementRejected = true;
    const healed = await runTurn(sim.gateway(), user, 'claude');
    const why = describeTurn(healed);
    const [first, second, ...rest] = healed.relay;
    assert.deepEqual([first?.contextManagement, first?.status], [true, 400], `the first request carried context_management and was refused\n${why}`);
    assert.ok(first?.anthropicBeta?.includes('context-management-2025-06-27'), why);
    assert.deepEqual([second?.contextManagement, second?.status, rest.length], [false, 200, 0], `one retry without it\n${why}`);
    assert.ok(!second?.anthropicBeta?.includes('context-management'), `the retry drops the beta too\n${why}`);
    assert.equal(healed.code, 0, why);
    assert.ok(healed.stdout.includes(SIM_REPLY_MARKER), why);

    writeConfig(user, 'claude-code', sim.gateway().url, MODEL, key, ['--disable-experimental-betas']);
    const fixed = await runTurn(sim.gateway(), user, 'claude');
    assertTurn(fixed, { route: '/v1/messages', model: MODEL, header: 'authorization', key });
    assert.equal(fixed.relay.length, 1, describeTurn(fixed));
    assert.ok(fixed.relay.every((r) => !r.contextManagement && !r.anthropicBeta?.includes('context-management')), describeTurn(fixed));
  });
});
