import assert from 'node:assert/strict';
import { maskKey, redact, registerSecret } from '../../src/core/redact';

describe('redact', () => {
  const key = 'sk-test' + 'A1b2C3d4'.repeat(5) + 'Zz9y';

  it('hides sk- keys wherever they appear, keeping only the last four characters', () => {
    const out = redact(`using ${key} for "${key}"`);
    assert.ok(!out.includes(key.slice(3, 20)));
    assert.equal(out, 'using sk-…Zz9y for "sk-…Zz9y"');
  });

  it('hides Authorization, x-api-key and cookie values', () => {
    const out = redact('authorization: Bearer abcdefgh12345 x-api-key=secretvalue123 cookie: session=MTc0abcdef');
    assert.ok(!/abcdefgh12345|secretvalue123|MTc0abcdef/.test(out), out);
    assert.match(out, /authorization: Bearer «redacted»/);
  });

  it('leaves a header value that is already masked or only names where the secret is', () => {
    assert.equal(redact('"Authorization": "Bearer gw-t…4f60#2"'), '"Authorization": "Bearer gw-t…4f60#2"');
    assert.equal(redact('"Authorization": "Bearer {env:CORP_TOKEN}"'), '"Authorization": "Bearer {env:CORP_TOKEN}"');
  });

  it('hides registered secrets that have no recognisable shape (access tokens)', () => {
    registerSecret('demo-access-token-xyz');
    assert.equal(redact('token demo-access-token-xyz failed'), 'token «redacted» failed');
  });

  it('masks keys for display', () => {
    assert.equal(maskKey(key), `sk-test…Zz9y`);
    assert.equal(maskKey('sk-short'), 'sk-…');
  });
});

describe('redact: wider patterns', () => {
  const body = 'AbCdEf0123456789XyZw';
  const cases: [string, string][] = [
    ['upper-case prefix', `SK-${body}`],
    ['inside a word after _', `my_sk-${body}`],
    ['URL-encoded dash', `key=sk%2D${body}`],
    ['base64 characters', `sk-${body}+/=.Qq`],
    ['Bearer of any shape', `Bearer ${body}`],
    ['a session cookie anywhere', `note session=${body}; Path=/`],
    ['a JWT', `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.${body}`],
    ['a GitHub token', `ghp_${body}`],
  ];
  for (const [name, text] of cases) {
    it(`hides ${name}`, () => {
      const out = redact(`value: ${text} end`);
      assert.ok(!out.includes(body.slice(0, 12)), out);
      assert.ok(out.endsWith(' end'), out);
    });
  }

  it('hides a key registered with its prefix when it appears without it', () => {
    registerSecret(`sk-${body}Reg1`);
    assert.ok(!redact(`list shows ${body}Reg1`).includes(body), redact(`list shows ${body}Reg1`));
  });

  it('keeps ordinary prose readable', () => {
    assert.equal(redact('The key was not accepted (401).'), 'The key was not accepted (401).');
    assert.equal(redact('ask for a basic setup'), 'ask for a basic setup');
  });
});
