/**
 * A local Windows window whose terminals open WSL: the agents there read their Linux home (~/.codex in the
 * distro), which an extension host on Windows does not write. Pure, from what VS Code's settings say.
 */

export interface TerminalSetup {
  platform: NodeJS.Platform;
  /** vscode.env.remoteName: set in a WSL, SSH, container or code-server window (then the extension runs there). */
  remoteName: string | undefined;
  /** terminal.integrated.defaultProfile.windows */
  defaultProfile: string | undefined;
  /** terminal.integrated.profiles.windows: the profiles' `path` (a string or a list) and `source`. */
  profiles: Readonly<Record<string, { path?: unknown; source?: unknown } | null | undefined>>;
}

// wsl.exe, or the legacy bash.exe in System32 (Git's bash.exe is a Windows shell).
const WSL_PATH = /(^|[\\/])wsl(\.exe)?$|[\\/]system32[\\/]bash(\.exe)?$/i;

/** True when this window is local on Windows and a new terminal opens a WSL shell. */
export function terminalsRunInWsl(setup: TerminalSetup): boolean {
  if (setup.platform !== 'win32' || setup.remoteName) return false;
  const name = setup.defaultProfile?.trim();
  if (!name) return false;
  const profile = setup.profiles[name];
  const paths = profile ? (Array.isArray(profile.path) ? profile.path : [profile.path]) : [];
  if (paths.some((p) => typeof p === 'string' && WSL_PATH.test(p.trim()))) return true;
  // VS Code names the profiles it detects for each distro "<Distro> (WSL)".
  return /\(WSL\)$/i.test(name) || /^wsl$/i.test(name);
}
