/**
 * Judges the real agents on this machine: the offer to run one (a button that says what it costs), what
 * its one turn printed, the failures only the agent itself shows (Codex's legacy root profile, a switch
 * an old version does not know, a hang), and a version older than what our writers rely on. A request
 * the agent got refused is judged by the request rules (it is that agent's `probe`); here its output is
 * shown beside them.
 */
import * as l10n from '@vscode/l10n';
import { keysWritten, PINNED_AGENT_VERSIONS, versionConcerns, concernText } from '../../agents/versions';
import { AGENT_COMMANDS, REAL_AGENT_LIMITS } from '../../agents/realAgent';
import { AGENT_IDS, AGENT_LABELS, type AgentId } from '../../agents/types';
import { FIX_COMMANDS, type AgentFacts, type Facts, type Finding, type Fix, type RealRunFacts } from '../types';
import { agentOf, codexSelection, fileOf, make, openFileFix, PREFIX, type Rule } from './common';

const AGENTS = AGENT_IDS;

function named(a: AgentFacts): string {
  const version = a.run?.version ?? a.installed?.version;
  return `${AGENT_LABELS[a.agent]}${version ? ` ${version}` : ''}`;
}

export function runFix(f: Facts, agent: AgentId, again = false): Fix {
  const arg: Record<string, unknown> = { accountId: f.accountId, agent };
  const tokenId = f.tokenId ?? f.token?.id;
  if (tokenId !== undefined) arg.tokenId = tokenId;
  const label = again ? l10n.t('Run the real {0} again (one tiny request)', AGENT_LABELS[agent]) : l10n.t('Run the real {0} (one tiny request)', AGENT_LABELS[agent]);
  return { label, command: FIX_COMMANDS.runRealAgent, args: [arg] };
}

function runEvidence(run: RealRunFacts): string[] {
  const seconds = (run.ms / 1000).toFixed(1);
  let ended: string;
  if (run.timedOut) ended = l10n.t('stopped after {0} s (the limit); run in an empty temporary folder, tools off', Math.round(run.ms / 1000));
  else if (run.startError) ended = l10n.t('could not start ({0}); run in an empty temporary folder, tools off', run.startError);
  else if (run.exitCode === null) ended = l10n.t('exit by signal in {0} s; run in an empty temporary folder, tools off', seconds);
  else ended = l10n.t('exit {0} in {1} s; run in an empty temporary folder, tools off', run.exitCode, seconds);
  return [`$ ${run.command}`, ended, ...(run.output.length ? run.output : [l10n.t('(it printed nothing)')])];
}

/** The keys our writer put in this agent's files, as far as the files tell. */
function keysInFiles(a: AgentFacts): string[] {
  switch (a.agent) {
    case 'codex':
      return keysWritten('codex', {}, codexSelection(a)?.provider.hasBearerToken ? 'config-token' : 'auth-json');
    case 'claude-code':
      return keysWritten('claude-code', { claude: { keyVariable: a.claude?.keyVariables[0] ?? 'ANTHROPIC_AUTH_TOKEN', disableExperimentalBetas: a.claude?.disableExperimentalBetas } });
    case 'opencode': {
      const id = a.opencode?.providerId ?? 'tokaify';
      return keysWritten('opencode', { opencode: { setDefaultModel: !!a.opencode?.config?.model?.startsWith(`${id}/`) } });
    }
  }
}

