/**
 * Which token and model each agent was last configured with (non-secret metadata in globalState), so
 * the tree can say "used by Codex" and Verify knows what to check.
 */
import type * as vscode from 'vscode';
import type { AgentId } from '../../core/agents/types';

export interface AgentUsage {
  agent: AgentId;
  accountId: string;
  /** Absent for key-only accounts (the account's own key). */
  tokenId?: number;
  tokenName: string;
  model: string;
  files: string[];
  at: number;
}

const USAGE_KEY = 'tokaify.agentUsage';
const RECENT_MODELS_KEY = 'tokaify.recentModels';

export class AgentUsageStore {
  constructor(private readonly state: Pick<vscode.Memento, 'get' | 'update'>) {}

  all(): AgentUsage[] {
    return Object.values(this.state.get<Record<string, AgentUsage>>(USAGE_KEY, {}));
  }

  /** Agents configured with this token. */
  agentsUsing(accountId: string, tokenId: number): AgentId[] {
    return this.all().filter((u) => u.accountId === accountId && u.tokenId === tokenId).map((u) => u.agent);
  }

  async record(usage: AgentUsage): Promise<void> {
    await this.state.update(USAGE_KEY, { ...this.state.get<Record<string, AgentUsage>>(USAGE_KEY, {}), [usage.agent]: usage });
    const recent = this.recentModels().filter((m) => m !== usage.model);
    await this.state.update(RECENT_MODELS_KEY, [usage.model, ...recent].slice(0, 8));
  }

  recentModels(): string[] {
    return this.state.get<string[]>(RECENT_MODELS_KEY, []);
  }
}
