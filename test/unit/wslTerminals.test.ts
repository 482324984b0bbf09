import assert from 'node:assert/strict';
import { terminalsRunInWsl, type TerminalSetup } from '../../src/core/agents/wslTerminals';

const local = (defaultProfile: string | undefined, profiles: TerminalSetup['profiles'] = {}): TerminalSetup => ({ platform: 'win32', remoteName: undefined, defaultProfile, profiles });

describe('a local Windows window whose terminals open WSL', () => {
  it('the profiles VS Code detects per distro ("Ubuntu (WSL)") and a plain "WSL"', () => {
    assert.equal(terminalsRunInWsl(local('Ubuntu-22.04 (WSL)')), true);
    assert.equal(terminalsRunInWsl(local('WSL')), true);
  });

  it('a profile of the user\'s whose path is wsl.exe or bash.exe, under any name', () => {
    assert.equal(terminalsRunInWsl(local('dev', { dev: { path: 'C:\\Windows\\System32\\wsl.exe' } })), true);
    assert.equal(terminalsRunInWsl(local('dev', { dev: { path: ['C:\\Windows\\System32\\bash.exe'] } })), true);
  });

  it('PowerShell, Command Prompt, Git Bash or no default: Windows terminals', () => {
    assert.equal(terminalsRunInWsl(local('PowerShell')), false);
    assert.equal(terminalsRunInWsl(local('Command Prompt', { 'Command Prompt': { path: ['${env:windir}\\System32\\cmd.exe'] } })), false);
    assert.equal(terminalsRunInWsl(local('Git Bash', { 'Git Bash': { source: 'Git Bash' } })), false);
    assert.equal(terminalsRunInWsl(local('bash', { bash: { path: 'C:\\Program Files\\Git\\bin\\bash.exe' } })), false);
    assert.equal(terminalsRunInWsl(local(undefined)), false);
  });

  it('never in a remote window (WSL, SSH, containers: the extension already runs where the agents do) or off Windows', () => {
    assert.equal(terminalsRunInWsl({ ...local('Ubuntu (WSL)'), remoteName: 'wsl' }), false);
    assert.equal(terminalsRunInWsl({ ...local('Ubuntu (WSL)'), platform: 'linux' }), false);
  });
});
