#!/usr/bin/env bash
# npm test: every test layer, in order of speed, each through the README's command for it.
#   unit     npm run test:unit    plain Node mocha on dist/test/unit (no VS Code)
#   agents   npm run test:agents  the real Codex CLI, Claude Code and OpenCode against the simulator, inside a
#                                 loopback-only network namespace (binaries from scripts/agents-install.sh)
#   exthost  npm run test:host    the mocha suite inside a real VS Code extension host (code-server)
#   ui       npm run test:ui      playwright through the workbench, with the packaged .vsix installed
# A failing layer does not stop the next one. Each layer's output is also kept in test-results/<layer>.log.
# The last line is `N passed, N failed` summed over the layers. A layer that prints no counts, or
# exits non-zero while reporting 0 failed, counts as 1 failed. Exit 1 if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results

step() { printf '\n=== %s\n' "$*"; }

step "dependencies (npm ci when node_modules is missing or stale against package-lock.json)"
if ! node scripts/ensure-deps.mjs; then
  echo "npm ci failed: nothing to test"; echo "0 passed, 1 failed"; exit 1
fi

step build
if ! npm run -s build; then
  echo "build failed: nothing to test"; echo "0 passed, 1 failed"; exit 1
fi

step "install chromium, Node 24 and code-server (cached)"
bash scripts/vshost-install.sh >/dev/null || echo "vshost-install failed: the exthost and ui layers will fail"

step "install the real agents: Codex CLI, Claude Code, OpenCode (cached)"
bash scripts/agents-install.sh || echo "agents-install failed: the agents layer will fail"

step "package dist/tokaify.vsix"
rm -f dist/tokaify.vsix # never test a stale package
npm run -s package || echo "packaging failed: the ui layer will fail"
# `package` rebuilt dist minified; test:unit, test:agents and test:host each build again (readable stack traces).

TOTAL_PASSED=0 TOTAL_FAILED=0 SUMMARY=""
# run_layer NAME PATTERN CMD... : PATTERN is an extended regex whose groups 1 and 2 are the counts.
run_layer() {
  local name=$1 pattern=$2; shift 2
  step "$name: $*"
  "$@" 2>&1 | tee "test-results/$name.log"
  local rc=${PIPESTATUS[0]} passed=0 failed=1 line
  line=$(grep -E "$pattern" "test-results/$name.log" | tail -1)
  if [ -n "$line" ]; then
    passed=$(sed -E "s/.*$pattern.*/\1/" <<<"$line")
    failed=$(sed -E "s/.*$pattern.*/\2/" <<<"$line")
  fi
  if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
  TOTAL_PASSED=$((TOTAL_PASSED + passed)) TOTAL_FAILED=$((TOTAL_FAILED + failed))
  SUMMARY+=$(printf '%-8s %4d passed, %d failed%s' "$name" "$passed" "$failed" "$([ -z "$line" ] && echo ' (no result line)')")$'\n'
}

# mocha's spec reporter prints "N passing" and, only when there are failures, "N failing": turn them into one line.
unit() {
  local out rc passing failing
  out=$(mktemp)
  npm run -s test:unit 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  passing=$(grep -E '^ *[0-9]+ passing' "$out" | grep -oE '[0-9]+' | head -1)
  failing=$(grep -E '^ *[0-9]+ failing' "$out" | grep -oE '[0-9]+' | head -1)
  rm -f "$out"
  [ -n "$passing" ] && echo "unit: $passing passed, ${failing:-0} failed"
  return "$rc"
}

run_layer unit '^unit: ([0-9]+) passed, ([0-9]+) failed' unit
# Each layer is the README's own command for it (npm run test:unit, test:agents, test:host, test:ui), so CI,
# which runs `npm test`, runs exactly what a developer is told to run.
run_layer agents '^agents: ([0-9]+) passed, ([0-9]+) failed' npm run -s test:agents
run_layer exthost '^exthost: ([0-9]+) passed, ([0-9]+) failed' npm run -s test:host
run_layer ui '^ui: ([0-9]+) passed, ([0-9]+) failed' npm run -s test:ui

step summary
printf '%s' "$SUMMARY"
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[ "$TOTAL_FAILED" = 0 ]
