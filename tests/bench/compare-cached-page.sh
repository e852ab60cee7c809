#!/usr/bin/env bash
# A cached public page on two commits, measured in the same minutes: the published app of BASE (default: the
# first parent of HEAD) and of the working tree, one after the other in each round, under the same wrk load, with
# and without Accept-Encoding. Prints req/s, p99 and CPU per request of each, and the ratios of this tree to BASE.
# Read the ratios, not the absolute figures: the host's speed moves between runs (docs/performance.md).
#
#   BASE=main bash tests/bench/compare-cached-page.sh   # defaults: BASE=HEAD^ PAGE=/team/talha ROUNDS=3 DURATION=10
#
# Everything listens on 127.0.0.1 only; every run is bounded; the trap stops what was started.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BASE="${BASE:-HEAD^}"
PAGE="${PAGE:-/team/talha}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
CONNECTIONS="${CONNECTIONS:-50}"
CLK_TCK="$(getconf CLK_TCK)"
WORK="$(mktemp -d /tmp/portfolio-compare.XXXXXX)"

BENCH_NAME=compare
STOP_WAIT=100   # ten seconds for the app to stop before it is killed
# shellcheck source=tests/bench/lib.sh
source "$REPO/tests/bench/lib.sh"
compare_setup

publish_base_and_tree "$BASE"

# measure APP_DIR LABEL: starts the app on a fresh content root, warms it up, runs wrk without and with
# Accept-Encoding; appends "label encoding req/s p99_ms cpu_us" lines to $WORK/rows.
measure() {
  local app="$1" label="$2" root="$WORK/root-$RANDOM" port=$((20000 + RANDOM % 40000))
  mkdir -p "$root" && cp "$REPO/appsettings.json" "$root/"
  ASPNETCORE_ENVIRONMENT=Production "$app/Portfolio.Web" --contentRoot "$root" --urls "http://127.0.0.1:$port" \
    --Site:PublicUrl="http://127.0.0.1:$port" >"$root/out.log" 2>&1 </dev/null &
  APP_PID=$!
  for _ in $(seq 1 600); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port$PAGE" || true)" == 200 ]] && break
    kill -0 "$APP_PID" 2>/dev/null || die "$label exited while starting"
    sleep 0.1
  done
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -H 'Accept-Encoding: br, gzip' "http://127.0.0.1:$port$PAGE" >/dev/null
  local encoding
  for encoding in identity "br, gzip"; do
    local before after out
    before="$(cpu_ticks "$APP_PID")"
    out="$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Accept-Encoding: $encoding" "http://127.0.0.1:$port$PAGE")"
    after="$(cpu_ticks "$APP_PID")"
    local requests p99
    requests="$(awk '/requests in/ {print $1}' <<<"$out")"
    p99="$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else {sub(/s$/, "", v); v *= 1000} print v}' <<<"$out")"
    echo "$label ${encoding// /} $(awk -v r="$requests" -v d="$DURATION" 'BEGIN {printf "%.0f", r / d}') $p99 $(awk -v t=$((after - before)) -v k="$CLK_TCK" -v r="$requests" 'BEGIN {printf "%.1f", t / k * 1e6 / r}')" >>"$WORK/rows"
  done
  stop_app
}

for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  measure "$WORK/base" "base"
  measure "$WORK/tree" "tree"
done

echo "Cached $PAGE, wrk -t2 -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s of warm-up, $ROUNDS alternating rounds: base $base_commit vs the working tree ($(tree_label)), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| encoding | base req/s | tree req/s | ratio (median of rounds) | base p99 ms | tree p99 ms | base CPU µs/req | tree CPU µs/req | ratio (median) |"
echo "|---|---|---|---|---|---|---|---|---|"
python3 - "$WORK/rows" "$ROUNDS" <<'PY'
import sys, statistics
rows = [line.split() for line in open(sys.argv[1])]
for encoding in ("identity", "br,gzip"):
    base = [r for r in rows if r[0] == "base" and r[1] == encoding]
    tree = [r for r in rows if r[0] == "tree" and r[1] == encoding]
    col = lambda rs, i: [float(r[i]) for r in rs]
    rps = statistics.median(t / b for t, b in zip(col(tree, 2), col(base, 2)))
    cpu = statistics.median(t / b for t, b in zip(col(tree, 4), col(base, 4)))
    fmt = lambda xs: " / ".join(f"{x:g}" for x in xs)
    print(f"| {encoding} | {fmt(col(base, 2))} | {fmt(col(tree, 2))} | **{rps:.2f}** | {fmt(col(base, 3))} | {fmt(col(tree, 3))} | {fmt(col(base, 4))} | {fmt(col(tree, 4))} | **{cpu:.2f}** |")
PY
