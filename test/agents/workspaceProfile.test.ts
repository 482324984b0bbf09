// A workspace profile against the real agents: the user's global files (written by `tokaify write` with
// another token and model) stay as they are, and a terminal with the profile's environment runs each agent
// with the workspace's token and model. Also what the profile's one unusual variable buys: without
// CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST, Claude Code's global settings.json wins over the terminal.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyProfileVariables, CLAUDE_HOST_MANAGED_VARIABLE, isSharedProfileFile, workspaceProfileEnvironment, type ProfileEnvironment } from '../../src/core/agents/workspaceProfile';
import { writeProfileFiles } from '../../src/core/agents/workspaceProfileFiles';
import type { AgentId } from '../../src/core/agents/types';
import { agentBinary, assertTurn, describeTurn, runTurn, TempUser, useGateway, writeConfig, type AgentName } from './harness';

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

  it("claude: a shell ANTHROPIC_API_KEY of the user's does not ride along (the profile empties it in the terminal)", async () => {
    user = new TempUser({ ANTHROPIC_API_KEY: `sk-ant-api03-${'u'.repeat(40)}` });
    const globalKey = sim.newKey('claude-shell-global');
    const workspaceKey = sim.newKey('claude-shell-workspace');
    writeConfig(user, 'claude-code', sim.gateway().url, CLAUDE_GLOBAL, globalKey);
    const profile = await profileFor(user, sim.gateway().url, workspaceKey, { 'claude-code': CLAUDE_WORKSPACE });
    const turn = await runTurn(sim.gateway(), user, 'claude', { env: terminalEnv(user, profile) });
    assertTurn(turn, { route: '/v1/messages', model: CLAUDE_WORKSPACE, header: 'authorization', key: workspaceKey });
  });

  it("claude: the user's own settings still apply under the profile (their SessionStart hook runs)", async () => {
    user = new TempUser();
    const globalKey = sim.newKey('claude-settings-kept');
    const workspaceKey = sim.newKey('claude-settings-kept-ws');
    writeConfig(user, 'claude-code', sim.gateway().url, CLAUDE_GLOBAL, globalKey);
    const marker = user.file('hook-ran');
    const settings = JSON.parse(user.read('.claude/settings.json')) as Record<string, unknown>;
    settings.hooks = { SessionStart: [{ hooks: [{ type: 'command', command: `touch '${marker}'` }] }] };
    writeFileSync(user.file('.claude/settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
    const profile = await profileFor(user, sim.gateway().url, workspaceKey, { 'claude-code': CLAUDE_WORKSPACE });
    const turn = await runTurn(sim.gateway(), user, 'claude', { env: terminalEnv(user, profile) });
    assertTurn(turn, { route: '/v1/messages', model: CLAUDE_WORKSPACE, header: 'authorization', key: workspaceKey });
    assert.ok(existsSync(marker), `the user's SessionStart hook ran\n${describeTurn(turn)}`);
  });
});
