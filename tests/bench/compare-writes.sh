#!/usr/bin/env bash
# The write API on two commits, measured in the same minutes (SQLite): the published app of BASE (default: the first
# parent of HEAD) and of the working tree, one after the other in each round, each on a fresh content root with the
# sample content and five bench experts (tests/bench/api/bench.py). Per app: WARMUP seconds of wrk -t2 -c20 writes,
# then DURATION seconds measured; prints the app's CPU per request and req/s of each, and the ratios of the tree to
# BASE. Read the ratios and compare only within one run: the host's speed moves between runs (docs/performance.md).
#
#   ENDPOINT=bookings BASE=main bash tests/bench/compare-writes.sh   # defaults: ENDPOINT=bookings BASE=HEAD^ ROUNDS=3
#
# Bookings use distinct slots: the warm-up books two experts' slots, the measured run three others'. Each app's content
# and appsettings come from its own commit. BASE_APP / TREE_APP reuse publish folders made before. Everything listens on
# 127.0.0.1 only; every run is bounded; the trap stops what was started.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BASE="${BASE:-HEAD^}"
ENDPOINT="${ENDPOINT:-bookings}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-15}"
CLK_TCK="$(getconf CLK_TCK)"
WORK="$(mktemp -d /tmp/portfolio-compare-writes.XXXXXX)"

BENCH_NAME=compare-writes
STOP_WAIT=100
# shellcheck source=tests/bench/lib.sh
source "$REPO/tests/bench/lib.sh"
compare_setup
[[ "$ENDPOINT" == bookings || "$ENDPOINT" == contact ]] || die "ENDPOINT is bookings or contact"

publish_base_and_tree "$BASE"

# measure APP_DIR SOURCE_DIR LABEL: the app on a fresh content root made from SOURCE_DIR, warmed up, then measured;
# appends "label req/s cpu_us non2xx" to $WORK/rows.
measure() {
  local app="$1" source="$2" label="$3" root="$WORK/root-$RANDOM" port
  port="$(free_port)"
  mkdir -p "$root/umbraco" && cp "$source/appsettings.json" "$root/" && cp -a "$source/umbraco/content" "$root/umbraco/content"
  python3 "$source/tests/bench/api/bench.py" experts "$root/umbraco/content/bench" "bench-1,bench-2,bench-3,bench-w1,bench-w2" >/dev/null
  ASPNETCORE_ENVIRONMENT=Production "$app/Portfolio.Web" --contentRoot "$root" --urls "http://127.0.0.1:$port" \
    --Site:PublicUrl="http://127.0.0.1:$port" --Email:Dispatcher:Enabled=false \
    --RateLimiting:ContactWrites:PermitLimit=1000000 --RateLimiting:ContactWrites:WindowSeconds=1 \
    --RateLimiting:BookingWrites:PermitLimit=1000000 --RateLimiting:BookingWrites:WindowSeconds=1 \
    --RateLimiting:Reads:PermitLimit=1000000 --RateLimiting:Reads:WindowSeconds=1 >"$root/out.log" 2>&1 </dev/null &
  APP_PID=$!
  for _ in $(seq 1 600); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/health/ready" || true)" == 200 ]] && break
    kill -0 "$APP_PID" 2>/dev/null || die "$label exited while starting"
    sleep 0.1
  done
  local base_url="http://127.0.0.1:$port" script="$source/tests/bench/api/$ENDPOINT.lua"
  if [[ "$ENDPOINT" == bookings ]]; then
    python3 "$source/tests/bench/api/bench.py" slots "$base_url" "bench-w1,bench-w2" "$root/warm.txt" >/dev/null
    python3 "$source/tests/bench/api/bench.py" slots "$base_url" "bench-1,bench-2,bench-3" "$root/measure.txt" >/dev/null
  fi
  BENCH_SLOTS="$root/warm.txt" BENCH_THREADS=2 BENCH_TAG="w$RANDOM" wrk -t2 -c20 -d"${WARMUP}s" -s "$script" "$base_url" >/dev/null
  local before after out requests non2xx
  before="$(cpu_ticks "$APP_PID")"
  out="$(BENCH_SLOTS="$root/measure.txt" BENCH_THREADS=2 BENCH_TAG="m$RANDOM" wrk -t2 -c20 -d"${DURATION}s" -s "$script" "$base_url")"
  after="$(cpu_ticks "$APP_PID")"
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  echo "$label $(awk -v r="$requests" -v d="$DURATION" 'BEGIN {printf "%.0f", r / d}') $(awk -v t=$((after - before)) -v k="$CLK_TCK" -v r="$requests" 'BEGIN {printf "%.0f", t / k * 1e6 / r}') ${non2xx:-0}" >>"$WORK/rows"
  stop_app
}

for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  measure "$WORK/base" "$WORK/base-src" base
  measure "$WORK/tree" "$REPO" tree
done

echo "POST /api/v1/$ENDPOINT on SQLite, wrk -t2 -c20 -d${DURATION}s after ${WARMUP}s of warm-up, $ROUNDS alternating rounds: base $base_commit vs the working tree ($(tree_label)), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| base req/s | tree req/s | base CPU µs/req | tree CPU µs/req | CPU ratio (median of rounds) | non-2xx base / tree |"
echo "|---|---|---|---|---|---|"
python3 - "$WORK/rows" <<'PY'
import sys, statistics
rows = [line.split() for line in open(sys.argv[1])]
base = [r for r in rows if r[0] == "base"]
tree = [r for r in rows if r[0] == "tree"]
col = lambda rs, i: [float(r[i]) for r in rs]
cpu = statistics.median(t / b for t, b in zip(col(tree, 2), col(base, 2)))
fmt = lambda xs: " / ".join(f"{x:g}" for x in xs)
print(f"| {fmt(col(base, 1))} | {fmt(col(tree, 1))} | {fmt(col(base, 2))} | {fmt(col(tree, 2))} | **{cpu:.2f}** | {fmt(col(base, 3))} / {fmt(col(tree, 3))} |")
PY
