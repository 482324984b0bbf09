/**
 * Verify = gather facts (a handful of requests, the agents' files, the environment) then run pure
 * rules over them. These are the shapes between the two halves; rules never do I/O, so each one is
 * tested as a table of facts → findings.
 */
import type { ClaudeSettingsSummary } from '../agents/claudeCode';
import type { CodexConfigSummary } from '../agents/codex';
import type { CodexAuthMode } from '../agents/codexAuth';
import type { OpencodeConfigSummary } from '../agents/opencode';
import type { ProjectOverride } from '../agents/projectOverrides';
import type { ProfileSighting } from '../agents/shellProfiles';
import type { RunOutcome } from '../agents/realAgentOutput';
import type { AgentId } from '../agents/types';
import type { GatewayErrorKind } from '../errors';
import type { QuotaDisplay } from '../quota';
import type { TokenStatus } from '../tokenModel';

/** The outcome of one HTTP check, enough to explain it (never the key). */
export interface RequestFacts {
  ok: boolean;
  /** HTTP status when an answer came back. */
  status?: number;
  errorKind?: GatewayErrorKind;
  /** The network error code (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED, TIMEOUT…) or the body's error code (insufficient_user_quota…). */
  code?: string;
  /** The gateway's own message, verbatim (may be Chinese). */
  serverMessage?: string;
  /** Our plain-words message for the failure. */
  message?: string;
  latencyMs?: number;
}

export interface RelayFacts extends RequestFacts {
  /** From GET /v1/models when it answered. */
  models?: string[];
}

/**
 * Where a console fact came from, so the evidence can say how fresh it is: read from the gateway during
 * this Verify, or Tokaify's earlier copy (its token list, read at `at`, ms since epoch) because the fresh
 * read failed. A stale copy is never passed off as current.
 */
export type FactOrigin = { source: 'gateway' } | { source: 'cache'; at?: number };

/** One console read Verify makes (the token under test, the account's balance); a failed one is a finding. */
export interface ConsoleRead extends RequestFacts {
  /** The request, e.g. `GET /api/token/7`, `GET /api/user/self`. */
  label: string;
  fact: 'token' | 'balance';
}

/** The token as the console lists it, when the account is signed in to the console. */
export interface TokenFacts {
  id: number;
  name: string;
  status: TokenStatus;
  unlimited: boolean;
  remainQuota: number;
  modelLimits: string[];
  allowIps: string[];
  group: string;
  /** Unix seconds, -1 never. */
  expiredTime: number;
  origin: FactOrigin;
}

export interface ParseProblem {
  path: string;
  line: number;
  column: number;
  reason: string;
}

export interface AgentFacts {
  agent: AgentId;
  /** Tokaify wrote this agent's config (a usage record exists), or its files point at this gateway. */
  configured: boolean;
  /** The model we configured it with, if we did. */
  expectedModel?: string;
  /** The files that were read, existing or not. */
  files: { label: string; path: string; exists: boolean }[];
  parseProblems: ParseProblem[];
  codex?: {
    config?: CodexConfigSummary;
    authMode: CodexAuthMode;
    /** auth.json has an OPENAI_API_KEY. */
    authHasKey: boolean;
    /** That key is the key being verified. */
    authKeyMatches: boolean;
    /** The bearer token in the provider the config selects is the key being verified. */
    bearerKeyMatches: boolean;
  };
  claude?: ClaudeSettingsSummary & {
    /** The key in the chosen variable is the key being verified. */
    keyMatches: boolean;
  };
  opencode?: {
    config?: OpencodeConfigSummary;
    /** The provider id we expect (usually `tokaify`). */
    providerId: string;
    /** OpenCode's auth.json has an `api` entry for providerId. */
    authHasKey: boolean;
    authKeyMatches: boolean;
  };
  /** One request in the tool's own shape, when it was sent; `by` names the real agent (and its version) when it sent it. */
  probe?: RequestFacts & { contextManagementRejected: boolean; by?: string };
  /** The agent's own binary on this machine, found on PATH as a terminal would. */
  installed?: { path: string; version?: string; versionProblem?: string };
  /** The real agent's one turn, when the user asked for it. */
  run?: RealRunFacts;
}

/** What the real agent did in its one turn (output redacted and cut). */
export interface RealRunFacts {
  /** The command line as typed (it holds no secret: the key is in the agent's files). */
  command: string;
  version?: string;
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  outcome: RunOutcome;
  startError?: string;
  /** The last lines it printed, `stdout:`/`stderr:` first, redacted. */
  output: string[];
  errorLine?: string;
  legacyProfile?: string;
}

