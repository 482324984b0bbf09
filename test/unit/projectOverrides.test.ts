import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findProjectOverrides } from '../../src/core/agents/projectOverrides';

describe('project files that override what Tokaify writes', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(os.tmpdir(), 'tokaify-project-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };

  it('Claude Code: ANTHROPIC_* in .claude/settings.json and .claude/settings.local.json, each file on its own', async () => {
    put('app/.claude/settings.json', JSON.stringify({ env: { ANTHROPIC_MODEL: 'claude-opus-4-1', HTTPS_PROXY: 'http://p:3128' }, permissions: {} }));
    put('app/.claude/settings.local.json', JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'https://api.anthropic.com' } }));
    assert.deepEqual(await findProjectOverrides([path.join(root, 'app')]), [
      { agent: 'claude-code', path: path.join(root, 'app/.claude/settings.json'), keys: ['env.ANTHROPIC_MODEL'] },
      { agent: 'claude-code', path: path.join(root, 'app/.claude/settings.local.json'), keys: ['env.ANTHROPIC_BASE_URL'] },
    ]);
  });

  it('a project file without ANTHROPIC_* variables, or that is not JSON, overrides nothing', async () => {
    put('app/.claude/settings.json', JSON.stringify({ env: { HTTPS_PROXY: 'http://p:3128' } }));
    put('app/.claude/settings.local.json', '{ // a comment\n"env": {"ANTHROPIC_MODEL": "x"} }');
    assert.deepEqual(await findProjectOverrides([path.join(root, 'app')]), []);
  });

  it('Codex and OpenCode project files; `agents` narrows the search to the agent being configured', async () => {
    put('app/.codex/config.toml', 'model = "o3"\n[model_providers.x]\nname = "x"\n');
    put('app/opencode.jsonc', '{ "model": "x/y" }');
    put('app/.claude/settings.json', JSON.stringify({ env: { ANTHROPIC_MODEL: 'm' } }));
    const all = await findProjectOverrides([path.join(root, 'app')]);
    assert.deepEqual(all.map((o) => [o.agent, path.relative(root, o.path), o.keys]), [
      ['claude-code', 'app/.claude/settings.json', ['env.ANTHROPIC_MODEL']],
      ['codex', 'app/.codex/config.toml', ['model', 'model_providers']],
      ['opencode', 'app/opencode.jsonc', ['model']],
    ]);
    assert.deepEqual((await findProjectOverrides([path.join(root, 'app')], { agents: ['claude-code'] })).map((o) => o.agent), ['claude-code']);
  });

  it('the home folder itself (the CLI run from ~): the user settings file is not an override of itself, even through a symlink', async () => {
    put('home/.claude/settings.json', JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'https://gw.example.com', ANTHROPIC_MODEL: 'm' } }));
    const home = path.join(root, 'home');
    const userFiles = [path.join(home, '.claude', 'settings.json')];
    assert.deepEqual(await findProjectOverrides([home], { userFiles }), []);
    symlinkSync(home, path.join(root, 'link'));
    assert.deepEqual(await findProjectOverrides([path.join(root, 'link')], { userFiles }), []);
    assert.equal((await findProjectOverrides([home])).length, 1, 'without userFiles it would be reported');
  });
});
