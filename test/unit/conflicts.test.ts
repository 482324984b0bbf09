// What the real agents showed (issue 11), found before anything is written: a key exported in the
// shell that rides along to the gateway, a project's settings that win over ours, Codex's root profile.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerFix, findConflicts, fixAnswer, type ConflictContext } from '../../src/core/agents/conflicts';
import type { HostEnvironment } from '../../src/core/agents/paths';
import { planAgent, type ConfigureRequest } from '../../src/core/agents/plan';
import type { AgentId } from '../../src/core/agents/types';
import { redact } from '../../src/core/redact';

const KEY = 'sk-test' + 'c'.repeat(40);
const USERS_OWN = 'sk-ant-api03-' + 'u'.repeat(40);

describe('conflicts: what outside our files would defeat them', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(path.join(os.tmpdir(), 'tokaify-conflicts-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
    writeFileSync(path.join(home, rel), text);
  };
  const host = (env: Record<string, string> = {}): HostEnvironment => ({ env, home, platform: 'linux' });
  const request: ConfigureRequest = { gatewayRoot: 'https://gw.example.com', key: KEY, model: 'claude-sonnet-4-5', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } };
  const check = async (agent: AgentId, req: ConfigureRequest, context: Partial<ConflictContext> & { host: HostEnvironment }) => {
    const plan = await planAgent(agent, req, context.host);
    return { plan, conflicts: await findConflicts(plan, req, { projectFolders: [], ...context }) };
  };

  describe('a key variable exported in the shell (Claude Code sends both headers)', () => {
    it('ANTHROPIC_API_KEY in the shell while we write ANTHROPIC_AUTH_TOKEN: named, with where and the fix; the value never appears', async () => {
      put('.zshrc', `export PATH=~/bin:$PATH\nexport ANTHROPIC_API_KEY=${USERS_OWN}\n`);
      const { conflicts } = await check('claude-code', request, { host: host({ ANTHROPIC_API_KEY: USERS_OWN }) });
      assert.equal(conflicts.length, 1);
      const [c] = conflicts;
      assert.equal(c!.id, 'claude.shell-key');
      assert.deepEqual(c!.where, ['your shell environment', '~/.zshrc line 2']);
      assert.equal(
        c!.message,
        'ANTHROPIC_API_KEY is set in your shell environment and ~/.zshrc line 2: Claude Code would send it in the x-api-key header to gw.example.com next to the gateway key in ANTHROPIC_AUTH_TOKEN, so that key, often your own Anthropic one, reaches the gateway.',
      );
      assert.deepEqual(c!.fix && [c.fix.option, c.fix.label], ['claude.clearShellKey', 'Write "ANTHROPIC_API_KEY": "" in settings.json']);
      assert.ok(!JSON.stringify(conflicts).includes(USERS_OWN.slice(0, 16)), 'no value is kept');
      assert.equal(redact(c!.message), c!.message, 'nothing in it reads as a secret, so VS Code shows it whole');
    });

    it('the fix, once chosen, lands in the planned settings.json and the conflict is gone', async () => {
      const env = { ANTHROPIC_API_KEY: USERS_OWN };
      assert.equal(fixAnswer(request, 'claude.clearShellKey'), undefined, 'not asked yet');
      const fixed = answerFix(request, 'claude.clearShellKey', true);
      assert.equal(fixAnswer(fixed, 'claude.clearShellKey'), true);
      const { plan, conflicts } = await check('claude-code', fixed, { host: host(env) });
      assert.deepEqual(conflicts, []);
      const written = JSON.parse(plan.changes[0]!.after!) as { env: Record<string, string> };
      assert.equal(written.env.ANTHROPIC_API_KEY, '');
      assert.equal(written.env.ANTHROPIC_AUTH_TOKEN, KEY);
      // Declined: still said.
      assert.equal((await check('claude-code', answerFix(request, 'claude.clearShellKey', false), { host: host(env) })).conflicts.length, 1);
    });

    it('the reverse: ANTHROPIC_AUTH_TOKEN in terminal.integrated.env while we write ANTHROPIC_API_KEY', async () => {
      const req = { ...request, claude: { keyVariable: 'ANTHROPIC_API_KEY' as const } };
      const { conflicts } = await check('claude-code', req, { host: host(), terminalEnv: { ANTHROPIC_AUTH_TOKEN: USERS_OWN, ANTHROPIC_API_KEY: null } });
      assert.equal(conflicts.length, 1);
      assert.match(conflicts[0]!.message, /^ANTHROPIC_AUTH_TOKEN is set in terminal\.integrated\.env: Claude Code would send it in the Authorization header/);
      assert.equal(conflicts[0]!.fix?.label, 'Write "ANTHROPIC_AUTH_TOKEN": "" in settings.json');
    });

    it('no conflict: the shell sets the variable we write (ours wins), an empty value, or an earlier fix is in settings.json', async () => {
      assert.deepEqual((await check('claude-code', request, { host: host({ ANTHROPIC_AUTH_TOKEN: USERS_OWN }) })).conflicts, []);
      assert.deepEqual((await check('claude-code', request, { host: host({ ANTHROPIC_API_KEY: ' ' }) })).conflicts, []);
      put('.claude/settings.json', JSON.stringify({ env: { ANTHROPIC_API_KEY: '' } }, null, 2));
      assert.deepEqual((await check('claude-code', request, { host: host({ ANTHROPIC_API_KEY: USERS_OWN }) })).conflicts, []);
    });

    it('VS Code names its own environment', async () => {
      const { conflicts } = await check('claude-code', request, { host: host({ ANTHROPIC_API_KEY: USERS_OWN }), environmentLabel: 'VS Code\u2019s environment' });
      assert.deepEqual(conflicts[0]!.where, ['VS Code\u2019s environment']);
    });
  });

  describe('a project\'s settings win over the user file in that folder', () => {
    it('.claude/settings.json with ANTHROPIC_MODEL in the folder Claude Code starts in', async () => {
      put('app/.claude/settings.json', JSON.stringify({ env: { ANTHROPIC_MODEL: 'claude-opus-4-1', ANTHROPIC_BASE_URL: 'https://api.anthropic.com' } }));
      const { conflicts } = await check('claude-code', request, { host: host(), projectFolders: [path.join(home, 'app')] });
      assert.deepEqual(conflicts.map((c) => [c.id, c.where, c.fix]), [['project-override', [path.join(home, 'app/.claude/settings.json')], undefined]]);
      assert.equal(
        conflicts[0]!.message,
        '~/app/.claude/settings.json sets env.ANTHROPIC_MODEL, env.ANTHROPIC_BASE_URL: Claude Code started in ~/app uses those values, not what is written here (project settings take precedence over your user settings).',
      );
    });

    it('only the agent being configured; the folder that is the home directory is not a project', async () => {
      put('app/.claude/settings.json', JSON.stringify({ env: { ANTHROPIC_MODEL: 'm' } }));
      mkdirSync(path.join(home, '.codex'));
      assert.deepEqual((await check('codex', { ...request, model: 'gpt-5.4' }, { host: host(), projectFolders: [path.join(home, 'app')] })).conflicts, []);
      put('.claude/settings.json', JSON.stringify({ env: { ANTHROPIC_MODEL: 'old' } }));
      assert.deepEqual((await check('claude-code', request, { host: host(), projectFolders: [home] })).conflicts, []);
    });
  });

  describe('a root profile in Codex\'s config.toml', () => {
    const config = 'model = "o3"\nprofile = "work"\n\n[profiles.work]\nmodel = "o3"\n';
    const codex: ConfigureRequest = { gatewayRoot: 'https://gw.example.com', key: KEY, model: 'gpt-5.4' };

    it('is named with its line and the opt-in fix; choosing it removes the line (a comment says what) and the conflict', async () => {
      put('.codex/config.toml', config);
      const { conflicts } = await check('codex', codex, { host: host() });
      assert.deepEqual(conflicts.map((c) => [c.id, c.where, c.fix?.option]), [['codex.legacy-profile', [path.join(home, '.codex/config.toml:2')], 'codex.removeLegacyProfile']]);
      assert.match(conflicts[0]!.message, /profile = "work"\): Codex 0\.171 and later refuse to start with it/);
      assert.equal(conflicts[0]!.title, 'Codex will not start: config.toml has a root profile = "work"');
      assert.equal(conflicts[0]!.fix?.decline, 'Codex keeps refusing to start until the line is removed.');
      const fixed = await check('codex', answerFix(codex, 'codex.removeLegacyProfile', true), { host: host() });
      assert.deepEqual(fixed.conflicts, []);
      const after = fixed.plan.changes[0]!.after!;
      assert.match(after, /^# Removed by Tokaify \(Codex no longer accepts a root profile; .*\): profile = "work"$/m);
      assert.doesNotMatch(after, /^profile =/m);
      assert.match(after, /^\[profiles\.work\]$/m);
    });

    it('[profiles.x] tables alone are fine (Codex 0.171 accepts them)', async () => {
      put('.codex/config.toml', '[profiles.work]\nmodel = "o3"\n');
      assert.deepEqual((await check('codex', codex, { host: host() })).conflicts, []);
    });
  });
});
