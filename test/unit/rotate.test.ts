import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listBackups, recordAgents, restoreChanges, WriteError, applyChanges } from '../../src/core/agents/fileWriter';
import { applyRotation, planRotation } from '../../src/core/agents/rotate';
import { ConfigSyntaxError } from '../../src/core/agents/types';
import { AGENT_FILES, FIXTURE_OF, hostFor, layFiles, layFixtures, NEW_KEY, OLD_KEY, rotateFixture, tempHome, type AgentFileName } from './agentHome';
import { toCrlfBom } from './jsonFixtures';

describe('key rotation: plan, apply all or nothing, one restore', () => {
  let home: string;
  let store: { dir: string; keep: number };
  beforeEach(() => {
    home = tempHome();
    store = { dir: path.join(home, 'backups'), keep: 10 };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const plan = (oldKey = OLD_KEY, newKey = NEW_KEY) => planRotation(oldKey, newKey, hostFor(home));
  const read = (file: string) => readFileSync(file, 'utf8');
  const swapped = (text: string) => text.split(OLD_KEY).join(NEW_KEY);

  it('replaces the old key in every file that holds it, every place in it, and changes no other byte', async () => {
    const paths = layFixtures(home);
    const changes = await plan();
    assert.deepEqual(changes.map((c) => c.label), ['Codex config.toml', 'Claude Code settings.json', 'OpenCode opencode.jsonc', 'OpenCode auth.json']);
    assert.deepEqual(changes.map((c) => c.agent), ['codex', 'claude-code', 'opencode', 'opencode']);
    for (const change of changes) {
      assert.equal(change.before, read(change.path));
      assert.equal(change.after, swapped(change.before!), `${change.label}: only the key changes`);
      assert.equal(change.secret, true, `${change.label} holds a key: 0600`);
    }
    const toml = changes[0]!.after!;
    // Both providers holding it, each in its own quoting style, the trailing comment kept.
    assert.match(toml, /^experimental_bearer_token = "sk-test-new1+"   # pasted from the console$/m);
    assert.match(toml, /^experimental_bearer_token = 'sk-test-new1+'$/m);
    assert.ok(!changes.some((c) => c.path === paths.codexAuth), 'auth.json holds another key: untouched');
  });

  it('keeps a BOM and CRLF line endings; finds the key written without sk-', async () => {
    const settings = toCrlfBom(rotateFixture(FIXTURE_OF.claudeSettings).replace(OLD_KEY, OLD_KEY.slice(3)));
    layFiles(home, { claudeSettings: settings });
    const [change] = await plan();
    assert.equal(change?.after, settings.replace(`"${OLD_KEY.slice(3)}"`, `"${NEW_KEY}"`));
  });

  it('nothing holding the key: no changes; the same key twice or an empty key is refused', async () => {
    layFiles(home, { codexAuth: rotateFixture(FIXTURE_OF.codexAuth) });
    assert.deepEqual(await plan(), []);
    assert.deepEqual(await planRotation(OLD_KEY, NEW_KEY, hostFor(path.join(home, 'nowhere'))), []);
    await assert.rejects(plan(OLD_KEY, OLD_KEY.slice(3)), /same as the old one/);
    await assert.rejects(plan(OLD_KEY, ''), /non-empty/);
  });

  it('a broken file that holds the old key stops the plan (line:column); a broken one without it is left alone', async () => {
    layFiles(home, { claudeSettings: `{\n  "env": { "ANTHROPIC_AUTH_TOKEN": "${OLD_KEY}", }\n}\n` });
    await assert.rejects(plan(), (e: unknown) => e instanceof ConfigSyntaxError && e.line === 2 && /trailing comma/.test(e.reason));
    layFiles(home, { claudeSettings: '{ "env": { }, }', openCodeAuth: rotateFixture(FIXTURE_OF.openCodeAuth) });
    assert.deepEqual((await plan()).map((c) => c.label), ['OpenCode auth.json']);
  });

  it('a write failure in the second file leaves every file as it was', async () => {
    const paths = layFixtures(home);
    const before = Object.fromEntries(Object.entries(paths).map(([name, file]) => [name, read(file)])) as Record<AgentFileName, string>;
    const changes = await plan();
    assert.equal(changes[1]?.path, paths.claudeSettings);
    const failure = await applyRotation(changes, store, {
      afterOpen: async (temp) => {
        if (path.dirname(temp) === path.dirname(paths.claudeSettings)) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
      },
    }).catch((e: unknown) => e);
    assert.ok(failure instanceof WriteError, String(failure));
    assert.match(failure.message, /settings\.json.*the disk is full/);
    for (const name of Object.keys(AGENT_FILES) as AgentFileName[]) assert.equal(read(paths[name]), before[name], `${name} unchanged`);
  });

  it('one backup covers every agent of a rotation, and one restore undoes all the files', async () => {
    const paths = layFixtures(home);
    const original = Object.fromEntries(Object.entries(paths).map(([name, file]) => [name, read(file)])) as Record<AgentFileName, string>;
    const record = await applyRotation(await plan(), store);
    assert.ok(record);
    assert.equal(record.reason, 'rotate');
    assert.deepEqual(recordAgents(record), ['codex', 'claude-code', 'opencode']);
    assert.deepEqual(record.files.map((f) => f.agent), ['codex', 'claude-code', 'opencode', 'opencode']);
    assert.equal(read(paths.claudeSettings), swapped(original.claudeSettings));
    assert.equal(statSync(paths.openCodeConfig).mode & 0o777, 0o600);

    for (const agent of ['codex', 'claude-code', 'opencode'] as const) {
      assert.deepEqual((await listBackups(store, agent)).map((r) => r.id), [record.id], `listed for ${agent}`);
    }
    const undo = await restoreChanges(store, record);
    assert.deepEqual(undo.map((c) => c.agent), ['codex', 'claude-code', 'opencode', 'opencode']);
    await applyChanges(undo, store);
    for (const name of Object.keys(AGENT_FILES) as AgentFileName[]) assert.equal(read(paths[name]), original[name], `${name} restored`);
  });

  it('backups written before rotation existed (one agent, no agent per file) are still listed and restored', async () => {
    const paths = layFiles(home, { codexAuth: '{}\n' });
    const id = '20260101T000000Z-codex-abcd';
    mkdirSync(path.join(store.dir, id), { recursive: true });
    writeFileSync(path.join(store.dir, id, '0-auth.json'), '{"old": true}\n');
    writeFileSync(path.join(store.dir, id, 'backup.json'), JSON.stringify({
      id, agent: 'codex', created: '2026-01-01T00:00:00.000Z', reason: 'configure',
      files: [{ path: paths.codexAuth, label: 'Codex auth.json', copy: '0-auth.json', mode: 384 }],
    }));
    const [old] = await listBackups(store, 'codex');
    assert.equal(old?.id, id);
    assert.deepEqual(await listBackups(store, 'opencode'), []);
    const undo = await restoreChanges(store, old!);
    assert.deepEqual(undo.map((c) => [c.agent, c.after]), [['codex', '{"old": true}\n']]);
  });

  it('pruning one agent never deletes the newest backup of another agent held in a rotation record', async () => {
    const paths = layFixtures(home);
    store.keep = 1;
    const rotation = await applyRotation(await plan(), store, {}, new Date(Date.UTC(2026, 0, 1)));
    assert.ok(rotation);
    // A later change to Codex alone: the rotation is no longer Codex's newest, but still the others'.
    const text = read(paths.codexAuth);
    await applyChanges([{ agent: 'codex', label: 'Codex auth.json', path: paths.codexAuth, before: text, after: '{}\n', secret: true }], store, new Date(Date.UTC(2026, 0, 2)));
    assert.deepEqual((await listBackups(store, 'claude-code')).map((r) => r.id), [rotation.id]);
  });
});
