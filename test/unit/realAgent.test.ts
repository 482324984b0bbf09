// The real-agent run: its invocation per agent, how it is spawned, what its output says, and the
// installed agents a terminal would find.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configureVersionNotes } from '../../src/core/agents/configureVersions';
import { findOnPath, readAgentVersion } from '../../src/core/agents/installedAgents';
import { runInvocation, spawnPlan, type ProcessResult } from '../../src/core/agents/processRun';
import { describeInvocation, QUIET_ENV, REAL_AGENT_PROMPT, turnInvocation, versionInvocation } from '../../src/core/agents/realAgent';
import { readRun } from '../../src/core/agents/realAgentOutput';
import { runRealAgent } from '../../src/core/agents/realAgentRun';

const result = (over: Partial<ProcessResult>): ProcessResult => ({ code: 1, signal: null, stdout: '', stderr: '', ms: 10, timedOut: false, ...over });

describe('the real agent\'s invocation', () => {
  const base = { PATH: '/usr/bin', HOME: '/home/u', CLAUDE_CODE_MAX_RETRIES: '9', UNSET: undefined };

  it('Codex: exec in a read-only sandbox without its shell tool, quiet, the prompt last', () => {
    const inv = turnInvocation('codex', { binary: '/bin/codex', baseEnv: base });
    assert.equal(inv.argv[0], '/bin/codex');
    assert.equal(inv.argv[1], 'exec');
    for (const pair of [['--sandbox', 'read-only'], ['-c', 'features.shell_tool=false'], ['-c', 'analytics.enabled=false']]) {
      assert.ok(inv.argv.some((a, i) => a === pair[0] && inv.argv[i + 1] === pair[1]), pair.join(' '));
    }
    assert.ok(!inv.argv.includes('--disable'), '--disable refuses a feature an older Codex does not know; -c only warns');
    assert.equal(inv.argv.at(-1), REAL_AGENT_PROMPT);
  });

  it('Claude Code: -p, one turn, no tools, no MCP servers, quiet and without retries (over the user\'s own setting)', () => {
    const inv = turnInvocation('claude-code', { binary: 'claude', baseEnv: base, extraArgs: ['--model', 'x'] });
    assert.deepEqual(inv.argv, ['claude', '-p', '--max-turns', '1', '--tools', '', '--strict-mcp-config', '--no-session-persistence', '--model', 'x', REAL_AGENT_PROMPT]);
    assert.equal(inv.env.CLAUDE_CODE_MAX_RETRIES, '0');
    assert.equal(inv.env.DISABLE_TELEMETRY, '1');
    assert.equal(inv.env.HOME, '/home/u');
    assert.ok(!('UNSET' in inv.env));
  });

  it('OpenCode: run with every permission denied and its update check off; extra env on top', () => {
    const inv = turnInvocation('opencode', { binary: 'opencode', baseEnv: base, extraEnv: { X: '1' }, timeoutMs: 5 });
    assert.deepEqual(inv.argv, ['opencode', 'run', REAL_AGENT_PROMPT]);
    assert.equal(inv.env.OPENCODE_PERMISSION, '{"*":"deny"}');
    assert.equal(inv.env.OPENCODE_DISABLE_AUTOUPDATE, '1');
    assert.equal(inv.env.X, '1');
    assert.equal(inv.timeoutMs, 5);
  });

  it('--version is as quiet as a turn; the command line shown uses the command\'s name', () => {
    assert.deepEqual(versionInvocation('claude-code', '/x/claude', {}).env, { NO_COLOR: '1', TERM: 'dumb', ...QUIET_ENV['claude-code'] });
    assert.equal(describeInvocation('claude-code', turnInvocation('claude-code', { binary: '/opt/x/claude', baseEnv: {} })),
      `claude -p --max-turns 1 --tools "" --strict-mcp-config --no-session-persistence 'Reply with one short greeting.'`);
  });
});

