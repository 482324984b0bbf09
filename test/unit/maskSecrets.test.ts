import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTOML } from 'toml-eslint-parser';
import { tomlString } from '../../src/core/agents/codex';
import { unifiedDiff } from '../../src/core/agents/diff';
import { maskSecrets, SecretMasker } from '../../src/core/agents/maskSecrets';

// Real-shaped values (made up): what a person must never see in a diff.
const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJ1c2VyLTEyMyIsImVtYWlsIjoiYUBiLmMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const ACCESS = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2FwaS5vcGVuYWkuY29tL3YxIn0.QWNjZXNzVG9rZW5TaWduYXR1cmVCeXRlcw';
const REFRESH = 'rt_Aq8xZ3kLm9PqR2sT5vW8yB1cD4eF7gH0';
const OLD_CLAUDE_KEY = 'Zk3m9QxR2bT7vW1yC4dF6gH8jK0lN5pS'; // no sk- prefix
const GHP = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const SK = 'sk-ant-api03-Xy7Qp2Lm9Rt4Vw8Zb1Nc6Df3Gh5Jk0';
const HEADER_TOKEN = 'gw-team-7f3a9c2e1b8d4f60';

const CODEX_AUTH = `{
  "auth_mode": "chatgpt",
  "OPENAI_API_KEY": null,
  "tokens": {
    "id_token": "${JWT}",
    "access_token": "${ACCESS}",
    "refresh_token": "${REFRESH}",
    "account_id": "00000000-0000-4000-8000-000000000000"
  },
  "last_refresh": "2026-08-01T12:00:00Z"
}
`;

const CLAUDE_SETTINGS = `{
  "apiKeyHelper": "~/bin/print-anthropic-key.sh",
  "permissions": { "allow": ["Bash(npm test)"] },
  "env": {
    "ANTHROPIC_API_KEY": "${OLD_CLAUDE_KEY}",
    "GITHUB_TOKEN": "${GHP}",
    "DISABLE_TELEMETRY": "1",
    "ANTHROPIC_BASE_URL": "https://api.tokaify.com"
  }
}
`;

const CODEX_CONFIG = `model = "gpt-5.4"
model_provider = "tokaify"

[model_providers.tokaify]
name = "Tokaify"
env_key = "TOKAIFY_KEY"
experimental_bearer_token = "${SK}"
http_headers = { Authorization = "Bearer ${HEADER_TOKEN}", "X-Org" = "acme" }
requires_openai_auth = false

[mcp_servers.github]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-github"]

[mcp_servers.github.env]
GITHUB_TOKEN = "${GHP}"
LOG_LEVEL = "debug"
`;

const OPENCODE = `{
  "$schema": "https://opencode.ai/config.json",
  // keys come from the environment
  "provider": {
    "tokaify": { "options": { "baseURL": "https://api.tokaify.com/v1", "apiKey": "{env:TOKAIFY_API_KEY}" } },
    "corp": { "options": { "apiKey": "{file:~/.secrets/corp-key}", "headers": { "Authorization": "Bearer {env:CORP_TOKEN}" } } }
  },
  "model": "tokaify/gpt-5.4"
}
`;

const lines = (text: string) => text.split('\n').length;

