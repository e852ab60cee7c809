#!/usr/bin/env bash
# Sourced by the page benchmarks (page-weight.sh, lighthouse.sh): publishes the app in Release (or reuses the last
# publish with SKIP_BUILD=1), starts it in Production on a free loopback port with a fresh content root, waits until
# it is ready, and stops it on exit. Sets REPO, RESULTS_DIR, WORK, APP_PID and base (the app's URL).
# The caller sets BENCH_NAME (its log prefix) before sourcing. The helpers (log, die, stop_pid, the trap) are lib.sh's.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RESULTS_DIR="$REPO/tests/bench/results"
WORK="$(mktemp -d "/tmp/portfolio-${BENCH_NAME:-bench}.XXXXXX")"
APP_DIR="$WORK/app"
APP_PID=""

STOP_WAIT=100   # ten seconds for the app to stop before it is killed
# shellcheck source=tests/bench/lib.sh
source "$REPO/tests/bench/lib.sh"
stop_started() { stop_pid "$APP_PID"; }
bench_traps 130   # TERM exits with 130, as INT does

command -v curl >/dev/null || die "curl is needed"
command -v python3 >/dev/null || die "python3 is needed"

cached="$RESULTS_DIR/.publish"
if [[ "${SKIP_BUILD:-0}" == 1 ]] && is_app_publish "$cached"; then
  cp -a "$cached" "$APP_DIR"
else
  log "dotnet publish -c Release, as the Dockerfile does"
  publish_app "$REPO/src/Portfolio.Web" "$APP_DIR"
  mkdir -p "$RESULTS_DIR"
  rm -rf "$cached" && cp -a "$APP_DIR" "$cached"
fi

port=$((20000 + RANDOM % 40000))
root="$WORK/root"
mkdir -p "$root"
cp "$REPO/appsettings.json" "$root/"
ASPNETCORE_ENVIRONMENT=Production "$APP_DIR/Portfolio.Web" --contentRoot "$root" --urls "http://127.0.0.1:$port" \
  --Site:PublicUrl="http://127.0.0.1:$port" >"$WORK/app.log" 2>&1 </dev/null &
APP_PID=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/health/ready" || true)" == 200 ]] && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log" >&2; die "the app exited"; }
  sleep 0.1
done

