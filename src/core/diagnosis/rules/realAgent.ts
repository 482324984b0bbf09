/**
 * Judges the real agents on this machine: the offer to run one (a button that says what it costs), what
 * its one turn printed, the failures only the agent itself shows (Codex's legacy root profile, a switch
 * an old version does not know, a hang), and a version older than what our writers rely on. A request
 * the agent got refused is judged by the request rules (it is that agent's `probe`); here its output is
 * shown beside them.
 */
import { keysWritten, PINNED_AGENT_VERSIONS, versionConcerns, concernText } from '../../agents/versions';
import { AGENT_COMMANDS, REAL_AGENT_LIMITS } from '../../agents/realAgent';
import { AGENT_LABELS, type AgentId } from '../../agents/types';
import { FIX_COMMANDS, type AgentFacts, type Facts, type Finding, type Fix, type RealRunFacts } from '../types';
import { agentOf, codexSelection, fileOf, make, openFileFix, PREFIX, type Rule } from './common';

const AGENTS: readonly AgentId[] = ['codex', 'claude-code', 'opencode'];

function named(a: AgentFacts): string {
  const version = a.run?.version ?? a.installed?.version;
  return `${AGENT_LABELS[a.agent]}${version ? ` ${version}` : ''}`;
}

export function runFix(f: Facts, agent: AgentId, again = false): Fix {
  const arg: Record<string, unknown> = { accountId: f.accountId, agent };
  const tokenId = f.tokenId ?? f.token?.id;
  if (tokenId !== undefined) arg.tokenId = tokenId;
  return { label: `Run the real ${AGENT_LABELS[agent]}${again ? ' again' : ''} (one tiny request)`, command: FIX_COMMANDS.runRealAgent, args: [arg] };
}

function runEvidence(run: RealRunFacts): string[] {
  const ended = run.timedOut ? `stopped after ${Math.round(run.ms / 1000)} s (the limit)` : run.startError ? `could not start (${run.startError})` : `exit ${run.exitCode ?? 'by signal'} in ${(run.ms / 1000).toFixed(1)} s`;
  return [`$ ${run.command}`, `${ended}; run in an empty temporary folder, tools off`, ...(run.output.length ? run.output : ['(it printed nothing)'])];
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
      return make(id, 'ok', `The real ${named(a)} finished a turn through this gateway`, `${label} read its own files, sent its request with the key it found there, and printed the answer below.`, evidence);
    case 'refused':
      // A request of an agent set up for this gateway is judged by the request rules; one set up elsewhere is not.
      return reported
        ? make(id, 'info', `What the real ${named(a)} printed`, `${label} reported the failure explained above, in its own words: ${run.errorLine ?? 'see below'}`, evidence, again)
        : make(id, 'error', `The real ${named(a)} was refused by the gateway it uses`, `${label} is not set up for this gateway, so its request went where its own files point; the refusal below is about that gateway and key.`, evidence, again);
    case 'legacy-profile': {
      // Read from config.toml already (rules/codex.ts, with the one-click removal): the run only confirms it.
      if (a.codex?.config?.legacyProfile) {
        return make(id, 'info', `What the real ${named(a)} printed`, `${label} refused to start because of the root profile explained above: ${run.errorLine ?? 'see below'}`, evidence, again);
      }
      const file = fileOf(a, /config\.toml$/i, 'config.toml');
      const name = run.legacyProfile ?? '';
      return make(
        'codex.legacy-profile',
        'error',
        `Codex refuses to start: config.toml selects a profile with a root profile = "${name}"`,
        `Current Codex no longer supports that selector and stops before sending anything ("legacy profile config is no longer supported"). Remove the profile = "${name}" line (a [profiles.${name}] table may stay), or move that profile into ${name}.config.toml and start Codex with --profile ${name}.`,
        [`${file}: profile = "${name}"`, ...evidence],
        openFileFix(file),
      );
    }
    case 'unsupported-invocation':
      return make(
        id,
        'warning',
        `The installed ${named(a)} does not know a switch Tokaify runs it with`,
        `Tokaify runs ${label} headless with its tools off, using switches that ${label} ${PINNED_AGENT_VERSIONS[a.agent]} (the version Tokaify is tested with) understands; this version refused one, so the run says nothing about your files. Update ${label}.`,
        evidence,
      );
    case 'timed-out':
      return make(id, 'warning', `The real ${named(a)} did not finish within ${REAL_AGENT_LIMITS.turnMs / 1000} s`,
        `${label} started but did not end its turn in time, so Tokaify stopped it. The output below shows how far it got; a slow gateway or a request it retries can cause this.`, evidence, again);
    case 'not-started':
      return make(id, 'error', `The real ${named(a)} could not be started`, `Starting ${a.installed?.path ?? label} failed (${run.startError ?? 'unknown reason'}). Check that it runs from a terminal.`, evidence);
    case 'no-reply':
      return make(id, 'warning', `The real ${named(a)} ended without printing an answer`, `${label} exited normally but printed nothing, so Tokaify cannot tell whether its request got through.`, evidence, again);
    case 'failed':
      return make(id, 'error', `The real ${named(a)} failed${run.exitCode !== null ? ` (exit ${run.exitCode})` : ''}`,
        `${label} stopped with an error Tokaify does not recognise; its own words are below.`, evidence, again);
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
        `${named(a)} is installed here: Tokaify can run it for real`,
        `One headless turn with a one-line prompt, its tools off, in an empty temporary folder (never your workspace), stopped after ${REAL_AGENT_LIMITS.turnMs / 1000} s. ${label} reads its own files as it always does, and what it prints is shown here. It costs one tiny request to the gateway.`,
        [`Found ${a.installed.path}`, a.installed.version ? `Version ${a.installed.version}` : `Version unknown: ${a.installed.versionProblem ?? 'not read'}`],
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
        concern.kind === 'since' ? `${AGENT_LABELS[agent]} ${installed} is too old for settings Tokaify wrote` : `${AGENT_LABELS[agent]} ${installed} is older than the versions Tokaify has confirmed`,
        concernText(concern),
        [`${a.installed!.path}: version ${installed}`, ...concern.keys.map((k) => `${k.key}: ${k.minimum.kind === 'since' ? 'since' : 'confirmed in'} ${k.minimum.version} (${k.minimum.source})`)],
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
    return make('real-run.not-installed', 'warning', `${label} was not found on this machine, so it was not run`,
      `Tokaify looks for it on the PATH a terminal started from VS Code would use. Install ${label}, or add its folder to PATH, then verify again.`,
      [`No \`${AGENT_COMMANDS[agent]}\` on PATH`]);
  },
};
