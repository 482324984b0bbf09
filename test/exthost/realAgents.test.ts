// After Configure in a real extension host, the real Codex CLI, Claude Code and OpenCode read what was
// written and finish a turn (issue 11); and Verify's "Run the real agent" end to end. Each agent runs in a
// loopback-only network namespace beside a fresh simulator on this suite's port (realAgentHost.ts), through
// the product's own invocation builder and spawner. Where no namespace can be made, or the agents are not
// installed, the suite is skipped (pending), never passed. TOKAIFY_AGENTS_BREAK=key breaks every key
// Configure wrote, to see these tests fail.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { runRealAgent, type RealRun } from '../../src/core/agents/realAgentRun';
import type { AgentId } from '../../src/core/agents/types';
import type { Finding } from '../../src/core/diagnosis/types';
import type { TokaifyApi } from '../../src/vscode/extension';
import { DEMO, SIM_REPLY_MARKER, type RunningGateway } from '../../src/simulator';
import { endSuite, signedInSuite, type TempAgentHome } from './helpers';
import { AgentCage, cageProblem, cleanEnv, type CageRun } from './realAgentHost';

const TURN_MS = 150_000;
const BROKEN_KEY = `sk-${'broken'.repeat(8)}`;

describe('the real agents read what Configure wrote, and Verify runs them', function () {
  this.timeout(4 * TURN_MS);
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  let cage: AgentCage | undefined;
  let savedPath: string | undefined;
  const demoToken = () => gw.state.tokens.find((t) => t.user_id === DEMO.userId && t.name === 'demo')!;
  const file = (...parts: string[]) => home.file(...parts);

  before(async function () {
    const where = cageProblem();
    if ('problem' in where) {
      console.log(`      skipped: ${where.problem}`);
      this.skip();
    }
    ({ api, gw, accountId, home } = await signedInSuite({ flavor: 'new-api' }, 'real-agents'));
    cage = new AgentCage(where.flags, where.bin, gw.port);
  });
  after(async () => {
    if (savedPath !== undefined) process.env.PATH = savedPath;
    cage?.dispose();
    await endSuite({ api, gw, home });
  });

  /** Configure through the extension's own code (no preview), then, with TOKAIFY_AGENTS_BREAK=key, break the key in every file written. */
  async function configure(agent: AgentId, extra: Record<string, unknown>): Promise<string> {
    const outcome = await api.internal.configure([agent], { accountId, tokenId: demoToken().id, ...extra }, { confirm: false });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    const key = `sk-${demoToken().key}`;
    if (process.env.TOKAIFY_AGENTS_BREAK === 'key') {
      for (const written of outcome.written) writeFileSync(written, readFileSync(written, 'utf8').split(key).join(BROKEN_KEY));
    }
    return key;
  }

  /** One turn with the product's invocation, in the cage. */
  const turn = (agent: AgentId): Promise<RealRun> => runRealAgent(agent, { binary: cage!.binary(agent), baseEnv: cleanEnv(home.root), timeoutMs: TURN_MS });

  function why(run: RealRun, caged: CageRun | undefined): string {
    const relay = (caged?.relay ?? []).map((r) => `${r.method} ${r.path} → ${r.status} [${r.keyHeaders.join(', ')}] model=${r.model ?? '-'}`);
    return [`$ ${run.command}`, `exit ${run.code}${run.timedOut ? ' (timed out)' : ''} in ${run.ms} ms`, `relay:\n  ${relay.join('\n  ') || '(no request)'}`,
      `stdout:\n${run.stdout.slice(-2000)}`, `stderr:\n${run.stderr.slice(-2000)}`].join('\n');
  }

  /** The route, exactly the key Configure wrote in the header the agent uses, the model, and the simulator's reply printed. */
  function assertTurn(run: RealRun, expected: { route: string; header: 'authorization' | 'x-api-key'; key: string; model: string }): void {
    const caged = cage!.lastTurn();
    const text = why(run, caged);
    const requests = (caged?.relay ?? []).filter((r) => r.method === 'POST');
    assert.ok(requests.length > 0, `the agent sent no request to the gateway\n${text}`);
    for (const r of requests) {
      assert.equal(r.path, expected.route, `wrong route\n${text}`);
      assert.deepEqual(r.keyHeaders, [expected.header], `the key must travel in ${expected.header} only\n${text}`);
      assert.equal(expected.header === 'authorization' ? r.authorization : r.xApiKey, expected.header === 'authorization' ? `Bearer ${expected.key}` : expected.key, `not the key Configure wrote\n${text}`);
      assert.equal(r.model, expected.model, `wrong model\n${text}`);
      assert.equal(r.status, 200, `the gateway refused a request\n${text}`);
    }
    assert.equal(run.code, 0, `the agent failed\n${text}`);
    assert.ok(run.stdout.includes(SIM_REPLY_MARKER), `the agent did not print the simulator's reply\n${text}`);
    assert.equal(run.reading.outcome, 'ok', text);
  }

  it('Codex CLI: codex exec reads config.toml and auth.json from Configure: Bearer <that key> on /v1/responses, gpt-5.4, the reply printed', async () => {
    const key = await configure('codex', { model: 'gpt-5.4', codex: { reasoningEffort: 'high' } });
    assert.equal((JSON.parse(readFileSync(file('codex', 'auth.json'), 'utf8')) as { OPENAI_API_KEY: string }).OPENAI_API_KEY.length > 0, true);
    assertTurn(await turn('codex'), { route: '/v1/responses', header: 'authorization', key, model: 'gpt-5.4' });
  });

  it('Claude Code: claude -p reads settings.json from Configure: Bearer <that key> alone on /v1/messages, claude-sonnet-4-5, the reply printed', async () => {
    const key = await configure('claude-code', { model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } });
    assertTurn(await turn('claude-code'), { route: '/v1/messages', header: 'authorization', key, model: 'claude-sonnet-4-5' });
  });

  it('OpenCode: opencode run reads opencode.json and auth.json from Configure: Bearer <that key> on /v1/chat/completions, gpt-5.4, the reply printed', async () => {
    const key = await configure('opencode', { model: 'gpt-5.4' });
    assertTurn(await turn('opencode'), { route: '/v1/chat/completions', header: 'authorization', key, model: 'gpt-5.4' });
  });

  describe('Verify: "Run the real agent"', () => {
    const verify = async (args: Record<string, unknown>) => (await vscode.commands.executeCommand<Finding[]>('tokaify.verify', { accountId, tokenId: demoToken().id, show: false, ...args })) ?? [];
    const runReal = async (agent: AgentId) => (await vscode.commands.executeCommand<Finding[]>('tokaify.runRealAgent', { accountId, tokenId: demoToken().id, agent, show: false })) ?? [];
    const ids = (findings: Finding[]) => findings.map((f) => `${f.severity}:${f.id}`).join(', ');

    before(() => {
      // The cage's wrappers are what a terminal finds as codex, claude and opencode.
      savedPath = process.env.PATH;
      process.env.PATH = `${cage!.binDir}:${process.env.PATH ?? ''}`;
    });
    after(() => {
      if (savedPath !== undefined) process.env.PATH = savedPath;
      savedPath = undefined;
    });

    it('the report offers to run each installed agent, naming its version and what it costs; nothing runs until clicked', async () => {
      const before = cage!.runs().filter((r) => !r.args.includes('--version')).length;
      const findings = await verify({});
      const offer = findings.find((f) => f.id === 'claude.real-run-offer');
      assert.ok(offer, ids(findings));
      assert.equal(offer.title, 'Claude Code 2.1.332 is installed here: Tokaify can run it for real');
      assert.deepEqual(offer.fix, { label: 'Run the real Claude Code (one tiny request)', command: 'tokaify.runRealAgent', args: [{ accountId, agent: 'claude-code', tokenId: demoToken().id }] });
      assert.match(api.verifier.lastHtml, /href="command:tokaify\.runRealAgent\?[^"]+">Run the real Claude Code \(one tiny request\)</);
      assert.equal(cage!.runs().filter((r) => !r.args.includes('--version')).length, before, 'no agent turn without a click');
    });

    it('the click: the real Claude Code finishes a turn with the key Configure wrote, and the report shows its own output', async () => {
      const key = await configure('claude-code', { model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } });
      const findings = await runReal('claude-code');
      const caged = cage!.lastTurn();
      const requests = (caged?.relay ?? []).filter((r) => r.method === 'POST');
      assert.ok(requests.length > 0 && requests.every((r) => r.path === '/v1/messages' && r.authorization === `Bearer ${key}` && r.model === 'claude-sonnet-4-5' && r.status === 200),
        `${ids(findings)}\n${JSON.stringify(caged?.relay)}`);
      assert.ok(caged?.args.includes('-p') && caged.args.includes('--tools'), 'the product\'s invocation, tools off');
      const ran = findings.find((f) => f.id === 'claude.real-run');
      assert.ok(ran, ids(findings));
      assert.equal(ran.severity, 'ok', JSON.stringify(ran, null, 1));
      assert.equal(ran.title, 'The real Claude Code 2.1.332 finished a turn through this gateway');
      assert.ok(ran.evidence.some((line) => line.includes(SIM_REPLY_MARKER)), ran.evidence.join('\n'));
      assert.ok(ran.evidence.some((line) => /^\$ claude -p --max-turns 1 --tools ""/.test(line)), ran.evidence.join('\n'));
      assert.match(api.verifier.lastHtml, /The real Claude Code 2\.1\.332 finished a turn through this gateway/);
      assert.ok(!api.log.recentLines().join('\n').includes(demoToken().key), 'no key in the log');
    });

    it('a key the gateway does not know: the real Claude Code\'s own 401 "无效的令牌" gives the report\'s invalid-key finding, its words as evidence', async () => {
      await configure('claude-code', { model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } });
      const settings = file('claude', 'settings.json');
      writeFileSync(settings, readFileSync(settings, 'utf8').split(`sk-${demoToken().key}`).join(BROKEN_KEY));
      const findings = await runReal('claude-code');
      const invalid = findings.find((f) => f.id === 'relay.key-invalid');
      assert.ok(invalid, ids(findings));
      assert.match(invalid.evidence[0]!, /^POST \/v1\/messages \(sent by the real Claude Code 2\.1\.332\) → HTTP 401 in \d+ ms$/, invalid.evidence.join('\n'));
      assert.ok(invalid.evidence.some((line) => line.startsWith('Gateway said: "无效的令牌')), invalid.evidence.join('\n'));
      const printed = findings.find((f) => f.id === 'claude.real-run');
      assert.equal(printed?.severity, 'info', ids(findings));
      assert.ok(printed!.evidence.some((line) => /Failed to authenticate\. API Error: 401 无效的令牌/.test(line)), printed!.evidence.join('\n'));
      assert.ok(!JSON.stringify(findings).includes(BROKEN_KEY), 'the broken key is masked in the report too');
      assert.ok(!api.verifier.lastHtml.includes(BROKEN_KEY));
    });
  });
});

