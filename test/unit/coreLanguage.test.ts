/**
 * The core speaks the user's language (issue 13): failure messages, the status bar and amounts come out in
 * Chinese for a zh-CN user. Each assertion is the Chinese text, so a missing translation fails it.
 */
import assert from 'node:assert/strict';
import type { BalanceSnapshot } from '../../src/core/balance';
import { GatewayError } from '../../src/core/errors';
import { failureText } from '../../src/core/failureText';
import { useLanguage } from '../../src/core/locale';
import { formatQuota, quotaDisplayOf } from '../../src/core/quota';
import { parseOrThrow, userSelfSchema } from '../../src/core/schemas';
import { statusLine, statusView, type StatusState } from '../../src/core/statusView';
import { chineseBundle } from './chineseBundle';

const snapshot: BalanceSnapshot = { remaining: 4_750_000, used: 500_000, unlimited: false, source: 'account', latencyMs: 120, at: Date.UTC(2026, 10, 25, 9, 30) };
const signedIn: StatusState = { account: { label: 'Demo User', host: 'api.tokaify.com', keyOnly: false }, display: quotaDisplayOf(undefined), checking: false };
const refused = (serverMessage: string) => new GatewayError('rejected', `The gateway refused PUT /api/token/?status_only=true: ${serverMessage}.`, { serverMessage });

describe('the core in Chinese (zh-CN)', () => {
  before(() => useLanguage('zh-cn', chineseBundle()));
  after(() => useLanguage('en'));

  it('failureText: the advice and the next step, the gateway\'s English words glossed in Chinese', () => {
    const text = failureText('无法启用“expired”', refused('Token has expired and cannot be enabled. Please modify the expiration time or set it to never expire'));
    assert.equal(text.next, 'editToken');
    assert.equal(text.message,
      '无法启用“expired”：令牌已过期。请在“编辑令牌”中设置更晚的过期时间（或永不过期），然后启用它。'
      + '网关返回：“Token has expired and cannot be enabled. Please modify the expiration time or set it to never expire（令牌已过期，无法启用）”。');
    assert.equal(failureText('x', new GatewayError('rateLimited', 'GET /api/token/search')).message, 'x：网关限制了此操作的频率。请等待几分钟后重试。');
  });

  it('failureText: a reply of the wrong shape, in Chinese, with the route taken out', () => {
    let error: unknown;
    try {
      parseOrThrow(userSelfSchema, { id: 'x' }, 'GET /api/user/self', 'data');
    } catch (e) {
      error = e;
    }
    assert.equal(failureText('无法读取余额', error).message, '无法读取余额：该请求：网关响应在“data.id”处的结构不符合预期（应为 number，实际为 字符串 "x"）。它可能是不同的服务器或版本。');
  });

  it('the status bar: its words in the text, a Chinese tooltip with translated links', () => {
    const offline: StatusState = { ...signedIn, last: snapshot, error: { kind: 'network', message: '无法连接 api.tokaify.com：连接被重置。', at: Date.UTC(2026, 10, 25, 9, 35) } };
    const view = statusView(offline);
    assert.equal(view.text, '$(debug-disconnect) Tokaify: $9.50（已过时） · 离线');
    assert.equal(statusLine(offline).text, view.text);
    const lines = view.tooltip.split('\n').filter(Boolean);
    assert.equal(lines[1], '余额：**\\$9\\.50**（已过时）· 已用 \\$1\\.00');
    assert.equal(lines[2], '上次成功检查：09:30:00 UTC，耗时 120 ms');
    assert.equal(lines.at(-1), '[验证配置](command:tokaify.verify) · [切换网关](command:tokaify.switchGateway) · [打开控制台](command:tokaify.openConsole) · [刷新](command:tokaify.refreshStatus) · [用量](command:tokaify.showUsage)');
    assert.equal(statusView({ display: signedIn.display, checking: false }).text, '$(plug) Tokaify: 登录');
    assert.equal(statusView({ ...signedIn, error: { kind: 'unauthorized', message: 'x', at: 0 } }).text, '$(error) Tokaify: 登录失败');
  });

  it('amounts are grouped as the locale groups them; token counts read "Token"', () => {
    assert.equal(formatQuota(617_283_500, quotaDisplayOf(undefined)), '$1,234.57');
    assert.equal(formatQuota(1_234_567, quotaDisplayOf({ quota_display_type: 'TOKENS' })), '1,234,567 Token');
  });
});
