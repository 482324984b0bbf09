// Rotate Key… inside a real extension host: Codex and Claude Code configured with one token in a
// temporary home, the key rotated across both, the agents tested with the new key through the simulator,
// and only then the old token disabled; a failed write leaves everything as it was; one Restore undoes it.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { TokaifyApi } from '../../src/vscode/extension';
import { DEMO, type RunningGateway } from '../../src/simulator';
import { endSuite, signedInSuite, type TempAgentHome } from './helpers';

describe('Rotate Key: one command moves every agent to a new key', () => {
  let api: TokaifyApi;
  let gw: RunningGateway;
  let accountId: string;
  let home: TempAgentHome;
  const settings = { group: 'vip', unlimited: false, remainQuota: 777_000, modelLimits: ['gpt-5.4', 'claude-sonnet-4-5'], allowIps: ['127.0.0.1'] };
  const files = () => [home.file('codex', 'auth.json'), home.file('codex', 'config.toml'), home.file('claude', 'settings.json')];
  const read = () => files().map((f) => readFileSync(f, 'utf8'));
  const stored = (id: number) => gw.state.tokens.find((t) => t.id === id);
  const fullKey = (id: number) => `sk-${stored(id)!.key}`;

  /** A token with non-default settings, Codex and Claude Code configured with it (no preview). */
  async function configuredToken(name: string): Promise<number> {
    const expiredTime = Math.floor(Date.now() / 1000) + 30 * 86_400;
    const token = await api.internal.createToken(accountId, { name, ...settings, expiredTime });
    assert.ok(token, 'the token was created');
    for (const [agent, model] of [['codex', 'gpt-5.4'], ['claude-code', 'claude-sonnet-4-5']] as const) {
      const outcome = await api.internal.configure([agent], { accountId, tokenId: token.id, model }, { confirm: false });
      assert.ok(outcome.ok, JSON.stringify(outcome));
    }
    return token.id;
  }

  before(async () => ({ api, gw, accountId, home } = await signedInSuite({ flavor: 'new-api' }, 'rotate')));
  after(() => endSuite({ api, gw, home }));

  it('a write failure in the second file leaves both files as before, deletes the new token and keeps the old one enabled', async () => {
    const oldId = await configuredToken('rot-fail');
    const before = read();
    const tokensBefore = gw.state.tokens.length;
    let opened = 0;
    const outcome = await api.internal.rotateKey({ accountId, tokenId: oldId }, {
      confirm: false,
      hooks: { afterOpen: async () => { if (++opened === 2) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }); } },
    });
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.step, 'write');
    assert.equal(opened, 2, 'the second file failed');
    assert.deepEqual(read(), before, 'every file is byte for byte as before');
    assert.equal(gw.state.tokens.length, tokensBefore, 'the new token was deleted');
    assert.equal(gw.state.tokens.filter((t) => t.name === 'rot-fail').length, 1);
    assert.equal(stored(oldId)?.status, 1, 'the old token is still enabled');
    assert.ok(api.internal.notifications().some((n) => n.kind === 'error' && /Writing the agents’ files failed/.test(n.message) && /"rot-fail" still works/.test(n.message)),
      'the user is told which step failed and that the old key still works');
  });

  let rotatedBackup: string | undefined;
  let beforeRotation: string[] = [];

  it('both files carry the new key and nothing else changes; Test It passed with it; the old token is disabled only after', async () => {
    const oldId = await configuredToken('rot-ok');
    const oldKey = fullKey(oldId);
    beforeRotation = read();
    assert.ok(beforeRotation.filter((text) => text.includes(oldKey)).length >= 2, 'the files hold the old key');
    const relayFrom = gw.relay.length;
    const outcome = await api.internal.rotateKey({ accountId, tokenId: oldId }, { confirm: false });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.deepEqual([...outcome.agents].sort(), ['claude-code', 'codex']);
    assert.deepEqual(outcome.untested, []);
    const newId = outcome.token!.id;
    const newKey = fullKey(newId);
    assert.notEqual(newKey, oldKey);
    // Byte-identical apart from the key.
    assert.deepEqual(read(), beforeRotation.map((text) => text.split(oldKey).join(newKey)));
    assert.ok(read().every((text) => !text.includes(oldKey.slice(3))), 'the old key is gone from every file');
    // The gateway: the old token disabled, the new one with the same settings.
    assert.equal(stored(oldId)?.status, 2, 'the old token is disabled');
    const [a, b] = [stored(oldId)!, stored(newId)!];
    assert.equal(b.status, 1);
    assert.equal(b.name, 'rot-ok', 'the name is kept by default');
    // The probes spent some of the new token's quota: what it was created with is remaining + used.
    assert.equal(b.remain_quota + b.used_quota, a.remain_quota, 'quota');
    for (const field of ['group', 'unlimited_quota', 'model_limits_enabled', 'model_limits', 'allow_ips', 'expired_time', 'cross_group_retry'] as const) {
      assert.deepEqual(b[field], a[field], field);
    }
    // Test It: each agent's request in its own shape, with the new key, answered.
    const probes = gw.relay.slice(relayFrom).filter((r) => r.method === 'POST');
    for (const route of ['/v1/responses', '/v1/messages']) {
      const sent = probes.filter((r) => r.path === route);
      assert.ok(sent.length >= 1, `${route} was tested`);
      assert.ok(sent.every((r) => r.status === 200 && `${r.authorization ?? ''}${r.xApiKey ?? ''}`.includes(newKey)), `${route} with the new key: ${JSON.stringify(sent.map((r) => r.status))}`);
    }
    // Recorded for the tree and Verify; the final notification names the agents and the undo.
    assert.deepEqual(api.usage.all().filter((u) => u.agent === 'codex' || u.agent === 'claude-code').map((u) => u.tokenId), [newId, newId]);
    assert.deepEqual(api.keyUsage.usesOf(accountId, newId).map((u) => u.agent).sort(), ['claude-code', 'codex']);
    assert.deepEqual(api.keyUsage.usesOf(accountId, oldId), []);
    const done = api.internal.notifications().find((n) => /^Rotated the key/.test(n.message));
    assert.match(done?.message ?? '', /(Codex CLI, Claude Code|Claude Code, Codex CLI) now use "rot-ok"; "rot-ok" was disabled\. "Restore Agent Config…" puts the files back in one step\./);
    rotatedBackup = outcome.backupId;
  });

  it('one Restore of the rotation backup puts both agents\' files back', async () => {
    assert.ok(rotatedBackup, 'the rotation made one backup');
    const outcome = await api.internal.restore(rotatedBackup, { confirm: false });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.deepEqual(read(), beforeRotation);
  });

  it('a key placed by hand in Claude Code\'s settings.json is recognised, and a rotation moves it', async () => {
    const token = await api.internal.createToken(accountId, { name: 'by-hand', modelLimits: [] });
    assert.ok(token);
    const key = `sk-${stored(token.id)!.key}`;
    mkdirSync(home.file('claude'), { recursive: true });
    const text = `{\n    "env": { "ANTHROPIC_BASE_URL": "${gw.url}", "ANTHROPIC_AUTH_TOKEN": "${key}", "ANTHROPIC_MODEL": "claude-sonnet-4-5" }\n}\n`;
    writeFileSync(home.file('claude', 'settings.json'), text);
    await api.gateways.tokens(api.accounts.get(accountId)!).refresh();
    await api.keyUsage.refresh();
    assert.deepEqual(api.keyUsage.usesOf(accountId, token.id).map((u) => u.agent), ['claude-code'], JSON.stringify({ unreadable: api.keyUsage.unreadable(), unknown: api.keyUsage.unknownFor(accountId) }));
    const outcome = await api.internal.rotateKey({ accountId, tokenId: token.id }, { confirm: false, name: 'suffix', afterwards: 'delete' });
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.deepEqual(outcome.agents, ['claude-code']);
    assert.equal(outcome.token!.name, 'by-hand-2');
    assert.equal(readFileSync(home.file('claude', 'settings.json'), 'utf8'), text.replace(key, fullKey(outcome.token!.id)));
    assert.equal(stored(token.id), undefined, 'the old token was deleted, as chosen');
    assert.equal(gw.state.tokens.filter((t) => t.user_id === DEMO.userId && t.name === 'by-hand').length, 0);
  });

  it('an agent failing its test with the new key puts the files back, deletes the new token and keeps the old one; the test uses the agent\'s own shape', async () => {
    const oldId = await configuredToken('rot-probe');
    const before = read();
    const tokensBefore = gw.state.tokens.length;
    gw.faults.contextManagementRejected = true;
    try {
      const failed = await api.internal.rotateKey({ accountId, tokenId: oldId }, { confirm: false });
      assert.equal(!failed.ok && failed.step, 'test', JSON.stringify(failed));
      assert.deepEqual(read(), before, 'the files are back as they were');
      assert.equal(gw.state.tokens.length, tokensBefore, 'the new token was deleted');
      assert.equal(stored(oldId)?.status, 1, 'the old token is still enabled');
      assert.ok(api.internal.notifications().some((n) => n.kind === 'error' && /failed its test/.test(n.message) && /Claude Code: .*context_management/.test(n.message)),
        'the user is told which agent failed and why');
      assert.ok(!api.internal.notifications().some((n) => n.actions.includes('Disable Experimental Betas')), 'no fix that would configure the deleted key is offered');
      // With the betas turned off in settings.json, Claude Code's test is sent without them and passes.
      const fixed = await api.internal.configure(['claude-code'], { accountId, tokenId: oldId, model: 'claude-sonnet-4-5', claude: { disableExperimentalBetas: true } }, { confirm: false });
      assert.ok(fixed.ok, JSON.stringify(fixed));
      const rotated = await api.internal.rotateKey({ accountId, tokenId: oldId }, { confirm: false });
      assert.ok(rotated.ok, JSON.stringify(rotated));
      assert.equal(stored(oldId)?.status, 2);
    } finally {
      gw.resetFaults();
    }
  });

  it('switching the agents to another token (the safeguards\' offer) moves the files and leaves both tokens as they are', async () => {
    const fromId = await configuredToken('switch-from');
    const to = await api.internal.createToken(accountId, { name: 'switch-to', ...settings });
    assert.ok(to);
    const before = read();
    const meta = api.accounts.get(accountId)!;
    const from = api.gateways.tokens(meta).find(fromId)!;
    assert.equal(await api.rotation.switchAgents({ meta, token: from }, { confirm: false, toTokenId: to.id }), true);
    assert.deepEqual(read(), before.map((text) => text.split(fullKey(fromId)).join(fullKey(to.id))));
    assert.equal(stored(fromId)?.status, 1, 'disabling is the caller\'s step');
    assert.deepEqual(api.keyUsage.usesOf(accountId, to.id).map((u) => u.agent).sort(), ['claude-code', 'codex']);
  });
});
