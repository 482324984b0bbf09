#!/usr/bin/env bash
# Installs the three real coding agents the `agents` test layer runs, pinned, once, into the same cache
# as vshost-install.sh. Only the npm registry is used: the Linux x64 binary packages, not the wrappers
# (the `opencode-ai` wrapper cannot be installed from this registry, and the others only choose a binary):
#   Codex CLI    @openai/codex@<v>-linux-x64               (the Linux binary is published as that version)
#   Claude Code  @anthropic-ai/claude-code-linux-x64@<v>
#   OpenCode     opencode-linux-x64@<v>                     (what the opencode-ai wrapper launches; its
#                                                          @ai-sdk/openai-compatible provider is bundled)
# Each is installed under $CACHE/agents-<name> and its binary, found inside the package, is linked as
# $CACHE/agents-bin/<name>, which is where the tests look. Safe to run again: an install is skipped while
# its marker is present. Prints one line per agent: `<name> <version> <binary>`.
set -euo pipefail
CODEX_VERSION=${CODEX_VERSION:-0.171.0}
CLAUDE_CODE_VERSION=${CLAUDE_CODE_VERSION:-2.1.332}
OPENCODE_VERSION=${OPENCODE_VERSION:-1.18.33}
CACHE=${TOKAIFY_VSHOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tokaify-vshost}
BIN="$CACHE/agents-bin"
mkdir -p "$BIN"
log() { printf '[agents-install] %s\n' "$*" >&2; }

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  log "only Linux x86_64 binaries are pinned; this is $(uname -s)-$(uname -m)"
  exit 1
fi

# install NAME SPEC BINARY-NAME VERSION: npm install into $CACHE/agents-NAME, link the binary.
install() {
  local name=$1 spec=$2 binary=$3 version=$4 dir="$CACHE/agents-$1" found
  if [ ! -f "$dir/.installed-$version" ]; then
    log "npm: $spec"
    rm -rf "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "$spec" > "$CACHE/agents-$name-install.log" 2>&1 \
      || { tail -20 "$CACHE/agents-$name-install.log" >&2; return 1; }
    touch "$dir/.installed-$version"
  fi
  # The binary's place inside the package is the package's business (Codex nests it under vendor/<triple>/bin).
  found=$(find "$dir/node_modules" -type f -name "$binary" -perm -u+x | sort | head -1)
  if [ -z "$found" ]; then
    log "$name: no executable $binary inside $dir/node_modules"
    return 1
  fi
  ln -sfn "$found" "$BIN/$name"
  echo "$name $version $found"
}

status=0
install codex "@openai/codex@$CODEX_VERSION-linux-x64" codex "$CODEX_VERSION" || status=1
install claude "@anthropic-ai/claude-code-linux-x64@$CLAUDE_CODE_VERSION" claude "$CLAUDE_CODE_VERSION" || status=1
install opencode "opencode-linux-x64@$OPENCODE_VERSION" opencode "$OPENCODE_VERSION" || status=1
exit $status
