#!/usr/bin/env bash
# Performance benchmark of the public site, run as production runs it (Release build, Production
# environment, SQLite, a fresh content root), measured on this machine against nginx serving the same
# bytes. See tests/bench/README.md for what each figure means.
#
#   bash tests/bench/run.sh
#
# Knobs (environment): PAGE (default /team/talha, falling back to / while that page does not exist),
# DURATION (15 s per measured wrk run), WARMUP (5 s), CONNECTIONS (50), THREADS (2), ROUNDS (2:
# nginx and app alternate, so background load hits both alike), APP_WARMUP (20 s of load on the app
# before the rounds, for the JIT to settle), COLD_RUNS (3), MISSES (7, after MISS_WARMUP=3 reported apart),
# SKIP_BUILD=1 (reuse the last publish), KEEP=1 (keep the temp dir with logs for a look afterwards).
#
# Everything listens on 127.0.0.1 only; every loop and run is bounded; the trap stops whatever was started.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RESULTS_DIR="$REPO/tests/bench/results"
PAGE="${PAGE:-}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
CONNECTIONS="${CONNECTIONS:-50}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-2}"
COLD_RUNS="${COLD_RUNS:-3}"
MISSES="${MISSES:-7}"
MISS_WARMUP="${MISS_WARMUP:-3}"
APP_WARMUP="${APP_WARMUP:-20}"
CLK_TCK="$(getconf CLK_TCK)"
START_TIMEOUT_S=60

WORK="$(mktemp -d /tmp/portfolio-bench.XXXXXX)"
# nginx workers run as nobody: they must be able to read the page file under here.
chmod 755 "$WORK"
APP_DIR="$WORK/app"
APP_PID=""
NGINX_PID=""

BENCH_NAME=bench
# Ten seconds for a process to stop before it is killed (load.sh and api.sh give fifteen).
STOP_WAIT=100
# shellcheck source=tests/bench/lib.sh
source "$REPO/tests/bench/lib.sh"

stop_started() {
  stop_pid "$APP_PID"
  stop_pid "$NGINX_PID" QUIT
  APP_PID="" NGINX_PID=""
}
# TERM exits with 130 here, as INT does (load.sh and api.sh: 143).
bench_traps 130

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f\n", m }'; }

# ---------------------------------------------------------------------------------------------- tools
install_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  command -v curl >/dev/null || missing+=(curl)
  install_packages "${missing[@]}"
}

# ---------------------------------------------------------------------------------------------- app
build_app() {
  local cached="$REPO/tests/bench/results/.publish"
  if [[ "${SKIP_BUILD:-0}" == 1 ]] && is_app_publish "$cached"; then
    cp -a "$cached" "$APP_DIR"
    return 0
  fi
  log "dotnet publish -c Release, as the Dockerfile does"
  publish_app "$REPO/src/Portfolio.Web" "$APP_DIR"
  mkdir -p "$RESULTS_DIR"
  rm -rf "$cached" && cp -a "$APP_DIR" "$cached"
}

# start_app ROOT PORT OUTFILE [extra args...]: spawns the app; sets APP_PID and SPAWN_MS.
start_app() {
  local root="$1" port="$2" out="$3"
  shift 3
  SPAWN_MS="$(now_ms)"
  ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
    "$APP_DIR/Portfolio.Web" --contentRoot "$root" --environment Production --urls "http://127.0.0.1:$port" \
    --Site:PublicUrl="http://127.0.0.1:$port" "$@" \
    >"$out" 2>&1 </dev/null &
  APP_PID=$!
}

# wait_for_200 URL: polls every 10 ms until a 200; prints the time since SPAWN_MS in ms.
wait_for_200() {
  local url="$1" code deadline=$(($(now_ms) + START_TIMEOUT_S * 1000))
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url" || true)"
    [[ "$code" == 200 ]] && break
    kill -0 "$APP_PID" 2>/dev/null || die "the app exited before answering $url (see its output above)"
    (($(now_ms) < deadline)) || die "no 200 from $url within ${START_TIMEOUT_S}s (last status $code)"
    sleep 0.01
  done
  echo $(($(now_ms) - SPAWN_MS))
}

