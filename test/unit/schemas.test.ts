import assert from 'node:assert/strict';
import { GatewayError } from '../../src/core/errors';
import { parseOrThrow, userSelfSchema } from '../../src/core/schemas';

describe('response parsing', () => {
  it('ignores fields it does not know (servers add fields between versions)', () => {
    const self = parseOrThrow(userSelfSchema, { id: 1, username: 'a', quota: 1, used_quota: 0, sidebar_modules: '', permissions: {} }, 'GET /api/user/self');
    assert.equal(self.username, 'a');
  });

  it('names the field and what it got when the shape is unknown', () => {
    assert.throws(
      () => parseOrThrow(userSelfSchema, { id: 1, username: 'a', quota: '12', used_quota: 0 }, 'GET /api/user/self', 'data'),
      (e: unknown) => e instanceof GatewayError && e.kind === 'badResponse' &&
        e.message === `GET /api/user/self: the gateway's reply has an unexpected shape at "data.quota" (expected number, got the string "12"). It may be a different server or version.`,
    );
    assert.throws(() => parseOrThrow(userSelfSchema, { id: 1, quota: 1, used_quota: 0 }, 'X', 'data'), /"data\.username" \(expected string, got nothing\)/);
  });
});