describe('spawning an invocation', () => {
  it('a Windows .cmd shim goes through cmd.exe with every argument quoted; anything cmd.exe could expand is refused', () => {
    assert.deepEqual(spawnPlan(['C:\\npm\\codex.cmd', 'exec', 'say "hi"'], 'win32', 'C:\\Windows\\cmd.exe'), {
      file: 'C:\\Windows\\cmd.exe', args: ['/d', '/s', '/c', '""C:\\npm\\codex.cmd" "exec" "say ""hi""""'], windowsVerbatimArguments: true,
    });
    assert.throws(() => spawnPlan(['codex.cmd', '%PATH%'], 'win32'), /cannot pass/);
    assert.deepEqual(spawnPlan(['C:\\bin\\codex.exe', 'a b'], 'win32'), { file: 'C:\\bin\\codex.exe', args: ['a b'], windowsVerbatimArguments: false });
    assert.deepEqual(spawnPlan(['/usr/bin/claude', '%x'], 'linux'), { file: '/usr/bin/claude', args: ['%x'], windowsVerbatimArguments: false });
  });

  it('stdin is closed, the output is kept, and the time limit ends the whole process group', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tokaify-run-test-'));
    const done = await runInvocation({ argv: [process.execPath, '-e', 'process.stdin.on("data",()=>{}).on("end",()=>{console.log("eof");process.exit(3)})'], env: {}, timeoutMs: 5000 }, dir);
    assert.deepEqual([done.code, done.stdout.trim(), done.timedOut], [3, 'eof', false]);
    const started = Date.now();
    const slow = await runInvocation({ argv: ['/bin/sh', '-c', 'sleep 30 & sleep 30'], env: {}, timeoutMs: 300 }, dir);
    assert.ok(slow.timedOut && Date.now() - started < 5000, JSON.stringify(slow));
    const missing = await runInvocation({ argv: [path.join(dir, 'nope')], env: {}, timeoutMs: 1000 }, dir);
    assert.equal(missing.startError, 'ENOENT');
  });

  it('a run happens in a fresh temporary folder, removed afterwards', async () => {
    const bin = path.join(mkdtempSync(path.join(os.tmpdir(), 'tokaify-run-test-')), 'claude');
    writeFileSync(bin, '#!/bin/sh\npwd\necho "$@" >&2\n');
    chmodSync(bin, 0o755);
    const run = await runRealAgent('claude-code', { binary: bin, baseEnv: { PATH: process.env.PATH } });
    assert.match(run.stdout, /tokaify-agent-run-/);
    assert.ok(!run.stdout.includes(process.cwd()));
    assert.equal(run.reading.outcome, 'ok');
  });
});

describe('what a real agent\'s output says (the texts the agents layer recorded)', () => {
  it('Claude Code\'s 401 and its context_management 400', () => {
    assert.deepEqual(readRun('claude-code', result({ stdout: 'Failed to authenticate. API Error: 401 无效的令牌 (request id: 2026abc)\n' })), {
      outcome: 'refused', status: 401, serverMessage: '无效的令牌 (request id: 2026abc)', contextManagementRejected: false,
      errorLine: 'Failed to authenticate. API Error: 401 无效的令牌 (request id: 2026abc)',
    });
    const cm = readRun('claude-code', result({ stdout: 'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"context_management: Extra inputs are not permitted"}}' }));
    assert.deepEqual([cm.outcome, cm.status, cm.contextManagementRejected, cm.serverMessage], ['refused', 400, true, 'context_management: Extra inputs are not permitted']);
    assert.equal(readRun('claude-code', result({ stdout: 'API Error: 400 context_management: Extra inputs are not permitted' })).contextManagementRejected, true);
  });

  it('Codex\'s "unexpected status", after its reconnect lines; its legacy profile refusal', () => {
    const stderr = 'ERROR: Reconnecting... 5/5\nERROR: unexpected status 401 Unauthorized: 无效的令牌 (request id: 1), url: http://127.0.0.1:1/v1/responses\n';
    assert.deepEqual(readRun('codex', result({ stderr })).status, 401);
    assert.equal(readRun('codex', result({ stderr: 'unexpected status 404 Not Found: {"error":{"message":"Invalid URL (POST /v1/responses)"}}, url: x' })).serverMessage, 'Invalid URL (POST /v1/responses)');
    const legacy = readRun('codex', result({ stderr: 'Error: legacy `profile = "work"` config is no longer supported; use `--profile work` with `work.config.toml` instead' }));
    assert.deepEqual([legacy.outcome, legacy.legacyProfile], ['legacy-profile', 'work']);
  });

  it('OpenCode\'s colored "Error:" line, its status taken from the gateway\'s known message', () => {
    const reading = readRun('opencode', result({ stderr: '\u001b[0m\n> build · gpt-5.4\n\u001b[91m\u001b[1mError: \u001b[0m无效的令牌 (request id: 9)\n' }));
    assert.deepEqual([reading.outcome, reading.status, reading.serverMessage], ['refused', 401, '无效的令牌 (request id: 9)']);
    assert.equal(readRun('opencode', result({ stderr: 'Error: something odd' })).status, undefined);
  });

  it('finished, silent, timed out, not started, unknown switch, unknown failure', () => {
    assert.equal(readRun('codex', result({ code: 0, stdout: 'Hello' })).outcome, 'ok');
    assert.equal(readRun('codex', result({ code: 0 })).outcome, 'no-reply');
    assert.equal(readRun('opencode', result({ code: null, timedOut: true })).outcome, 'timed-out');
    assert.equal(readRun('opencode', result({ code: null, startError: 'EACCES' })).outcome, 'not-started');
    assert.equal(readRun('claude-code', result({ stderr: "error: unknown option '--tools'" })).outcome, 'unsupported-invocation');
    assert.equal(readRun('codex', result({ stderr: "error: unexpected argument '--ephemeral' found" })).outcome, 'unsupported-invocation');
    assert.equal(readRun('codex', result({ stderr: 'panic' })).outcome, 'failed');
  });
});

