#!/usr/bin/env bash
# Site search latency on the sample content (issue 15 goal: results in under 50 ms). Publishes and starts the app
# like the page benchmarks (published-app.sh: Release, Production, SQLite, fresh content root with the sample
# content), warms up, then asks /search for each query ROUNDS times, one request at a time, and reports p50 / p95 /
# max of the whole request (curl's time_total) and of the search itself (the page's Server-Timing "search" figure:
# the full-text query, the count per type and the excerpts). Results: tests/bench/results/search-latest.md.
#   SKIP_BUILD=1 reuse the last publish; ROUNDS=50 requests per query.
set -euo pipefail
BENCH_NAME=search
source "$(dirname "${BASH_SOURCE[0]}")/published-app.sh"

rounds="${ROUNDS:-50}"
queries=("postgresql" "scaling databases" "architecture" "kubernetes migration" "caching" "payments" "talha" "zzznothing")
out="$RESULTS_DIR/search-latest.md"

for _ in $(seq 1 20); do for q in "${queries[@]}"; do curl -s -o /dev/null "$base/search?q=${q// /+}"; done; done

samples="$WORK/samples.tsv"
for q in "${queries[@]}"; do
  for _ in $(seq 1 "$rounds"); do
    curl -s -D "$WORK/headers" -o "$WORK/body" -w '%{http_code}\t%{time_total}\n' "$base/search?q=${q// /+}" >"$WORK/line"
    status="$(cut -f1 "$WORK/line")"
    [[ "$status" == 200 ]] || die "/search?q=$q answered $status"
    server="$(grep -i '^server-timing:' "$WORK/headers" | sed -E 's/.*dur=([0-9.]+).*/\1/' | tr -d '\r')"
    hits="$(grep -c 'class="search-result"' "$WORK/body" || true)"
    printf '%s\t%s\t%s\t%s\n' "$q" "$(cut -f2 "$WORK/line")" "$server" "$hits" >>"$samples"
  done
done

python3 - "$samples" "$rounds" >"$out" <<'PY'
import sys, statistics
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
def pct(values, p):
    values = sorted(values); return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
print(f"# Site search latency (SQLite, sample content, {sys.argv[2]} requests per query, one at a time)\n")
print("| query | hits | request p50 ms | request p95 ms | search p50 ms | search p95 ms | search max ms |")
print("|---|---|---|---|---|---|---|")
queries = list(dict.fromkeys(r[0] for r in rows))
for q in queries:
    mine = [r for r in rows if r[0] == q]
    total = [float(r[1]) * 1000 for r in mine]; search = [float(r[2]) for r in mine]
    print(f"| {q} | {mine[0][3]} | {pct(total,50):.1f} | {pct(total,95):.1f} | {pct(search,50):.2f} | {pct(search,95):.2f} | {max(search):.2f} |")
total = [float(r[1]) * 1000 for r in rows]; search = [float(r[2]) for r in rows]
print(f"| **all** | | {pct(total,50):.1f} | {pct(total,95):.1f} | {pct(search,50):.2f} | {pct(search,95):.2f} | {max(search):.2f} |")
PY
cat "$out"
