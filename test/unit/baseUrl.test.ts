import assert from 'node:assert/strict';
import { normalizeBaseUrl } from '../../src/core/baseUrl';

describe('normalizeBaseUrl', () => {
  const ok = (input: string) => {
    const result = normalizeBaseUrl(input);
    assert.ok(result.ok, `expected ${input} to be accepted`);
    return result.value;
  };

  const cases: [string, string, RegExp | null][] = [
    ['https://api.tokaify.com', 'https://api.tokaify.com', null],
    ['https://api.tokaify.com/', 'https://api.tokaify.com', null],
    ['  https://api.tokaify.com///  ', 'https://api.tokaify.com', null],
    ['https://api.tokaify.com/v1', 'https://api.tokaify.com', /Removed "\/v1"/],
    ['https://api.tokaify.com/v1/', 'https://api.tokaify.com', /Removed "\/v1"/],
    ['https://api.tokaify.com/v1/v1', 'https://api.tokaify.com', /repeated "\/v1\/v1"/],
    ['api.tokaify.com', 'https://api.tokaify.com', /using https/],
    ['https://gw.example.com/console/token', 'https://gw.example.com', /console page path/],
    ['https://gw.example.com/newapi/v1', 'https://gw.example.com/newapi', /Removed "\/v1"/],
    ['http://127.0.0.1:3000/v1', 'http://127.0.0.1:3000', /Removed/],
    ['https://API.Tokaify.com?x=1#y', 'https://api.tokaify.com', /query string/],
  ];
  for (const [input, expected, note] of cases) {
    it(`${JSON.stringify(input)} → ${expected}`, () => {
      const value = ok(input);
      assert.equal(value.baseUrl, expected);
      if (note) assert.match(value.notes.join(' '), note);
      else assert.deepEqual(value.notes, []);
    });
  }

  it('flags plain http to another host as insecure, but not loopback', () => {
    assert.equal(ok('http://gw.example.com').insecure, true);
    assert.equal(ok('http://localhost:3000').insecure, false);
    assert.equal(ok('http://127.0.0.1:3000').insecure, false);
    assert.equal(ok('http://[::1]:3000').insecure, false);
    assert.equal(ok('https://gw.example.com').insecure, false);
  });

  it('refuses what cannot be a gateway address, saying why', () => {
    for (const [input, why] of [['', /Enter the gateway address/], ['ftp://x.com', /https:\/\//], ['https://user:pw@x.com', /user name and password/], ['http://', /not a web address/]] as const) {
      const result = normalizeBaseUrl(input);
      assert.equal(result.ok, false, input);
      if (!result.ok) assert.match(result.error, why);
    }
  });
});
