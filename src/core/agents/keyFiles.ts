/**
 * The agent files that can hold an API key, at the paths the environment selects, and how each is
 * parsed: with the same strict parser its writer uses, so a file counts as broken here exactly when
 * Configure would refuse it too.
 */
import path from 'node:path';
import type { Node } from 'jsonc-parser';
import type { AST } from 'toml-eslint-parser';
import { parseClaudeSettings } from './claudeCode';
import { parseCodexToml } from './codex';
import { parseCodexAuth } from './codexAuth';
import { parseOpencodeAuth, parseOpencodeConfig } from './opencode';
import { claudeCodeLocations, codexLocations, openCodeConfigFiles, openCodeLocations, type HostEnvironment } from './paths';
import type { AgentId } from './types';

export type KeyFileKind = 'codex-config' | 'codex-auth' | 'claude-settings' | 'opencode-config' | 'opencode-auth';

export interface KeyFile {
  agent: AgentId;
  kind: KeyFileKind;
  /** For people: "Codex auth.json". */
  label: string;
  path: string;
}

export type ParsedKeyFile = { format: 'toml'; ast: AST.TOMLProgram } | { format: 'json'; root: Node | undefined };

/** Every file to read for keys, agent by agent; OpenCode's config files in the order it merges them. */
export function agentKeyFiles(host: HostEnvironment): KeyFile[] {
  const codex = codexLocations(host, 'auth-json').files;
  const claude = claudeCodeLocations(host).files;
  const openCodeAuth = openCodeLocations(host, () => false).files.auth!;
  return [
    { agent: 'codex', kind: 'codex-config', label: codex.config!.label, path: codex.config!.path },
    { agent: 'codex', kind: 'codex-auth', label: codex.auth!.label, path: codex.auth!.path },
    { agent: 'claude-code', kind: 'claude-settings', label: claude.settings!.label, path: claude.settings!.path },
    ...openCodeConfigFiles(host).map((file): KeyFile => ({ agent: 'opencode', kind: 'opencode-config', label: `OpenCode ${basename(file, host)}`, path: file })),
    { agent: 'opencode', kind: 'opencode-auth', label: openCodeAuth.label, path: openCodeAuth.path },
  ];
}

/**
 * `text` without its byte-order mark (offsets in the result are offsets in it). Throws
 * ConfigSyntaxError for a file its agent could not read either.
 */
export function parseKeyFile(file: KeyFile, text: string): ParsedKeyFile {
  switch (file.kind) {
    case 'codex-config': return { format: 'toml', ast: parseCodexToml(text, file.path) };
    case 'codex-auth': return { format: 'json', root: parseCodexAuth(text, file.path) };
    case 'claude-settings': return { format: 'json', root: parseClaudeSettings(text, file.path) };
    case 'opencode-config': return { format: 'json', root: parseOpencodeConfig(text, file.path) };
    case 'opencode-auth': return { format: 'json', root: parseOpencodeAuth(text, file.path) };
  }
}

function basename(file: string, host: HostEnvironment): string {
  return (host.platform === 'win32' ? path.win32 : path.posix).basename(file);
}
