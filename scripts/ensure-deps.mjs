// Installs the locked dependencies when node_modules is missing or does not match package-lock.json,
// so `npm test` and `npm run demo` work on a fresh clone without a separate `npm ci`.
// "Matches" means every package the lockfile lists for this platform is installed at the locked version.
// Uses only Node's own modules: it must run before anything is installed.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));

function mismatch() {
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (!where.startsWith('node_modules/') || entry.link) continue;
    // Optional packages for other platforms (esbuild's per-OS binaries) are never installed here.
    if (entry.optional && (entry.os || entry.cpu)) continue;
    const manifest = path.join(root, where, 'package.json');
    if (!existsSync(manifest)) {
      if (entry.optional) continue;
      return `${where} is missing`;
    }
    const installed = JSON.parse(readFileSync(manifest, 'utf8')).version;
    if (installed !== entry.version) return `${where} is ${installed}, the lockfile says ${entry.version}`;
  }
  return undefined;
}

const why = existsSync(path.join(root, 'node_modules')) ? mismatch() : 'node_modules is missing';
if (why) {
  console.log(`[deps] ${why}: npm ci`);
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
