import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import { planCodexConfig, readCodexConfig, type CodexOptions } from '../../src/core/agents/codex';
import { ConfigShapeError, ConfigSyntaxError } from '../../src/core/agents/types';

// The compiled test runs from dist/test/unit/.
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/codex');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const BASE = 'https://api.tokaify.com/v1';
const AUTH_JSON: CodexOptions = { baseUrl: BASE, model: 'gpt-5.4', credential: { kind: 'auth-json' } };
const TOKEN: CodexOptions = { baseUrl: BASE, model: 'gpt-5.4', credential: { kind: 'config-token', key: 'sk-test-ABCdef123' } };
const FULL: CodexOptions = { ...AUTH_JSON, reviewModel: 'gpt-5.4-mini', reasoningEffort: 'high' };

type Table = Record<string, unknown>;

function parseDoc(text: string): Table {
  return getStaticTOMLValue(parseTOML(text.replace(/^\uFEFF/, ''), { tomlVersion: '1.0' }));
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** What the parsed document must be after planning: the original with only our keys set or removed. */
function expectedDoc(before: Table, options: CodexOptions): Table {
  const doc = structuredClone(before);
  const id = options.providerId ?? 'tokaify';
  doc.model_provider = id;
  doc.model = options.model;
  if (options.reviewModel !== undefined) doc.review_model = options.reviewModel;
  if (options.reasoningEffort !== undefined) doc.model_reasoning_effort = options.reasoningEffort;
  if (!isTable(doc.model_providers)) doc.model_providers = {};
  const providers = doc.model_providers as Table;
  if (!isTable(providers[id])) providers[id] = {};
  const ours = providers[id] as Table;
  ours.name = options.providerName ?? 'Tokaify';
  ours.base_url = options.baseUrl;
  ours.wire_api = 'responses';
  delete ours.env_key;
  if (options.credential.kind === 'auth-json') {
    ours.requires_openai_auth = true;
    delete ours.experimental_bearer_token;
  } else {
    ours.experimental_bearer_token = options.credential.key;
    delete ours.requires_openai_auth;
  }
  return doc;
}

/** The parsed document with every key the planner owns deleted (and provider tables left empty by that). */
function withoutOwned(doc: Table, options: CodexOptions): Table {
  const copy = structuredClone(doc);
  const id = options.providerId ?? 'tokaify';
  for (const key of ['model_provider', 'model', 'review_model', 'model_reasoning_effort']) {
    if (key === 'review_model' && options.reviewModel === undefined) continue;
    if (key === 'model_reasoning_effort' && options.reasoningEffort === undefined) continue;
    delete copy[key];
  }
  const providers = copy.model_providers;
  if (isTable(providers)) {
    const ours = providers[id];
    if (isTable(ours)) {
      for (const key of ['name', 'base_url', 'wire_api', 'requires_openai_auth', 'experimental_bearer_token', 'env_key']) delete ours[key];
      if (!Object.keys(ours).length) delete providers[id];
    }
    if (!Object.keys(providers).length) delete copy.model_providers;
  }
  return copy;
}

function comments(text: string): string[] {
  return parseTOML(text.replace(/^\uFEFF/, ''), { tomlVersion: '1.0' }).comments.map((c) => c.value);
}

function assertSubsequence(needles: string[], haystack: string[], what: string): void {
  let at = 0;
  for (const needle of needles) {
    const found = haystack.indexOf(needle, at);
    assert.ok(found >= 0, `${what} ${JSON.stringify(needle)} is missing or out of order`);
    at = found + 1;
  }
}

/** A line that sets one of the keys the planner owns (possibly quoted or behind a dotted prefix). */
const OWNED_LINE =
  /^\s*(?:[^=#]*\.)?["']?(model|model_provider|review_model|model_reasoning_effort|name|base_url|wire_api|requires_openai_auth|experimental_bearer_token|env_key)["']?\s*=/;

const OWNED_KEYS = new Set(['model', 'model_provider', 'review_model', 'model_reasoning_effort', 'name', 'base_url', 'wire_api', 'requires_openai_auth', 'experimental_bearer_token', 'env_key']);

/**
 * 1-based numbers of the lines spanned by key-values whose (last) key is one the planner may set or
 * remove, or that hold the providers as an inline table (`model_providers = {…}`, `tokaify = {…}`).
 */
function ownedLines(text: string, id: string, only: 'all' | 'inline-providers' = 'all'): Set<number> {
  const lines = new Set<number>();
  const top = parseTOML(text.replace(/^\uFEFF/, ''), { tomlVersion: '1.0' }).body[0];
  const kvs = top.body.flatMap((node) => (node.type === 'TOMLTable' ? node.body.map((kv) => ({ kv, table: node.resolvedKey })) : [{ kv: node, table: [] }]));
  for (const { kv, table } of kvs) {
    const names = kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
    const path = [...table, ...names];
    const inlineProviders = kv.value.type === 'TOMLInlineTable' && path[0] === 'model_providers' && (path.length === 1 || (path.length === 2 && path[1] === id));
    if (!inlineProviders && (only === 'inline-providers' || !OWNED_KEYS.has(names[names.length - 1]!))) continue;
    for (let n = kv.loc.start.line; n <= kv.loc.end.line; n++) lines.add(n);
  }
  return lines;
}

/**
 * Every original line is still there, in order, unless it is part of a key-value we may own; every
 * added line is a blank line, a line setting one of our keys or our provider table's header.
 */
function assertSurgical(before: string, after: string, id: string): void {
  const a = before.replace(/^\uFEFF/, '').split(/\r?\n/);
  const b = after.replace(/^\uFEFF/, '').split(/\r?\n/);
  const mayChange = ownedLines(before, id);
  // Longest common subsequence in which only lines of owned key-values may be dropped from `a`.
  const NO = -1e9;
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(NO));
  for (let i = a.length; i >= 0; i--) {
    for (let j = b.length; j >= 0; j--) {
      if (i === a.length) dp[i]![j] = 0;
      else {
        let best = NO;
        if (j < b.length && a[i] === b[j]) best = Math.max(best, 1 + dp[i + 1]![j + 1]!);
        if (j < b.length) best = Math.max(best, dp[i]![j + 1]!);
        if (mayChange.has(i + 1)) best = Math.max(best, dp[i + 1]![j]!);
        dp[i]![j] = best;
      }
    }
  }
  if (dp[0]![0]! < 0) {
    const lost = a.findIndex((line, n) => !mayChange.has(n + 1) && !b.includes(line));
    assert.fail(`original line ${lost + 1} ${JSON.stringify(a[lost])} was changed, lost or moved`);
  }
  const matched = new Set<number>();
  for (let i = 0, j = 0; i < a.length; ) {
    if (j < b.length && a[i] === b[j] && dp[i]![j] === 1 + dp[i + 1]![j + 1]!) {
      matched.add(j);
      i++;
      j++;
    } else if (j < b.length && dp[i]![j] === dp[i]![j + 1]) j++;
    else i++;
  }
  const inlineProviders = ownedLines(after, id, 'inline-providers');
  const header = new RegExp(`^\\[model_providers\\.(${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|"${id}")\\]$`);
  for (const [n, line] of b.entries()) {
    if (matched.has(n) || line.trim() === '' || header.test(line)) continue;
    // An inline table holding our provider is rewritten where it stands.
    if (inlineProviders.has(n + 1)) continue;
    assert.match(line, OWNED_LINE, `added line ${n + 1} ${JSON.stringify(line)} is not one of ours`);
  }
}

/** Everything a plan must satisfy for any input; returns the planned text. */
function checkPlan(before: string | undefined, options: CodexOptions): string {
  const out = planCodexConfig(before, options);
  const id = options.providerId ?? 'tokaify';
  const parsedBefore = before === undefined ? {} : parseDoc(before);
  const parsedAfter = parseDoc(out);
  // Our keys say what we asked for.
  assert.equal(parsedAfter.model_provider, id);
  assert.equal(parsedAfter.model, options.model);
  const ours = (parsedAfter.model_providers as Table)[id] as Table;
  assert.equal(ours.base_url, options.baseUrl);
  assert.equal(ours.wire_api, 'responses');
  // Everything else parses to exactly what it was.
  assert.deepEqual(withoutOwned(parsedAfter, options), withoutOwned(parsedBefore, options));
  assert.deepEqual(parsedAfter, expectedDoc(parsedBefore, options));
  if (before !== undefined && before.replace(/^\uFEFF/, '') !== '') {
    assertSubsequence(comments(before), comments(out), 'comment');
    assertSurgical(before, out, id);
    assert.equal(out.startsWith('\uFEFF'), before.startsWith('\uFEFF'), 'BOM kept');
    assert.equal(out.endsWith('\n'), before.endsWith('\n'), 'final newline kept');
    if (/\r\n/.test(before) && !/(?<!\r)\n/.test(before)) assert.ok(!/(?<!\r)\n/.test(out), 'CRLF kept');
    if (!/\r/.test(before)) assert.ok(!/\r/.test(out), 'LF kept');
  }
  assert.equal(planCodexConfig(out, options), out, 'planning twice changes nothing');
  return out;
}

function throwsSyntax(fn: () => unknown, line: number, column: number): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigSyntaxError, String(error));
    assert.deepEqual([error.line, error.column], [line, column], error.message);
    return true;
  });
}

