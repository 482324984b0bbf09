import assert from 'node:assert/strict';
import { probeAgent } from '../../src/core/agents/probe';
import { HttpClient } from '../../src/core/http';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';

describe('probeAgent: one request in each tool\'s shape, against the simulator', () => {
  let gw: RunningGateway;
  const http = new HttpClient({ timeoutMs: 5000 });
  before(async () => {
    gw = await startGateway({ flavor: 'new-api' });
  });
  after(() => gw.close());
  afterEach(() => gw.resetFaults());
  const last = () => gw.requests.at(-1);

  it('Codex posts to /v1/responses, OpenCode to /v1/chat/completions, Claude Code to /v1/messages', async () => {
    for (const [agent, model, path] of [['codex', 'gpt-5.4', '/v1/responses'], ['opencode', 'gpt-4o', '/v1/chat/completions'], ['claude-code', 'claude-sonnet-4-5', '/v1/messages']] as const) {
      const result = await probeAgent(http, gw.url, DEMO.key, agent, model);
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(last(), { method: 'POST', path, status: 200 });
    }
  });

  it('Claude Code with x-api-key (ANTHROPIC_API_KEY) works too', async () => {
    assert.ok((await probeAgent(http, gw.url, DEMO.key, 'claude-code', 'claude-sonnet-4-5', { claudeKeyVariable: 'ANTHROPIC_API_KEY' })).ok);
  });

  it('names the context_management 400 and says how to fix it; with the betas off the same gateway answers', async () => {
    gw.faults.contextManagementRejected = true;
    const result = await probeAgent(http, gw.url, DEMO.key, 'claude-code', 'claude-sonnet-4-5');
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.contextManagementRejected);
    assert.match(!result.ok ? result.message : '', /CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS/);
    assert.ok((await probeAgent(http, gw.url, DEMO.key, 'claude-code', 'claude-sonnet-4-5', { claudeBetasDisabled: true })).ok);
  });

  it('a rejected key and a model the token may not use come back as the gateway\'s reasons', async () => {
    const bad = await probeAgent(http, gw.url, 'sk-test' + 'z'.repeat(40), 'codex', 'gpt-5.4');
    assert.ok(!bad.ok && bad.error.kind === 'unauthorized', JSON.stringify(bad));
    const limited = gw.state.tokens.find((t) => t.name === 'demo-limited')!;
    const denied = await probeAgent(http, gw.url, `sk-${limited.key}`, 'opencode', 'gpt-4o');
    assert.ok(!denied.ok && denied.error.kind === 'forbidden');
    assert.match(!denied.ok ? denied.message : '', /no access to model gpt-4o/);
  });

  it('an unreachable gateway is a network error, not a crash', async () => {
    const result = await probeAgent(http, 'http://127.0.0.1:9', DEMO.key, 'codex', 'gpt-5.4');
    assert.ok(!result.ok && (result.error.kind === 'network' || result.error.kind === 'timeout'), JSON.stringify(result));
  });
});
