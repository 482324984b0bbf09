import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CLAUDE_SETTINGS_SCHEMA,
  planClaudeSettings,
  readClaudeSettings,
  type ClaudeCodeOptions,
  type ClaudeKeyVariable,
} from '../../src/core/agents/claudeCode';
import { ConfigShapeError, ConfigSyntaxError } from '../../src/core/agents/types';
import { assertFormatKept, assertOrderKept, assertOtherLinesKept, fileLayout, fixtureReader, isObject, laidOut, toCrlfBom, type Json } from './jsonFixtures';

const fixture = fixtureReader('claude-code');

const KEY = 'sk-test' + 'x'.repeat(40);
const ROOT = 'https://api.tokaify.com';
const AUTH_TOKEN: ClaudeCodeOptions = { baseUrl: ROOT, key: KEY, keyVariable: 'ANTHROPIC_AUTH_TOKEN', model: 'claude-sonnet-4-5' };
const API_KEY: ClaudeCodeOptions = { ...AUTH_TOKEN, keyVariable: 'ANTHROPIC_API_KEY' };
const ALL: ClaudeCodeOptions = { ...AUTH_TOKEN, customModelOption: true, disableExperimentalBetas: true };
const KEY_VARIABLES: ClaudeKeyVariable[] = ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'];

function parse(text: string): Json {
  const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  assert.ok(isObject(value));
  return value;
}

/** The env variables a plan sets, in the order the planner writes them. */
function ownedValues(options: ClaudeCodeOptions): Json {
  const env: Json = { ANTHROPIC_BASE_URL: options.baseUrl, [options.keyVariable]: options.key, ANTHROPIC_MODEL: options.model };
  if (options.customModelOption) env.ANTHROPIC_CUSTOM_MODEL_OPTION = options.model;
  if (options.disableExperimentalBetas) env.CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS = '1';
  env.CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP = '1';
  if (options.clearShellKey) for (const name of KEY_VARIABLES) if (name !== options.keyVariable) env[name] = '';
  return env;
}

/** The parsed settings after planning: the original with only our env variables set, the other key variable removed (a blank `""` stays). */
function expected(before: Json, options: ClaudeCodeOptions): Json {
  const doc = structuredClone(before);
  const env = isObject(doc.env) ? doc.env : (doc.env = {});
  Object.assign(env, ownedValues(options));
  for (const name of KEY_VARIABLES) if (name !== options.keyVariable && env[name] !== '') delete env[name];
  return doc;
}

const OWNED_LINE = /"(ANTHROPIC_BASE_URL|ANTHROPIC_AUTH_TOKEN|ANTHROPIC_API_KEY|ANTHROPIC_MODEL|ANTHROPIC_CUSTOM_MODEL_OPTION|CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS|CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP)"/;

