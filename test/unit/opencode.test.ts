import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createScanner, parse as parseJsonc, stripComments, SyntaxKind, type ParseError } from 'jsonc-parser';
import {
  OPENCODE_PROVIDER_NPM,
  OPENCODE_SCHEMA,
  planOpencodeAuth,
  planOpencodeConfig,
  readOpencodeConfig,
  type OpenCodeOptions,
} from '../../src/core/agents/opencode';
import { ConfigShapeError, ConfigSyntaxError } from '../../src/core/agents/types';
import { assertFormatKept as assertFormatKeptIn, assertOrderKept, assertOtherLinesKept, fileLayout, fixtureReader, isObject, laidOut, toCrlfBom, type Json } from './jsonFixtures';

const fixture = fixtureReader('opencode');

const KEY = 'sk-test' + 'x'.repeat(40);
const BASE = 'https://api.tokaify.com/v1';
const DEFAULTS: OpenCodeOptions = { baseUrl: BASE, model: 'gpt-5.4' };

function parse(text: string): Json {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true });
  assert.deepEqual(errors, [], 'the result parses as JSONC');
  assert.ok(isObject(value));
  return value;
}

/** Every comment of a JSONC text, in order. */
function comments(text: string): string[] {
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const scanner = createScanner(body, false);
  const found: string[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    // getTokenValue() of a comment can carry the blanks before it: slice the token itself.
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
      found.push(body.slice(scanner.getTokenOffset(), scanner.getTokenOffset() + scanner.getTokenLength()));
    }
  }
  return found;
}

/** The parsed config after planning: the original with only our documented changes. */
function expected(before: Json, options: OpenCodeOptions): Json {
  const doc = structuredClone(before);
  const id = options.providerId ?? 'tokaify';
  if (!('$schema' in doc)) doc.$schema = OPENCODE_SCHEMA;
  const providers = isObject(doc.provider) ? doc.provider : (doc.provider = {});
  const ours = isObject(providers[id]) ? providers[id] : (providers[id] = {});
  ours.npm = OPENCODE_PROVIDER_NPM;
  ours.name = options.providerName ?? 'Tokaify';
  const providerOptions = isObject(ours.options) ? ours.options : (ours.options = {});
  providerOptions.baseURL = options.baseUrl;
  delete providerOptions.apiKey;
  const models = isObject(ours.models) ? ours.models : (ours.models = {});
  if (!(options.model in models)) models[options.model] = { name: options.model };
  if (options.setDefaultModel !== false) doc.model = `${id}/${options.model}`;
  if (Array.isArray(doc.enabled_providers) && !doc.enabled_providers.includes(id)) doc.enabled_providers.push(id);
  if (Array.isArray(doc.disabled_providers)) doc.disabled_providers = doc.disabled_providers.filter((item) => item !== id);
  return doc;
}

/** Format kept; indentation measured without comments (a comment's own lines are not indentation). */
function assertFormatKept(before: string, after: string): void {
  assertFormatKeptIn(before, after, (text) => stripComments(text.replace(/^\uFEFF/, ''), ' '));
}

function checkPlan(before: string | undefined, options: OpenCodeOptions): string {
  const after = planOpencodeConfig(before, options);
  const doc = parse(after);
  const id = options.providerId ?? 'tokaify';
  const ours = (doc.provider as Json)[id] as Json;
  assert.equal(ours.npm, OPENCODE_PROVIDER_NPM);
  assert.equal((ours.options as Json).baseURL, options.baseUrl);
  assert.ok(!('apiKey' in (ours.options as Json)));
  assert.ok(options.model in (ours.models as Json));
  if (options.setDefaultModel !== false) assert.equal(doc.model, `${id}/${options.model}`);
  assert.equal(typeof doc.$schema, 'string');

  if (before !== undefined && hasValue(before)) {
    const original = parse(before);
    assert.deepEqual(doc, expected(original, options));
    assertOrderKept(original, doc);
    assertOrderKept(original.provider, doc.provider);
    if (isObject(original.provider)) {
      assertOrderKept(original.provider[id], ours);
      assertOrderKept((original.provider[id] as Json | undefined)?.options, ours.options, ['apiKey']);
      assertOrderKept((original.provider[id] as Json | undefined)?.models, ours.models);
    }
    assertFormatKept(before, after);
  }
  if (before !== undefined) assert.deepEqual(comments(after), comments(before), 'every comment kept, in order');
  assert.equal(planOpencodeConfig(after, options), after, 'a second plan changes nothing');
  return after;
}

