// The agent writers in Chinese: what Configure, Verify and the CLI show (conflicts and their fixes, a
// broken or oddly shaped file, version warnings, a gateway without the route) reads as zh-CN text once
// the bundle is loaded, and tables built at module load still follow the language of the moment.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { routeWarning } from '../../src/core/agents/capabilities';
import { planClaudeSettings } from '../../src/core/agents/claudeCode';
import { findConflicts } from '../../src/core/agents/conflicts';
import type { HostEnvironment } from '../../src/core/agents/paths';
import { planAgent, type ConfigureRequest } from '../../src/core/agents/plan';
import { ConfigShapeError, ConfigSyntaxError } from '../../src/core/agents/types';
import { concernText, KEY_REQUIREMENTS, versionConcerns } from '../../src/core/agents/versions';
import { useLanguage } from '../../src/core/locale';

const ROOT = path.resolve(__dirname, '../../..');
const KEY = 'sk-test' + 'c'.repeat(40);
const USERS_OWN = 'sk-ant-api03-' + 'u'.repeat(40);
const claude = { baseUrl: 'https://gw.example.com', key: KEY, keyVariable: 'ANTHROPIC_AUTH_TOKEN' as const, model: 'claude-sonnet-4-5' };

describe('agent writers in zh-CN', () => {
  let home: string;
  before(() => useLanguage('zh-cn', JSON.parse(readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>));
  after(() => useLanguage('en'));
  beforeEach(() => (home = mkdtempSync(path.join(os.tmpdir(), 'tokaify-agents-zh-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const host = (env: Record<string, string> = {}): HostEnvironment => ({ env, home, platform: 'linux' });

  it('a shell key: where it was seen, why it matters and the fix, in Chinese; places listed with 、', async () => {
    writeFileSync(path.join(home, '.zshrc'), `export ANTHROPIC_API_KEY=${USERS_OWN}\n`);
    const request: ConfigureRequest = { gatewayRoot: 'https://gw.example.com', key: KEY, model: 'claude-sonnet-4-5' };
    const env = host({ ANTHROPIC_API_KEY: USERS_OWN });
    const [conflict] = await findConflicts(await planAgent('claude-code', request, env), request, { host: env, projectFolders: [] });
    assert.equal(conflict!.title, '你的 shell 中的 ANTHROPIC_API_KEY 会被发送到 gw.example.com');
    assert.deepEqual(conflict!.where, ['你的 shell 环境', '~/.zshrc 第 1 行']);
    assert.equal(
      conflict!.message,
      'ANTHROPIC_API_KEY 已在以下位置设置：你的 shell 环境、~/.zshrc 第 1 行。Claude Code 会通过 x-api-key 请求头把它连同 ANTHROPIC_AUTH_TOKEN 中的网关密钥一起发送到 gw.example.com，这个密钥（往往是你自己的 Anthropic 密钥）就会到达网关。',
    );
    assert.equal(conflict!.fix?.label, '在 settings.json 中写入 "ANTHROPIC_API_KEY": ""');
    assert.equal(conflict!.fix?.decline, 'Claude Code 会把两个密钥都发送到 gw.example.com。');
  });

  it('a root profile and a project override, in Chinese', async () => {
    mkdirSync(path.join(home, '.codex'));
    writeFileSync(path.join(home, '.codex', 'config.toml'), 'profile = "work"\n');
    const app = path.join(home, 'app');
    mkdirSync(path.join(app, '.codex'), { recursive: true });
    writeFileSync(path.join(app, '.codex', 'config.toml'), 'model = "o3"\nmodel_provider = "corp"\n');
    const request: ConfigureRequest = { gatewayRoot: 'https://gw.example.com', key: KEY, model: 'gpt-5.4' };
    const conflicts = await findConflicts(await planAgent('codex', request, host()), request, { host: host(), projectFolders: [app] });
    const profile = conflicts.find((c) => c.id === 'codex.legacy-profile')!;
    assert.equal(profile.title, 'Codex 将无法启动：config.toml 的根级有 profile = "work"');
    assert.equal(profile.fix?.label, '删除根级 profile 行');
    const project = conflicts.find((c) => c.id === 'project-override')!;
    assert.equal(project.title, '~/app/.codex/config.toml 覆盖了 2 项设置');
    assert.equal(project.message, '~/app/.codex/config.toml 设置了 model、model_provider：在 ~/app 中启动的 Codex CLI 会使用这些值，而不是这里写入的值（Codex 会用受信任项目的配置覆盖你的用户配置）。');
  });

  it('a file we refuse to touch says where and why in Chinese', () => {
    assert.throws(() => planClaudeSettings('{\n  // mine\n  "env": {}\n}\n', claude, 'settings.json'), (error: unknown) => {
      assert.ok(error instanceof ConfigSyntaxError);
      assert.equal(error.message, 'settings.json:2:3：不允许注释（Claude Code 会丢弃含有注释的设置文件）。请先修正或移走该文件；文件未被修改。');
      return true;
    });
    assert.throws(() => planClaudeSettings('[]\n', claude, 'settings.json'), (error: unknown) => {
      assert.ok(error instanceof ConfigShapeError);
      assert.equal(error.message, 'settings.json：顶层是数组，不是对象。文件未被修改。');
      return true;
    });
  });

  it('version warnings, their sources and a missing route, in Chinese', () => {
    const [concern] = versionConcerns('claude-code', '2.1.0', ['env.ANTHROPIC_CUSTOM_MODEL_OPTION', 'env.CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS']);
    assert.equal(
      concernText(concern!),
      'Claude Code 2.1.0 版本过旧，Tokaify 写入的这些设置需要更高版本：env.ANTHROPIC_CUSTOM_MODEL_OPTION（2.1.78 起）、env.CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS（2.1.27 起）。请更新 Claude Code，否则这些设置不会生效。',
    );
    // Built at module load, read now: the source follows the current language.
    const source = KEY_REQUIREMENTS.find((r) => r.key === 'env.ANTHROPIC_CUSTOM_MODEL_OPTION')!.minimum.source;
    assert.equal(source, 'anthropics/claude-code CHANGELOG.md 2.1.78：新增了 ANTHROPIC_CUSTOM_MODEL_OPTION');
    assert.match(routeWarning({ agent: 'claude-code', route: '/v1/messages', served: false, status: 404 }, 'one-api')!, /^此网关（one-api）没有 \/v1\/messages：Claude Code 无法使用它。/);
  });

  it('back in English, the same table reads English again', () => {
    useLanguage('en');
    try {
      const source = KEY_REQUIREMENTS.find((r) => r.key === 'env.ANTHROPIC_CUSTOM_MODEL_OPTION')!.minimum.source;
      assert.equal(source, 'anthropics/claude-code CHANGELOG.md 2.1.78: "Added ANTHROPIC_CUSTOM_MODEL_OPTION"');
    } finally {
      useLanguage('zh-cn', JSON.parse(readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>);
    }
  });
});
