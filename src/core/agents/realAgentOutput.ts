/**
 * What a real agent's turn says, read from its own output: did it finish, and if not, what did it
 * report. The texts are the agents' own, as the agents layer records them:
 *
 * - Claude Code: `Failed to authenticate. API Error: 401 无效的令牌 (request id: …)`,
 *   `API Error: 400 context_management: Extra inputs are not permitted`;
 * - Codex: `ERROR: unexpected status 401 Unauthorized: 无效的令牌 (request id: …), url: …/v1/responses`,
 *   and, before any request, ``legacy `profile = "work"` config is no longer supported; …``;
 * - OpenCode: `Error: 无效的令牌 (request id: …)` (no status: a known gateway message supplies it).
 *
 * The HTTP status and the gateway's message found there become RequestFacts, so Verify's rules judge
 * them like any other request. Nothing here is shown as is: the caller redacts and caps it.
 */
import type { ProcessResult } from './processRun';
import type { AgentId } from './types';

export type RunOutcome =
  /** Exit 0 with a reply. */
  | 'ok'
  /** The gateway refused a request; `status`/`message` say how. */
  | 'refused'
  /** Codex stopped at start-up on a root `profile = "…"`. */
  | 'legacy-profile'
  /** This version does not know a switch of our invocation. */
  | 'unsupported-invocation'
  | 'timed-out'
  | 'not-started'
  /** Exit 0 but nothing printed. */
  | 'no-reply'
  /** Failed for a reason we do not recognise: the output says it. */
  | 'failed';

export interface RunReading {
  outcome: RunOutcome;
  /** HTTP status the agent reported, when it reported one (or a known message implies it). */
  status?: number;
  /** The gateway's message as the agent printed it. */
  serverMessage?: string;
  /** The line that carries the agent's error, as printed. */
  errorLine?: string;
  /** Claude Code's context_management 400. */
  contextManagementRejected: boolean;
  /** Codex's legacy root profile name. */
  legacyProfile?: string;
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Gateway messages that carry no status in OpenCode's output, and the status new-api sends them with. */
const KNOWN_MESSAGES: [RegExp, number][] = [
  [/无效的令牌|未提供令牌|该令牌状态不可用|该令牌已过期|额度已用尽|Invalid or missing API key|invalid api key|incorrect api key/i, 401],
  [/用户额度不足|insufficient credits|insufficient_user_quota|预扣费额度失败|不在令牌允许访问的列表中|用户已被封禁|无权访问 .* 分组|分组 .* 已被弃用|该令牌无权(访问|使用)模型/i, 403],
  [/Invalid URL \(|no available channel for model|model_not_found/i, 404],
];

/** A JSON error body's message (`{"error":{"message":…}}`, `{"type":"error","error":{…}}`, `{"message":…}`), else the text. */
function messageOf(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const body = JSON.parse(trimmed) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'object' && typeof body.error?.message === 'string') return body.error.message;
    if (typeof body.error === 'string') return body.error;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON after all
  }
  return trimmed;
}

interface Found {
  status?: number;
  message: string;
  line: string;
}

/** The last error the agent printed, per agent's wording. */
function lastError(agent: AgentId, text: string): Found | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const claude = /API Error:\s*(\d{3})\b\s*(.*)$/.exec(line);
    if (claude && agent === 'claude-code') return { status: Number(claude[1]), message: messageOf(claude[2] ?? ''), line };
    const codex = /unexpected status\s+(\d{3})(?:\s+[A-Za-z][A-Za-z ]*?)?:\s*(.*?)(?:,\s*url:\s*\S+)?$/.exec(line);
    if (codex && agent === 'codex') return { status: Number(codex[1]), message: messageOf(codex[2] ?? ''), line };
    const generic = /^(?:ERROR:|Error:)\s*(.+)$/.exec(line);
    if (generic && agent === 'opencode') {
      const message = messageOf(generic[1]!);
      const status = /\b(?:status(?: code)?|HTTP)\s*(\d{3})\b/i.exec(message)?.[1];
      return { status: status ? Number(status) : KNOWN_MESSAGES.find(([pattern]) => pattern.test(message))?.[1], message, line };
    }
  }
  return undefined;
}

const UNSUPPORTED = /unknown option|unexpected argument|unrecognized (?:option|argument)|Unknown argument|error: invalid value .* for '--/i;

export function readRun(agent: AgentId, result: ProcessResult): RunReading {
  const stdout = stripAnsi(result.stdout);
  const text = `${stdout}\n${stripAnsi(result.stderr)}`;
  const base = { contextManagementRejected: false };
  if (result.startError !== undefined) return { ...base, outcome: 'not-started', errorLine: result.startError };
  const profile = /legacy `profile = "([^"]*)"` config is no longer supported[^\n]*/.exec(text);
  if (profile) return { ...base, outcome: 'legacy-profile', legacyProfile: profile[1], errorLine: profile[0] };
  const found = lastError(agent, text);
  const contextManagementRejected = found?.status === 400 && /context_management/.test(found.message);
  // A turn that healed itself (Claude Code retries without context_management) ends with exit 0.
  if (result.code === 0 && !result.timedOut) return { ...base, outcome: stdout.trim() ? 'ok' : 'no-reply' };
  if (found) {
    return {
      outcome: 'refused', contextManagementRejected, errorLine: found.line, serverMessage: found.message,
      ...(found.status !== undefined ? { status: found.status } : {}),
    };
  }
  if (result.timedOut) return { ...base, outcome: 'timed-out' };
  const unsupported = text.split(/\r?\n/).find((line) => UNSUPPORTED.test(line));
  if (unsupported) return { ...base, outcome: 'unsupported-invocation', errorLine: unsupported.trim() };
  return { ...base, outcome: 'failed' };
}
