/** Judges the console reads behind the token and balance facts: a sign-in the gateway no longer accepts, or a read that failed otherwise. */
import * as l10n from '@vscode/l10n';
import { FIX_COMMANDS, type ConsoleRead, type Facts } from '../types';
import { hostOf, make, type Rule } from './common';
import { balanceLine, consoleSource, describe, signInRefused, tokenLine } from './requests';

/** The failed reads, their evidence, then what the token and balance facts rest on now. */
function evidence(f: Facts, reads: ConsoleRead[]): string[] {
  const lines = reads.flatMap((read) => describe(consoleSource(read)));
  for (const line of [tokenLine(f), balanceLine(f)]) if (line) lines.push(line);
  return lines;
}

/** The gateway itself failed the same way (unreachable, 5xx, broken replies): the gateway's finding says it already. */
function sameAsGateway(f: Facts, read: ConsoleRead): boolean {
  return !f.gateway.ok && f.gateway.errorKind !== undefined && f.gateway.errorKind === read.errorKind;
}

export const CONSOLE_RULES: readonly Rule[] = [
  {
    id: 'console.sign-in',
    check(f) {
      const refused = f.consoleReads.filter(signInRefused);
      if (!refused.length) return undefined;
      const host = hostOf(f.gatewayRoot);
      return make(
        'console.sign-in',
        'error',
        l10n.t('The console did not accept your sign-in: sign in again'),
        f.accountKind === 'session'
          ? l10n.t('The gateway no longer accepts Tokaify\'s session (password sign-in) for {0}: it expired, or was reset or replaced in the web console. Until you sign in again, Tokaify cannot read or change tokens or show the balance, and the token facts below are from before, not current.', host)
          : l10n.t('The gateway no longer accepts Tokaify\'s access token for {0}: it expired, or was reset or replaced in the web console. Until you sign in again, Tokaify cannot read or change tokens or show the balance, and the token facts below are from before, not current.', host),
        evidence(f, refused),
        { label: l10n.t('Sign in again'), command: FIX_COMMANDS.addGateway, args: [{ baseUrl: f.gatewayRoot }] },
      );
    },
  },
  {
    id: 'console.unreadable',
    check(f) {
      const failed = f.consoleReads.filter((read) => !read.ok && !signInRefused(read) && !sameAsGateway(f, read));
      if (!failed.length) return undefined;
      return make(
        'console.unreadable',
        'warning',
        l10n.t('The console could not be read just now'),
        l10n.t('Tokaify could not read the token or the balance fresh, so the findings about them rest on older facts (or none). The reason is below; verify again in a minute.'),
        evidence(f, failed),
      );
    },
  },
];
