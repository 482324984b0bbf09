/**
 * "Test it": one minimal request in the shape the configured tool sends, so a green result means the
 * tool will get through: Codex → POST /v1/responses, Claude Code → POST /v1/messages with its
 * headers (and its experimental `context_management` field unless the betas are off), OpenCode →
 * POST /v1/chat/completions. Costs a handful of tokens.
 */
import * as l10n from '@vscode/l10n';
import { errorMessage, GatewayError } from '../errors';
import type { HttpClient } from '../http';
import { tryJson } from '../json';
import { relayError } from '../relayClient';
import type { ClaudeKeyVariable } from './claudeCode';
import type { AgentId } from './types';

export interface ProbeOptions {
  claudeKeyVariable?: ClaudeKeyVariable;
  /** Claude Code with CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1 sends no beta header or beta fields. */
  claudeBetasDisabled?: boolean;
  signal?: AbortSignal;
}

export type ProbeResult =
  | { ok: true; agent: AgentId; model: string; ms: number }
  | { ok: false; agent: AgentId; model: string; message: string; error: GatewayError; contextManagementRejected: boolean };

const CLAUDE_BETA = 'context-management-2025-06-27';

function requestFor(agent: AgentId, root: string, key: string, model: string, options: ProbeOptions): { url: string; headers: Record<string, string>; body: unknown } {
  const bearer = { authorization: `Bearer ${key}` };
  switch (agent) {
    case 'codex':
      return { url: `${root}/v1/responses`, headers: bearer, body: { model, input: 'Reply with OK.', max_output_tokens: 16, store: false } };
    case 'opencode':
      return { url: `${root}/v1/chat/completions`, headers: bearer, body: { model, messages: [{ role: 'user', content: 'Reply with OK.' }], max_tokens: 16 } };
    case 'claude-code': {
      const auth = options.claudeKeyVariable === 'ANTHROPIC_API_KEY' ? { 'x-api-key': key } : bearer;
      const betas = !options.claudeBetasDisabled;
      return {
        url: `${root}/v1/messages`,
        headers: { ...auth, 'anthropic-version': '2023-06-01', ...(betas ? { 'anthropic-beta': CLAUDE_BETA } : {}) },
        body: {
          model, max_tokens: 16, messages: [{ role: 'user', content: 'Reply with OK.' }],
          ...(betas ? { context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] } } : {}),
        },
      };
    }
  }
}

export async function probeAgent(http: HttpClient, root: string, key: string, agent: AgentId, model: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const { url, headers, body } = requestFor(agent, root, key, model, options);
  const started = Date.now();
  try {
    const response = await http.send({ method: 'POST', url, headers, body, signal: options.signal });
    if (response.status >= 200 && response.status < 300) return { ok: true, agent, model, ms: Date.now() - started };
    const error = relayError(response.status, tryJson(response.text), url);
    const contextManagementRejected = response.status === 400 && /context_management/.test(response.text);
    const message = contextManagementRejected
      ? l10n.t('The gateway rejects Claude Code\'s experimental context_management field (400 "Extra inputs are not permitted"). Turn on CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS: configure Claude Code again with "Disable experimental betas".')
      : error.message;
    return { ok: false, agent, model, message, error, contextManagementRejected };
  } catch (error) {
    const gatewayError = error instanceof GatewayError ? error : new GatewayError('network', errorMessage(error));
    return { ok: false, agent, model, message: gatewayError.message, error: gatewayError, contextManagementRejected: false };
  }
}