export type { ProjectOverride } from '../agents/projectOverrides';

export interface EnvironmentFacts {
  /** Variables of interest set in the extension host's process (what a terminal launched from it inherits). */
  processEnv: Record<string, string>;
  /** Variables of interest set through VS Code's `terminal.integrated.env.<platform>` setting. */
  terminalEnv: Record<string, string>;
  /** Claude Code's key variables as the user's shell profiles export them (file and line; values are never read out). */
  shellProfiles: ProfileSighting[];
  projectOverrides: ProjectOverride[];
}

export interface Facts {
  /** For fixes: the account and (when known) the console token being verified. */
  accountId: string;
  tokenId?: number;
  /** The gateway root the account uses (normalised, no /v1). */
  gatewayRoot: string;
  /** How the account signed in; `key` accounts have no console facts. */
  accountKind: 'accessToken' | 'session' | 'key';
  /** The key under test, masked (`sk-abcd…wxyz`), for evidence lines. */
  keyLabel: string;
  /** GET /api/status without auth: is it a new-api/one-api gateway at all? */
  gateway: RequestFacts & { isGateway: boolean };
  /** GET /v1/models with the key. */
  relay: RelayFacts;
  token?: TokenFacts;
  /** The account's balance (quota units), when the console answered during this Verify. */
  user?: { quota: number };
  /** The console reads this Verify made (none for key accounts), failed or not. */
  consoleReads: ConsoleRead[];
  /** How the gateway shows amounts; every amount in a finding uses it, as the status bar and the tree do. */
  display: QuotaDisplay;
  agents: AgentFacts[];
  environment: EnvironmentFacts;
  /** The agent whose real run was asked for, found on this machine or not. */
  realRunRequested?: AgentId;
  /** This window's workspace profile (Use for This Workspace), when one is applied. */
  workspaceProfile?: WorkspaceProfileFacts;
}

/** What Verify knows of a workspace profile: names and paths, never the key. */
export interface WorkspaceProfileFacts {
  name: string;
  token: string;
  models: Partial<Record<AgentId, string>>;
  /** The variables it sets in this window's terminals (names only). */
  variables: string[];
  files: { path: string; exists: boolean }[];
}

export type Severity = 'error' | 'warning' | 'info' | 'ok';

/**
 * Commands a fix may run, with the arguments they take (all JSON, so the report can pass them on):
 * configure*: [{ accountId, tokenId?, model?, claude?: { disableExperimentalBetas?: boolean } }] (opens the
 * normal flow with a diff preview); enableToken / editToken: [{ accountId, tokenId }]; openConsole: [accountId];
 * addGateway: [{ baseUrl }]; openFileAt: [path, line, column]; openTerminalEnvSettings: [];
 * runRealAgent: [{ accountId, tokenId?, agent }] (one headless turn of the installed agent, then the report again).
 */
export const FIX_COMMANDS = {
  configureCodex: 'tokaify.configureCodex',
  configureClaudeCode: 'tokaify.configureClaudeCode',
  configureOpenCode: 'tokaify.configureOpenCode',
  enableToken: 'tokaify.enableToken',
  editToken: 'tokaify.editToken',
  openConsole: 'tokaify.openConsole',
  addGateway: 'tokaify.addGateway',
  openFileAt: 'tokaify.openFileAt',
  openTerminalEnvSettings: 'tokaify.openTerminalEnvSettings',
  runRealAgent: 'tokaify.runRealAgent',
} as const;

/** Each agent's Configure command: the fix wherever an agent's files need writing again (Verify, the token tree). */
export const CONFIGURE_COMMAND: Record<AgentId, string> = {
  codex: FIX_COMMANDS.configureCodex,
  'claude-code': FIX_COMMANDS.configureClaudeCode,
  opencode: FIX_COMMANDS.configureOpenCode,
};

/** A one-click fix: a command id and its arguments (run from the report). */
export interface Fix {
  label: string;
  command: string;
  args?: unknown[];
}

export interface Finding {
  /** Stable id of the rule case, e.g. `relay.key-invalid`; tests and the report key on it. */
  id: string;
  severity: Severity;
  /** What is wrong, in plain words, one line. */
  title: string;
  /** Why, and what to do. */
  detail: string;
  /** What was observed (status, message, file:line); secrets masked. */
  evidence: string[];
  fix?: Fix;
}
