// A workspace profile against the real agents: the user's global files (written by `tokaify write` with
// another token and model) stay as they are, and a terminal with the profile's environment runs each agent
// with the workspace's token and model. Also what the profile's one unusual variable buys: without
// CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST, Claude Code's global settings.json wins over the terminal.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyProfileVariables, CLAUDE_HOST_MANAGED_VARIABLE, isSharedProfileFile, workspaceProfileEnvironment, type ProfileEnvironment } from '../../src/core/agents/workspaceProfile';
import { writeProfileFiles } from '../../src/core/agents/workspaceProfileFiles';
import type { AgentId } from '../../src/core/agents/types';
import { agentBinary, assertTurn, describeTurn, runTurn, TempUser, useGateway, writeConfig, type AgentName, type Turn } from './harness';

const GLOBAL_MODEL = 'gpt-5.4';
const WORKSPACE_MODEL = 'gpt-5.4-mini';
const CLAUDE_GLOBAL = 'claude-sonnet-4-5';
const CLAUDE_WORKSPACE = 'claude-haiku-4-5';

/** The files' contents, by path. */
function snapshot(files: string[]): Map<string, string> {
  return new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
}

async function profileFor(user: TempUser, gatewayUrl: string, key: string, models: Partial<Record<AgentId, string>>): Promise<ProfileEnvironment> {
  const env = workspaceProfileEnvironment(
    { baseUrl: gatewayUrl, key, models, workspace: `file://${user.work}` },
    { env: user.env, home: user.home, platform: process.platform, shimDir: user.file('globalStorage/bin') },
  );
  await writeProfileFiles(env.files);
  return env;
}

/** The terminal's environment: the user's plus the profile, with the real agents after the shim on PATH. */
function terminalEnv(user: TempUser, profile: ProfileEnvironment, without: string[] = []): Record<string, string> {
  const base = { ...user.env, PATH: `${path.dirname(agentBinary('codex'))}${path.delimiter}${user.env.PATH}` };
  return applyProfileVariables(base, profile.variables.filter((v) => !without.includes(v.name)));
}