describe('maskSecrets', () => {
  it('Codex auth.json with a ChatGPT login: the id, access and refresh tokens are masked, the rest stays', () => {
    const out = maskSecrets(CODEX_AUTH);
    for (const secret of [JWT, ACCESS, REFRESH]) assert.ok(!out.includes(secret), out);
    assert.ok(!out.includes(JWT.split('.')[1]!) && !out.includes(ACCESS.split('.')[2]!), 'no part of a token is left');
    assert.match(out, /"id_token": "eyJh…1cmU",/);
    assert.match(out, /"refresh_token": "rt_A…7gH0",/);
    assert.match(out, /"account_id": "00000000-0000-4000-8000-000000000000"/);
    assert.match(out, /"auth_mode": "chatgpt",\n {2}"OPENAI_API_KEY": null,/);
    assert.equal(lines(out), lines(CODEX_AUTH));
    assert.doesNotThrow(() => JSON.parse(out), 'still JSON, so the preview highlights it');
  });

  it('Claude Code settings.json: an old key without the sk- prefix and a GitHub token are masked; the key helper and URL stay', () => {
    const out = maskSecrets(CLAUDE_SETTINGS);
    assert.ok(!out.includes(OLD_CLAUDE_KEY) && !out.includes(GHP), out);
    assert.match(out, /"ANTHROPIC_API_KEY": "Zk3m…N5pS",/);
    assert.match(out, /"GITHUB_TOKEN": "ghp_16C7…8B4a",/);
    assert.match(out, /"apiKeyHelper": "~\/bin\/print-anthropic-key\.sh",/);
    assert.match(out, /"DISABLE_TELEMETRY": "1",\n {4}"ANTHROPIC_BASE_URL": "https:\/\/api\.tokaify\.com"/);
    assert.equal(lines(out), lines(CLAUDE_SETTINGS));
  });

  it('Codex config.toml: the bearer token, the Authorization header and an MCP env token are masked; env_key names stay', () => {
    const out = maskSecrets(CODEX_CONFIG);
    for (const secret of [SK, HEADER_TOKEN, GHP]) assert.ok(!out.includes(secret), out);
    assert.match(out, /^experimental_bearer_token = "sk-ant-…5Jk0"$/m);
    assert.match(out, /^http_headers = \{ Authorization = "Bearer gw-t…4f60", "X-Org" = "acme" \}$/m);
    assert.match(out, /^GITHUB_TOKEN = "ghp_16C7…8B4a"$/m);
    assert.match(out, /^env_key = "TOKAIFY_KEY"$/m);
    assert.match(out, /^requires_openai_auth = false$/m);
    assert.match(out, /^LOG_LEVEL = "debug"$/m);
    assert.equal(lines(out), lines(CODEX_CONFIG));
    assert.doesNotThrow(() => parseTOML(out, { tomlVersion: '1.0' }), 'still TOML');
  });

  it('OpenCode config: {env:…} and {file:…} references are not secrets and stay visible, comments and all', () => {
    assert.equal(maskSecrets(OPENCODE), OPENCODE);
  });

  it('leaves what is clearly not a secret: numbers, booleans, empty and short values, variable names', () => {
    const text = [
      '{"apiKey": "", "token": "abc", "password": true, "secret_ttl": 3600, "env_key": "OPENAI_API_KEY",',
      ' "token_url": "https://auth.example.com/token", "awsAuthRefresh": "aws sso login --profile dev", "bearer_token_env_var": "GITHUB_PAT_VALUE"}',
    ].join('\n');
    assert.equal(maskSecrets(text), text);
    // …but a short value with a known prefix is a secret all the same.
    assert.equal(maskSecrets('gh = "ghp_abc"\nk = "sk-abcdef"'), 'gh = "ghp_…"\nk = "sk-…"');
  });

  it('masks by shape wherever a secret sits: a JWT or sk- key under any key, a Bearer credential in a comment', () => {
    const out = maskSecrets(`# curl -H "Authorization: Bearer ${HEADER_TOKEN}"\nnote = "${JWT}"\nargs = ["--key", "${SK}"]\n`);
    for (const secret of [HEADER_TOKEN, JWT, SK]) assert.ok(!out.includes(secret), out);
    assert.equal(lines(out), 4);
  });

  it('masks a fragment that does not parse, and a multi-line TOML string line by line', () => {
    const fragment = `  "x-api-key": "${OLD_CLAUDE_KEY}",\n  "unterminated": "abc`;
    assert.equal(maskSecrets(fragment), `  "x-api-key": "Zk3m…N5pS",\n  "unterminated": "abc`);
    const multi = `private_key = """\n${OLD_CLAUDE_KEY}\n${REFRESH}\n"""\n`;
    const out = maskSecrets(multi);
    assert.ok(!out.includes(OLD_CLAUDE_KEY) && !out.includes(REFRESH), out);
    assert.equal(lines(out), lines(multi));
  });

  it('one masker for both sides of a diff: the same secret masks alike, a changed one never does', () => {
    const masker = new SecretMasker();
    // Same first and last four characters: only the middle changed.
    const before = masker.mask(`{"apiKey": "abcd${'1'.repeat(24)}wxyz", "other": "${REFRESH}"}`);
    const after = masker.mask(`{"apiKey": "abcd${'2'.repeat(24)}wxyz", "other": "${REFRESH}"}`);
    assert.notEqual(before, after);
    assert.equal(before.split('"other"')[1], after.split('"other"')[1]);
    assert.equal(maskSecrets(CODEX_CONFIG), maskSecrets(CODEX_CONFIG), 'deterministic');
  });

  it('the dry-run diff shows a changed secret as a changed line and none of the secrets', () => {
    const before = CLAUDE_SETTINGS;
    const after = CLAUDE_SETTINGS.replace(OLD_CLAUDE_KEY, `${OLD_CLAUDE_KEY.slice(0, 4)}0000000000000000000000${OLD_CLAUDE_KEY.slice(-4)}`);
    const diff = unifiedDiff({ agent: 'claude-code', label: 'settings.json', path: '/home/u/.claude/settings.json', before, after, secret: true });
    assert.ok(!diff.includes(OLD_CLAUDE_KEY) && !diff.includes(GHP), diff);
    assert.match(diff, /^- {4}"ANTHROPIC_API_KEY": "Zk3m…N5pS",$/m);
    assert.match(diff, /^\+ {4}"ANTHROPIC_API_KEY": "Zk3m…N5pS#2",$/m);
    assert.match(diff, /^ {5}"GITHUB_TOKEN": "ghp_16C7…8B4a",$/m, 'an unchanged secret is a context line');
  });

  describe('property', () => {
    const SECRET_KEYS = [
      'apiKey', 'api_key', 'OPENAI_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'experimental_bearer_token', 'id_token', 'refresh_token',
      'password', 'client_secret', 'Authorization', 'x-api-key', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'db-passwd', 'Cookie', 'sessionToken', 'private_key',
    ];
    // Printable ASCII without `$` and `{` (a value starting so may be a reference, which stays visible).
    const secretArb = fc
      .string({ unit: fc.constantFrom(...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => c !== '$' && c !== '{')), minLength: 8, maxLength: 60 })
      .filter((s) => s.trim().length >= 8 && !/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(s.trim()));
    const neighbourArb = fc.constantFrom('name = "Tokaify"', 'base_url = "https://api.tokaify.com/v1"', 'enabled = true', 'retries = 6', '# a comment');
    const RUNS = 500;

    it(`a random secret under a secret-named key never survives, in JSON or TOML (${RUNS} runs)`, () => {
      fc.assert(
        fc.property(secretArb, fc.constantFrom(...SECRET_KEYS), fc.constantFrom('json', 'json-nested', 'toml', 'toml-inline', 'toml-literal'), fc.array(neighbourArb, { maxLength: 3 }), (secret, key, shape, neighbours) => {
          const PLACEHOLDER = '\u0000';
          const kv = (value: string) => {
            switch (shape) {
              case 'json': return `{\n  "model": "gpt-5.4",\n  ${JSON.stringify(key)}: ${value}\n}\n`;
              case 'json-nested': return `{"env": {"A": "1", ${JSON.stringify(key)}:${value}, "B": "2"}}`;
              case 'toml': return `${neighbours.join('\n')}\n[server]\n${tomlString(key)} = ${value}\n${neighbours.join('\n')}\n`;
              case 'toml-inline': return `headers = { "X-A" = "1", ${tomlString(key)} = ${value} }\n`;
              case 'toml-literal': return `[s]\n'${key}' = ${value}\n`;
            }
          };
          const literal = shape.startsWith('json') ? JSON.stringify(secret) : shape === 'toml-literal' && !secret.includes("'") ? `'${secret}'` : tomlString(secret);
          const skeleton = kv(PLACEHOLDER);
          const written = literal.slice(1, -1); // the secret as the file spells it
          fc.pre(!skeleton.includes(written.trim()));
          const out = maskSecrets(kv(literal));
          assert.ok(!out.includes(written), `${JSON.stringify(written)} survived in ${JSON.stringify(out)}`);
          assert.equal(lines(out), lines(skeleton));
        }),
        { numRuns: RUNS },
      );
    });
  });
});