stop_app() { stop_pid "$APP_PID"; APP_PID=""; }

app_log() { cat "$1"/umbraco/Logs/*.log 2>/dev/null || true; }

# Server-side durations (ms) that the request log line gave for GET PATH, in order.
logged_durations() {
  local root="$1" path="$2"
  app_log "$root" | grep -F "HTTP GET $path responded 200 in " | sed -E 's/.* responded 200 in ([0-9.]+) ms.*/\1/' || true
}

# The first request the process answered, whatever its path: includes JIT and the first snapshot load.
first_logged_duration() {
  app_log "$1" | grep -E 'HTTP GET [^ ]+ responded [0-9]+ in ' | head -n 1 | sed -E 's/.* responded [0-9]+ in ([0-9.]+) ms.*/\1/' || true
}

# ---------------------------------------------------------------------------------------------- nginx
# start_nginx PORT FILE HEADERS ACCESS_LOG(on|off) NAME: serves FILE at PAGE with the app's own headers.
start_nginx() {
  local port="$1" file="$2" headers="$3" access_log="$4" name="$5"
  local dir="$WORK/nginx-$name"
  mkdir -p "$dir/tmp"
  local log_line="access_log off;"
  [[ "$access_log" == on ]] && log_line="access_log $dir/access.log;"
  # Close to Debian's stock nginx.conf (worker_processes auto, sendfile, tcp_nopush), with two changes
  # that can only help nginx: no per-connection request limit (Kestrel has none) and open_file_cache.
  cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  $log_line
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  open_file_cache max=16 inactive=60s;
  server_tokens off;
  client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
  server {
    listen 127.0.0.1:$port;
    root $(dirname "$file");
    location = $PAGE {
      try_files /$(basename "$file") =404;
      default_type "text/html; charset=utf-8";
$headers
    }
  }
}
EOF
  /usr/sbin/nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" >"$dir/out" 2>&1 </dev/null &
  NGINX_PID=$!
  for _ in $(seq 1 200); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port$PAGE" || true)" == 200 ]] && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || { cat "$dir/out" "$dir/error.log" >&2 || true; die "nginx did not start"; }
    sleep 0.05
  done
  die "nginx did not answer"
}

stop_nginx() { stop_pid "$NGINX_PID" QUIT; NGINX_PID=""; }

# ---------------------------------------------------------------------------------------------- wrk
# CPU time (ms, user + system) that a process and its children (nginx's workers) have used so far.
cpu_ms() {
  local pid total=0 ticks
  for pid in "$1" $(pgrep -P "$1" || true); do
    # The fields after "(comm)": utime and stime are the 12th and 13th.
    ticks="$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }')" || ticks=0
    total=$((total + ${ticks:-0}))
  done
  echo $((total * 1000 / CLK_TCK))
}

# run_wrk NAME URL PID: warm-up, then the measured run; appends
# "NAME rps p50 p99 cpu_us_per_request requests non2xx errors" to $WRK_RESULTS.
run_wrk() {
  local name="$1" url="$2" pid="$3"
  local out="$WORK/wrk-$name-$RANDOM.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >"$out.warmup"
  count_requests "$name" "$out.warmup"
  local cpu_before cpu_after
  cpu_before="$(cpu_ms "$pid")"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency "$url" >"$out"
  cpu_after="$(cpu_ms "$pid")"
  count_requests "$name" "$out"
  local rps p50 p99 requests non2xx errors cpu_us
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  p50="$(awk '$1 == "50%" { print $2 }' "$out")"
  p99="$(awk '$1 == "99%" { print $2 }' "$out")"
  requests="$(awk '/ requests in / { print $1 }' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
  errors="$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); print }' "$out")"
  cpu_us="$(awk -v ms="$((cpu_after - cpu_before))" -v n="$requests" 'BEGIN { printf "%.1f", ms * 1000 / n }')"
  echo "$name $rps $(to_ms "$p50") $(to_ms "$p99") $cpu_us $requests ${non2xx:-0} ${errors:-none}" | tr -s ' ' >>"$WRK_RESULTS"
  log "$name: $rps req/s, p50 $p50, p99 $p99, ${cpu_us} us CPU per request${non2xx:+, NON-2XX $non2xx}${errors:+, socket errors $errors}"
}