describe('installed agents, found as a terminal finds them', () => {
  it('the first executable on PATH; Windows names from PATHEXT, in PATH order', () => {
    const files = new Set(['/b/codex', '/c/codex', 'C:\\npm\\codex.CMD'.toLowerCase(), 'c:\\npm\\claude.exe']);
    const exists = (f: string) => files.has(f.toLowerCase());
    assert.equal(findOnPath('codex', { PATH: '/a:/b:/c' }, 'linux', exists), '/b/codex');
    assert.equal(findOnPath('codex', { PATH: 'relative:/a' }, 'linux', exists), undefined);
    assert.equal(findOnPath('codex', { Path: 'C:\\tools;"C:\\npm"', PATHEXT: '.EXE;.CMD' }, 'win32', exists)?.toLowerCase(), 'c:\\npm\\codex.cmd');
    assert.equal(findOnPath('claude', { PATH: 'C:\\npm' }, 'win32', exists)?.toLowerCase(), 'c:\\npm\\claude.exe');
  });

  it('reads the version, time-limited, and remembers it for that binary', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tokaify-version-test-'));
    const bin = path.join(dir, 'codex');
    writeFileSync(bin, '#!/bin/sh\necho "WARNING: proceeding"\necho "codex-cli 0.150.2"\n');
    chmodSync(bin, 0o755);
    assert.equal((await readAgentVersion('codex', bin, {}, dir)).version, '0.150.2');
    writeFileSync(bin, '#!/bin/sh\necho "codex-cli 0.151.0 (changed file)"\n');
    assert.equal((await readAgentVersion('codex', bin, {}, dir)).version, '0.151.0', 'a changed binary is asked again');
    const broken = path.join(dir, 'opencode');
    writeFileSync(broken, '#!/bin/sh\necho nothing useful\n');
    chmodSync(broken, 0o755);
    assert.match((await readAgentVersion('opencode', broken, {}, dir)).problem ?? '', /no version number/);
  });
});

describe('Configure, before Apply: the installed versions against the keys about to be written', () => {
  it('an old Claude Code on PATH is warned about the keys it does not read; an agent not installed says nothing', async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'tokaify-old-agent-'));
    writeFileSync(path.join(bin, 'claude'), '#!/bin/sh\necho "2.1.20 (Claude Code)"\n');
    chmodSync(path.join(bin, 'claude'), 0o755);
    const host = { env: { PATH: bin }, home: bin, platform: process.platform };
    const request = { gatewayRoot: 'http://127.0.0.1:1', key: 'sk-x', model: 'm', claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' as const, customModelOption: true } };
    const notes = await configureVersionNotes(['claude-code', 'codex'], request, host);
    assert.equal(notes.warnings.length, 1, JSON.stringify(notes));
    assert.match(notes.warnings[0]!, /^Claude Code 2\.1\.20 is older than what Tokaify writes needs: env\.ANTHROPIC_CUSTOM_MODEL_OPTION \(since 2\.1\.78\)\. Update Claude Code/);
    assert.match(notes.notes.join('\n'), /env\.ANTHROPIC_BASE_URL \(confirmed in 2\.1\.70\)/);
    assert.deepEqual(await configureVersionNotes(['claude-code'], { ...request, claude: { keyVariable: 'ANTHROPIC_AUTH_TOKEN' } }, { ...host, env: { PATH: '/nonexistent' } }), { warnings: [], notes: [] });
  });
});
