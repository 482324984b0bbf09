import assert from 'node:assert/strict';
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { KeyFingerprinter, maskKeyTail } from '../../src/core/agents/keyFingerprint';
import { AgentKeyScanner, nodeScanFs, sightingsOf, type KeyScan, type KeySighting, type ScanFs } from '../../src/core/agents/keyScan';
import { hostFor, layFiles, layFixtures, NEW_KEY, OLD_KEY, OTHER_KEY, rotateFixture, tempHome } from './agentHome';

const SECRET = Buffer.alloc(32, 7);
const fingerprinter = new KeyFingerprinter(SECRET);

/** The sightings as short rows: "agent label locator active baseUrl". */
function rows(list: readonly KeySighting[]): string[] {
  return list.map((s) => `${s.agent} ${s.label} ${s.locator} ${s.active ? 'active' : 'present'} ${s.baseUrl ?? '-'}`);
}

describe('agent key scan', () => {
  let home: string;
  beforeEach(() => {
    home = tempHome();
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const scan = (env: Record<string, string> = {}) => new AgentKeyScanner(hostFor(home, env), fingerprinter).scan();

  it('finds every key in every agent file, says where it sits, where it goes and which one each agent sends', async () => {
    layFixtures(home);
    const result = await scan();
    assert.deepEqual(result.unreadable, []);
    assert.deepEqual(rows(result.sightings), [
      'codex Codex config.toml model_providers.tokaify.experimental_bearer_token active https://gw.example.com/v1',
      'codex Codex config.toml model_providers.backup.experimental_bearer_token present https://backup.example.com/v1',
      'codex Codex config.toml model_providers.corp.env_key present https://corp.example.com/v1',
      // The selected provider has its own token, so auth.json's key is not sent.
      'codex Codex auth.json OPENAI_API_KEY present -',
      'claude-code Claude Code settings.json env.ANTHROPIC_AUTH_TOKEN active https://gw.example.com',
      'opencode OpenCode opencode.jsonc provider.corp.options.apiKey present https://corp.example.com/v1',
      'opencode OpenCode opencode.jsonc provider.legacy.options.apiKey present https://legacy.example.com/v1',
      // `model` selects tokaify, which has no options.apiKey: its auth.json entry is sent.
      'opencode OpenCode auth.json tokaify.key active https://gw.example.com/v1',
    ]);
    const corp = result.sightings.find((s) => s.locator === 'provider.corp.options.apiKey');
    // The model each agent's files select, for a test request in its shape.
    assert.deepEqual([...new Set(result.sightings.map((s) => `${s.agent}=${s.model}`))], ['codex=gpt-5.4', 'claude-code=claude-sonnet-4-5', 'opencode=gpt-5.4']);
    assert.deepEqual(corp?.source, { kind: 'env', variable: 'CORP_API_KEY' });
    assert.deepEqual(result.sightings.find((s) => s.locator.endsWith('corp.env_key'))?.source, { kind: 'env', variable: 'CORP_API_KEY' });
  });

  it('matches a key by fingerprint, with or without sk-, and keeps no key in the result', async () => {
    layFixtures(home);
    const result = await scan();
    const old = sightingsOf(result, fingerprinter.fingerprint(OLD_KEY));
    assert.deepEqual(old.map((s) => s.locator), [
      'model_providers.tokaify.experimental_bearer_token', 'model_providers.backup.experimental_bearer_token', 'env.ANTHROPIC_AUTH_TOKEN',
      'provider.legacy.options.apiKey', 'tokaify.key',
    ]);
    assert.deepEqual(sightingsOf(result, fingerprinter.fingerprint(OLD_KEY.slice(3))), old, 'a key pasted without sk- is the same key');
    // What new-api shows of a masked key (key[:4] + "**********" + key[-4:]), to name the probable token before a reveal.
    assert.deepEqual(old[0]?.source.kind === 'literal' && old[0].source.gatewayMask, { head: OLD_KEY.slice(3, 7), tail: OLD_KEY.slice(-4) });
    assert.deepEqual(sightingsOf(result, fingerprinter.fingerprint(NEW_KEY)), []);
    assert.equal(old[0]?.source.kind === 'literal' && old[0].source.masked, 'sk-…0000');
    const text = JSON.stringify(result);
    for (const key of [OLD_KEY, OTHER_KEY, OLD_KEY.slice(3), OTHER_KEY.slice(3)]) assert.ok(!text.includes(key), 'no key in the scan result');
    // Another secret, another fingerprint: a fingerprint is no use without the secret.
    assert.notEqual(new KeyFingerprinter(Buffer.alloc(32, 8)).fingerprint(OLD_KEY), fingerprinter.fingerprint(OLD_KEY));
    assert.throws(() => new KeyFingerprinter(Buffer.alloc(16)), /32 bytes/);
    assert.equal(maskKeyTail('sk-short'), 'sk-…');
  });

  it('Codex sends auth.json only in API-key mode and when the selected provider has no key of its own', async () => {
    layFiles(home, {
      codexConfig: 'model_provider = "tokaify"\n[model_providers.tokaify]\nbase_url = "https://gw.example.com/v1"\nrequires_openai_auth = true\n',
      codexAuth: rotateFixture('codex-auth.json'),
    });
    assert.deepEqual(rows((await scan()).sightings), ['codex Codex auth.json OPENAI_API_KEY active https://gw.example.com/v1']);
    layFiles(home, { codexAuth: JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: OTHER_KEY, tokens: { access_token: 'x' } }) });
    assert.deepEqual(rows((await scan()).sightings), ['codex Codex auth.json OPENAI_API_KEY present -'], 'ChatGPT mode ignores OPENAI_API_KEY');
  });

  it('a key placed by hand in settings.json is recognised; both key variables are sent', async () => {
    layFiles(home, { claudeSettings: JSON.stringify({ env: { ANTHROPIC_API_KEY: OLD_KEY, ANTHROPIC_AUTH_TOKEN: OTHER_KEY } }, null, 4) });
    const result = await scan();
    assert.deepEqual(rows(result.sightings), [
      'claude-code Claude Code settings.json env.ANTHROPIC_AUTH_TOKEN active -',
      'claude-code Claude Code settings.json env.ANTHROPIC_API_KEY active -',
    ]);
    assert.equal(sightingsOf(result, fingerprinter.fingerprint(OLD_KEY))[0]?.locator, 'env.ANTHROPIC_API_KEY');
  });

  it('OpenCode: an options.apiKey of the selected provider wins over auth.json, and a later config file over an earlier one', async () => {
    layFiles(home, {
      openCodeAuth: rotateFixture('opencode-auth.json'),
      openCodeConfig: '{ "model": "tokaify/m", "provider": { "tokaify": { "options": { "apiKey": "{file:~/.tokaify-key}" } } } }',
    });
    assert.deepEqual(rows((await scan()).sightings), [
      'opencode OpenCode opencode.jsonc provider.tokaify.options.apiKey active -',
      'opencode OpenCode auth.json tokaify.key present -',
    ]);
    const extra = `${home}/extra.json`;
    writeFileSync(extra, JSON.stringify({ provider: { tokaify: { options: { apiKey: OTHER_KEY, baseURL: 'https://gw2.example.com/v1' } } } }));
    const later = await scan({ OPENCODE_CONFIG: extra });
    assert.deepEqual(rows(later.sightings), [
      'opencode OpenCode opencode.jsonc provider.tokaify.options.apiKey present https://gw2.example.com/v1',
      'opencode OpenCode extra.json provider.tokaify.options.apiKey active https://gw2.example.com/v1',
      'opencode OpenCode auth.json tokaify.key present https://gw2.example.com/v1',
    ]);
  });

  it('never throws on a broken file: it is reported with line and column, and its agent sends nothing from the other files', async () => {
    layFiles(home, {
      claudeSettings: '{\n  "env": {\n    // a comment Claude Code rejects\n    "ANTHROPIC_AUTH_TOKEN": "sk-test-old000000000000000000000000"\n  }\n}\n',
      codexConfig: 'model_provider = "tokaify"\nmodel_provider = "again"\n',
      codexAuth: rotateFixture('codex-auth.json'),
      openCodeConfig: '{ "provider": { "tokaify": { } }',
      openCodeAuth: rotateFixture('opencode-auth.json'),
    });
    const result = await scan();
    const broken = Object.fromEntries(result.unreadable.map((u) => [u.label, `${u.line}:${u.column}`]));
    assert.deepEqual(broken, { 'Codex config.toml': '2:1', 'Claude Code settings.json': '3:5', 'OpenCode opencode.jsonc': '1:33' });
    assert.match(result.unreadable.find((u) => u.agent === 'claude-code')!.message, /settings\.json:3:5: comments are not allowed/);
    assert.deepEqual(rows(result.sightings), ['codex Codex auth.json OPENAI_API_KEY present -', 'opencode OpenCode auth.json tokaify.key present -']);
  });

  it('lists the files to watch, including ones that do not exist yet, at the paths the environment selects', () => {
    const paths = new AgentKeyScanner(hostFor(home, { CODEX_HOME: `${home}/cx`, OPENCODE_CONFIG: `${home}/oc.json` }), fingerprinter).watchPaths();
    assert.deepEqual(paths.map((p) => p.slice(home.length)), [
      '/cx/config.toml', '/cx/auth.json', '/.claude/settings.json',
      '/.config/opencode/config.json', '/.config/opencode/opencode.json', '/.config/opencode/opencode.jsonc', '/oc.json',
      '/.local/share/opencode/auth.json',
    ]);
  });

  describe('cost', () => {
    /** The real file system, with every read counted. */
    function countingFs(): ScanFs & { reads: string[] } {
      const reads: string[] = [];
      return { reads, stat: nodeScanFs.stat, readFile: (file) => (reads.push(file), nodeScanFs.readFile(file)) };
    }

    it('a second scan with unchanged files reads nothing; a changed file alone is read again', async () => {
      const paths = layFixtures(home);
      const fs = countingFs();
      const scanner = new AgentKeyScanner(hostFor(home), fingerprinter, fs);
      const first: KeyScan = await scanner.scan();
      assert.equal(fs.reads.length, 5, 'each existing file read once');
      fs.reads.length = 0;
      assert.deepEqual(await scanner.scan(), first);
      assert.deepEqual(fs.reads, [], 'nothing re-read');

      writeFileSync(paths.claudeSettings, JSON.stringify({ env: { ANTHROPIC_AUTH_TOKEN: NEW_KEY } }));
      // A later mtime, so the change shows even on a file system with coarse timestamps.
      utimesSync(paths.claudeSettings, new Date(), new Date(Date.now() + 5_000));
      const third = await scanner.scan();
      assert.deepEqual(fs.reads, [paths.claudeSettings]);
      assert.deepEqual(sightingsOf(third, fingerprinter.fingerprint(NEW_KEY)).map((s) => s.label), ['Claude Code settings.json']);

      rmSync(paths.openCodeAuth);
      fs.reads.length = 0;
      const fourth = await scanner.scan();
      assert.deepEqual(fs.reads, []);
      assert.ok(!fourth.sightings.some((s) => s.label === 'OpenCode auth.json'), 'a removed file is forgotten');
    });
  });
});
