/** Requests ask the gateway for the user's language (issue 13): new-api's translated messages follow Accept-Language. */
import assert from 'node:assert/strict';
import { ConsoleClient } from '../../src/core/consoleClient';
import { GatewayError } from '../../src/core/errors';
import { failureText } from '../../src/core/failureText';
import { HttpClient } from '../../src/core/http';
import { acceptLanguage, useLanguage } from '../../src/core/locale';
import { TokenApi } from '../../src/core/tokenApi';
import { DEMO, startGateway, type RunningGateway } from '../../src/simulator';
import { chineseBundle } from './chineseBundle';

describe('Accept-Language: the gateway answers in the user\'s language', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway({ flavor: 'new-api' });
  });
  after(async () => {
    useLanguage('en');
    await gw.close();
  });

  /** A token name over new-api's 50 bytes: refused with its translated `token.name_too_long`. */
  const createTooLong = async (): Promise<GatewayError> => {
    const console = new ConsoleClient(new HttpClient({ retries: 0 }), gw.url, { kind: 'accessToken', userId: DEMO.userId, accessToken: DEMO.accessToken });
    const input = { name: 'x'.repeat(60), group: '', unlimited: true, remainQuota: 0, modelLimits: [], allowIps: [], expiredTime: -1, crossGroupRetry: false };
    const error = await new TokenApi(console, 'new-api').create(input).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  };

  it('the header follows the display language', () => {
    useLanguage('en');
    assert.equal(acceptLanguage(), 'en');
    useLanguage('en-gb');
    assert.equal(acceptLanguage(), 'en');
    useLanguage('de');
    assert.equal(acceptLanguage(), 'de, en;q=0.5');
    useLanguage('zh-cn', chineseBundle());
    assert.equal(acceptLanguage(), 'zh-CN, en;q=0.5');
  });

  it('an English user sends "en" and reads the English message', async () => {
    useLanguage('en');
    const error = await createTooLong();
    assert.equal(error.detail.serverMessage, 'Token name is too long');
    assert.equal(error.message, 'The gateway refused POST /api/token/: Token name is too long.');
    assert.equal(failureText('Could not create the token', error).message,
      'Could not create the token: the name is too long for this gateway. Choose a shorter one. The gateway said: "Token name is too long".');
  });

  it('a Chinese user sends zh-CN and reads the gateway\'s Chinese message, unglossed', async () => {
    useLanguage('zh-cn', chineseBundle());
    const error = await createTooLong();
    assert.equal(error.detail.serverMessage, '令牌名称过长');
    assert.equal(error.message, '网关拒绝了 POST /api/token/：令牌名称过长。');
    assert.equal(failureText('无法创建令牌', error).message, '无法创建令牌：名称超出了此网关的长度限制。请换一个更短的名称。网关返回：“令牌名称过长”。');
  });
});
