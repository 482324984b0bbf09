import assert from 'node:assert/strict';
import type { AccountMeta } from '../../src/core/accounts';
import { matchKeyUses } from '../../src/core/agents/keyMatch';
import type { KeyScan, KeySighting } from '../../src/core/agents/keyScan';

const account = (id: string, baseUrl: string, authKind: AccountMeta['authKind'] = 'accessToken'): AccountMeta =>
  ({ id, baseUrl, authKind, flavor: 'new-api', addedAt: 0 });
const work = account('work', 'https://gw.example.com');
const home = account('home', 'https://other.example.com');
const sighting = (over: Partial<KeySighting> & { fp: string; head?: string; tail?: string }): KeySighting => ({
  agent: 'codex', file: '/h/.codex/auth.json', label: 'Codex auth.json', locator: 'OPENAI_API_KEY', active: true,
  source: { kind: 'literal', fingerprint: over.fp, masked: `sk-…${over.tail ?? 'zzzz'}`, ...(over.head ? { gatewayMask: { head: over.head, tail: over.tail! } } : {}) },
  ...over,
});
const scanOf = (...sightings: KeySighting[]): KeyScan => ({ sightings, unreadable: [] });
const tokens: Record<string, { id: number; key: string; keyMasked: boolean }[]> = {
  work: [{ id: 1, key: 'AbCd**********WxYz', keyMasked: true }, { id: 2, key: 'QqQq**********RrRr', keyMasked: true }],
  home: [],
};

describe('which token each agent sends (matching the scan)', () => {
  it('a fingerprint Tokaify knows is an exact use, with the files and the model', () => {
    const index = matchKeyUses(scanOf(sighting({ fp: 'f1', model: 'gpt-5.4' }), sighting({ fp: 'f1', agent: 'claude-code', file: '/h/.claude/settings.json' })),
      new Map([['f1', 'work:2']]), [work, home], (m) => tokens[m.id]!);
    assert.deepEqual(index.uses.get('work:2'), [
      { agent: 'codex', exact: true, files: ['/h/.codex/auth.json'], model: 'gpt-5.4' },
      { agent: 'claude-code', exact: true, files: ['/h/.claude/settings.json'] },
    ]);
    assert.equal(index.unknown.size, 0);
  });

  it('a key never revealed matches its token probably, by the mask the console lists', () => {
    const index = matchKeyUses(scanOf(sighting({ fp: 'f9', head: 'AbCd', tail: 'WxYz' })), new Map(), [work], (m) => tokens[m.id]!);
    assert.deepEqual(index.uses.get('work:1')?.map((u) => [u.agent, u.exact]), [['codex', false]]);
  });

  it('an active key sent to a signed-in gateway that no token has is unknown there, and only there', () => {
    const index = matchKeyUses(scanOf(
      sighting({ fp: 'f7', baseUrl: 'https://gw.example.com/v1' }),
      sighting({ fp: 'f8', agent: 'claude-code', baseUrl: 'https://api.anthropic.com' }),
      sighting({ fp: 'f6', agent: 'opencode', baseUrl: 'https://gw.example.com/v1', active: false }),
    ), new Map(), [work, home], (m) => tokens[m.id]!);
    assert.deepEqual([...index.unknown.keys()], ['work']);
    assert.deepEqual(index.unknown.get('work'), [{ agent: 'codex', masked: 'sk-…zzzz', files: ['/h/.codex/auth.json'] }]);
    assert.equal(index.uses.size, 0);
  });

  it('a key from the environment or a helper program is nobody\'s to match', () => {
    const env: KeySighting = { agent: 'codex', file: 'f', label: 'l', locator: 'x', active: true, baseUrl: 'https://gw.example.com/v1', source: { kind: 'env', variable: 'K' } };
    const index = matchKeyUses(scanOf(env), new Map(), [work], (m) => tokens[m.id]!);
    assert.equal(index.uses.size + index.unknown.size, 0);
  });
});