const VALID = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.toml') && !f.startsWith('malformed-'))
  .sort();

const LEGACY_PROFILE = [
  '# my settings',
  'model = "o3"',
  'profile = "work" # my work setup',
  '',
  '[profiles.work]',
  'model = "o3"',
  'approval_policy = "never"',
  '',
].join('\n');

describe('Codex config.toml planner', () => {
  describe('corpus: every fixture, both credentials', () => {
    it('has the whole corpus', () => {
      assert.ok(VALID.length >= 20, VALID.join(', '));
    });
    for (const file of VALID) {
      for (const options of [AUTH_JSON, TOKEN, FULL]) {
        it(`${file} (${options.credential.kind}${options.reviewModel ? ', review+effort' : ''})`, () => {
          checkPlan(fixture(file), options);
        });
      }
      it(`${file} as CRLF, with a BOM and without a final newline`, () => {
        const lf = fixture(file).replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
        for (const variant of [lf.replace(/\n/g, '\r\n'), '\uFEFF' + lf, lf.replace(/\n$/, ''), '\uFEFF' + lf.replace(/\n/g, '\r\n').replace(/\r\n$/, '')]) {
          checkPlan(variant, TOKEN);
        }
      });
    }
  });

  describe('new files', () => {
    const fresh = [
      '#:schema https://developers.openai.com/codex/config-schema.json',
      'model_provider = "tokaify"',
      'model = "gpt-5.4"',
      '',
      '[model_providers.tokaify]',
      'name = "Tokaify"',
      'base_url = "https://api.tokaify.com/v1"',
      'wire_api = "responses"',
      'requires_openai_auth = true',
      '',
    ].join('\n');

    it('writes a small file when config.toml is missing', () => {
      assert.equal(checkPlan(undefined, AUTH_JSON), fresh);
    });

    it('writes the same small file over an empty one (empty.toml)', () => {
      assert.equal(checkPlan(fixture('empty.toml'), AUTH_JSON), fresh);
    });

    it('writes review_model and model_reasoning_effort only when given', () => {
      assert.ok(!/review_model|model_reasoning_effort/.test(planCodexConfig(undefined, AUTH_JSON)));
      const out = planCodexConfig(undefined, FULL);
      assert.match(out, /^review_model = "gpt-5.4-mini"$/m);
      assert.match(out, /^model_reasoning_effort = "high"$/m);
    });

    it('never writes profile, disable_response_storage, network_access or windows_wsl_setup_acknowledged', () => {
      for (const options of [AUTH_JSON, TOKEN, FULL]) {
        assert.ok(!/profile|disable_response_storage|network_access|windows_wsl_setup_acknowledged/.test(planCodexConfig(undefined, options)));
      }
    });
  });

  describe('where things go', () => {
    it('seed doc: switches model_provider to our id, keeps [model_providers.OpenAI] and the obsolete keys verbatim', () => {
      const before = fixture('seed-doc.toml');
      const out = checkPlan(before, AUTH_JSON);
      assert.ok(out.startsWith(before.replace('model_provider = "OpenAI"', 'model_provider = "tokaify"').replace(/\n$/, '')));
      assert.match(out, /^disable_response_storage = true\nnetwork_access = "enabled"\nwindows_wsl_setup_acknowledged = true$/m);
      assert.ok(out.endsWith('\n\n[model_providers.tokaify]\nname = "Tokaify"\nbase_url = "https://api.tokaify.com/v1"\nwire_api = "responses"\nrequires_openai_auth = true\n'));
    });

    it("seed doc planned with the doc's own values (OpenAI-compatible mode) changes nothing", () => {
      const before = fixture('seed-doc.toml');
      const options: CodexOptions = { ...AUTH_JSON, providerId: 'OpenAI', providerName: 'OpenAI', reviewModel: 'gpt-5.4', reasoningEffort: 'xhigh' };
      assert.equal(checkPlan(before, options), before);
    });

    it('replaces only the value of an existing root key, keeping its trailing comment; commented-out keys stay comments', () => {
      const out = checkPlan(fixture('comments-everywhere.toml'), AUTH_JSON);
      assert.match(out, /^model = "gpt-5\.4" # 旧模型，稍后替换$/m);
      assert.match(out, /^model_provider = "tokaify"   # 企业网关$/m);
      assert.match(out, /^# model = "o3"$/m);
      assert.match(out, /^#model_provider = "azure"$/m);
      assert.match(out, /^# model = "should stay a comment"$/m);
    });

    it('inserts missing root keys after the last root key, before the first table, never at the end', () => {
      const out = checkPlan(fixture('mcp-last.toml'), AUTH_JSON);
      assert.ok(out.startsWith('model = "gpt-5.4"\nmodel_reasoning_effort = "medium"\nmodel_provider = "tokaify"\n\n[mcp_servers.context7]\n'));
      const env = ((parseDoc(out).mcp_servers as Table).github as Table).env as Table;
      assert.deepEqual(env, { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_example', model: 'not-a-root-key' });
    });

    it('puts root keys right after a #:schema line and keeps a blank line before the first table', () => {
      const out = checkPlan(fixture('schema-then-tables.toml'), AUTH_JSON);
      assert.ok(out.startsWith('#:schema https://developers.openai.com/codex/config-schema.json\nmodel_provider = "tokaify"\nmodel = "gpt-5.4"\n\n[tui]\n'));
    });

    it('leaves the comment that introduces the first table attached to it', () => {
      const out = checkPlan(fixture('schema-comment-block.toml'), AUTH_JSON);
      assert.ok(out.startsWith([
        '#:schema https://developers.openai.com/codex/config-schema.json',
        '# Shared by the team; MCP servers live below.',
        'model_provider = "tokaify"',
        'model = "gpt-5.4"',
        '',
        '# GitHub MCP server',
        '[mcp_servers.github]',
      ].join('\n')));
    });

    it('a file of comments only gets the root keys and the table after them', () => {
      const out = checkPlan(fixture('comments-only.toml'), AUTH_JSON);
      assert.ok(out.startsWith('# Nothing configured yet.\n# 什么都没有。\nmodel_provider = "tokaify"\nmodel = "gpt-5.4"\n\n[model_providers.tokaify]\n'));
    });

    it('updates an existing [model_providers.tokaify] in place: stale URL, wire_api, env_key removed, other keys and subtables kept', () => {
      const out = checkPlan(fixture('existing-tokaify.toml'), AUTH_JSON);
      assert.equal(out, [
        'model_provider = "tokaify"',
        'model = "gpt-5.4"',
        '',
        '[model_providers.tokaify]',
        'name = "Tokaify"',
        '# the old host; moved in 2026',
        'base_url = "https://api.tokaify.com/v1" # stale',
        'wire_api = "responses"',
        '# key comes from the shell',
        'request_max_retries = 6',
        'requires_openai_auth = true',
        '',
        '[model_providers.tokaify.http_headers]',
        'X-Tokaify-Client = "codex"',
        '',
        '[model_providers.tokaify.query_params]',
        'region = "eu"',
        '',
      ].join('\n'));
    });

    it('keeps quoted keys quoted and a value that is already right untouched', () => {
      const out = checkPlan(fixture('quoted-keys.toml'), AUTH_JSON);
      assert.match(out, /^"model" = "gpt-5\.4"$/m);
      assert.match(out, /^'model_provider' = "tokaify"$/m);
      assert.match(out, /^"review_model" = 'o3' # reviewed$/m);
      assert.match(out, /^'base_url' = "https:\/\/api\.tokaify\.com\/v1"$/m);
      assert.match(checkPlan(fixture('quoted-keys.toml'), FULL), /^"review_model" = "gpt-5\.4-mini" # reviewed$/m);
      // A value that already says the right thing keeps its quoting.
      assert.match(checkPlan(fixture('quoted-keys.toml'), { ...AUTH_JSON, reviewModel: 'o3' }), /^"review_model" = 'o3' # reviewed$/m);
    });

    it('is not fooled by multi-line strings that contain `model = "x"` or `[model_providers.tokaify]`', () => {
      const before = fixture('multiline-strings.toml');
      const out = checkPlan(before, AUTH_JSON);
      const tables = parseTOML(out, { tomlVersion: '1.0' }).body[0].body.filter((n) => n.type === 'TOMLTable');
      assert.deepEqual(tables.map((t) => t.resolvedKey.join('.')), ['profiles.review', 'mcp_servers.docs', 'model_providers.tokaify']);
      assert.ok(out.startsWith(before.slice(0, before.indexOf('\n\n[profiles.review]'))));
    });

    it('edits a provider written as dotted keys under [model_providers] or at the root', () => {
      const dotted = checkPlan(fixture('dotted-provider.toml'), TOKEN);
      assert.match(dotted, /^tokaify\.base_url = "https:\/\/api\.tokaify\.com\/v1"\ntokaify\.wire_api = "responses"\ntokaify\.experimental_bearer_token = "sk-test-ABCdef123"\ntokaify\.http_headers\.X-Client = "codex"$/m);
      assert.ok(!/env_key/.test(dotted));
      const root = checkPlan(fixture('root-dotted-provider.toml'), AUTH_JSON);
      assert.match(root, /^model_providers\.tokaify\.requires_openai_auth = true$/m);
      assert.ok(!/sk-old/.test(root));
    });

    it('edits a provider written as an inline table under [model_providers] on its own line; its neighbour and comments stay', () => {
      const before = fixture('inline-provider-table.toml');
      const line = (credential: string) =>
        `tokaify = { name = "Tokaify", base_url = "https://api.tokaify.com/v1", wire_api = "responses", ${credential} }`;
      const expected = (credential: string) => [
        'model = "gpt-5.4"',
        'model_provider = "tokaify"',
        '',
        '# One line per provider, the way some setup guides write them.',
        '[model_providers]',
        line(credential),
        'other = { name = "X", base_url = "https://x" }  # keep me',
        '',
        '[tui]',
        'notifications = true',
        '',
      ].join('\n');
      assert.equal(checkPlan(before, AUTH_JSON), expected('requires_openai_auth = true'));
      assert.equal(checkPlan(before, TOKEN), expected('experimental_bearer_token = "sk-test-ABCdef123"'));
      // Switching credentials back and forth leaves exactly one of them.
      assert.equal(checkPlan(checkPlan(before, TOKEN), AUTH_JSON), expected('requires_openai_auth = true'));
    });

    it('edits `model_providers = { tokaify = {…} }` and `model_providers.tokaify = {…}` at the root in place', () => {
      assert.equal(checkPlan(fixture('inline-provider.toml'), TOKEN), [
        'model = "gpt-5.4"',
        'model_providers = { tokaify = { name = "Tokaify", base_url = "https://api.tokaify.com/v1", wire_api = "responses", experimental_bearer_token = "sk-test-ABCdef123" } }',
        'model_provider = "tokaify"',
        '',
      ].join('\n'));
      assert.equal(
        checkPlan('model_providers.tokaify = { "name" = "Old", request_max_retries = 6 } # mine\n', AUTH_JSON),
        'model_providers.tokaify = { "name" = "Tokaify", request_max_retries = 6, base_url = "https://api.tokaify.com/v1", wire_api = "responses", requires_openai_auth = true } # mine\nmodel_provider = "tokaify"\nmodel = "gpt-5.4"\n',
      );
    });

    it('adds the provider inside a root `model_providers = {…}` that lacks it, and edits dotted keys inside one', () => {
      const provider = '{ name = "Tokaify", base_url = "https://api.tokaify.com/v1", wire_api = "responses", requires_openai_auth = true }';
      assert.match(checkPlan('model_providers = { other = { name = "O" } }\n', AUTH_JSON), new RegExp(`^model_providers = \\{ other = \\{ name = "O" \\}, tokaify = ${provider.replace(/[{}.]/g, '\\$&')} \\}$`, 'm'));
      assert.match(checkPlan('model_providers = {}\n', AUTH_JSON), /^model_providers = \{ tokaify = \{ name = "Tokaify", .* \} \}$/m);
      assert.match(
        checkPlan('model_providers = { tokaify.name = "T", other.name = "O", tokaify.env_key = "K" }\n', AUTH_JSON),
        /^model_providers = \{ tokaify\.name = "Tokaify", other\.name = "O", tokaify\.base_url = "https:\/\/api\.tokaify\.com\/v1", tokaify\.wire_api = "responses", tokaify\.requires_openai_auth = true \}$/m,
      );
    });

    it('indents inserted keys like the table they join', () => {
      assert.match(checkPlan(fixture('indented.toml'), AUTH_JSON), /^ {4}base_url = .*\n {4}wire_api = "responses"\n {4}requires_openai_auth = true\n\n\[tui\]/m);
    });

    it('keeps CRLF, BOM, a missing final newline and mixed line endings byte for byte', () => {
      const crlf = checkPlan(fixture('crlf.toml'), AUTH_JSON);
      assert.ok(crlf.includes('model_provider = "tokaify"\r\n\r\n[mcp_servers.context7]\r\n'));
      const bom = checkPlan(fixture('bom-crlf.toml'), AUTH_JSON);
      assert.ok(bom.startsWith('\uFEFF# Codex 配置文件'));
      assert.ok(!/(?<!\r)\n/.test(bom));
      assert.ok(checkPlan(fixture('no-final-newline.toml'), AUTH_JSON).endsWith('region = "eu"'));
      assert.ok(checkPlan(fixture('no-final-newline-root-only.toml'), AUTH_JSON).endsWith('requires_openai_auth = true'));
      const mixed = checkPlan(fixture('mixed-eol.toml'), AUTH_JSON);
      assert.ok(mixed.includes('# crlf comment\r\n\n[tui]\nnotifications = true\r\n'));
    });

    it('escapes strings as TOML basic strings', () => {
      const weird = 'a "quoted" \\ back\tslash\nnew\u0001line\u007f 中文 \'single\' """';
      const out = checkPlan(undefined, { ...TOKEN, model: weird, credential: { kind: 'config-token', key: 'sk-"\\' } });
      assert.equal(parseDoc(out).model, weird);
      assert.match(out, /^model = "a \\"quoted\\" \\\\ back\\tslash\\nnew\\u0001line\\u007F 中文 'single' \\"\\"\\""$/m);
    });
  });

  describe('credentials', () => {
    it('switches config-token → auth-json → config-token, removing what would take precedence', () => {
      let text = checkPlan(fixture('existing-tokaify.toml'), TOKEN);
      let ours = (parseDoc(text).model_providers as Table).tokaify as Table;
      assert.equal(ours.experimental_bearer_token, 'sk-test-ABCdef123');
      assert.ok(!('env_key' in ours) && !('requires_openai_auth' in ours));

      text = checkPlan(text, AUTH_JSON);
      ours = (parseDoc(text).model_providers as Table).tokaify as Table;
      assert.equal(ours.requires_openai_auth, true);
      assert.ok(!('experimental_bearer_token' in ours) && !text.includes('sk-test'));

      text = checkPlan(text, { ...TOKEN, credential: { kind: 'config-token', key: 'sk-new' } });
      ours = (parseDoc(text).model_providers as Table).tokaify as Table;
      assert.equal(ours.experimental_bearer_token, 'sk-new');
      assert.ok(!('requires_openai_auth' in ours));
      assert.deepEqual(ours.http_headers, { 'X-Tokaify-Client': 'codex' });
    });

    it('leaves the credentials of other providers alone', () => {
      const out = checkPlan(fixture('other-providers.toml'), AUTH_JSON);
      const providers = parseDoc(out).model_providers as Table;
      assert.equal((providers.local as Table).experimental_bearer_token, 'local-dev-token');
      assert.equal((providers.openrouter as Table).env_key, 'OPENROUTER_API_KEY');
    });
  });

  describe('refusals', () => {
    it('reports malformed files with 1-based line and column', () => {
      throwsSyntax(() => planCodexConfig(fixture('malformed-duplicate.toml'), AUTH_JSON), 4, 1);
      throwsSyntax(() => planCodexConfig(fixture('malformed-unterminated.toml'), AUTH_JSON), 4, 16);
      throwsSyntax(() => planCodexConfig(fixture('malformed-duplicate-table.toml'), AUTH_JSON), 4, 18);
      throwsSyntax(() => planCodexConfig('\uFEFF' + fixture('malformed-duplicate.toml').replace(/\n/g, '\r\n'), AUTH_JSON), 4, 1);
      throwsSyntax(() => readCodexConfig(fixture('malformed-unterminated.toml')), 4, 16);
      assert.throws(() => planCodexConfig(fixture('malformed-duplicate.toml'), AUTH_JSON, '/home/u/.codex/config.toml'), {
        message: /^\/home\/u\/\.codex\/config\.toml:4:1: Defining a key multiple times is invalid\./,
      });
    });

    it('refuses the reserved provider ids (case-sensitive, like Codex)', () => {
      for (const providerId of ['openai', 'ollama', 'lmstudio']) {
        assert.throws(() => planCodexConfig(undefined, { ...AUTH_JSON, providerId }), /built-in Codex provider id/);
      }
      assert.doesNotThrow(() => checkPlan(undefined, { ...AUTH_JSON, providerId: 'OpenAI' }));
      assert.match(checkPlan(undefined, { ...AUTH_JSON, providerId: 'gw.test' }), /^\[model_providers\."gw\.test"\]$/m);
    });

    it('refuses shapes it cannot edit safely', () => {
      const shape = (text: string): void => assert.throws(() => planCodexConfig(text, AUTH_JSON), ConfigShapeError);
      shape('[model_providers]\ntokaify = { name = "Tokaify", base_url.path = "/v1" }\n');
      shape('model_providers = { tokaify.env_key.x = "K" }\n');
      shape('[model]\nname = "x"\n');
      shape('model.name = "x"\n');
      shape('model_providers = "none"\n');
      shape('[[model_providers.tokaify]]\nname = "x"\n');
      shape('[model_providers.tokaify]\nname = "T"\nauth = { command = "print-token" }\n');
      shape('[model_providers.tokaify.base_url]\nx = 1\n');
    });

    it('refuses empty options', () => {
      assert.throws(() => planCodexConfig(undefined, { ...AUTH_JSON, model: '' }), /model is empty/);
      assert.throws(() => planCodexConfig(undefined, { ...TOKEN, credential: { kind: 'config-token', key: ' ' } }), /API key is empty/);
      assert.throws(() => planCodexConfig(undefined, { ...AUTH_JSON, providerName: '' }), /provider name is empty/);
    });
  });

  describe('readCodexConfig', () => {
    it('summarises the seed doc', () => {
      assert.deepEqual(readCodexConfig(fixture('seed-doc.toml')), {
        modelProvider: 'OpenAI',
        model: 'gpt-5.4',
        providers: { OpenAI: { name: 'OpenAI', baseUrl: BASE, wireApi: 'responses', hasBearerToken: false, requiresOpenaiAuth: true } },
      });
    });

    it('says whether a bearer token is there without returning it', () => {
      const summary = readCodexConfig(planCodexConfig(fixture('other-providers.toml'), TOKEN));
      assert.equal(summary.modelProvider, 'tokaify');
      assert.deepEqual(summary.providers.tokaify, { name: 'Tokaify', baseUrl: BASE, wireApi: 'responses', hasBearerToken: true });
      assert.equal(summary.providers.local!.hasBearerToken, true);
      assert.equal(summary.providers.openrouter!.envKey, 'OPENROUTER_API_KEY');
      assert.ok(!JSON.stringify(summary).includes('sk-test') && !JSON.stringify(summary).includes('local-dev-token'));
    });

    it('reads BOM + CRLF files and empty ones', () => {
      assert.equal(readCodexConfig(fixture('bom-crlf.toml')).model, 'gpt-4.1');
      assert.deepEqual(readCodexConfig(''), { providers: {} });
    });

    it('names a root `profile = "…"` and its line; [profiles.x] tables or a `profile` inside a table are not one', () => {
      assert.deepEqual(readCodexConfig(LEGACY_PROFILE).legacyProfile, { name: 'work', line: 3 });
      assert.deepEqual(readCodexConfig(fixture('profiles.toml')).legacyProfile, { name: 'fast', line: 1 });
      assert.equal(readCodexConfig('\uFEFFmodel = "o3"\r\nprofile = "fast"\r\n').legacyProfile?.line, 2);
      assert.equal(readCodexConfig('[profiles.work]\nmodel = "o3"\n').legacyProfile, undefined);
      assert.equal(readCodexConfig('[tui]\nprofile = "x"\n').legacyProfile, undefined);
    });
  });

  describe('a root `profile` (Codex 0.171 refuses to start with it)', () => {
    it('is left alone unless the user asks', () => {
      const out = checkPlan(LEGACY_PROFILE, AUTH_JSON);
      assert.match(out, /^profile = "work" # my work setup$/m);
    });

    it('removeLegacyProfile: the line becomes a comment naming what was removed; [profiles.work] and everything else stay', () => {
      const out = planCodexConfig(LEGACY_PROFILE, { ...AUTH_JSON, removeLegacyProfile: true });
      const doc = parseDoc(out);
      assert.equal(doc.profile, undefined);
      assert.deepEqual(doc.profiles, { work: { model: 'o3', approval_policy: 'never' } });
      assert.equal(doc.model_provider, 'tokaify');
      assert.equal(readCodexConfig(out).legacyProfile, undefined);
      assert.equal(
        out.split('\n')[2],
        '# Removed by Tokaify (Codex no longer accepts a root profile; to use it, put its settings in work.config.toml and run `codex --profile work`): profile = "work"',
      );
      assert.ok(out.startsWith('# my settings\nmodel = "gpt-5.4"\n'), 'the lines above stay');
      assert.match(out, /\n\[profiles\.work\]\nmodel = "o3"\napproval_policy = "never"\n/);
      assert.equal(planCodexConfig(out, { ...AUTH_JSON, removeLegacyProfile: true }), out, 'a second plan changes nothing');
    });

    it('keeps CRLF and a BOM, and never copies an odd profile name into the comment', () => {
      const crlf = '\uFEFFprofile = "a\\u0001b"\r\n[mcp_servers.x]\r\ncommand = "x"\r\n';
      const out = planCodexConfig(crlf, { ...AUTH_JSON, removeLegacyProfile: true });
      assert.ok(out.startsWith('\uFEFF# Removed by Tokaify (Codex no longer accepts a root profile): profile = "a\\u0001b"\r\n'), JSON.stringify(out));
      assert.ok(!/[^\r]\n/.test(out.replace(/^\uFEFF/, '')), 'CRLF everywhere');
      assert.equal(parseDoc(out).profile, undefined);
    });
  });

  describe('property', () => {
    const RUNS = 300;
    it(`random valid documents: only our keys change, planning is idempotent, comments and format survive (${RUNS} runs)`, () => {
      fc.assert(
        fc.property(documentArb, optionsArb, (doc, opts) => {
          const options: CodexOptions = { ...opts, providerId: doc.id };
          const text = serialize(doc);
          const out = checkPlan(text, options);
          assert.equal(out.startsWith('\uFEFF'), doc.bom);
        }),
        { numRuns: RUNS },
      );
    });

    it(`random inline-table providers (under [model_providers], dotted or nested at the root): edited in place, idempotent (${RUNS} runs)`, () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), scalarArb), { maxLength: 5, selector: ([k]) => k }),
          fc.constantFrom('table' as const, 'dotted' as const, 'nested' as const),
          fc.constantFrom(', ', ',', '  ,  '),
          optionsArb,
          (entries, where, sep, opts) => {
            const inline = `{${entries.map(([k, v]) => ` ${serializeKey(k, 'basic')} = ${serializeValue(v)}`).join(sep)} }`;
            const text = {
              table: `[model_providers]\nother = { name = "O" } # before\ntokaify = ${inline} # ours\nlast = {}\n`,
              dotted: `model_providers.tokaify = ${inline}\n[tui]\nx = 1\n`,
              nested: `model_providers = { a = { name = "A" }${sep}tokaify = ${inline} }\n`,
            }[where];
            checkPlan(text, { ...opts, providerId: 'tokaify' });
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Random TOML documents for the property test: a small model and its serializer.

type Val =
  | { t: 'str'; s: string; style: 'basic' | 'literal' | 'mlbasic' | 'mlliteral' }
  | { t: 'raw'; text: string }
  | { t: 'arr'; items: Val[] }
  | { t: 'inline'; entries: [string, Val][] };
type Entry = { t: 'kv'; key: string; keyStyle: KeyStyle; value: Val; comment?: string } | { t: 'comment'; text: string } | { t: 'blank' };
type KeyStyle = 'bare' | 'basic' | 'literal';
interface TableModel {
  path: string[];
  array: boolean;
  styles: KeyStyle[];
  comment?: string;
  before: Entry[];
  entries: Entry[];
}
interface DocModel {
  id: string;
  schema: boolean;
  leading: Entry[];
  root: Entry[];
  tables: TableModel[];
  eol: '\n' | '\r\n';
  bom: boolean;
  finalNewline: boolean;
}

const ID = '\u0000ID';
const KEYS = [
  'model', 'model_provider', 'review_model', 'model_reasoning_effort', 'name', 'base_url', 'wire_api', 'env_key',
  'experimental_bearer_token', 'requires_openai_auth', 'command', 'args', 'trust_level', 'network_access',
  'disable_response_storage', 'profile', 'approval_policy', 'a b', 'ключ', '中文', 'x.y', 'X-Org', 'enabled', 'query_params',
];
const TABLES: { path: string[]; array?: boolean }[] = [
  { path: ['mcp_servers', 'x'] },
  { path: ['mcp_servers', 'x', 'env'] },
  { path: ['projects', '/home/u/repo'] },
  { path: ['profiles', 'fast'] },
  { path: ['model_providers'] },
  { path: ['model_providers', 'OpenAI'] },
  { path: ['model_providers', ID] },
  { path: ['model_providers', ID] },
  { path: ['model_providers', ID, 'http_headers'] },
  { path: ['tui'] },
  { path: ['notice'] },
  { path: ['skills'], array: true },
  { path: ['skills'], array: true },
];
const CHUNKS = [
  'gpt-5.4', 'x', ' ', '"', "'", '\\', '\n', '\t', '\r', '\u0001', '\u007f', '中文', 'é', '#', '=', '"""', "'''",
  '[model_providers.tokaify]', 'model = "x"', '\nmodel = "x"\n', '\n[model_providers.tokaify]\n', '\n[[skills]]\n',
];
const COMMENTS = [' note', ' 中文注释', ' model = "x"', ' [model_providers.tokaify]', '', ':schema not really', ' -- ', '#'];

const stringArb = fc.oneof(
  fc.array(fc.constantFrom(...CHUNKS), { maxLength: 6 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const scalarArb: fc.Arbitrary<Val> = fc.oneof(
  fc.record({ t: fc.constant('str' as const), s: stringArb, style: fc.constantFrom('basic' as const, 'literal' as const, 'mlbasic' as const, 'mlliteral' as const) }),
  fc.integer({ min: -1e6, max: 1e6 }).map((n): Val => ({ t: 'raw', text: String(n) })),
  fc.constantFrom('true', 'false', '0xff', '1_000', '3.25', '-0.5e3', 'inf', 'nan', '1979-05-27T07:32:00Z', '1979-05-27', '07:32:00').map((text): Val => ({ t: 'raw', text })),
);
const valueArb: fc.Arbitrary<Val> = fc.oneof(
  { weight: 4, arbitrary: scalarArb },
  { weight: 1, arbitrary: fc.array(scalarArb, { maxLength: 3 }).map((items): Val => ({ t: 'arr', items })) },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.tuple(fc.constantFrom(...KEYS), scalarArb), { maxLength: 3, selector: ([k]) => k })
      .map((entries): Val => ({ t: 'inline', entries })),
  },
);
const commentArb = fc.constantFrom(...COMMENTS);
const keyStyleArb = fc.constantFrom('bare' as const, 'basic' as const, 'literal' as const);
/** Keys drawn from the whole pool, half of the time from the keys the planner owns there. */
const keyArb = (owned: string[]): fc.Arbitrary<string> => fc.oneof(fc.constantFrom(...owned), fc.constantFrom(...KEYS));
const entryArb = (owned: string[]): fc.Arbitrary<Entry> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ t: fc.constant('kv' as const), key: keyArb(owned), keyStyle: keyStyleArb, value: valueArb, comment: fc.option(commentArb, { nil: undefined }) }) },
    { weight: 1, arbitrary: commentArb.map((text): Entry => ({ t: 'comment', text })) },
    { weight: 1, arbitrary: fc.constant<Entry>({ t: 'blank' }) },
  );
const spacerArb = fc.array(fc.oneof(commentArb.map((text): Entry => ({ t: 'comment', text })), fc.constant<Entry>({ t: 'blank' })), { maxLength: 2 });
const entriesArb = (owned: string[]): fc.Arbitrary<Entry[]> => fc.array(entryArb(owned), { maxLength: 6 });
const ROOT_OWNED = ['model', 'model_provider', 'review_model', 'model_reasoning_effort'];
const PROVIDER_OWNED = ['name', 'base_url', 'wire_api', 'requires_openai_auth', 'experimental_bearer_token', 'env_key'];

const documentArb: fc.Arbitrary<DocModel> = fc.record({
  id: fc.constantFrom('tokaify', 'my-gw', 'OpenAI', 'gw.test'),
  schema: fc.boolean(),
  leading: spacerArb,
  root: entriesArb(ROOT_OWNED),
  tables: fc.shuffledSubarray(TABLES).chain((picked) =>
    fc.tuple(
      ...picked.map((t) =>
        fc.record({
          path: fc.constant(t.path),
          array: fc.constant(t.array ?? false),
          styles: fc.array(keyStyleArb, { minLength: t.path.length, maxLength: t.path.length }),
          comment: fc.option(commentArb, { nil: undefined }),
          before: spacerArb,
          entries: entriesArb(t.path[1] === ID && t.path.length === 2 ? PROVIDER_OWNED : ROOT_OWNED),
        }),
      ),
    ),
  ),
  eol: fc.constantFrom('\n' as const, '\r\n' as const),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
});

const optionsArb: fc.Arbitrary<Omit<CodexOptions, 'providerId'>> = fc.record(
  {
    providerName: fc.constantFrom('Tokaify', 'My "Gateway"', '网关'),
    baseUrl: fc.constantFrom(BASE, 'https://gw.example.com/v1', 'http://127.0.0.1:3000/v1'),
    model: fc.oneof(fc.constantFrom('gpt-5.4', 'o3'), stringArb.filter((s) => s.trim() !== '')),
    reviewModel: fc.constantFrom('gpt-5.4', 'gpt-5.4-mini'),
    reasoningEffort: fc.constantFrom('minimal' as const, 'low' as const, 'medium' as const, 'high' as const, 'xhigh' as const),
    credential: fc.oneof(
      fc.constant({ kind: 'auth-json' as const }),
      fc.constantFrom('sk-abc', 'sk-"quoted"\\').map((key) => ({ kind: 'config-token' as const, key })),
    ),
  },
  { requiredKeys: ['baseUrl', 'model', 'credential'] },
);

function basic(s: string, multiline: boolean): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n' && multiline) out += '\n';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

function serializeValue(v: Val): string {
  switch (v.t) {
    case 'raw':
      return v.text;
    case 'arr':
      return `[${v.items.map(serializeValue).join(', ')}]`;
    case 'inline':
      return `{ ${v.entries.map(([k, val]) => `${serializeKey(k, 'basic')} = ${serializeValue(val)}`).join(', ')} }`;
    case 'str': {
      // eslint-disable-next-line no-control-regex
      const plain = !/['\u0000-\u0008\u000a-\u001f\u007f]/.test(v.s);
      // eslint-disable-next-line no-control-regex
      const mlPlain = !/['\u0000-\u0008\u000b-\u001f\u007f]/.test(v.s);
      if (v.style === 'literal' && plain) return `'${v.s}'`;
      if (v.style === 'mlliteral' && mlPlain) return `'''\n${v.s}'''`;
      if (v.style === 'mlbasic') return `"""\n${basic(v.s, true)}"""`;
      return `"${basic(v.s, false)}"`;
    }
  }
}

function serializeKey(key: string, style: KeyStyle): string {
  if (style === 'bare' && /^[A-Za-z0-9_-]+$/.test(key)) return key;
  if (style === 'literal' && !/['\n]/.test(key)) return `'${key}'`;
  return `"${basic(key, false)}"`;
}

const CREDENTIAL_KEYS = ['requires_openai_auth', 'experimental_bearer_token', 'env_key'];

function serializeEntries(entries: Entry[], tablePath: string[] | undefined, id: string, lines: string[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.t === 'blank') lines.push('');
    else if (entry.t === 'comment') lines.push(`#${entry.text}`);
    else {
      if (seen.has(entry.key)) continue;
      seen.add(entry.key);
      // A trailing comment on a line the planner deletes goes with it; keep the comment check simple.
      const ours = tablePath?.length === 2 && tablePath[0] === 'model_providers' && tablePath[1] === id && CREDENTIAL_KEYS.includes(entry.key);
      const comment = entry.comment !== undefined && !ours ? ` #${entry.comment}` : '';
      lines.push(`${serializeKey(entry.key, entry.keyStyle)} = ${serializeValue(entry.value)}${comment}`);
    }
  }
}

function serialize(doc: DocModel): string {
  const lines: string[] = [];
  if (doc.schema) lines.push('#:schema https://developers.openai.com/codex/config-schema.json');
  serializeEntries(doc.leading, undefined, doc.id, lines);
  serializeEntries(doc.root, undefined, doc.id, lines);
  const seen = new Set<string>();
  for (const table of doc.tables) {
    const path = table.path.map((p) => (p === ID ? doc.id : p));
    const name = JSON.stringify(path);
    if (!table.array && seen.has(name)) continue;
    seen.add(name);
    serializeEntries(table.before, undefined, doc.id, lines);
    const header = path.map((p, i) => serializeKey(p, table.styles[i]!)).join('.');
    lines.push(`${table.array ? `[[${header}]]` : `[${header}]`}${table.comment !== undefined ? ` #${table.comment}` : ''}`);
    serializeEntries(table.entries, path, doc.id, lines);
  }
  let text = lines.join('\n');
  if (doc.finalNewline && text !== '') text += '\n';
  return (doc.bom ? '\uFEFF' : '') + text.replace(/\n/g, doc.eol);
}
