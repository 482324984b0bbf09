/**
 * Verify in zh-CN (issue 13): the findings, their fixes, the evidence and the report read in Chinese, with
 * the console's words. Each assertion is the translated text itself, so a missing or stale bundle entry
 * fails here with the English it fell back to.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { renderReport } from '../../src/core/diagnosis/report';
import { diagnose } from '../../src/core/diagnosis/rules';
import type { Facts, Finding } from '../../src/core/diagnosis/types';
import { useLanguage } from '../../src/core/locale';
import { healthy, OTHER_KEY } from './diagnosisFacts';

const ROOT = path.resolve(__dirname, '../../..');

function run(change: (f: Facts) => void): Finding[] {
  const facts = healthy();
  change(facts);
  return diagnose(facts);
}

describe('Verify in zh-CN', () => {
  before(() => useLanguage('zh-cn', JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8'))));
  after(() => useLanguage('en'));

  it('a disabled token: the finding, why, and the fix in the console\'s words; the gateway\'s Chinese message without an English gloss', () => {
    const findings = run((f) => {
      f.relay = { ok: false, status: 401, latencyMs: 80, errorKind: 'unauthorized', serverMessage: '该令牌状态不可用', message: 'The API key was not accepted (401).' };
    });
    const hit = findings.find((x) => x.id === 'relay.token-disabled')!;
    assert.equal(hit.title, '令牌“vscode”已禁用');
    assert.equal(hit.detail, '已禁用的令牌每次请求都会被拒绝（401 该令牌状态不可用）。在令牌列表中启用它即可，其他都无需改动。');
    assert.equal(hit.fix?.label, '启用令牌');
    assert.deepEqual(hit.evidence, [
      'GET /v1/models → HTTP 401，耗时 80 ms',
      '网关返回：“该令牌状态不可用”',
      '控制台：令牌“vscode”（#7）已启用，剩余额度 $1.00，永不过期，分组“default”（令牌信息：刚从网关读取）',
      `正在验证的密钥：${healthy().keyLabel}`,
    ]);
  });

  it('two sentences of a finding join without a space, and an environment value is cited in Chinese', () => {
    const findings = run((f) => (f.environment.processEnv.ANTHROPIC_API_KEY = OTHER_KEY));
    const hit = findings.find((x) => x.id === 'env.anthropic-api-key')!;
    assert.equal(hit.title, 'Claude Code 也会把你 shell 环境中的 ANTHROPIC_API_KEY 发给此网关');
    assert.match(hit.detail, /^settings\.json 设置了 ANTHROPIC_AUTH_TOKEN 但没有设置 ANTHROPIC_API_KEY，.*网关。它还会要求你确认是否使用该密钥，并提示认证冲突。修复方法：/);
    assert.equal(hit.fix?.label, '在 settings.json 中写入 "ANTHROPIC_API_KEY": ""');
    assert.match(hit.evidence[0]!, /^环境变量：ANTHROPIC_API_KEY=/);
  });

  it('all good: what was checked, the agents listed the Chinese way', () => {
    const [ok] = diagnose(healthy());
    assert.equal(ok!.title, '一切正常：网关可访问（120 ms），密钥有效，3 个模型，Codex CLI、Claude Code 和 OpenCode 正常');
    assert.equal(ok!.detail, 'Tokaify 对 api.tokaify.com 的各项检查均已通过。');
    assert.ok(ok!.evidence.includes('Codex CLI：指向此网关，模型 gpt-5.4，测试请求成功（900 ms）'), ok!.evidence.join('\n'));
  });

  it('the report: its language, the summary, the screen-reader labels and the link back', () => {
    const findings = run((f) => (f.token!.status = 'expired'));
    const html = renderReport(findings, { title: 'Tokaify', subtitle: 'api.tokaify.com', cspSource: 'vscode-resource:' });
    assert.match(html, /<html lang="zh-CN">/);
    assert.match(html, /1 个问题 · <a [^>]*>重新验证<\/a>/);
    assert.match(html, /<span class="sr">问题：<\/span> 令牌“vscode”已过期/);
    assert.match(html, />延长令牌的过期时间<\/a>/);
  });

  it('switching back to English gives the English text again', () => {
    useLanguage('en');
    try {
      assert.match(diagnose(healthy())[0]!.title, /^All good: gateway reachable in 120 ms/);
    } finally {
      useLanguage('zh-cn', JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')));
    }
  });
});
