import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { promises as fs, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyChanges, BackupError, FileChangedError, listBackups, restoreChanges, WriteError, writeAtomic, type FileChange } from '../../src/core/agents/fileWriter';

/** Two versions of a big file, different in length and content, so a mix of both is detectable. */
function tornVersions(file: string): [string, string, string] {
  return [file, `A${'a'.repeat(2_000_000)}A`, `B${'b'.repeat(3_000_000)}B`];
}

// Run as a child by the torn-write test: rewrite one file forever until killed.
if (process.env.TOKAIFY_TORN_WRITER) {
  const [file, a, b] = tornVersions(JSON.parse(process.env.TOKAIFY_TORN_WRITER) as string);
  void (async () => {
    for (let i = 0; ; i++) {
      await writeAtomic(file, i % 2 ? a : b, 0o600);
      if (i === 0) process.send?.('writing');
    }
  })();
} else {
  describe('fileWriter', () => {
    let dir: string;
    let store: { dir: string; keep: number };
    const KEY = 'sk-test' + 'k'.repeat(40);
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'tokaify-fw-'));
      store = { dir: path.join(dir, 'backups'), keep: 3 };
    });
    afterEach(() => fs.rm(dir, { recursive: true, force: true }));

    const change = (file: string, before: string | undefined, after: string | undefined, secret = false): FileChange =>
      ({ agent: 'codex', label: path.basename(file), path: file, before, after, secret });
    const mode = (file: string) => statSync(file).mode & 0o777;

    it('writes a new file, creating missing folders, with mode 0600 when it holds a key', async () => {
      const file = path.join(dir, 'home', '.codex', 'auth.json');
      await applyChanges([change(file, undefined, `{"OPENAI_API_KEY":"${KEY}"}\n`, true)], store);
      assert.equal(readFileSync(file, 'utf8'), `{"OPENAI_API_KEY":"${KEY}"}\n`);
      assert.equal(mode(file), 0o600);
    });

    it('keeps the mode of a file without a key, and tightens one that now holds a key to 0600', async () => {
      const plain = path.join(dir, 'opencode.json');
      const secret = path.join(dir, 'config.toml');
      writeFileSync(plain, 'a\n', { mode: 0o640 });
      writeFileSync(secret, 'b\n', { mode: 0o644 });
      await fs.chmod(plain, 0o640);
      await fs.chmod(secret, 0o644);
      await applyChanges([change(plain, 'a\n', 'a2\n'), change(secret, 'b\n', 'b2\n', true)], store);
      assert.equal(mode(plain), 0o640);
      assert.equal(mode(secret), 0o600);
    });

    it('backs up every existing file first, and a restore puts back the bytes and removes files that were new', async () => {
      const old = path.join(dir, 'config.toml');
      const fresh = path.join(dir, 'auth.json');
      writeFileSync(old, '# mine\r\nmodel = "x"\r\n');
      const record = await applyChanges([change(old, '# mine\r\nmodel = "x"\r\n', 'model = "y"\n'), change(fresh, undefined, '{}\n', true)], store);
      assert.ok(record);
      const [listed] = await listBackups(store, 'codex');
      assert.equal(listed?.id, record.id);
      const undo = await restoreChanges(store, listed);
      await applyChanges(undo, store);
      assert.equal(readFileSync(old, 'utf8'), '# mine\r\nmodel = "x"\r\n');
      await assert.rejects(fs.stat(fresh), /ENOENT/);
      assert.equal((await listBackups(store)).length, 2, 'the restore itself was backed up, so it can be undone');
    });

    it('keeps only the newest backups per agent', async () => {
      const file = path.join(dir, 'f');
      let text: string | undefined;
      for (let i = 0; i < 6; i++) {
        await applyChanges([change(file, text, `v${i}\n`)], store, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
        text = `v${i}\n`;
      }
      const left = await listBackups(store, 'codex');
      assert.equal(left.length, 3);
      assert.deepEqual(left.map((r) => r.created), [5, 4, 3].map((s) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString()));
    });

    it('refuses when the file changed after the preview, and writes nothing at all', async () => {
      const a = path.join(dir, 'a');
      const b = path.join(dir, 'b');
      writeFileSync(a, 'a\n');
      writeFileSync(b, 'b changed by its tool\n');
      await assert.rejects(applyChanges([change(a, 'a\n', 'A\n'), change(b, 'b\n', 'B\n')], store), FileChangedError);
      assert.equal(readFileSync(a, 'utf8'), 'a\n');
      assert.deepEqual(await listBackups(store), []);
    });

    it('a failure on the second file puts the first back and names the cause in plain words', async () => {
      const first = path.join(dir, 'first');
      writeFileSync(first, 'original\n');
      writeFileSync(path.join(dir, 'blocker'), 'a file where a folder should be');
      const second = path.join(dir, 'blocker', 'auth.json');
      const failure = await applyChanges([change(first, 'original\n', 'changed\n'), change(second, undefined, '{}\n', true)], store).catch((e: unknown) => e);
      assert.ok(failure instanceof WriteError, String(failure));
      assert.match(failure.message, /blocker.*a part of the path is a file, not a folder/);
      assert.equal(readFileSync(first, 'utf8'), 'original\n');
    });

    it('a file with a key is written 0600 under a permissive umask; a strict umask does not tighten a 0644 file', async () => {
      const secret = path.join(dir, 'auth.json');
      const plain = path.join(dir, 'opencode.json');
      writeFileSync(plain, 'a\n');
      await fs.chmod(plain, 0o644);
      const old = process.umask(0o000);
      try {
        await applyChanges([change(secret, undefined, '{}\n', true)], store);
        process.umask(0o077);
        await applyChanges([change(plain, 'a\n', 'b\n')], store);
      } finally {
        process.umask(old);
      }
      assert.equal(mode(secret), 0o600);
      assert.equal(mode(plain), 0o644, 'the mode is set on the file, not left to the umask');
    });

    it('refuses when the temp file is swapped for a symlink before the rename: the link target keeps its mode and text, the file its old text', async function () {
      if (process.platform === 'win32') this.skip(); // symlinks need privileges there
      const file = path.join(dir, 'config.toml');
      writeFileSync(file, 'model = "old"\n');
      const victim = path.join(dir, 'victim-private.txt');
      writeFileSync(victim, 'not yours\n');
      await fs.chmod(victim, 0o644);
      let swapped = 0;
      const failure = await applyChanges([change(file, 'model = "old"\n', `token = "${KEY}"\n`, true)], store, new Date(), {
        beforeRename: async (temp) => {
          if (!temp.startsWith(dir + path.sep + '.config.toml')) return; // only the config, not its backup
          // What another user who can write to the folder would do between close and rename.
          await fs.rm(temp);
          await fs.symlink(victim, temp);
          swapped++;
        },
      }).catch((e: unknown) => e);
      assert.equal(swapped, 1);
      assert.equal(mode(victim), 0o644, 'the link target was not tightened or loosened through the link');
      assert.equal(readFileSync(victim, 'utf8'), 'not yours\n');
      assert.equal(readFileSync(file, 'utf8'), 'model = "old"\n');
      assert.ok(failure instanceof WriteError, String(failure));
      assert.match(failure.message, /temporary file .* was replaced by something else.*nothing was written/);
      assert.ok(!(await fs.lstat(file)).isSymbolicLink());
      assert.deepEqual(readdirSync(dir).sort(), ['backups', 'config.toml', 'victim-private.txt'], 'the planted link is removed, nothing else is left');
    });

    it('a full disk while backing up: a plain message, no partial backup folder, the file unchanged', async () => {
      const first = path.join(dir, 'config.toml');
      const second = path.join(dir, 'auth.json');
      writeFileSync(first, 'model = "old"\n');
      writeFileSync(second, '{}\n');
      const failure = await applyChanges([change(first, 'model = "old"\n', 'model = "new"\n'), change(second, '{}\n', '{"a":1}\n', true)], store, new Date(), {
        // The first copy is written; the second runs out of space.
        afterOpen: async (temp) => {
          if (temp.startsWith(store.dir) && path.basename(temp).startsWith('.1-')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      }).catch((e: unknown) => e);
      assert.ok(failure instanceof BackupError, String(failure));
      assert.equal(failure.message, `Could not back up ${second} before changing it: the disk is full. Nothing was changed.`);
      assert.ok(!failure.message.includes('ENOSPC'));
      assert.deepEqual(readdirSync(store.dir), [], 'no partial backup folder is left');
      assert.equal(readFileSync(first, 'utf8'), 'model = "old"\n');
      assert.equal(readFileSync(second, 'utf8'), '{}\n');
    });

    it('a really full disk (a 64 KiB tmpfs, as root on Linux): the same plain message and nothing left behind', async function () {
      if (process.platform !== 'linux' || process.getuid?.() !== 0) this.skip();
      const mount = path.join(dir, 'tiny');
      mkdirSync(mount);
      if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]).status !== 0) this.skip(); // no CAP_SYS_ADMIN here
      try {
        const tiny = { dir: path.join(mount, 'backups'), keep: 3 };
        const file = path.join(dir, 'settings.json');
        const big = `{"pad":"${'x'.repeat(200_000)}"}\n`; // larger than the whole tmpfs
        writeFileSync(file, big);
        const failure = await applyChanges([change(file, big, '{}\n')], tiny).catch((e: unknown) => e);
        assert.ok(failure instanceof BackupError, String(failure));
        assert.match(failure.message, /^Could not back up .*settings\.json before changing it: the disk is full\. Nothing was changed\.$/);
        assert.ok(!failure.message.includes('ENOSPC'));
        assert.deepEqual(existsSync(tiny.dir) ? readdirSync(tiny.dir) : [], []);
        assert.equal(readFileSync(file, 'utf8'), big);
      } finally {
        spawnSync('umount', [mount]);
      }
    });

    // A read-only folder is tested end to end in cli.test.ts (as user nobody when the tests run as root).

    it('writes through a symlink: the link stays a link and its target gets the text', async () => {
      const target = path.join(dir, 'dotfiles-settings.json');
      const link = path.join(dir, 'settings.json');
      writeFileSync(target, '{}\n');
      symlinkSync(target, link);
      await applyChanges([change(link, '{}\n', '{"a":1}\n')], store);
      assert.ok((await fs.lstat(link)).isSymbolicLink());
      assert.equal(readFileSync(target, 'utf8'), '{"a":1}\n');
    });

    it('a writer killed at random moments leaves the old or the new file, never a torn one (20 kills)', async function () {
      this.timeout(30_000);
      const [file, a, b] = tornVersions(path.join(dir, 'auth.json'));
      writeFileSync(file, a);
      for (let round = 0; round < 20; round++) {
        const child = fork(__filename, [], { env: { ...process.env, TOKAIFY_TORN_WRITER: JSON.stringify(file) }, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
        // Kill only once it is busy writing (node's start-up takes longer than a write).
        await new Promise((resolve) => child.once('message', resolve));
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 15)));
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
        const text = readFileSync(file, 'utf8');
        assert.ok(text === a || text === b, `round ${round}: ${text.length} characters, neither version`);
      }
    });
  });
}