describe('Workspace profile: the real agents use the workspace token and model, the global files untouched', () => {
  const sim = useGateway([WORKSPACE_MODEL, CLAUDE_WORKSPACE]);
  let user: TempUser;
  afterEach(() => user?.remove());

  const cases: { name: AgentName; agent: AgentId; global: string; workspace: string; route: string }[] = [
    { name: 'codex', agent: 'codex', global: GLOBAL_MODEL, workspace: WORKSPACE_MODEL, route: '/v1/responses' },
    { name: 'claude', agent: 'claude-code', global: CLAUDE_GLOBAL, workspace: CLAUDE_WORKSPACE, route: '/v1/messages' },
    { name: 'opencode', agent: 'opencode', global: GLOBAL_MODEL, workspace: WORKSPACE_MODEL, route: '/v1/chat/completions' },
  ];
  for (const c of cases) {
    it(`${c.name}: the global file says token A and ${c.global}; the terminal runs with token B and ${c.workspace}`, async () => {
      user = new TempUser();
      const globalKey = sim.newKey(`${c.name}-global`);
      const workspaceKey = sim.newKey(`${c.name}-workspace`);
      const written = writeConfig(user, c.agent, sim.gateway().url, c.global, globalKey);
      const before = snapshot(written.files);
      const profile = await profileFor(user, sim.gateway().url, workspaceKey, { [c.agent]: c.workspace });
      for (const file of profile.files) assert.ok(!file.path.startsWith(user.work), `${file.path} is outside the workspace`);
      for (const file of profile.files) assert.equal(statSync(file.path).mode & 0o077, 0, `${file.path} is private`);
      for (const file of profile.files) assert.ok(!readFileSync(file.path, 'utf8').includes(workspaceKey), `${file.label} holds no key`);

      const env = terminalEnv(user, profile);
      const binary = c.name === 'codex' ? profile.files.find(isSharedProfileFile)!.path : undefined;
      const turn = await runTurn(sim.gateway(), user, c.name, { env, ...(binary ? { binary } : {}) });
      assertTurn(turn, { route: c.route, model: c.workspace, header: 'authorization', key: workspaceKey });
      assert.deepEqual(snapshot(written.files), before, 'the global files are untouched');

      // A terminal without the profile (another window) still gets the global choice.
      const plain = await runTurn(sim.gateway(), user, c.name);
      assertTurn(plain, { route: c.route, model: c.global, header: 'authorization', key: globalKey });
    });
  }

  it(`claude: without ${CLAUDE_HOST_MANAGED_VARIABLE}, the global settings.json env beats the terminal's ANTHROPIC_* (why the profile sets it)`, async () => {
    user = new TempUser();
    const globalKey = sim.newKey('claude-global-wins');
    const workspaceKey = sim.newKey('claude-workspace-loses');
    writeConfig(user, 'claude-code', sim.gateway().url, CLAUDE_GLOBAL, globalKey);
    const profile = await profileFor(user, sim.gateway().url, workspaceKey, { 'claude-code': CLAUDE_WORKSPACE });
    const turn = await runTurn(sim.gateway(), user, 'claude', { env: terminalEnv(user, profile, [CLAUDE_HOST_MANAGED_VARIABLE]) });
    assertTurn(turn, { route: '/v1/messages', model: CLAUDE_GLOBAL, header: 'authorization', key: globalKey });
  });

  /** The user's Claude Code settings say token A (`arrange` adds their own things); a turn under the profile (token B) uses B and its model. */
  async function claudeUnderProfile(name: string, arrange: (u: TempUser) => void = () => undefined, userEnv: Record<string, string> = {}): Promise<Turn> {
    user = new TempUser(userEnv);
    writeConfig(user, 'claude-code', sim.gateway().url, CLAUDE_GLOBAL, sim.newKey(`${name}-global`));
    arrange(user);
    const workspaceKey = sim.newKey(`${name}-workspace`);
    const profile = await profileFor(user, sim.gateway().url, workspaceKey, { 'claude-code': CLAUDE_WORKSPACE });
    const turn = await runTurn(sim.gateway(), user, 'claude', { env: terminalEnv(user, profile) });
    assertTurn(turn, { route: '/v1/messages', model: CLAUDE_WORKSPACE, header: 'authorization', key: workspaceKey });
    return turn;
  }

  it("claude: a shell ANTHROPIC_API_KEY of the user's does not ride along (the profile empties it in the terminal)", async () => {
    await claudeUnderProfile('claude-shell', undefined, { ANTHROPIC_API_KEY: `sk-ant-api03-${'u'.repeat(40)}` });
  });

  it("claude: a project's .claude/settings.json ANTHROPIC_MODEL (which beats the global file) does not beat the profile", async () => {
    await claudeUnderProfile('claude-project', (u) => {
      mkdirSync(path.join(u.work, '.claude'));
      writeFileSync(path.join(u.work, '.claude', 'settings.json'), `${JSON.stringify({ env: { ANTHROPIC_MODEL: 'claude-project-pinned' } })}\n`);
    });
  });

  it("opencode: a project's opencode.json with its own provider and model (which beats the global file) does not beat the profile", async () => {
    user = new TempUser();
    const globalKey = sim.newKey('opencode-project-global');
    const projectKey = sim.newKey('opencode-project-own');
    const workspaceKey = sim.newKey('opencode-project-workspace');
    writeConfig(user, 'opencode', sim.gateway().url, GLOBAL_MODEL, globalKey);
    writeFileSync(path.join(user.work, 'opencode.json'), `${JSON.stringify({
      $schema: 'https://opencode.ai/config.json', model: `project/${GLOBAL_MODEL}`,
      provider: { project: { npm: '@ai-sdk/openai-compatible', name: 'Project', options: { baseURL: `${sim.gateway().url}/v1`, apiKey: projectKey }, models: { [GLOBAL_MODEL]: { name: GLOBAL_MODEL } } } },
    })}\n`);
    // Without the profile the project's provider and key are the ones OpenCode uses: the file is in effect.
    const plain = await runTurn(sim.gateway(), user, 'opencode');
    assertTurn(plain, { route: '/v1/chat/completions', model: GLOBAL_MODEL, header: 'authorization', key: projectKey });
    const profile = await profileFor(user, sim.gateway().url, workspaceKey, { opencode: WORKSPACE_MODEL });
    const turn = await runTurn(sim.gateway(), user, 'opencode', { env: terminalEnv(user, profile) });
    assertTurn(turn, { route: '/v1/chat/completions', model: WORKSPACE_MODEL, header: 'authorization', key: workspaceKey });
  });

  it('two workspaces at the same time: two Codex runs through the one shim, each with its own token and model, one CODEX_HOME', async () => {
    user = new TempUser();
    const globalKey = sim.newKey('codex-two-global');
    writeConfig(user, 'codex', sim.gateway().url, GLOBAL_MODEL, globalKey);
    const keys = [sim.newKey('codex-two-a'), sim.newKey('codex-two-b')];
    const models = [WORKSPACE_MODEL, GLOBAL_MODEL];
    const profiles = await Promise.all([0, 1].map((i) => workspaceProfileEnvironment(
      { baseUrl: sim.gateway().url, key: keys[i]!, models: { codex: models[i]! }, workspace: `file://${user.work}/repo-${i}` },
      { env: user.env, home: user.home, platform: process.platform, shimDir: user.file('globalStorage/bin') },
    )));
    for (const p of profiles) await writeProfileFiles(p.files);
    assert.notEqual(profiles[0]!.name, profiles[1]!.name);
    const shim = profiles[0]!.files.find(isSharedProfileFile)!.path;
    const turns = await Promise.all(profiles.map((p) => runTurn(sim.gateway(), user, 'codex', { env: terminalEnv(user, p), binary: shim })));
    // Both turns ran at once, so the relay log interleaves: each turn's own requests are those with its key.
    for (const [i, turn] of turns.entries()) {
      const own = { ...turn, relay: sim.gateway().relay.filter((r) => r.authorization === `Bearer ${keys[i]}`) };
      assertTurn(own, { route: '/v1/responses', model: models[i]!, header: 'authorization', key: keys[i]! });
    }
    assert.ok(!sim.gateway().relay.some((r) => r.authorization === `Bearer ${globalKey}`), 'the global token was not used');
  });

  it("claude: the user's own settings still apply under the profile (their SessionStart hook runs)", async () => {
    const turn = await claudeUnderProfile('claude-settings-kept', (u) => {
      const settings = JSON.parse(u.read('.claude/settings.json')) as Record<string, unknown>;
      settings.hooks = { SessionStart: [{ hooks: [{ type: 'command', command: `touch '${u.file('hook-ran')}'` }] }] };
      writeFileSync(u.file('.claude/settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
    });
    assert.ok(existsSync(user.file('hook-ran')), `the user's SessionStart hook ran\n${describeTurn(turn)}`);
  });
});