function hasValue(text: string): boolean {
  return parseJsonc(text.replace(/^\uFEFF/, ''), [], { allowTrailingComma: true }) !== undefined;
}

const OWNED = /"(baseURL|apiKey|npm|name|model|\$schema|enabled_providers|disabled_providers)"|tokaify|^\s*[}\]]*$|^\{\}$/;

describe('OpenCode config planner', () => {
  const accepted: Array<[file: string, options: OpenCodeOptions, note: string]> = [
    ['comments-everywhere.jsonc', DEFAULTS, 'comments everywhere, trailing commas, {env:…}/{file:…}, openai + anthropic + custom provider, mcp, agent'],
    ['stale-tokaify.jsonc', DEFAULTS, 'our provider with a stale baseURL, options.apiKey, headers, timeout, extra models and variants'],
    ['enabled-disabled.json', DEFAULTS, 'enabled_providers without us, disabled_providers with us'],
    ['disabled-only-ours.jsonc', DEFAULTS, 'we are the only disabled provider; enabled_providers empty'],
    ['no-schema.json', DEFAULTS, 'no $schema, 4-space indentation'],
    ['chinese-comments.jsonc', DEFAULTS, 'Chinese comments and names'],
    ['crlf.jsonc', DEFAULTS, 'CRLF, our provider with an {env:…} apiKey'],
    ['tabs-bom.jsonc', DEFAULTS, 'tabs, BOM, trailing commas'],
    ['compact-one-line.json', DEFAULTS, 'minified one-liner'],
    ['empty-object.json', DEFAULTS, '{}'],
    ['comments-only.jsonc', DEFAULTS, 'comments and no value'],
    ['comments-everywhere.jsonc', { ...DEFAULTS, providerId: 'my-gw', providerName: 'My Gateway', model: 'org/model:tag', setDefaultModel: false }, 'other id, slash in model, default model untouched'],
  ];

  for (const [file, options, note] of accepted) {
    it(`merges into ${file} (${note})`, () => {
      const before = fixture(file);
      const after = checkPlan(before, options);
      if (file !== 'compact-one-line.json') assertOtherLinesKept(before, after, OWNED);
    });
    it(`merges into ${file} given with BOM + CRLF`, () => {
      const before = toCrlfBom(fixture(file));
      const after = checkPlan(before, options);
      assert.ok(after.startsWith('\uFEFF'));
    });
  }

  it('creates a new pretty file when the file is missing (and without a default model when asked)', () => {
    const after = checkPlan(undefined, DEFAULTS);
    assert.equal(
      after,
      JSON.stringify(
        {
          $schema: OPENCODE_SCHEMA,
          provider: { tokaify: { npm: OPENCODE_PROVIDER_NPM, name: 'Tokaify', options: { baseURL: BASE }, models: { 'gpt-5.4': { name: 'gpt-5.4' } } } },
          model: 'tokaify/gpt-5.4',
        },
        null,
        2,
      ) + '\n',
    );
    assert.ok(!('model' in parse(checkPlan(undefined, { ...DEFAULTS, setDefaultModel: false }))));
  });

  it('updates a stale provider in place: apiKey gone (its comments kept), models and variants untouched', () => {
    const after = planOpencodeConfig(fixture('stale-tokaify.jsonc'), DEFAULTS);
    assert.ok(!after.includes('sk-old-key-1234'));
    assert.match(after, /\/\/ this key was revoked\n\s+\/\/ stale\n\s+"headers"/);
    const ours = (parse(after).provider as Json).tokaify as Json;
    assert.deepEqual(Object.keys(ours.models as Json), ['gpt-5.4', 'deepseek-v3']);
    assert.equal(((ours.models as Json)['gpt-5.4'] as Json).name, 'GPT-5.4 (custom name)');
    assert.deepEqual(Object.keys(((ours.models as Json)['gpt-5.4'] as Json).variants as Json), ['high', 'low']);
    assert.deepEqual((ours.options as Json).headers, { 'X-Team': 'infra' });
    assert.equal(ours.name, 'Tokaify');
  });

  it('leaves other providers, mcp, agent and {env:}/{file:} strings byte-identical', () => {
    const before = fixture('comments-everywhere.jsonc');
    const after = planOpencodeConfig(before, DEFAULTS);
    for (const snippet of ['"apiKey": "{env:OPENAI_KEY}", // never inline', '"options": { "apiKey": "{file:~/k}" }, /* from a file */', '"prompt": "{file:./prompts/review.md}",']) {
      assert.ok(after.includes(snippet), snippet);
    }
    const start = before.indexOf('"mcp"');
    assert.ok(after.includes(before.slice(start, before.indexOf('"model": "anthropic/claude-sonnet-4-5", /*'))));
    // The new provider goes after the last one, after its trailing comment, before the closing comment.
    assert.match(after, /}, \/\/ end of my-ollama\n {4}"tokaify": \{\n {6}"npm"[\s\S]*\n {4}},\n {4}\/\/ add more providers above\n {2}},/);
  });

  it('adds $schema first, keeping the other keys where they are', () => {
    const after = planOpencodeConfig(fixture('no-schema.json'), DEFAULTS);
    assert.ok(after.startsWith('{\n    "$schema": "https://opencode.ai/config.json",\n    "theme": "opencode",'));
  });

  it('enables and un-disables our provider', () => {
    const doc = parse(planOpencodeConfig(fixture('enabled-disabled.json'), DEFAULTS));
    assert.deepEqual(doc.enabled_providers, ['openai', 'anthropic', 'tokaify']);
    assert.deepEqual(doc.disabled_providers, ['gemini']);
    const only = planOpencodeConfig(fixture('disabled-only-ours.jsonc'), DEFAULTS);
    assert.match(only, /"disabled_providers": \[\n {4}\/\/ turned off while testing\n {2}\],/);
    assert.match(only, /"enabled_providers": \["tokaify"\], \/\/ empty: nothing enabled yet/);
  });

  const refused: Array<[file: string, check: (error: unknown) => boolean]> = [
    ['syntax-error.jsonc', (e) => e instanceof ConfigSyntaxError && e.line === 4 && e.column === 5 && /comma/.test(e.reason)],
    ['unterminated.jsonc', (e) => e instanceof ConfigSyntaxError && e.line === 4 && /"}"/.test(e.reason)],
    ['provider-not-object.json', (e) => e instanceof ConfigShapeError && /"provider" is an array/.test(e.message)],
    ['top-level-array.json', (e) => e instanceof ConfigShapeError && /top level is an array/.test(e.message)],
    ['ours-options-not-object.json', (e) => e instanceof ConfigShapeError && /"provider\.tokaify\.options" is a string/.test(e.message)],
  ];
  for (const [file, check] of refused) {
    it(`refuses ${file} and says where`, () => {
      assert.throws(() => planOpencodeConfig(fixture(file), DEFAULTS, '~/.config/opencode/opencode.jsonc'), (error: unknown) => {
        assert.ok(check(error), String(error));
        assert.match((error as Error).message, /^~\/\.config\/opencode\/opencode\.jsonc/);
        return true;
      });
    });
  }

  it('refuses a duplicated key on the path it edits', () => {
    assert.throws(() => planOpencodeConfig('{"provider": {"tokaify": {}, "tokaify": {}}}', DEFAULTS), /"provider\.tokaify" appears 2 times/);
  });

  it('validates the provider id and options', () => {
    for (const providerId of ['Tokaify', 'my_gw', 'a/b', '']) {
      assert.throws(() => planOpencodeConfig(undefined, { ...DEFAULTS, providerId }), /lowercase letters, digits and hyphens/);
    }
    assert.throws(() => planOpencodeConfig(undefined, { ...DEFAULTS, model: '' }), /model must be a non-empty string/);
  });

  describe('readOpencodeConfig', () => {
    it('lists providers, base URLs, models and whether a key is inline', () => {
      const summary = readOpencodeConfig(fixture('stale-tokaify.jsonc'));
      assert.deepEqual(summary, {
        model: 'openai/gpt-5.4',
        providers: {
          tokaify: { npm: OPENCODE_PROVIDER_NPM, baseUrl: 'https://old.tokaify.example/v1', models: ['gpt-5.4', 'deepseek-v3'], hasApiKey: true },
          openai: { models: [], hasApiKey: true },
        },
      });
      assert.ok(!JSON.stringify(summary).includes('sk-old'));
      const planned = readOpencodeConfig(planOpencodeConfig(fixture('stale-tokaify.jsonc'), DEFAULTS));
      assert.equal(planned.providers.tokaify?.hasApiKey, false);
      assert.equal(planned.model, 'tokaify/gpt-5.4');
    });

    it('is empty for an empty file and refuses a broken one', () => {
      assert.deepEqual(readOpencodeConfig(''), { providers: {} });
      assert.throws(() => readOpencodeConfig(fixture('syntax-error.jsonc')), ConfigSyntaxError);
    });
  });

  describe('properties', () => {
    const plainKey = fc.string({ maxLength: 6 }).filter((key) => key !== '__proto__');
    const leaf = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 10 }),
      fc.constantFrom('{env:OPENAI_KEY}', '{file:~/k}', '// not a comment', '/* nor this */', 'a,}'),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(plainKey, tie('value'), { maxKeys: 4, noNullPrototype: true }),
      ),
    }));
    const dict = (keys: fc.Arbitrary<string>, values: fc.Arbitrary<unknown>, maxKeys = 4): fc.Arbitrary<Json> =>
      fc.dictionary(keys, values, { maxKeys, noNullPrototype: true });
    const ids = ['tokaify', 'my-gw'];
    const providerEntry = fc.record(
      {
        npm: fc.constantFrom(OPENCODE_PROVIDER_NPM, '@ai-sdk/openai', '@ai-sdk/anthropic'),
        name: fc.oneof(fc.string({ maxLength: 8 }), leaf),
        // Values we replace or remove are scalars: comments inside a replaced value go with it.
        options: fc
          .tuple(fc.option(leaf, { nil: undefined }), fc.option(leaf, { nil: undefined }), dict(fc.constantFrom('headers', 'timeout', 'setCacheKey'), value, 3), fc.nat(), fc.nat())
          .map(([baseURL, apiKey, rest, i, j]) => {
            const entries = Object.entries(rest);
            if (baseURL !== undefined) entries.splice(i % (entries.length + 1), 0, ['baseURL', baseURL]);
            if (apiKey !== undefined) entries.splice(j % (entries.length + 1), 0, ['apiKey', apiKey]);
            return Object.fromEntries(entries) as Json;
          }),
        models: dict(fc.constantFrom('gpt-5.4', 'claude-sonnet-4-5', 'org/m:tag', 'other'), dict(plainKey, value, 2)),
        extra: value,
      },
      { requiredKeys: [], noNullPrototype: true },
    );
    const config = fc
      .record(
        {
          rest: dict(plainKey.filter((key) => !['$schema', 'provider', 'model', 'enabled_providers', 'disabled_providers'].includes(key)), value, 5),
          $schema: fc.constantFrom(OPENCODE_SCHEMA, 'https://opencode.ai/config.json#v2'),
          provider: dict(fc.constantFrom(...ids, 'openai', 'anthropic', 'my-ollama'), providerEntry, 4),
          model: fc.oneof(fc.constantFrom('openai/gpt-5.4', 'tokaify/old'), leaf),
          enabled_providers: fc.array(fc.constantFrom(...ids, 'openai', 'x'), { maxLength: 3 }),
          disabled_providers: fc.array(fc.constantFrom(...ids, 'gemini'), { maxLength: 4 }),
        },
        { requiredKeys: ['rest'], noNullPrototype: true },
      )
      .chain((parts) => {
        const { rest, ...named } = parts;
        const entries = Object.entries(rest);
        const insertions = Object.entries(named).filter(([, v]) => v !== undefined);
        return fc.array(fc.nat(), { minLength: insertions.length, maxLength: insertions.length }).map((spots) => {
          insertions.forEach((entry, i) => entries.splice(spots[i]! % (entries.length + 1), 0, entry));
          return Object.fromEntries(entries) as Json;
        });
      });
    const options = fc.record(
      {
        providerId: fc.constantFrom(...ids),
        providerName: fc.constantFrom('Tokaify', 'My Gateway'),
        baseUrl: fc.constantFrom(BASE, 'http://127.0.0.1:3000/v1'),
        model: fc.constantFrom('gpt-5.4', 'claude-sonnet-4-5', 'org/m:tag', 'новая-модель'),
        setDefaultModel: fc.boolean(),
      },
      { requiredKeys: ['baseUrl', 'model'], noNullPrototype: true },
    );
    const style = fc.record({ indent: fc.constantFrom('  ', '    ', '\t', ' ', '   '), seed: fc.integer(), ...fileLayout });

    it('random JSONC with random comments, trailing commas and indentation: only owned keys change, comments stay, plans are stable (300 runs)', () => {
      fc.assert(
        fc.property(config, options, style, (doc, opts, layout) => {
          const text = laidOut(printJsonc(doc, layout.indent, layout.seed), layout);
          assert.deepEqual(parse(text), doc, 'the generator prints what it means');
          const after = planOpencodeConfig(text, opts);
          const parsed = parse(after);
          assert.deepEqual(parsed, expected(doc, opts));
          assert.deepEqual(comments(after), comments(text), 'every comment kept, in order');
          const id = opts.providerId ?? 'tokaify';
          assertOrderKept(doc, parsed);
          assertOrderKept(doc.provider, parsed.provider);
          if (isObject(doc.provider)) {
            const before = doc.provider[id] as Json | undefined;
            const now = (parsed.provider as Json)[id] as Json;
            assertOrderKept(before, now);
            assertOrderKept(before?.options, now.options, ['apiKey']);
            assertOrderKept(before?.models, now.models);
          }
          assertFormatKept(text, after);
          assert.equal(planOpencodeConfig(after, opts), after);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('OpenCode auth.json planner', () => {
  it('adds our entry and keeps oauth / api / wellknown entries of other providers', () => {
    const before = fixture('auth-others.json');
    const after = planOpencodeAuth(before, 'tokaify', KEY);
    const doc = JSON.parse(after) as Json;
    assert.deepEqual(doc.tokaify, { type: 'api', key: KEY });
    const { tokaify: _ours, ...others } = doc;
    assert.deepEqual(others, JSON.parse(before));
    assert.ok(after.startsWith(before.trimEnd().replace(/\n}$/, '')), 'existing text untouched');
    assert.equal(planOpencodeAuth(after, 'tokaify', KEY), after);
  });

  it('replaces only our stale entry', () => {
    const before = fixture('auth-stale-ours.json');
    const after = planOpencodeAuth(before, 'tokaify', KEY);
    const doc = JSON.parse(after) as Json;
    assert.deepEqual(doc.tokaify, { type: 'api', key: KEY });
    assert.deepEqual(doc['github-copilot'], (JSON.parse(before) as Json)['github-copilot']);
    assert.deepEqual(Object.keys(doc), ['tokaify', 'github-copilot']);
    assert.ok(!after.includes('sk-old-key-1234'));
    assert.equal(planOpencodeAuth(after, 'tokaify', KEY), after);
  });

  it('creates the map when the file is missing or empty', () => {
    const expectedText = `{\n  "tokaify": {\n    "type": "api",\n    "key": "${KEY}"\n  }\n}\n`;
    assert.equal(planOpencodeAuth(undefined, 'tokaify', KEY), expectedText);
    assert.equal(planOpencodeAuth('', 'tokaify', KEY), expectedText);
  });

  it('keeps CRLF and BOM', () => {
    const before = toCrlfBom(fixture('auth-others.json'));
    const after = planOpencodeAuth(before, 'tokaify', KEY);
    assertFormatKept(before, after);
  });

  it('refuses malformed JSON, comments and a non-object', () => {
    assert.throws(() => planOpencodeAuth(fixture('auth-malformed.json'), 'tokaify', KEY), (e: unknown) => e instanceof ConfigSyntaxError && e.line === 4);
    assert.throws(() => planOpencodeAuth(fixture('auth-comment.json'), 'tokaify', KEY), (e: unknown) => e instanceof ConfigSyntaxError && e.line === 2 && e.column === 3);
    assert.throws(() => planOpencodeAuth('[]', 'tokaify', KEY), ConfigShapeError);
    assert.throws(() => planOpencodeAuth(undefined, 'Bad Id', KEY), /lowercase/);
  });
});

/**
 * Prints a value as JSONC with comments in every kind of place (own line, after a comma, between key
 * and colon, before a value, before a closing bracket), random trailing commas and some one-line
 * containers. A seeded generator keeps it reproducible from fast-check's seed.
 */
function printJsonc(value: unknown, indent: string, seed: number): string {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const chance = (p: number): boolean => random() < p;
  let count = 0;
  const texts = ['note', '中文注释：保留', '{env:SECRET} stays', 'https://example.com/v1', '"apiKey": "x",', 'trailing, comma }'];
  const lineComment = (): string => `// c${count++} ${texts[Math.floor(random() * texts.length)]}`;
  const blockComment = (): string =>
    chance(0.2) ? `/* c${count++}\n   spans lines */` : `/* c${count++} ${texts[Math.floor(random() * texts.length)]} */`;

  const inline = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(inline).join(', ')}${v.length && chance(0.3) ? ',' : ''}]`;
    if (isObject(v)) {
      const entries = Object.entries(v).map(([k, x]) => `${chance(0.2) ? blockComment().replace(/\n\s*/g, ' ') + ' ' : ''}${JSON.stringify(k)}: ${inline(x)}`);
      return `{${entries.length ? ' ' : ''}${entries.join(', ')}${entries.length && chance(0.3) ? ',' : ''}${entries.length ? ' ' : ''}}`;
    }
    return JSON.stringify(v);
  };

  const print = (v: unknown, level: number): string => {
    const isArray = Array.isArray(v);
    if (!isArray && !isObject(v)) return JSON.stringify(v);
    if (chance(0.15)) return inline(v);
    const entries: Array<[string | undefined, unknown]> = isArray ? (v as unknown[]).map((x) => [undefined, x]) : Object.entries(v as Json);
    const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
    const inner = indent.repeat(level + 1);
    const outer = indent.repeat(level);
    if (!entries.length) {
      if (chance(0.3)) return `${open}\n${inner}${lineComment()}\n${outer}${close}`;
      if (chance(0.2)) return `${open} ${blockComment().replace(/\n\s*/g, ' ')} ${close}`;
      return `${open}${close}`;
    }
    let out = open + (chance(0.2) ? ` ${lineComment()}` : '');
    entries.forEach(([key, item], i) => {
      if (chance(0.25)) out += `\n${inner}${chance(0.5) ? lineComment() : blockComment()}`;
      out += `\n${inner}`;
      if (key !== undefined) out += `${JSON.stringify(key)}${chance(0.1) ? ` ${blockComment().replace(/\n\s*/g, ' ')}` : ''}: `;
      if (chance(0.1)) out += `${blockComment().replace(/\n\s*/g, ' ')} `;
      out += print(item, level + 1);
      const last = i === entries.length - 1;
      if (!last || chance(0.4)) out += ',';
      if (chance(0.25)) out += ` ${lineComment()}`;
    });
    if (chance(0.2)) out += `\n${inner}${lineComment()}`;
    return `${out}\n${outer}${close}`;
  };

  const head = chance(0.3) ? `${lineComment()}\n` : '';
  const tail = chance(0.3) ? `\n${blockComment()}` : '';
  return head + print(value, 0) + tail;
}
