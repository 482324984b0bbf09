// The real Codex CLI (`codex exec`) reads what `tokaify write codex` wrote and finishes a turn through
// the simulator's /v1/responses.
import assert from 'node:assert/strict';
import { assertTurn, describeTurn, runTurn, TempUser, useGateway, writeConfig } from './harness';

const MODEL = 'gpt-5.4';

/** A ChatGPT login as `codex login` leaves it (tokens are fake, unsigned JWTs). */
function chatgptAuthJson(): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    email: 'user@example.com', exp: Math.floor(Date.now() / 1000) + 30 * 86_400,
    'https://api.openai.com/auth': { chatgpt_plan_type: 'plus', chatgpt_account_id: 'acct-fake', chatgpt_user_id: 'user-fake' },
  };
  const jwt = (extra: Record<string, unknown>) => `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims, ...extra })}.c2lnbmF0dXJl`;
  return `${JSON.stringify({
    auth_mode: 'chatgpt', OPENAI_API_KEY: null,
    tokens: { id_token: jwt({}), access_token: jwt({ sub: 'chatgpt-access-token' }), refresh_token: 'rt-fake-refresh-token', account_id: 'acct-fake' },
    last_refresh: new Date().toISOString(),
  }, null, 2)}\n`;
}

describe('Codex CLI 0.171 (codex exec) with the files tokaify wrote', () => {
  const sim = useGateway();
  let user: TempUser;
  afterEach(() => user?.remove());

  it('key in auth.json: Bearer <our key> on /v1/responses, our model, the reply printed', async () => {
    user = new TempUser();
    const key = sim.newKey('codex-auth-json');
    writeConfig(user, 'codex', sim.gateway().url, MODEL, key);
    assert.match(user.read('.codex/auth.json'), /"OPENAI_API_KEY"/);
    const turn = await runTurn(sim.gateway(), user, 'codex');
    assertTurn(turn, { route: '/v1/responses', model: MODEL, header: 'authorization', key });
  });

  it('ChatGPT login kept: the key in config.toml (experimental_bearer_token), the ChatGPT token never sent', async () => {
    user = new TempUser();
    const login = chatgptAuthJson();
    user.seed('.codex/auth.json', login);
    const key = sim.newKey('codex-chatgpt');
    writeConfig(user, 'codex', sim.gateway().url, MODEL, key);
    assert.equal(user.read('.codex/auth.json'), login, 'the ChatGPT login is left alone');
    assert.match(user.read('.codex/config.toml'), /experimental_bearer_token = /);
    const turn = await runTurn(sim.gateway(), user, 'codex');
    assertTurn(turn, { route: '/v1/responses', model: MODEL, header: 'authorization', key });
  });

  it('a config with other providers, profiles, projects and comments: still our provider, and theirs kept', async () => {
    user = new TempUser();
    const theirs = [
      '# my Codex settings',
      'model = "o3"',
      'model_provider = "other"',
      'model_reasoning_effort = "medium"',
      '',
      '[model_providers.other]',
      'name = "Other gateway"',
      'base_url = "http://127.0.0.1:9/v1"',
      'env_key = "OTHER_API_KEY"',
      '',
      '[profiles.work]  # only `profile = …` at the root is refused by 0.171; tables are fine',
      'model = "gpt-4o"',
      'model_provider = "other"',
      '',
      `[projects."${user.work}"]`,
      'trust_level = "untrusted"',
      '',
    ].join('\n');
    user.seed('.codex/config.toml', theirs, 0o644);
    const key = sim.newKey('codex-existing');
    writeConfig(user, 'codex', sim.gateway().url, MODEL, key);
    const config = user.read('.codex/config.toml');
    for (const kept of ['# my Codex settings', '[model_providers.other]', 'env_key = "OTHER_API_KEY"', '[profiles.work]', '[projects.']) assert.ok(config.includes(kept), `${kept} kept`);
    const turn = await runTurn(sim.gateway(), user, 'codex');
    assertTurn(turn, { route: '/v1/responses', model: MODEL, header: 'authorization', key });
  });

  it('a root `profile = "…"` makes Codex refuse to start, before any request (the case the writer must warn about)', async () => {
    user = new TempUser();
    user.seed('.codex/config.toml', 'profile = "work"\n\n[profiles.work]\nmodel = "gpt-4o"\n', 0o644);
    const key = sim.newKey('codex-legacy-profile');
    writeConfig(user, 'codex', sim.gateway().url, MODEL, key);
    const turn = await runTurn(sim.gateway(), user, 'codex');
    const why = describeTurn(turn);
    assert.notEqual(turn.code, 0, why);
    assert.ok(turn.stderr.includes('legacy `profile = "work"` config is no longer supported; use `--profile work` with `work.config.toml` instead'), why);
    assert.deepEqual(turn.relay, [], 'no request was sent');
  });
});
