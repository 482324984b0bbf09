/** A server message in the language the user does not read first is glossed in the one they do (issue 13). */
import assert from 'node:assert/strict';
import { useLanguage } from '../../src/core/locale';
import { explainServerMessage, withServerMessage } from '../../src/core/serverMessages';
import { chineseBundle } from './chineseBundle';

describe('server messages for an English reader', () => {
  it('a known Chinese message is glossed in English; an English one is left as it is', () => {
    assert.equal(explainServerMessage('用户名或密码错误，或用户已被封禁'), '用户名或密码错误，或用户已被封禁 (wrong user name or password, or the user is banned)');
    // The refusal to enable is the more specific message: it wins over the plain "quota used up" it contains.
    assert.equal(explainServerMessage('令牌可用额度已用尽，无法启用'), '令牌可用额度已用尽，无法启用 (the token\'s quota is used up, so it cannot be enabled)');
    assert.equal(explainServerMessage('Invalid token'), 'Invalid token');
    assert.equal(explainServerMessage('Token name is too long'), 'Token name is too long');
  });

  it('a caller\'s own glosses come after ours', () => {
    assert.equal(explainServerMessage('未提供令牌', [{ zh: /未提供令牌/, gloss: 'no API key was sent' }]), '未提供令牌 (no API key was sent)');
  });

  it('withServerMessage appends what the gateway said, glossed, and nothing when it said nothing', () => {
    assert.equal(withServerMessage('The gateway refused.', '令牌名称过长'), 'The gateway refused. The gateway said: "令牌名称过长 (the token name is too long)".');
    assert.equal(withServerMessage('The gateway refused.', 'x', 'server'), 'The gateway refused. The server said: "x".');
    assert.equal(withServerMessage('The gateway refused.', undefined), 'The gateway refused.');
  });
});

describe('server messages for a Chinese reader', () => {
  before(() => useLanguage('zh-cn', chineseBundle()));
  after(() => useLanguage('en'));

  it('a Chinese message is left as it is; a known English one is glossed in Chinese', () => {
    assert.equal(explainServerMessage('该令牌已过期'), '该令牌已过期');
    assert.equal(explainServerMessage('Invalid token'), 'Invalid token（无效的令牌）');
    assert.equal(explainServerMessage('This token has no access to model gpt-5'), 'This token has no access to model gpt-5（该令牌无权使用此模型）');
    assert.equal(explainServerMessage('something new'), 'something new');
  });

  it('withServerMessage says it in Chinese', () => {
    assert.equal(withServerMessage('网关拒绝了请求。', 'Token name is too long'), '网关拒绝了请求。网关返回：“Token name is too long（令牌名称过长）”。');
  });
});
