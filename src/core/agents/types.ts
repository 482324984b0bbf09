/**
 * Shared shapes of the agent config writers. A planner is a pure function from a file's current text
 * (undefined when the file does not exist) to its new text; reading, backing up and writing files is
 * fileWriter.ts's job, so planners are tested as plain string tables.
 */
import * as l10n from '@vscode/l10n';

export type AgentId = 'codex' | 'claude-code' | 'opencode';

/** Every agent, in the order the extension lists them. */
export const AGENT_IDS: readonly AgentId[] = ['codex', 'claude-code', 'opencode'];

export const AGENT_LABELS: Record<AgentId, string> = {
  codex: 'Codex CLI',
  'claude-code': 'Claude Code',
  opencode: 'OpenCode',
};

/**
 * The existing file does not parse: we refuse to touch it. `line` and `column` are 1-based, as editors
 * show them; `file` is the path (or a label when planning text that has no path yet).
 */
export class ConfigSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(l10n.t('{0}:{1}:{2}: {3}. Fix or move the file first; it was not changed.', file, line, column, reason));
    this.name = 'ConfigSyntaxError';
  }
}

/** The existing file parses but has a shape we cannot merge into safely (e.g. `env` is not an object). */
export class ConfigShapeError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(l10n.t('{0}: {1}. It was not changed.', file, reason));
    this.name = 'ConfigShapeError';
  }
}