describe('Configure warns before Apply when the installed agent is too old for a key it writes', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  let savedPath: string | undefined;
  const demoToken = () => gw.state.tokens.find((t) => t.user_id === DEMO.userId && t.name === 'demo')!;

  before(async () => {
    ({ api, gw, accountId, home } = await signedInSuite({ flavor: 'new-api' }, 'old-agent'));
    // A Claude Code from before ANTHROPIC_CUSTOM_MODEL_OPTION, first on PATH (it only answers --version).
    const bin = home.file('old-bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'claude'), '#!/bin/sh\necho "2.1.20 (Claude Code)"\n');
    chmodSync(path.join(bin, 'claude'), 0o755);
    savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${process.env.PATH ?? ''}`;
  });
  after(async () => {
    if (savedPath !== undefined) process.env.PATH = savedPath;
    await endSuite({ api, gw, home });
  });

  it('Claude Code 2.1.20 and ANTHROPIC_CUSTOM_MODEL_OPTION (added in 2.1.78): said before Apply, in the outcome and the log', async () => {
    const outcome = await api.internal.configure(['claude-code'], {
      accountId, tokenId: demoToken().id, model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN', customModelOption: true },
    }, { confirm: false });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.deepEqual(outcome.warnings?.filter((w) => /^Claude Code 2\.1\.20 /.test(w)), [
      'Claude Code 2.1.20 is older than what Tokaify writes needs: env.ANTHROPIC_CUSTOM_MODEL_OPTION (since 2.1.78). Update Claude Code, or those settings will not take effect.',
    ]);
    assert.ok(api.log.recentLines().some((l) => l.includes('env.ANTHROPIC_CUSTOM_MODEL_OPTION (since 2.1.78)')));
  });
});