# Requests each target answered, warm-ups included, to check that the app logged every one.
count_requests() {
  awk -v name="$1" '/ requests in / { print name, $1 }' "$2" >>"$WORK/request-counts.txt"
}

# ================================================================================================ run
install_tools
build_app
ROOT="$WORK/root"
BASE_PORT="$(free_port)"

# Which page: the expert profile once it exists, the home page until then.
if [[ -z "$PAGE" ]]; then
  new_content_root "$WORK/probe"
  start_app "$WORK/probe" "$BASE_PORT" "$WORK/probe.out"
  wait_for_200 "http://127.0.0.1:$BASE_PORT/" >/dev/null
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$BASE_PORT/team/talha")" == 200 ]]; then
    PAGE=/team/talha
  else
    PAGE=/
    log "/team/talha does not answer 200 yet: measuring / instead"
  fi
  stop_app
  rm -rf "$WORK/probe"
fi
case "$PAGE" in
  /team/talha) MISS_ITEM="expertProfile talha" ;;
  /) MISS_ITEM="homePage home" ;;
  *) MISS_ITEM="${MISS_ITEM:?set MISS_ITEM=\"contentType slug\" for the item behind $PAGE}" ;;
esac
log "page under test: $PAGE"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- a) cold start: spawn to the first 200 on PAGE ------------------------------------------------
COLD_FRESH=() COLD_WARM=() FIRST_REQUEST=()
for i in $(seq 1 "$COLD_RUNS"); do
  # Fresh database every time: migrations and the sample import are part of this start.
  root="$WORK/fresh-$i"
  [[ "$i" == 1 ]] && root="$ROOT"
  new_content_root "$root"
  port="$(free_port)"
  start_app "$root" "$port" "$WORK/fresh-$i.out"
  COLD_FRESH+=("$(wait_for_200 "http://127.0.0.1:$port$PAGE")")
  # The log file is buffered: read it once the app has stopped (and flushed).
  stop_app
  FIRST_REQUEST+=("$(first_logged_duration "$root")")
  [[ "$root" == "$ROOT" ]] || rm -rf "$root"
done
for i in $(seq 1 "$COLD_RUNS"); do
  port="$(free_port)"
  : >"$WORK/warm-$i.out"
  before="$(app_log "$ROOT" | grep -c 'responded' || true)"
  start_app "$ROOT" "$port" "$WORK/warm-$i.out"
  COLD_WARM+=("$(wait_for_200 "http://127.0.0.1:$port$PAGE")")
  stop_app
  FIRST_REQUEST+=("$(app_log "$ROOT" | grep -E 'HTTP GET [^ ]+ responded [0-9]+ in ' | sed -n "$((before + 1))p" | sed -E 's/.* in ([0-9.]+) ms.*/\1/')")
done
log "cold start fresh DB: ${COLD_FRESH[*]} ms; existing DB: ${COLD_WARM[*]} ms; first request: ${FIRST_REQUEST[*]} ms"

# --- b) cache miss: first render after a publish ----------------------------------------------------
# There is no HTTP way to publish yet, so the publish goes through the app's own scheduled-publishing
# job: the script sets PublishAtUtc in the past on the page's item, the job (polling every second in
# this process only) republishes it through ContentService, which drops the published snapshot and
# evicts the tagged pages from the output cache, exactly as an editor's publish does. The next GET
# is a miss; the request log line's "responded 200 in X ms" for it is the server-side time.
read -r MISS_TYPE MISS_SLUG <<<"$MISS_ITEM"
port="$(free_port)"
start_app "$ROOT" "$port" "$WORK/miss.out" --Content:SchedulerInterval=00:00:01
wait_for_200 "http://127.0.0.1:$port$PAGE" >/dev/null
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port$PAGE"; done
# publish_and_fetch: one scheduled publish, then two GETs; sets MISS_MS and HIT_MS.
publish_and_fetch() {
  local published seen
  published="$(app_log "$ROOT" | grep -c 'Scheduler published' || true)"
  sqlite3 -cmd '.timeout 5000' "$ROOT/umbraco/Data/portfolio.db" \
    "UPDATE ContentItems SET PublishAtUtc = '2000-01-01 00:00:00' WHERE ContentType = '$MISS_TYPE' AND Slug = '$MISS_SLUG';"
  # The job runs every second and the log file is flushed every second: allow a few seconds.
  for _ in $(seq 1 100); do
    (($(app_log "$ROOT" | grep -c 'Scheduler published' || true) > published)) && break
    sleep 0.1
  done
  (($(app_log "$ROOT" | grep -c 'Scheduler published' || true) > published)) || die "the scheduled publish did not happen"
  seen="$(logged_durations "$ROOT" "$PAGE" | wc -l)"
  curl -s -o /dev/null "http://127.0.0.1:$port$PAGE"
  curl -s -o /dev/null "http://127.0.0.1:$port$PAGE"
  for _ in $(seq 1 100); do
    (($(logged_durations "$ROOT" "$PAGE" | wc -l) >= seen + 2)) && break
    sleep 0.1
  done
  MISS_MS="$(logged_durations "$ROOT" "$PAGE" | sed -n "$((seen + 1))p")"
  HIT_MS="$(logged_durations "$ROOT" "$PAGE" | sed -n "$((seen + 2))p")"
  [[ -n "$MISS_MS" && -n "$HIT_MS" ]] || die "the app did not log the requests after a publish"
}
# A long-running site has rendered its pages after many publishes: the first few renders of a new
# process still run code the JIT has not optimised yet. They are reported apart ("warm-up misses").
MISS_WARMUP_TIMES=() MISS_TIMES=() HIT_TIMES=()
for i in $(seq 1 "$MISS_WARMUP"); do
  publish_and_fetch
  MISS_WARMUP_TIMES+=("$MISS_MS")
done
for i in $(seq 1 "$MISSES"); do
  publish_and_fetch
  MISS_TIMES+=("$MISS_MS") HIT_TIMES+=("$HIT_MS")
done
stop_app
log "warm-up misses (ms): ${MISS_WARMUP_TIMES[*]}; misses: ${MISS_TIMES[*]}; the hit right after each: ${HIT_TIMES[*]}"

# --- c) load: the app's cached page against nginx serving the same bytes ----------------------------
port="$(free_port)"
start_app "$ROOT" "$port" "$WORK/load.out"
wait_for_200 "http://127.0.0.1:$port$PAGE" >/dev/null
curl -s -D "$WORK/page.headers" -o "$WORK/page.html" "http://127.0.0.1:$port$PAGE"
chmod 644 "$WORK/page.html"
PAGE_BYTES="$(wc -c <"$WORK/page.html")"
# The app's security headers go onto nginx's answer too, so both send the same response.
NGINX_HEADERS="$(tr -d '\r' <"$WORK/page.headers" | awk -F': ' 'NR > 1 && NF >= 2 {
    name = tolower($1)
    if (name ~ /^(date|content-length|content-type|age|server|transfer-encoding|connection|keep-alive)$/) next
    value = substr($0, length($1) + 3); gsub(/"/, "\\\"", value)
    printf "      add_header %s \"%s\" always;\n", $1, value }')"

WRK_RESULTS="$WORK/wrk-results.txt"
: >"$WRK_RESULTS" && : >"$WORK/request-counts.txt"
LOGGED_BEFORE="$(logged_durations "$ROOT" "$PAGE" | wc -l)"
# Steady state, as a long-running server is: the JIT's tiering (tier 0, instrumented, tier 1) keeps a
# background thread busy for the first ~20 s under load. nginx has nothing to warm.
log "app warm-up ${APP_WARMUP}s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${APP_WARMUP}s" "http://127.0.0.1:$port$PAGE" >"$WORK/wrk-app-warmup.txt"
count_requests app "$WORK/wrk-app-warmup.txt"
NGINX_PORT="$(free_port)"
for round in $(seq 1 "$ROUNDS"); do
  log "round $round/$ROUNDS"
  start_nginx "$NGINX_PORT" "$WORK/page.html" "$NGINX_HEADERS" on log
  cmp -s "$WORK/page.html" <(curl -s "http://127.0.0.1:$NGINX_PORT$PAGE") || die "nginx does not serve the same bytes"
  run_wrk nginx "http://127.0.0.1:$NGINX_PORT$PAGE" "$NGINX_PID"
  stop_nginx
  start_nginx "$NGINX_PORT" "$WORK/page.html" "$NGINX_HEADERS" off nolog
  run_wrk nginx-nolog "http://127.0.0.1:$NGINX_PORT$PAGE" "$NGINX_PID"
  stop_nginx
  run_wrk app "http://127.0.0.1:$port$PAGE" "$APP_PID"
done
cmp -s "$WORK/page.html" <(curl -s "http://127.0.0.1:$port$PAGE") || log "note: the app's page bytes changed during the run"

# --- d) resident memory after the benchmark ---------------------------------------------------------
RSS_KB="$(awk '/^VmRSS:/ { print $2 }' "/proc/$APP_PID/status")"
HWM_KB="$(awk '/^VmHWM:/ { print $2 }' "/proc/$APP_PID/status")"
stop_app
# Every request wrk saw answered must have its log line (the file is flushed on shutdown).
APP_LOGGED=$(($(logged_durations "$ROOT" "$PAGE" | wc -l) - LOGGED_BEFORE))
APP_ANSWERED="$(awk '$1 == "app" { n += $2 } END { print n + 0 }' "$WORK/request-counts.txt")"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------- report
col() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$WRK_RESULTS" | median; }
APP_RPS="$(col app 2)" NGINX_RPS="$(col nginx 2)" NOLOG_RPS="$(col nginx-nolog 2)"
# Each round's app run against that round's nginx run (they share the machine's background load), then the median.
round_ratio() {
  awk -v ref="$1" '$1 == ref { r[++n] = $2 } $1 == "app" { a[++m] = $2 } END { for (i = 1; i <= m; i++) print a[i] / r[i] }' "$WRK_RESULTS" |
    sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }'
}
verdict() { awk -v v="$1" -v op="$2" -v limit="$3" 'BEGIN { ok = (op == "<") ? v < limit : v >= limit; print ok ? "yes" : "**NO**" }'; }
COLD_FRESH_MED="$(printf '%s\n' "${COLD_FRESH[@]}" | median)"
COLD_WARM_MED="$(printf '%s\n' "${COLD_WARM[@]}" | median)"
MISS_MED="$(printf '%s\n' "${MISS_TIMES[@]}" | median)"
MISS_MAX="$(printf '%s\n' "${MISS_TIMES[@]}" | sort -g | tail -n 1)"
HIT_MED="$(printf '%s\n' "${HIT_TIMES[@]}" | median)"
FIRST_MED="$(printf '%s\n' "${FIRST_REQUEST[@]}" | median)"
RSS_MB="$((RSS_KB / 1024))" HWM_MB="$((HWM_KB / 1024))"
APP_P50="$(col app 3)" APP_P99="$(col app 4)"
APP_CPU="$(col app 5)" NGINX_CPU="$(col nginx 5)" NOLOG_CPU="$(col nginx-nolog 5)"