function runFinding(f: Facts, a: AgentFacts, run: RealRunFacts, reported: boolean): Finding {
  const id = `${PREFIX[a.agent]}.real-run`;
  const label = AGENT_LABELS[a.agent];
  const evidence = runEvidence(run);
  const again = runFix(f, a.agent, true);
  switch (run.outcome) {
    case 'ok':
      return make(id, 'ok', l10n.t('The real {0} finished a turn through this gateway', named(a)), l10n.t('{0} read its own files, sent its request with the key it found there, and printed the answer below.', label), evidence);
    case 'refused':
      // A request of an agent set up for this gateway is judged by the request rules; one set up elsewhere is not.
      if (!reported) {
        return make(id, 'error', l10n.t('The real {0} was refused by the gateway it uses', named(a)),
          l10n.t('{0} is not set up for this gateway, so its request went where its own files point; the refusal below is about that gateway and key.', label), evidence, again);
      }
      return make(id, 'info', l10n.t('What the real {0} printed', named(a)), run.errorLine !== undefined
        ? l10n.t('{0} reported the failure explained above, in its own words: {1}', label, run.errorLine)
        : l10n.t('{0} reported the failure explained above, in its own words: see below', label), evidence, again);
    case 'legacy-profile': {
      // Read from config.toml already (rules/codex.ts, with the one-click removal): the run only confirms it.
      if (a.codex?.config?.legacyProfile) {
        return make(id, 'info', l10n.t('What the real {0} printed', named(a)), run.errorLine !== undefined
          ? l10n.t('{0} refused to start because of the root profile explained above: {1}', label, run.errorLine)
          : l10n.t('{0} refused to start because of the root profile explained above: see below', label), evidence, again);
      }
      const file = fileOf(a, /config\.toml$/i, 'config.toml');
      const name = run.legacyProfile ?? '';
      return make(
        'codex.legacy-profile',
        'error',
        l10n.t('Codex refuses to start: config.toml selects a profile with a root profile = "{0}"', name),
        l10n.t('Current Codex no longer supports that selector and stops before sending anything ("legacy profile config is no longer supported"). Remove the profile = "{0}" line (a [profiles.{0}] table may stay), or move that profile into {0}.config.toml and start Codex with --profile {0}.', name),
        [`${file}: profile = "${name}"`, ...evidence],
        openFileFix(file),
      );
    }
    case 'unsupported-invocation':
      return make(
        id,
        'warning',
        l10n.t('The installed {0} does not know a switch Tokaify runs it with', named(a)),
        l10n.t('Tokaify runs {0} headless with its tools off, using switches that {0} {1} (the version Tokaify is tested with) understands; this version refused one, so the run says nothing about your files. Update {0}.', label, PINNED_AGENT_VERSIONS[a.agent]),
        evidence,
      );
    case 'timed-out':
      return make(id, 'warning', l10n.t('The real {0} did not finish within {1} s', named(a), REAL_AGENT_LIMITS.turnMs / 1000),
        l10n.t('{0} started but did not end its turn in time, so Tokaify stopped it. The output below shows how far it got; a slow gateway or a request it retries can cause this.', label), evidence, again);
    case 'not-started':
      return make(id, 'error', l10n.t('The real {0} could not be started', named(a)), run.startError !== undefined
        ? l10n.t('Starting {0} failed ({1}). Check that it runs from a terminal.', a.installed?.path ?? label, run.startError)
        : l10n.t('Starting {0} failed (unknown reason). Check that it runs from a terminal.', a.installed?.path ?? label), evidence);
    case 'no-reply':
      return make(id, 'warning', l10n.t('The real {0} ended without printing an answer', named(a)), l10n.t('{0} exited normally but printed nothing, so Tokaify cannot tell whether its request got through.', label), evidence, again);
    case 'failed':
      return make(id, 'error', run.exitCode !== null ? l10n.t('The real {0} failed (exit {1})', named(a), run.exitCode) : l10n.t('The real {0} failed', named(a)),
        l10n.t('{0} stopped with an error Tokaify does not recognise; its own words are below.', label), evidence, again);
  }
}

export const REAL_AGENT_RULES: readonly Rule[] = AGENTS.flatMap((agent): Rule[] => [
  {
    id: `${PREFIX[agent]}.real-run`,
    check(f) {
      // Shown even for an agent not set up for this gateway: the user asked for this run.
      const a = f.agents.find((x) => x.agent === agent);
      return a?.run ? runFinding(f, a, a.run, agentOf(f, agent) !== undefined) : undefined;
    },
  },
  {
    id: `${PREFIX[agent]}.real-run-offer`,
    check(f) {
      const a = agentOf(f, agent);
      if (!a?.installed || a.run) return undefined;
      const label = AGENT_LABELS[agent];
      return make(
        `${PREFIX[agent]}.real-run-offer`,
        'info',
        l10n.t('{0} is installed here: Tokaify can run it for real', named(a)),
        l10n.t('One headless turn with a one-line prompt, its tools off, in an empty temporary folder (never your workspace), stopped after {0} s. {1} reads its own files as it always does, and what it prints is shown here. It costs one tiny request to the gateway.', REAL_AGENT_LIMITS.turnMs / 1000, label),
        [
          l10n.t('Found {0}', a.installed.path),
          a.installed.version ? l10n.t('Version {0}', a.installed.version)
            : a.installed.versionProblem !== undefined ? l10n.t('Version unknown: {0}', a.installed.versionProblem) : l10n.t('Version unknown: not read'),
        ],
        runFix(f, agent),
      );
    },
  },
  {
    id: `${PREFIX[agent]}.version`,
    check(f) {
      const a = agentOf(f, agent);
      const installed = a?.installed?.version;
      if (!a || !installed) return undefined;
      return versionConcerns(agent, installed, keysInFiles(a)).map((concern) => make(
        `${PREFIX[agent]}.version`,
        concern.kind === 'since' ? 'warning' : 'info',
        concern.kind === 'since'
          ? l10n.t('{0} {1} is too old for settings Tokaify wrote', AGENT_LABELS[agent], installed)
          : l10n.t('{0} {1} is older than the versions Tokaify has confirmed', AGENT_LABELS[agent], installed),
        concernText(concern),
        [
          l10n.t('{0}: version {1}', a.installed!.path, installed),
          ...concern.keys.map((k) => k.minimum.kind === 'since'
            ? l10n.t('{0}: since {1} ({2})', k.key, k.minimum.version, k.minimum.source)
            : l10n.t('{0}: confirmed in {1} ({2})', k.key, k.minimum.version, k.minimum.source)),
        ],
      ));
    },
  },
]);

/** Asked to run an agent this machine does not have (a link from an older report, another window). */
export const REAL_AGENT_MISSING: Rule = {
  id: 'real-run.not-installed',
  check(f) {
    const agent = f.realRunRequested;
    if (!agent || f.agents.some((a) => a.agent === agent && a.installed)) return undefined;
    const label = AGENT_LABELS[agent];
    return make('real-run.not-installed', 'warning', l10n.t('{0} was not found on this machine, so it was not run', label),
      l10n.t('Tokaify looks for it on the PATH a terminal started from VS Code would use. Install {0}, or add its folder to PATH, then verify again.', label),
      [l10n.t('No `{0}` on PATH', AGENT_COMMANDS[agent])]);
  },
};
