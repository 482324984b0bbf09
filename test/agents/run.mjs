// The `agents` layer: mocha on dist/test/agents inside a network namespace that has only loopback
// (`unshare -n`), so the simulator and the real agents it starts can reach nothing off this machine.
// Ends with `agents: N passed, N failed` (plus `, N skipped` when some were) and the wall time.
// Where no namespace can be made (not root and no user namespaces), says why and skips everything.
// Extra arguments go to mocha (e.g. --grep Codex). TOKAIFY_AGENTS_BREAK=key breaks every written key
// (to see the suite fail).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** `unshare -n` as root; otherwise a user namespace may still allow it (`-r` maps us to root inside). */
function namespaceFlags() {
  const problems = [];
  for (const flags of [['-n'], ['-r', '-n']]) {
    const probe = spawnSync('unshare', [...flags, '--', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' });
    if (probe.status === 0) return { flags };
    problems.push(`unshare ${flags.join(' ')}: ${(probe.error?.message ?? probe.stderr.trim()) || `exit ${probe.status}`}`);
  }
  return { problems };
}

const ns = namespaceFlags();
if (!ns.flags) {
  console.log(`agents: skipped: no loopback-only network namespace can be made here, and the real agents never run without one (${ns.problems.join('; ')})`);
  console.log('agents: 0 passed, 0 failed, all skipped');
  process.exit(0);
}

const child = spawn('unshare', [...ns.flags, '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh',
  process.execPath, mocha, '--config', 'test/agents/.mocharc.json', ...process.argv.slice(2)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.setEncoding('utf8').on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const count = (word) => Number(out.match(new RegExp(`^ *(\\d+) ${word}`, 'm'))?.[1] ?? 0);
  const [passed, failed, pending] = [count('passing'), count('failing'), count('pending')];
  if (!/^ *\d+ passing/m.test(out)) console.log(`agents: mocha printed no result (exit ${code})`);
  else console.log(`agents: ${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''} (wall ${seconds()})`);
  process.exit(code ?? 1);
});