mkdir -p "$RESULTS_DIR"
{
  echo "# Benchmark $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "\`bash tests/bench/run.sh\` on $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), commit $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src appsettings.json || echo '+changes')."
  echo "Page \`$PAGE\` ($PAGE_BYTES bytes), wrk -t$THREADS -c$CONNECTIONS, ${WARMUP}s warm-up + ${DURATION}s measured per run, $ROUNDS alternating round(s), medians; the app had ${APP_WARMUP}s of load first."
  echo "Load average before/after: $LOAD_BEFORE / $LOAD_AFTER."
  echo
  echo "| figure | value | goal | met |"
  echo "|---|---|---|---|"
  echo "| app, cached page: req/s | $APP_RPS | | |"
  echo "| nginx, same bytes, access log on: req/s | $NGINX_RPS | | |"
  echo "| nginx, same bytes, access log off: req/s | $NOLOG_RPS | | |"
  echo "| ratio app / nginx (log on), median of the rounds' ratios | $(round_ratio nginx) | ≥ 0.50 | $(verdict "$(round_ratio nginx)" '>=' 0.5) |"
  echo "| ratio app / nginx (log off), median of the rounds' ratios | $(round_ratio nginx-nolog) | ≥ 0.50 | $(verdict "$(round_ratio nginx-nolog)" '>=' 0.5) |"
  echo "| app p50 / p99 (ms) | $APP_P50 / $APP_P99 | p99 < 10 | $(verdict "$APP_P99" '<' 10) |"
  echo "| nginx (log on) p50 / p99 (ms) | $(col nginx 3) / $(col nginx 4) | | |"
  echo "| nginx (log off) p50 / p99 (ms) | $(col nginx-nolog 3) / $(col nginx-nolog 4) | | |"
  echo "| CPU per request, µs: app / nginx log on / nginx log off | $APP_CPU / $NGINX_CPU / $NOLOG_CPU | | |"
  echo "| cache miss after a publish, server time (ms, median of $MISSES; max) | $MISS_MED; max $MISS_MAX | < 10 | $(verdict "$MISS_MED" '<' 10) |"
  echo "| cache hit, server time (ms, median) | $HIT_MED | | |"
  echo "| first request of a process, server time incl. JIT (ms, median) | $FIRST_MED | | |"
  echo "| cold start to first 200, fresh DB (ms, median of $COLD_RUNS) | $COLD_FRESH_MED | < 3000 | $(verdict "$COLD_FRESH_MED" '<' 3000) |"
  echo "| cold start to first 200, existing DB (ms, median of $COLD_RUNS) | $COLD_WARM_MED | < 3000 | $(verdict "$COLD_WARM_MED" '<' 3000) |"
  echo "| app resident memory after the benchmark (VmRSS; peak VmHWM) | $RSS_MB MB; peak $HWM_MB MB | < 250 MB | $(verdict "$RSS_MB" '<' 250) |"
  echo
  echo "Raw: cold fresh ${COLD_FRESH[*]} ms; cold existing ${COLD_WARM[*]} ms; first request ${FIRST_REQUEST[*]} ms;"
  echo "misses ${MISS_TIMES[*]} ms (after warm-up misses ${MISS_WARMUP_TIMES[*]} ms); hits ${HIT_TIMES[*]} ms."
  echo "Log lines: wrk got $APP_ANSWERED answers from the app under load, the app logged $APP_LOGGED request lines for $PAGE in that process."
  echo
  echo "| run | req/s | p50 ms | p99 ms | CPU µs/request | requests | non-2xx | socket errors |"
  echo "|---|---|---|---|---|---|---|---|"
  awk '{ e = $8; for (i = 9; i <= NF; i++) e = e " " $i; printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, e }' "$WRK_RESULTS"
} >"$RESULTS_DIR/latest.md"
cat "$RESULTS_DIR/latest.md"
if awk '$7 != 0 { bad = 1 } END { exit !bad }' "$WRK_RESULTS"; then
  die "some answers were not 2xx"
fi
((APP_LOGGED >= APP_ANSWERED)) || die "the app logged $APP_LOGGED request lines for $APP_ANSWERED answers"
