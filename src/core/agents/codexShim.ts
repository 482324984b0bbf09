/**
 * The `codex` shim a workspace profile puts first on a terminal's PATH. Codex has no environment variable
 * that selects a profile (0.171.0 reads CODEX_HOME and nothing like CODEX_PROFILE; `strings` of the binary,
 * and openai/codex codex-rs/utils/home-dir), and CODEX_HOME would hide the user's own config.toml, MCP
 * servers and auth. So the shim runs the next `codex` on PATH with `--profile <name>`: Codex then loads
 * `$CODEX_HOME/<name>.config.toml` above the user's config.toml, which still applies underneath
 * (client-configs.md §1.1, codex-rs/config/src/loader/mod.rs; checked with the real 0.171.0 in
 * test/agents/workspaceProfile.test.ts). One shim serves every workspace: it reads the profile name from
 * TOKAIFY_CODEX_PROFILE, and without it (or when the user names a profile) passes the command line on as is.
 */

/** The variable the shim reads the profile name from. */
export const CODEX_PROFILE_VARIABLE = 'TOKAIFY_CODEX_PROFILE';

export interface ShimFile {
  /** The file name inside the shim folder. */
  name: string;
  text: string;
  /** Unix mode: executable by its owner only. */
  mode: number;
}

const POSIX = `#!/bin/sh
# Written by the Tokaify VS Code extension for its workspace profiles; safe to delete.
# Runs the next "codex" on PATH, adding --profile "$${CODEX_PROFILE_VARIABLE}" unless the command line
# names a profile itself.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
profile=\${${CODEX_PROFILE_VARIABLE}-}
for arg in "$@"; do
  case $arg in --profile|--profile=*|-p) profile= ;; esac
done
set -f
IFS=:
for dir in $PATH; do
  [ -n "$dir" ] || continue
  [ "$(CDPATH= cd -- "$dir" 2>/dev/null && pwd -P)" = "$here" ] && continue
  if [ -f "$dir/codex" ] && [ -x "$dir/codex" ]; then
    unset IFS
    if [ -n "$profile" ]; then exec "$dir/codex" --profile "$profile" "$@"; fi
    exec "$dir/codex" "$@"
  fi
done
echo "codex: command not found (Tokaify's workspace profile looked past $here)" >&2
exit 127
`;

// cmd.exe: `where` lists every codex on PATH in order; the first one outside this folder with an
// extension Windows runs is the real one (npm installs codex.cmd, the native installer codex.exe).
const WINDOWS = `@echo off
rem Written by the Tokaify VS Code extension for its workspace profiles; safe to delete.
rem Runs the next codex on PATH, adding --profile %${CODEX_PROFILE_VARIABLE}% when it is set.
setlocal
set "TOKAIFY_HERE=%~dp0"
set "TOKAIFY_ARGS="
if defined ${CODEX_PROFILE_VARIABLE} set "TOKAIFY_ARGS=--profile %${CODEX_PROFILE_VARIABLE}%"
for /f "delims=" %%i in ('where codex 2^>nul') do (
  if /i not "%%~dpi"=="%TOKAIFY_HERE%" (
    if /i "%%~xi"==".exe" ( "%%i" %TOKAIFY_ARGS% %* & exit /b %errorlevel% )
    if /i "%%~xi"==".cmd" ( call "%%i" %TOKAIFY_ARGS% %* & exit /b %errorlevel% )
  )
)
echo codex: command not found (Tokaify's workspace profile looked past %TOKAIFY_HERE%) 1>&2
exit /b 9009
`;

/** The shim for the platform the terminals run on. */
export function codexShim(platform: NodeJS.Platform): ShimFile {
  return platform === 'win32'
    ? { name: 'codex.cmd', text: WINDOWS.replace(/\n/g, '\r\n'), mode: 0o700 }
    : { name: 'codex', text: POSIX, mode: 0o700 };
}