/** Everything a plan must satisfy for a file it accepts. */
function checkPlan(before: string | undefined, options: ClaudeCodeOptions): string {
  const after = planClaudeSettings(before, options);
  const doc = parse(after);
  const env = doc.env;
  assert.ok(isObject(env));
  for (const [name, value] of Object.entries(ownedValues(options))) assert.equal(env[name], value, name);
  for (const name of KEY_VARIABLES) {
    if (name === options.keyVariable) continue;
    if (options.clearShellKey) assert.equal(env[name], '', `${name} blanked`);
    else assert.ok(!(name in env) || env[name] === '', `${name} removed`);
  }

  if (before !== undefined && before.replace(/^\uFEFF/, '').trim() !== '') {
    const original = parse(before);
    assert.deepEqual(doc, expected(original, options));
    assertOrderKept(original, doc);
    if (isObject(original.env)) assertOrderKept(original.env, env, KEY_VARIABLES);
    assertFormatKept(before, after);
  } else {
    assert.equal(doc.$schema, CLAUDE_SETTINGS_SCHEMA);
    assert.match(after.replace(/^\uFEFF/, ''), /^\{\n {2}"\$schema"/);
  }
  assert.equal(planClaudeSettings(after, options), after, 'a second plan changes nothing');
  return after;
}

describe('Claude Code settings planner', () => {
  const accepted: Array<[file: string, options: ClaudeCodeOptions, note: string]> = [
    ['user-settings-full.json', ALL, 'hooks, permissions, statusLine, enabledPlugins, _comment, other env vars'],
    ['api-key-present.json', AUTH_TOKEN, 'ANTHROPIC_API_KEY present, we write AUTH_TOKEN'],
    ['auth-token-present.json', API_KEY, 'ANTHROPIC_AUTH_TOKEN present, we write API_KEY'],
    ['indent-4.json', ALL, '4-space indentation'],
    ['indent-tab.json', ALL, 'tab indentation'],
    ['crlf.json', AUTH_TOKEN, 'CRLF line endings'],
    ['bom.json', ALL, 'byte-order mark'],
    ['bom-crlf-no-final-newline.json', API_KEY, 'BOM + CRLF + no final newline'],
    ['no-env.json', ALL, 'no env block yet'],
    ['compact-one-line.json', AUTH_TOKEN, 'minified one-liner'],
    ['already-configured.json', AUTH_TOKEN, 'our values already there'],
    ['empty.json', ALL, 'empty file'],
    ['whitespace-only.json', AUTH_TOKEN, 'blank lines only'],
  ];

  for (const [file, options, note] of accepted) {
    it(`merges into ${file} (${note})`, () => {
      const before = fixture(file);
      const after = checkPlan(before, options);
      if (before.trim() !== '' && file !== 'compact-one-line.json') assertOtherLinesKept(before, after, OWNED_LINE);
    });
  }

  for (const [file, options] of accepted) {
    if (file === 'empty.json' || file === 'whitespace-only.json') continue;
    it(`keeps BOM + CRLF when ${file} is given with them`, () => {
      const before = toCrlfBom(fixture(file));
      const after = checkPlan(before, options);
      assert.ok(after.startsWith('\uFEFF'));
      if (file !== 'compact-one-line.json') assertOtherLinesKept(before, after, OWNED_LINE);
    });
  }

  it('creates a new pretty file when the file is missing', () => {
    const after = checkPlan(undefined, ALL);
    assert.equal(
      after,
      JSON.stringify(
        {
          $schema: CLAUDE_SETTINGS_SCHEMA,
          env: {
            ANTHROPIC_BASE_URL: ROOT,
            ANTHROPIC_AUTH_TOKEN: KEY,
            ANTHROPIC_MODEL: 'claude-sonnet-4-5',
            ANTHROPIC_CUSTOM_MODEL_OPTION: 'claude-sonnet-4-5',
            CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS: '1',
            CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP: '1',
          },
        },
        null,
        2,
      ) + '\n',
    );
  });

  it('removes the other key variable and keeps the rest of env in place', () => {
    const after = planClaudeSettings(fixture('api-key-present.json'), AUTH_TOKEN);
    assert.ok(!after.includes('ANTHROPIC_API_KEY'));
    assert.ok(!after.includes('sk-old-key-1234'));
    assert.deepEqual(Object.keys(parse(after).env as Json), [
      'ANTHROPIC_BASE_URL',
      'ANTHROPIC_SMALL_FAST_MODEL',
      'ANTHROPIC_AUTH_TOKEN',
      'ANTHROPIC_MODEL',
      'CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP',
    ]);
    const back = planClaudeSettings(after, API_KEY);
    assert.ok(!back.includes('ANTHROPIC_AUTH_TOKEN'));
    assert.equal((parse(back).env as Json).ANTHROPIC_API_KEY, KEY);
  });

  describe('clearShellKey: a key exported in the shell must not ride along to the gateway', () => {
    const envOf = (text: string) => parse(text).env as Json;

    it('a fresh file gets the other key variable as "", next to ours', () => {
      assert.deepEqual(envOf(planClaudeSettings(undefined, { ...AUTH_TOKEN, clearShellKey: true })), {
        ANTHROPIC_BASE_URL: ROOT, ANTHROPIC_AUTH_TOKEN: KEY, ANTHROPIC_MODEL: 'claude-sonnet-4-5', CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP: '1', ANTHROPIC_API_KEY: '',
      });
      assert.equal(envOf(planClaudeSettings(undefined, { ...API_KEY, clearShellKey: true })).ANTHROPIC_AUTH_TOKEN, '', 'the reverse case');
    });

    it('an old key in the other variable is replaced by "" in place, not left behind', () => {
      const after = planClaudeSettings(fixture('api-key-present.json'), { ...AUTH_TOKEN, clearShellKey: true });
      assert.ok(!after.includes('sk-old-key-1234'));
      assert.deepEqual(Object.keys(envOf(after)), ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_SMALL_FAST_MODEL', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_MODEL', 'CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP'], 'in place');
      assert.equal(envOf(after).ANTHROPIC_API_KEY, '');
    });

    it('the blank survives a later Configure that does not ask for it (it is not a key)', () => {
      const fixed = planClaudeSettings(undefined, { ...AUTH_TOKEN, clearShellKey: true });
      assert.equal(planClaudeSettings(fixed, AUTH_TOKEN), fixed, 'nothing to change');
      assert.equal(planClaudeSettings(fixed, { ...AUTH_TOKEN, model: 'claude-opus-4-1' }).includes('"ANTHROPIC_API_KEY": ""'), true);
    });
  });

  it('leaves ANTHROPIC_CUSTOM_MODEL_OPTION and the betas flag alone when not asked to set them', () => {
    const before = fixture('auth-token-present.json');
    const env = parse(planClaudeSettings(before, AUTH_TOKEN)).env as Json;
    assert.equal(env.ANTHROPIC_CUSTOM_MODEL_OPTION, 'kept-custom-model');
    const flagged = planClaudeSettings(fixture('already-configured.json'), { ...AUTH_TOKEN, disableExperimentalBetas: false });
    assert.equal((parse(flagged).env as Json).CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS, '1');
  });

  it('changes no byte when everything is already set', () => {
    const before = fixture('already-configured.json').replace('sk-test-short', KEY);
    assert.equal(planClaudeSettings(before, { ...AUTH_TOKEN, disableExperimentalBetas: true }), before);
  });

  it('writes only strings into env', () => {
    const after = planClaudeSettings('{"env":{"ANTHROPIC_MODEL":5,"CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS":1}}', ALL);
    for (const value of Object.values(parse(after).env as Json)) assert.equal(typeof value, 'string');
  });

  const refused: Array<[file: string, check: (error: unknown) => boolean]> = [
    ['line-comment.json', (e) => e instanceof ConfigSyntaxError && e.line === 3 && e.column === 5 && /comments/.test(e.reason)],
    ['trailing-comma.json', (e) => e instanceof ConfigSyntaxError && e.line === 3 && e.column === 52 && /trailing comma/.test(e.reason)],
    ['missing-comma.json', (e) => e instanceof ConfigSyntaxError && e.line === 3 && e.column === 3],
    ['env-not-object.json', (e) => e instanceof ConfigShapeError && /"env" is a string/.test(e.message)],
    ['env-null.json', (e) => e instanceof ConfigShapeError && /"env" is a null/.test(e.message)],
    ['top-level-array.json', (e) => e instanceof ConfigShapeError && /top level is an array/.test(e.message)],
    ['duplicate-env.json', (e) => e instanceof ConfigSyntaxError && e.line === 3 && e.column === 3 && /"env" appears 2 times/.test(e.reason)],
  ];
  for (const [file, check] of refused) {
    it(`refuses ${file} and says where`, () => {
      assert.throws(() => planClaudeSettings(fixture(file), AUTH_TOKEN, '/home/u/.claude/settings.json'), (error: unknown) => {
        assert.ok(check(error), String(error));
        assert.match(String((error as Error).message), /^\/home\/u\/\.claude\/settings\.json/);
        return true;
      });
    });
  }

  it('a second "env" block (the FAQ snippet pasted below the first) is refused at the second key, as path:line:col', () => {
    const pasted = [
      '{',
      '  "permissions": { "allow": ["Bash(npm test)"] },',
      '  "env": {',
      '    "DISABLE_TELEMETRY": "1"',
      '  },',
      '  "model": "opus",',
      '    "env": {',
      '      "ANTHROPIC_BASE_URL": "https://api.tokaify.com",',
      '      "ANTHROPIC_AUTH_TOKEN": "sk-..."',
      '    }',
      '}',
      '',
    ].join('\n');
    for (const text of [pasted, toCrlfBom(pasted)]) {
      assert.throws(() => planClaudeSettings(text, AUTH_TOKEN, '/home/u/.claude/settings.json'), (error: unknown) => {
        assert.ok(error instanceof ConfigSyntaxError, String(error));
        assert.deepEqual([error.file, error.line, error.column], ['/home/u/.claude/settings.json', 7, 5]);
        assert.match(error.message, /^\/home\/u\/\.claude\/settings\.json:7:5: "env" appears 2 times/);
        return true;
      });
    }
    assert.throws(() => readClaudeSettings(pasted), (error: unknown) => error instanceof ConfigSyntaxError && error.line === 7);
  });

  it('reports positions of a CRLF + BOM file as an editor shows them', () => {
    assert.throws(
      () => planClaudeSettings(toCrlfBom(fixture('line-comment.json')), AUTH_TOKEN),
      (error: unknown) => error instanceof ConfigSyntaxError && error.line === 3 && error.column === 5,
    );
  });

  it('never puts a key in an error message', () => {
    const broken = `{"env": {"ANTHROPIC_AUTH_TOKEN": "${KEY}",}}`;
    assert.throws(
      () => planClaudeSettings(broken, AUTH_TOKEN),
      (error: unknown) => error instanceof ConfigSyntaxError && !error.message.includes(KEY.slice(3)),
    );
  });

  it('rejects empty options instead of writing them', () => {
    assert.throws(() => planClaudeSettings(undefined, { ...AUTH_TOKEN, key: '' }), /key must be a non-empty string/);
    assert.throws(() => planClaudeSettings(undefined, { ...AUTH_TOKEN, baseUrl: ' ' }), /baseUrl/);
  });

  describe('readClaudeSettings', () => {
    it('summarises our variables without returning the key', () => {
      const summary = readClaudeSettings(planClaudeSettings(fixture('user-settings-full.json'), ALL));
      assert.deepEqual(summary, { baseUrl: ROOT, keyVariables: ['ANTHROPIC_AUTH_TOKEN'], clearedKeyVariables: [], model: 'claude-sonnet-4-5', disableExperimentalBetas: true });
      assert.ok(!JSON.stringify(summary).includes(KEY));
    });

    it('sees both key variables (a conflict) and a missing file section', () => {
      const both = '{"env":{"ANTHROPIC_AUTH_TOKEN":"a","ANTHROPIC_API_KEY":"b","CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS":"true"}}';
      assert.deepEqual(readClaudeSettings(both), { keyVariables: ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'], clearedKeyVariables: [], disableExperimentalBetas: true });
      assert.deepEqual(readClaudeSettings(''), { keyVariables: [], clearedKeyVariables: [], disableExperimentalBetas: false });
      assert.deepEqual(readClaudeSettings('{"env":{"CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS":"0"}}'), { keyVariables: [], clearedKeyVariables: [], disableExperimentalBetas: false });
    });

    it('tells a blanked key variable (it hides the shell\'s) from one that is set', () => {
      const blanked = '{"env":{"ANTHROPIC_AUTH_TOKEN":"a","ANTHROPIC_API_KEY":""}}';
      assert.deepEqual(readClaudeSettings(blanked), { keyVariables: ['ANTHROPIC_AUTH_TOKEN'], clearedKeyVariables: ['ANTHROPIC_API_KEY'], disableExperimentalBetas: false });
    });

    it('refuses what the planner refuses', () => {
      assert.throws(() => readClaudeSettings(fixture('line-comment.json')), ConfigSyntaxError);
      assert.throws(() => readClaudeSettings(fixture('env-not-object.json')), ConfigShapeError);
    });
  });

  describe('properties', () => {
    const plainKey = fc.string({ maxLength: 8 }).filter((key) => key !== '__proto__');
    const envKey = fc.oneof(
      fc.constantFrom('ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY', 'ANTHROPIC_MODEL', 'ANTHROPIC_CUSTOM_MODEL_OPTION', 'CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS', 'HTTPS_PROXY'),
      plainKey,
    );
    const leaf = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom(0.5, -1.25e-7, 1e21));
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(plainKey, tie('value'), { maxKeys: 5, noNullPrototype: true }),
      ),
    }));
    const settings = fc
      .tuple(
        fc.dictionary(plainKey.filter((key) => key !== 'env'), value, { maxKeys: 6, noNullPrototype: true }),
        fc.option(fc.dictionary(envKey, fc.oneof(fc.string({ maxLength: 10 }), leaf), { maxKeys: 6, noNullPrototype: true }), { nil: undefined }),
        fc.nat(),
      )
      .map(([rest, env, at]) => {
        if (env === undefined) return rest;
        const entries = Object.entries(rest);
        entries.splice(at % (entries.length + 1), 0, ['env', env]);
        return Object.fromEntries(entries) as Json;
      });
    const options = fc.record({
      baseUrl: fc.constantFrom(ROOT, 'http://127.0.0.1:3000', 'https://gw.example.com/prefix'),
      key: fc.constantFrom(KEY, 'sk-test' + 'y'.repeat(40)),
      keyVariable: fc.constantFrom<ClaudeKeyVariable>('ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'),
      model: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((model) => model.trim() !== ''),
      customModelOption: fc.boolean(),
      disableExperimentalBetas: fc.boolean(),
      clearShellKey: fc.boolean(),
    });
    const layout = fc.record({ indent: fc.constantFrom<string | number>(1, 2, 3, 4, 8, '\t'), ...fileLayout });

    it('random settings, random indentation: only our env variables change, plans are stable (300 runs)', () => {
      fc.assert(
        fc.property(settings, options, layout, (doc, opts, style) => {
          const text = laidOut(JSON.stringify(doc, null, style.indent), style);
          const after = planClaudeSettings(text, opts);
          const parsed = parse(after);
          assert.deepEqual(parsed, expected(doc, opts));
          assertOrderKept(doc, parsed);
          if (isObject(doc.env)) assertOrderKept(doc.env, parsed.env as Json, KEY_VARIABLES);
          assertFormatKept(text, after);
          assert.equal(planClaudeSettings(after, opts), after);
        }),
        { numRuns: 300 },
      );
    });

    it('random text with a comment or trailing comma is always refused with a position (200 runs)', () => {
      fc.assert(
        fc.property(settings, fc.constantFrom('// note', '/* note */', ','), fc.nat(), (doc, junk, at) => {
          const text = JSON.stringify(doc, null, 2);
          // Put the junk right after a `{` / `[` / `,` / value end, where JSONC would accept it.
          const spots = [...text.matchAll(/[{[,](?=\n)/g)].map((m) => m.index + 1);
          if (junk === ',') {
            const closers = [...text.matchAll(/[^{[\s](?=\n\s*[}\]])/g)].map((m) => m.index + 1);
            fc.pre(closers.length > 0);
            const spot = closers[at % closers.length]!;
            const broken = text.slice(0, spot) + ',' + text.slice(spot);
            assert.throws(() => planClaudeSettings(broken, AUTH_TOKEN), (e: unknown) => e instanceof ConfigSyntaxError && /trailing comma/.test(e.reason));
            return;
          }
          fc.pre(spots.length > 0);
          const spot = spots[at % spots.length]!;
          const broken = text.slice(0, spot) + ' ' + junk + text.slice(spot);
          assert.throws(() => planClaudeSettings(broken, AUTH_TOKEN), (e: unknown) => e instanceof ConfigSyntaxError && /comments/.test(e.reason));
        }),
        { numRuns: 200 },
      );
    });
  });
});
