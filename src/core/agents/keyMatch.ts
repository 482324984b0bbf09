/**
 * Which token each agent's key is, from a scan of the agents' files: by keyed hash against the keys the
 * extension holds (exact), else by the mask new-api lists for a key not yet revealed (probable: its first
 * and last four characters; a match only when one token fits), else, for a key an agent sends to a
 * signed-in gateway, "unknown". Pure: the caller passes the scan, the known fingerprints and the tokens.
 */
import type { AccountMeta } from '../accounts';
import { normalizeBaseUrl } from '../baseUrl';
import type { KeyScan, KeySighting } from './keyScan';
import type { AgentId } from './types';

/** A key-only account's own key, in place of a token id. */
export const ACCOUNT_KEY = 'account';

/** One agent that sends a token's key, as its files say. */
export interface AgentKeyUse {
  agent: AgentId;
  /** false: matched only by the gateway's mask (the token's key was never revealed here). */
  exact: boolean;
  /** The files that hold the key. */
  files: string[];
  /** The model the agent's files select, when they name one. */
  model?: string;
}

/** An agent that sends a key to a signed-in gateway that matches none of its known tokens. */
export interface UnknownKeyUse {
  agent: AgentId;
  /** `sk-…abcd`. */
  masked: string;
  files: string[];
}

export interface KeyUseIndex {
  scan: KeyScan;
  /** `${accountId}:${tokenId | ACCOUNT_KEY}` → the agents that send its key. */
  uses: Map<string, AgentKeyUse[]>;
  unknown: Map<string, UnknownKeyUse[]>;
}

/** The matching: sightings against known fingerprints, then against masked tokens. */
export function matchKeyUses(
  scan: KeyScan,
  known: ReadonlyMap<string, string>,
  accounts: readonly AccountMeta[],
  tokensOf: (meta: AccountMeta) => readonly { id: number; key: string; keyMasked: boolean }[],
): KeyUseIndex {
  const exact = new Map<string, KeySighting[]>();
  const probable = new Map<string, KeySighting[]>();
  const unknown = new Map<string, KeySighting[]>();
  const add = (map: Map<string, KeySighting[]>, key: string, s: KeySighting) => map.set(key, [...(map.get(key) ?? []), s]);
  for (const s of scan.sightings) {
    if (s.source.kind !== 'literal') continue;
    const owner = known.get(s.source.fingerprint);
    if (owner) {
      add(exact, owner, s);
      continue;
    }
    const mask = s.source.gatewayMask;
    const candidates = mask ? accounts.filter((m) => m.authKind !== 'key').flatMap((meta) => tokensOf(meta)
      .filter((t) => t.keyMasked && t.key.startsWith(mask.head) && t.key.endsWith(mask.tail))
      .map((t) => `${meta.id}:${t.id}`)) : [];
    if (candidates.length === 1) {
      add(probable, candidates[0]!, s);
      continue;
    }
    if (!s.active) continue;
    const gateway = accounts.find((meta) => sameGateway(s.baseUrl, meta.baseUrl));
    if (gateway) add(unknown, gateway.id, s);
  }
  const uses = new Map<string, AgentKeyUse[]>();
  for (const [owner, list] of exact) uses.set(owner, usesFrom(list, true));
  for (const [owner, list] of probable) {
    const sure = uses.get(owner) ?? [];
    uses.set(owner, [...sure, ...usesFrom(list, false).filter((u) => !sure.some((x) => x.agent === u.agent))]);
  }
  const unknownUses = new Map<string, UnknownKeyUse[]>();
  for (const [accountId, list] of unknown) {
    unknownUses.set(accountId, [...new Set(list.map((s) => s.agent))].map((agent) => {
      const mine = list.filter((s) => s.agent === agent);
      return { agent, masked: mine[0]!.source.kind === 'literal' ? mine[0]!.source.masked : 'sk-…', files: [...new Set(mine.map((s) => s.file))] };
    }));
  }
  return { scan, uses, unknown: unknownUses };
}

/** One entry per agent: the files that hold the key, and the model its files select. */
export function usesFrom(sightings: readonly KeySighting[], exact: boolean): AgentKeyUse[] {
  const agents = [...new Set(sightings.map((s) => s.agent))];
  return agents.map((agent) => {
    const mine = sightings.filter((s) => s.agent === agent);
    const model = mine.find((s) => s.model)?.model;
    return { agent, exact, files: [...new Set(mine.map((s) => s.file))], ...(model ? { model } : {}) };
  });
}

/** Whether a base URL from an agent file (`…/v1` or the root) names this gateway. */
export function sameGateway(fromFile: string | undefined, gatewayRoot: string): boolean {
  if (!fromFile) return false;
  const normalized = normalizeBaseUrl(fromFile);
  return normalized.ok && normalized.value.baseUrl.toLowerCase() === gatewayRoot.toLowerCase();
}
