// The real OpenCode (`opencode run`) reads what `tokaify write opencode` wrote and finishes a turn through
// the simulator's /v1/chat/completions (its bundled @ai-sdk/openai-compatible provider: nothing is fetched).
import assert from 'node:assert/strict';
import { assertTurn, runTurn, TempUser, useGateway, writeConfig } from './harness';

const MODEL = 'gpt-5.4';
const CONFIG = '.config/opencode/opencode.json';
const AUTH = '.local/share/opencode/auth.json';

describe('OpenCode 1.18.33 (opencode run) with the files tokaify wrote', () => {
  const sim = useGateway();
  let user: TempUser;
  afterEach(() => user?.remove());

  it('default model: Bearer <our key> (from auth.json) on /v1/chat/completions, our model, the reply printed', async () => {
    user = new TempUser();
    const key = sim.newKey('opencode-default');
    writeConfig(user, 'opencode', sim.gateway().url, MODEL, key);
    const turn = await runTurn(sim.gateway(), user, 'opencode');
    assertTurn(turn, { route: '/v1/chat/completions', model: MODEL, header: 'authorization', key });
  });

  it('--no-default-model: OpenCode falls back to our provider (the only one it has a key for), or takes -m tokaify/<model>', async () => {
    user = new TempUser();
    const key = sim.newKey('opencode-no-default');
    writeConfig(user, 'opencode', sim.gateway().url, MODEL, key, ['--no-default-model']);
    assert.equal((JSON.parse(user.read(CONFIG)) as { model?: string }).model, undefined);
    const fallback = await runTurn(sim.gateway(), user, 'opencode');
    assertTurn(fallback, { route: '/v1/chat/completions', model: MODEL, header: 'authorization', key });
    const chosen = await runTurn(sim.gateway(), user, 'opencode', { args: ['-m', `tokaify/${MODEL}`] });
    assertTurn(chosen, { route: '/v1/chat/completions', model: MODEL, header: 'authorization', key });
  });

  it('a config with other providers, a model of theirs and comments; auth.json with their key: ours used, theirs kept', async () => {
    user = new TempUser();
    user.seed(CONFIG, [
      '{',
      '  // my OpenCode setup',
      '  "$schema": "https://opencode.ai/config.json",',
      '  "model": "other/big-model",',
      '  "provider": {',
      '    "other": {',
      '      "npm": "@ai-sdk/openai-compatible",',
      '      "name": "Other gateway",',
      '      "options": { "baseURL": "http://127.0.0.1:9/v1" },',
      '      "models": { "big-model": { "name": "Big" } },',
      '    },',
      '  },',
      '}',
      '',
    ].join('\n'), 0o644);
    user.seed(AUTH, `${JSON.stringify({ other: { type: 'api', key: 'sk-other-provider-key' } }, null, 2)}\n`);
    const key = sim.newKey('opencode-existing');
    writeConfig(user, 'opencode', sim.gateway().url, MODEL, key);
    const config = user.read(CONFIG);
    for (const kept of ['// my OpenCode setup', '"other": {', 'http://127.0.0.1:9/v1']) assert.ok(config.includes(kept), `${kept} kept`);
    assert.equal((JSON.parse(user.read(AUTH)) as { other: { key: string } }).other.key, 'sk-other-provider-key');
    const turn = await runTurn(sim.gateway(), user, 'opencode');
    assertTurn(turn, { route: '/v1/chat/completions', model: MODEL, header: 'authorization', key });
  });
});
