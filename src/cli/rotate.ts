/**
 * `tokaify rotate --from-key-env OLD --to-key-env NEW [--dry-run] [--yes]`: puts the new key wherever an
 * agent file holds the old one. Both keys come from environment variables named on the command line
 * (argv is visible to every user of the machine). Shows the diff with keys masked, asks, then writes all
 * files or none with one backup. Exit codes as `write`: 0 written or planned, 1 refused or failed (also
 * when no file holds the old key), 2 usage.
 */
import os from 'node:os';
import * as l10n from '@vscode/l10n';
import { unifiedDiff } from '../core/agents/diff';
import { maskKeyTail } from '../core/agents/keyFingerprint';
import { defaultBackupDir, type HostEnvironment } from '../core/agents/paths';
import { applyRotation, planRotation } from '../core/agents/rotate';
import { registerSecret } from '../core/redact';
import { normalizeApiKey } from '../core/signIn';
import { BACKUPS_KEPT, confirmWrite, reportWritten, UsageError, type Io } from './shared';

interface RotateArgs {
  fromVariable: string;
  toVariable: string;
  dryRun: boolean;
  yes: boolean;
}

function parseRotate(args: readonly string[]): RotateArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--from-key-env' || flag === '--to-key-env') {
      const value = inline ?? args[++i];
      if (value === undefined || value === '') throw new UsageError(l10n.t('{0} needs a value', flag));
      values.set(flag, value);
    } else if (flag === '--dry-run' || flag === '--yes') flags.add(flag);
    else if (/^--(from|to|old|new)?-?key$/.test(flag) || flag === '--api-key') throw new UsageError(l10n.t('the keys are read from the environment variables named by --from-key-env and --to-key-env, never from the command line (other users can see it)'));
    else throw new UsageError(l10n.t('unknown option {0}', flag));
  }
  const need = (flag: string) => values.get(flag) ?? (() => { throw new UsageError(l10n.t('{0} is required', flag)); })();
  return { fromVariable: need('--from-key-env'), toVariable: need('--to-key-env'), dryRun: flags.has('--dry-run'), yes: flags.has('--yes') };
}

/** The key in environment variable `name`, normalised (`sk-` prefix); a UsageError when unset or not a key. */
function keyFrom(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new UsageError(l10n.t('the environment variable {0} is not set (e.g. `read -rs {0} && export {0}`)', name));
  const normalized = normalizeApiKey(value);
  if (!normalized.ok) throw new UsageError(`${name}: ${normalized.error}`);
  registerSecret(normalized.key);
  return normalized.key;
}

/** Runs `rotate`; a UsageError is left to the caller, which prints the usage text. */
export async function rotateCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const parsed = parseRotate(args);
  const oldKey = keyFrom(env, parsed.fromVariable);
  const newKey = keyFrom(env, parsed.toVariable);
  if (oldKey === newKey) throw new UsageError(l10n.t('{0} and {1} hold the same key', parsed.fromVariable, parsed.toVariable));
  const host: HostEnvironment = { env, home: os.homedir(), platform: process.platform };
  try {
    const changes = await planRotation(oldKey, newKey, host);
    if (!changes.length) {
      io.err(`tokaify: ${l10n.t('no agent file holds the old key ({0}); nothing to rotate.', maskKeyTail(oldKey))}\n`);
      return 1;
    }
    io.out(changes.map(unifiedDiff).join('\n'));
    if (parsed.dryRun) {
      io.err(`${l10n.t('dry run: nothing was written.')}\n`);
      return 0;
    }
    const question = changes.length === 1 ? l10n.t('Put the new key into this file?') : l10n.t('Put the new key into these {0} files (all or none)?', changes.length);
    if (!(await confirmWrite(parsed.yes, question, io))) return 1;
    const store = { dir: defaultBackupDir(host), keep: BACKUPS_KEPT };
    reportWritten(changes, await applyRotation(changes, store), store, io);
    return 0;
  } catch (error) {
    io.err(`tokaify: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
