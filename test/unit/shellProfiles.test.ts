import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportedVariables, findProfileExports, shellProfilePaths } from '../../src/core/agents/shellProfiles';
import type { HostEnvironment } from '../../src/core/agents/paths';

const KEYS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'];
const SECRET = 'sk-ant-api03-' + 'q'.repeat(40);

describe('shell profiles: which key variables a terminal will have', () => {
  const posix = (text: string) => exportedVariables(text, KEYS, 'posix');
  const fish = (text: string) => exportedVariables(text, KEYS, 'fish');

  const exported: Array<[string, string]> = [
    ['export', `export ANTHROPIC_API_KEY=${SECRET}`],
    ['export with double quotes and a comment', `  export ANTHROPIC_API_KEY="${SECRET}" # personal`],
    ['export with single quotes', `export ANTHROPIC_API_KEY='${SECRET}'`],
    ['a command substitution', 'export ANTHROPIC_API_KEY=$(cat ~/.anthropic-key)'],
    ['another variable', 'export ANTHROPIC_API_KEY="$MY_ANTHROPIC_KEY"'],
    ['several in one export', `export FOO=1 ANTHROPIC_API_KEY=${SECRET} BAR`],
    ['assigned, then exported', `ANTHROPIC_API_KEY=${SECRET}\nexport ANTHROPIC_API_KEY`],
    ['declare -x', `declare -x ANTHROPIC_API_KEY=${SECRET}`],
    ['typeset -gx (zsh)', `typeset -gx ANTHROPIC_API_KEY=${SECRET}`],
    ['CRLF and a BOM', `\uFEFF# keys\r\nexport ANTHROPIC_API_KEY=${SECRET}\r\n`],
  ];
  for (const [what, text] of exported) {
    it(`sees ${what}`, () => assert.deepEqual(posix(text).map((x) => x.name), ['ANTHROPIC_API_KEY'], text));
  }

  const notExported: Array<[string, string]> = [
    ['a comment', `# export ANTHROPIC_API_KEY=${SECRET}`],
    ['an empty value', 'export ANTHROPIC_API_KEY='],
    ['an empty quoted value', 'export ANTHROPIC_API_KEY=""'],
    ['an unset after the export', `export ANTHROPIC_API_KEY=${SECRET}\nunset ANTHROPIC_API_KEY`],
    ['a plain shell variable never exported', `ANTHROPIC_API_KEY=${SECRET}`],
    ['a variable for one command only', `ANTHROPIC_API_KEY=${SECRET} claude -p hi`],
    ['a name inside another value', `export NOTE="set ANTHROPIC_API_KEY=${SECRET} first"`],
    ['a longer name', `export MY_ANTHROPIC_API_KEY=${SECRET}`],
    ['an export of a name set nowhere in the file', 'export ANTHROPIC_API_KEY'],
    ['declare without -x', `declare -r ANTHROPIC_API_KEY=${SECRET}`],
  ];
  for (const [what, text] of notExported) {
    it(`ignores ${what}`, () => assert.deepEqual(posix(text), [], text));
  }

  it('gives the line of the last assignment, 1-based', () => {
    const text = ['# ~/.zshrc', 'export PATH=$HOME/bin:$PATH', `export ANTHROPIC_AUTH_TOKEN=${SECRET}`, '', `export ANTHROPIC_API_KEY=old`, `export ANTHROPIC_API_KEY=${SECRET}`].join('\n');
    assert.deepEqual(posix(text), [{ name: 'ANTHROPIC_AUTH_TOKEN', line: 3 }, { name: 'ANTHROPIC_API_KEY', line: 6 }]);
  });

  it('fish: set -gx / -x / -Ux / --export, not a plain set, an empty set or after set -e', () => {
    assert.deepEqual(fish(`set -gx ANTHROPIC_API_KEY ${SECRET}`), [{ name: 'ANTHROPIC_API_KEY', line: 1 }]);
    assert.deepEqual(fish(`set -x ANTHROPIC_API_KEY "${SECRET}"`).length, 1);
    assert.deepEqual(fish(`set -Ux ANTHROPIC_API_KEY ${SECRET}`).length, 1);
    assert.deepEqual(fish(`set --global --export ANTHROPIC_API_KEY ${SECRET}`).length, 1);
    assert.deepEqual(fish(`set -g ANTHROPIC_API_KEY ${SECRET}`), []);
    assert.deepEqual(fish('set -gx ANTHROPIC_API_KEY'), []);
    assert.deepEqual(fish('set -gx ANTHROPIC_API_KEY ""'), []);
    assert.deepEqual(fish(`set -gx ANTHROPIC_API_KEY ${SECRET}\nset -e ANTHROPIC_API_KEY`), []);
  });

  it('returns names and lines only, never a value', () => {
    const out = JSON.stringify(posix(`export ANTHROPIC_API_KEY=${SECRET}\nexport ANTHROPIC_AUTH_TOKEN='${SECRET}'`));
    assert.ok(!out.includes(SECRET.slice(0, 12)), out);
  });

  describe('the files', () => {
    let home: string;
    beforeEach(() => (home = mkdtempSync(path.join(os.tmpdir(), 'tokaify-profiles-'))));
    afterEach(() => rmSync(home, { recursive: true, force: true }));
    const host = (env: Record<string, string> = {}): HostEnvironment => ({ env, home, platform: 'linux' });

    it('reads bash, sh, zsh and fish start-up files where each shell looks (ZDOTDIR, XDG_CONFIG_HOME)', () => {
      const names = shellProfilePaths(host({ ZDOTDIR: '/z', XDG_CONFIG_HOME: '/x' })).map((p) => p.file);
      assert.deepEqual(names, [
        path.join(home, '.bashrc'), path.join(home, '.bash_profile'), path.join(home, '.profile'), '/z/.zshrc', '/z/.zprofile', '/x/fish/config.fish',
      ]);
      assert.ok(shellProfilePaths(host()).some((p) => p.file === path.join(home, '.config', 'fish', 'config.fish') && p.dialect === 'fish'));
    });

    it('finds the exports across files, each with its file and line; missing files are fine', async () => {
      writeFileSync(path.join(home, '.zshrc'), `alias ll='ls -l'\nexport ANTHROPIC_API_KEY=${SECRET}\n`);
      mkdirSync(path.join(home, '.config', 'fish'), { recursive: true });
      writeFileSync(path.join(home, '.config', 'fish', 'config.fish'), `set -gx ANTHROPIC_AUTH_TOKEN ${SECRET}\n`);
      writeFileSync(path.join(home, '.bashrc'), '# nothing here\n');
      assert.deepEqual(await findProfileExports(host(), KEYS), [
        { name: 'ANTHROPIC_API_KEY', file: path.join(home, '.zshrc'), line: 2 },
        { name: 'ANTHROPIC_AUTH_TOKEN', file: path.join(home, '.config', 'fish', 'config.fish'), line: 1 },
      ]);
    });

    it('a profile that cannot be read is skipped, not an error', async () => {
      mkdirSync(path.join(home, '.bashrc')); // a folder where a file is expected: EISDIR
      writeFileSync(path.join(home, '.profile'), `export ANTHROPIC_API_KEY=${SECRET}\n`);
      assert.deepEqual((await findProfileExports(host(), KEYS)).map((s) => path.basename(s.file)), ['.profile']);
    });
  });
});
