// The table of keys our writers rely on and the versions that read them.
import assert from 'node:assert/strict';
import { compareVersions, concernText, KEY_REQUIREMENTS, keysWritten, parseAgentVersion, PINNED_AGENT_VERSIONS, versionConcerns } from '../../src/core/agents/versions';
import type { AgentId } from '../../src/core/agents/types';

const AGENTS: AgentId[] = ['codex', 'claude-code', 'opencode'];
const everything = {
  codex: { reasoningEffort: 'xhigh' as const, reviewModel: 'm' },
  claude: { keyVariable: 'ANTHROPIC_API_KEY' as const, customModelOption: true, disableExperimentalBetas: true },
  opencode: { setDefaultModel: true },
};

describe('agent versions', () => {
  it('parses each agent\'s --version, with noise around it', () => {
    assert.equal(parseAgentVersion('codex', 'codex-cli 0.171.0\n'), '0.171.0');
    assert.equal(parseAgentVersion('codex', 'WARNING: proceeding, even though …\ncodex-cli 0.172.0-alpha.3'), '0.172.0-alpha.3');
    assert.equal(parseAgentVersion('claude-code', '2.1.332 (Claude Code)\n'), '2.1.332');
    assert.equal(parseAgentVersion('opencode', '1.18.33\n'), '1.18.33');
    assert.equal(parseAgentVersion('opencode', 'v1.2.3'), '1.2.3');
    assert.equal(parseAgentVersion('opencode', 'error: could not open /usr/lib/x-1.2.3/y while starting the thing up'), undefined);
    assert.equal(parseAgentVersion('claude-code', ''), undefined);
  });

  it('compares versions numerically, a pre-release before its release', () => {
    assert.ok(compareVersions('0.9.0', '0.10.0') < 0);
    assert.ok(compareVersions('2.1.332', '2.1.78') > 0);
    assert.ok(compareVersions('1.0.0-beta', '1.0.0') < 0);
    assert.equal(compareVersions('1.2.3', '1.2.3'), 0);
  });

  it('every key a writer can write is in the table, and every minimum is at most the pinned version', () => {
    for (const agent of AGENTS) {
      const keys = new Set([...keysWritten(agent, everything, 'auth-json'), ...keysWritten(agent, everything, 'config-token'), ...keysWritten(agent, { claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } })]);
      const table = KEY_REQUIREMENTS.filter((r) => r.agent === agent);
      for (const key of keys) assert.ok(table.some((r) => r.key === key), `${agent}: ${key} is not in the table`);
      for (const r of table) {
        assert.ok(compareVersions(r.minimum.version, PINNED_AGENT_VERSIONS[agent]) <= 0, `${agent} ${r.key}: ${r.minimum.version} > pinned`);
        assert.ok(r.minimum.source.length > 10, `${agent} ${r.key} names its source`);
      }
    }
  });

  it('an older Claude Code is warned about a key added later; an unconfirmed one only gets a note', () => {
    const keys = keysWritten('claude-code', everything);
    const concerns = versionConcerns('claude-code', '2.1.20', keys);
    assert.deepEqual(concerns.map((c) => [c.kind, c.keys.map((k) => k.key)]), [
      ['since', ['env.ANTHROPIC_CUSTOM_MODEL_OPTION', 'env.CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS']],
      ['atMost', ['env.ANTHROPIC_BASE_URL', 'env.ANTHROPIC_API_KEY']],
    ]);
    assert.match(concernText(concerns[0]!), /^Claude Code 2\.1\.20 is older than what Tokaify writes needs: env\.ANTHROPIC_CUSTOM_MODEL_OPTION \(since 2\.1\.78\)/);
    assert.deepEqual(versionConcerns('claude-code', PINNED_AGENT_VERSIONS['claude-code'], keys), []);
    assert.deepEqual(versionConcerns('claude-code', '2.1.80', keysWritten('claude-code', { claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } })), []);
  });
});
