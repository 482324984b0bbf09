/**
 * Which variables the user's shell start-up files export. A terminal (and every agent started in it)
 * gets them even when the process reading this does not, e.g. VS Code started from the dock, or the
 * CLI run from cron. A line-by-line reading of the common forms, not a shell: `export NAME=…`,
 * `NAME=…` then `export NAME`, `declare -x` / `typeset -x`, `unset NAME`; fish's `set -x` / `set -gx` /
 * `set -Ux` and `set -e`. Sourced files and conditionals are not followed, so a sighting means "this
 * line sets it", no more.
 *
 * Values are never returned or kept: only whether the last assignment left the variable non-empty.
 */
import path from 'node:path';
import { readText } from './fileWriter';
import type { HostEnvironment } from './paths';

export type ProfileDialect = 'posix' | 'fish';

/** A profile line that leaves `name` exported with a non-empty value. `line` is 1-based. */
export interface ProfileSighting {
  name: string;
  file: string;
  line: number;
}

/** The start-up files of bash, zsh, sh and fish, where each shell looks for them. */
export function shellProfilePaths(host: HostEnvironment): { file: string; dialect: ProfileDialect }[] {
  const p = host.platform === 'win32' ? path.win32 : path.posix;
  const zdot = host.env.ZDOTDIR?.trim() ? host.env.ZDOTDIR : host.home;
  const config = host.env.XDG_CONFIG_HOME?.trim() ? host.env.XDG_CONFIG_HOME : p.join(host.home, '.config');
  const posix = ['.bashrc', '.bash_profile', '.profile'].map((name) => p.join(host.home, name));
  posix.push(p.join(zdot!, '.zshrc'), p.join(zdot!, '.zprofile'));
  return [...posix.map((file) => ({ file, dialect: 'posix' as const })), { file: p.join(config!, 'fish', 'config.fish'), dialect: 'fish' }];
}

/** Reads each profile that exists; one that cannot be read is skipped (it is only a hint). */
export async function findProfileExports(
  host: HostEnvironment,
  names: readonly string[],
  read: (file: string) => Promise<string | undefined> = readText,
): Promise<ProfileSighting[]> {
  const found: ProfileSighting[] = [];
  for (const { file, dialect } of shellProfilePaths(host)) {
    const text = await read(file).catch(() => undefined);
    if (text === undefined) continue;
    for (const hit of exportedVariables(text, names, dialect)) found.push({ ...hit, file });
  }
  return found;
}

/** Pure: of `names`, those the text leaves exported and non-empty, with the line that set each. */
export function exportedVariables(text: string, names: readonly string[], dialect: ProfileDialect): { name: string; line: number }[] {
  const wanted = new Set(names);
  const state = new Map<string, { nonEmpty: boolean; exported: boolean; line: number }>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const changes = dialect === 'fish' ? fishLine(line) : posixLine(line);
    for (const change of changes) {
      if (!wanted.has(change.name)) continue;
      const before = state.get(change.name) ?? { nonEmpty: false, exported: false, line: 0 };
      if (change.kind === 'unset') state.delete(change.name);
      else if (change.kind === 'export-only') state.set(change.name, { ...before, exported: true, line: before.nonEmpty ? before.line : index + 1 });
      else state.set(change.name, { nonEmpty: change.nonEmpty, exported: before.exported || change.exported, line: index + 1 });
    }
  });
  return [...state].filter(([, s]) => s.nonEmpty && s.exported).map(([name, s]) => ({ name, line: s.line }));
}

type Change =
  | { kind: 'assign'; name: string; nonEmpty: boolean; exported: boolean }
  | { kind: 'export-only'; name: string }
  | { kind: 'unset'; name: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The words of one simple command, quotes kept, up to an unquoted `#` word, `;`, `&` or `|`. Enough to
 * tell `export A="x y" B` from a value that merely contains `C=1`.
 */
function words(line: string): string[] {
  const out: string[] = [];
  let word = '';
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\' && quote === '"') word += ch + (line[++i] ?? '');
      else word += ch;
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '\\') {
      word += ch + (line[++i] ?? '');
      continue;
    } else if (/\s/.test(ch)) {
      if (word) out.push(word);
      word = '';
      continue;
    } else if (ch === ';' || ch === '&' || ch === '|' || (ch === '#' && word === '')) break;
    word += ch;
  }
  if (word) out.push(word);
  return out;
}

/** An assignment word `NAME=value`: its name, and whether the value is more than nothing, `""` or `''`. */
function assignment(word: string): { name: string; nonEmpty: boolean } | undefined {
  const eq = word.indexOf('=');
  if (eq <= 0 || !NAME.test(word.slice(0, eq))) return undefined;
  const value = word.slice(eq + 1);
  return { name: word.slice(0, eq), nonEmpty: !['', '""', "''"].includes(value) };
}

function posixLine(line: string): Change[] {
  const [first, ...rest] = words(line);
  if (first === undefined) return [];
  if (first === 'unset') return rest.filter((w) => NAME.test(w)).map((name) => ({ kind: 'unset', name }));
  let args = rest;
  let exported = first === 'export';
  // `declare -x` / `typeset -gx`: the flags come first.
  if ((first === 'declare' || first === 'typeset') && rest[0]?.startsWith('-')) {
    exported = /^-[A-Za-z]*x/.test(rest[0]);
    args = rest.slice(1);
  }
  if (exported) {
    return args.flatMap((w): Change[] => {
      const a = assignment(w);
      if (a) return [{ kind: 'assign', ...a, exported: true }];
      return NAME.test(w) ? [{ kind: 'export-only', name: w }] : [];
    });
  }
  // `A=1 B=2` sets shell variables; `A=1 cmd` sets A for cmd only.
  const all = [first, ...rest].map(assignment);
  return all.every((a) => a) ? all.map((a) => ({ kind: 'assign', ...a!, exported: false })) : [];
}

function fishLine(line: string): Change[] {
  const all = words(line);
  if (all[0] !== 'set') return [];
  const flags = all.slice(1).filter((w) => w.startsWith('-'));
  const rest = all.slice(1 + flags.length);
  const name = rest[0];
  if (!name || !NAME.test(name)) return [];
  const has = (short: string, long: string) => flags.some((f) => f === long || (!f.startsWith('--') && f.includes(short)));
  if (has('e', '--erase')) return [{ kind: 'unset', name }];
  const values = rest.slice(1).filter((v) => v !== '""' && v !== "''");
  return [{ kind: 'assign', name, nonEmpty: values.length > 0, exported: has('x', '--export') }];
}
