/**
 * Does the gateway serve the route an agent talks to? Asked before a config is written, because one-api
 * has neither /v1/responses (Codex) nor /v1/messages (Claude Code), and a config pointing there cannot work.
 *
 * One request that cannot cost anything: a POST of `{}` (no model) to the agent's route. Both servers
 * answer a route they lack with NoRoute's 404 "Invalid URL", before any key check (spec §1.1); a route
 * they have refuses that body (new-api 400 "Model name not specified", or 403 for a token with model
 * limits; one-api 503 "no channel") or the key (401/403). Without a model no channel is chosen, so
 * nothing reaches an upstream and no quota is spent.
 */
import * as l10n from '@vscode/l10n';
import { errorMessage } from '../errors';
import type { HttpClient } from '../http';
import type { AgentId } from './types';

export const AGENT_ROUTES: Record<AgentId, string> = {
  codex: '/v1/responses',
  'claude-code': '/v1/messages',
  opencode: '/v1/chat/completions',
};

export type RouteSupport =
  | { agent: AgentId; route: string; served: true; status: number }
  | { agent: AgentId; route: string; served: false; status: number }
  /** The check itself failed (network, timeout): nothing is known, so nothing is said. */
  | { agent: AgentId; route: string; served: undefined; error: string };

/** 404: no such route (NoRoute). 405: not for POST. 501: one-api's RelayNotImplemented stubs. */
const MISSING = new Set([404, 405, 501]);
const CHECK_TIMEOUT_MS = 10_000;

export async function checkAgentRoute(http: HttpClient, root: string, key: string, agent: AgentId, signal?: AbortSignal): Promise<RouteSupport> {
  const route = AGENT_ROUTES[agent];
  try {
    const response = await http.send({
      method: 'POST', url: `${root}${route}`, headers: { authorization: `Bearer ${key}` }, body: {}, signal, timeoutMs: CHECK_TIMEOUT_MS,
    });
    return { agent, route, served: !MISSING.has(response.status), status: response.status };
  } catch (error) {
    return { agent, route, served: undefined, error: errorMessage(error) };
  }
}

/**
 * What will not work and what to do instead, in plain words; undefined when the route is served or
 * unknown. `flavor` names the gateway kind the account was detected as.
 */
export function routeWarning(support: RouteSupport, flavor: string): string | undefined {
  if (support.served !== false) return undefined;
  switch (support.agent) {
    case 'codex':
      return l10n.t('This gateway ({0}) has no {1}: Codex only speaks the Responses API (wire_api "chat" is no longer supported), so it cannot use this gateway. Use a new-api gateway for Codex, or use OpenCode here, which talks {2}.', flavor, support.route, AGENT_ROUTES.opencode);
    case 'claude-code':
      return l10n.t('This gateway ({0}) has no {1}: Claude Code cannot use it. Use a new-api gateway for Claude Code, or an Anthropic-compatible proxy in front of this one.', flavor, support.route);
    case 'opencode':
      return l10n.t('This gateway ({0}) has no {1}: OpenCode cannot use it. Check the gateway address (it should be the gateway\'s root), or use a new-api / one-api gateway.', flavor, support.route);
  }
}

/**
 * Known answers per account and agent, for the session: a gateway does not grow or lose a route
 * between two Configure runs. Failed checks are not kept, so the next run asks again.
 */
export class RouteSupportCache {
  private readonly known = new Map<string, Promise<RouteSupport>>();

  check(http: HttpClient, accountId: string, root: string, key: string, agent: AgentId, signal?: AbortSignal): Promise<RouteSupport> {
    const id = `${accountId}\u0000${agent}`;
    let answer = this.known.get(id);
    if (!answer) {
      answer = checkAgentRoute(http, root, key, agent, signal).then((support) => {
        if (support.served === undefined) this.known.delete(id);
        return support;
      });
      this.known.set(id, answer);
    }
    return answer;
  }

  clear(): void {
    this.known.clear();
  }
}
