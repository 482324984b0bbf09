// The versions table (src/core/agents/versions.ts) against the pinned agents: each reports the version the
// table is pinned to, no minimum is above it, and every key a writer can write is understood: a turn
// finishes with all of them at once (Codex with --strict-config, which refuses any key it does not know).
import assert from 'node:assert/strict';
import { runInvocation } from '../../src/core/agents/processRun';
import { versionInvocation } from '../../src/core/agents/realAgent';
import { compareVersions, KEY_REQUIREMENTS, keysWritten, parseAgentVersion, PINNED_AGENT_VERSIONS, versionConcerns } from '../../src/core/agents/versions';
import { AGENT_ID, agentBinary, assertTurn, runTurn, TempUser, useGateway, writeConfig, type AgentName } from './harness';

describe('the versions table against the pinned agents', () => {
  const sim = useGateway();
  let user: TempUser;
  afterEach(() => user?.remove());

  it('each agent\'s --version (read as the product reads it) is the pinned version, and no minimum in the table is above it', async () => {
    user = new TempUser();
    for (const name of ['codex', 'claude', 'opencode'] as AgentName[]) {
      const agent = AGENT_ID[name];
      const result = await runInvocation(versionInvocation(agent, agentBinary(name), user.env), user.work);
      const version = parseAgentVersion(agent, `${result.stdout}\n${result.stderr}`);
      assert.equal(version, PINNED_AGENT_VERSIONS[agent], `${name} --version: ${result.stdout}${result.stderr}`);
      for (const r of KEY_REQUIREMENTS.filter((k) => k.agent === agent)) assert.ok(compareVersions(r.minimum.version, version!) <= 0, `${r.key}: ${r.minimum.version}`);
    }
  });

  it('Codex, every key at once (reasoning effort xhigh, review model), under --strict-config: the turn finishes', async () => {
    user = new TempUser();
    const key = sim.newKey('codex-strict');
    writeConfig(user, 'codex', sim.gateway().url, 'gpt-5.4', key, ['--reasoning-effort', 'xhigh', '--review-model', 'gpt-5.4']);
    assert.deepEqual(versionConcerns('codex', PINNED_AGENT_VERSIONS.codex, keysWritten('codex', { codex: { reasoningEffort: 'xhigh', reviewModel: 'gpt-5.4' } })), []);
    assertTurn(await runTurn(sim.gateway(), user, 'codex', { args: ['--strict-config'] }), { route: '/v1/responses', model: 'gpt-5.4', header: 'authorization', key });
  });

  it('Codex with the key in config.toml (experimental_bearer_token), under --strict-config: the turn finishes', async () => {
    user = new TempUser();
    const key = sim.newKey('codex-strict-token');
    writeConfig(user, 'codex', sim.gateway().url, 'gpt-5.4', key, ['--codex-auth', 'config-token']);
    assertTurn(await runTurn(sim.gateway(), user, 'codex', { args: ['--strict-config'] }), { route: '/v1/responses', model: 'gpt-5.4', header: 'authorization', key });
  });

  it('Claude Code, every key at once (custom model option, experimental betas off): the turn finishes', async () => {
    user = new TempUser();
    const key = sim.newKey('claude-all-keys');
    writeConfig(user, 'claude-code', sim.gateway().url, 'claude-sonnet-4-5', key, ['--custom-model-option', '--disable-experimental-betas']);
    const env = (JSON.parse(user.read('.claude/settings.json')) as { env: Record<string, string> }).env;
    assert.equal(env.ANTHROPIC_CUSTOM_MODEL_OPTION, 'claude-sonnet-4-5');
    assert.equal(env.CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS, '1');
    assertTurn(await runTurn(sim.gateway(), user, 'claude'), { route: '/v1/messages', model: 'claude-sonnet-4-5', header: 'authorization', key });
  });
});
