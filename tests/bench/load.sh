#!/usr/bin/env bash
# Load test of the production setup on loopback: a throwaway PostgreSQL, the published app (Release, Production
# environment) as one or two instances, and Debian's nginx running deploy/nginx/portfolio.conf.template over HTTPS with
# a throwaway certificate. See tests/bench/README.md, "Load test (load.sh)", for what each figure means.
#
#   bash tests/bench/load.sh                       # about 23 minutes with the defaults (2-3 of them the publish)
#   DURATION=30 TWO_VS_ONE=20 WARMUP=15 FLOOD=15 QUIET_SECONDS=10 CACHED_SECONDS=10 bash tests/bench/load.sh   # a check, 4 minutes
#
# Parts, in this order:
#   1. Two instances against one: the mixed load (below) for TWO_VS_ONE seconds on one instance, then on two (each
#      after WARMUP seconds of the same load, not counted).
#   2. The mixed load for DURATION seconds on two instances, the app's memory (VmRSS) sampled every MEMORY_INTERVAL s.
#      Mixed load: wrk browsing the sitemap's pages and their static files flat out, beside LoadTool's writers, who look
#      up free slots, book one (a 409 for a slot just taken is expected, counted apart) and send contact messages.
#   3. A junk-write flood from many source addresses across 127.0.0.0/8, forwarded by nginx: first from fresh addresses
#      (every answer a 400), then from addresses over their limit (429s). App CPU per rejected request against a cached
#      page's, and the page p99 of normal visitors (a light, paced wrk) in quiet and during each flood. For comparison,
#      the same from fresh addresses that send proper contact messages within their limit (202s): an accepted write's CPU.
#
# Rate limits: for parts 1 and 2 the instances start with RateLimiting:ContactWrites, BookingWrites and Reads raised to
# 1,000,000 a second per client on the command line, since all the load comes from one address (127.0.0.1, forwarded by
# nginx): the load measures the app, not the limiter. For part 3 both instances are restarted without them (settings are
# read at start: production does not watch its configuration files, see PortfolioHost.Arguments), warmed up for WARMUP s
# with browsing and junk writes from other addresses, and a fresh address is checked to meet a 429.
#
# Knobs (environment): DURATION (600 s), TWO_VS_ONE (120 s each), WARMUP (30 s), PAGE_CONNECTIONS (32), PAGE_PACE_MS (0:
# browsing flat out; N: each connection pauses N ms after an answer), THREADS (2),
# WRITERS (4), WRITE_PACE_MS (100), BOOKING_EXPERTS (6), MEMORY_INTERVAL (10 s), CACHED_PAGE (/team/talha),
# CACHED_SECONDS (20), VISITORS (8 connections), VISITOR_PACE_MS (100), QUIET_SECONDS (30), FLOOD (60 s per flood phase),
# FLOOD_CONCURRENCY (64), FLOOD_CLIENTS (16384 fresh addresses), OVERLIMIT_CLIENTS (512), SKIP_BUILD=1 (reuse the last
# publish), KEEP=1 (keep the temp dir with logs), APP_ARGS (extra settings for every app start, for experiments).
#
# Everything listens on 127.0.0.1 only; every loop and run is bounded; the trap stops whatever was started (apps,
# nginx, PostgreSQL, wrk, LoadTool) and removes the temp dir. Exits non-zero if any request failed (a 5xx, a connection
# error or an unexpected status).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$REPO/tests/bench/load"
RESULTS_DIR="$REPO/tests/bench/results"
DURATION="${DURATION:-600}"
TWO_VS_ONE="${TWO_VS_ONE:-120}"
WARMUP="${WARMUP:-30}"
PAGE_CONNECTIONS="${PAGE_CONNECTIONS:-32}"
PAGE_PACE_MS="${PAGE_PACE_MS:-0}"
THREADS="${THREADS:-2}"
WRITERS="${WRITERS:-4}"
WRITE_PACE_MS="${WRITE_PACE_MS:-100}"
BOOKING_EXPERTS="${BOOKING_EXPERTS:-6}"
MEMORY_INTERVAL="${MEMORY_INTERVAL:-10}"
CACHED_PAGE="${CACHED_PAGE:-/team/talha}"
CACHED_SECONDS="${CACHED_SECONDS:-20}"
VISITORS="${VISITORS:-8}"
VISITOR_PACE_MS="${VISITOR_PACE_MS:-100}"
QUIET_SECONDS="${QUIET_SECONDS:-30}"
FLOOD="${FLOOD:-60}"
FLOOD_CONCURRENCY="${FLOOD_CONCURRENCY:-64}"
FLOOD_CLIENTS="${FLOOD_CLIENTS:-16384}"
OVERLIMIT_CLIENTS="${OVERLIMIT_CLIENTS:-512}"
START_TIMEOUT_S=90
NGINX=/usr/sbin/nginx
CLK_TCK="$(getconf CLK_TCK)"
EXPERTS="$(seq -f 'load-%g' -s , 1 "$BOOKING_EXPERTS")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

WORK="$(mktemp -d /tmp/portfolio-load.XXXXXX)"
chmod 755 "$WORK"   # the postgres OS user must reach its cluster folder under here
APP_DIR="$WORK/app"
TOOL_DIR="$WORK/tool"
TOOL="$TOOL_DIR/LoadTool"
CERT="$WORK/tls/cert.pem"
KEY="$WORK/tls/key.pem"
NGINX_DIR="$WORK/nginx"
declare -A APP_PIDS=() APP_PORTS=() R=()
NGINX_PID=""
BACKGROUND=()
BENCH_NAME=load
# Many clients (the flood's) open outgoing connections: servers' ports stay below the kernel's range for those.
FREE_PORT_RANGE=below-ephemeral
# shellcheck source=tests/bench/lib.sh
source "$REPO/tests/bench/lib.sh"

stop_started() {
  for pid in "${BACKGROUND[@]}"; do stop_pid "$pid"; done
  stop_pid "$NGINX_PID" QUIT
  for i in "${!APP_PIDS[@]}"; do stop_pid "${APP_PIDS[$i]}"; done
  stop_postgres
}
bench_traps 143

# ---------------------------------------------------------------------------------------------- tools
install_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl)
  [[ -x $NGINX ]] || missing+=(nginx-light)
  [[ -x "$PG_BIN/initdb" ]] || missing+=(postgresql)
  install_packages "${missing[@]}"
}

build() {
  local cached="$RESULTS_DIR/.publish-load" cached_tool="$RESULTS_DIR/.publish-loadtool"
  if [[ "${SKIP_BUILD:-0}" == 1 ]] && is_app_publish "$cached" && [[ -x "$cached_tool/LoadTool" ]]; then
    log "reusing the last publish (SKIP_BUILD=1)"
    cp -a "$cached" "$APP_DIR"
    cp -a "$cached_tool" "$TOOL_DIR"
    return 0
  fi
  log "dotnet publish src/Portfolio.Web and tests/bench/load -c Release"
  publish_app "$REPO/src/Portfolio.Web" "$APP_DIR"
  publish_project "$HERE" "$TOOL_DIR"
  mkdir -p "$RESULTS_DIR"
  rm -rf "$cached" "$cached_tool"
  cp -a "$APP_DIR" "$cached"
  cp -a "$TOOL_DIR" "$cached_tool"
}

# ---------------------------------------------------------------------------------------------- PostgreSQL
# The cluster, its role and database, and the apps' connection string (CONNECTION).
start_load_postgres() {
  local password
  password="$(openssl rand -hex 16)"
  start_postgres portfolio "$password"
  psql_admin -c "CREATE DATABASE portfolio OWNER portfolio" >/dev/null
  CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=portfolio;Password=$PG_PASSWORD;Database=portfolio"
}

# ---------------------------------------------------------------------------------------------- app
# Raised for parts 1 and 2 only (the options allow at most 1,000,000 per window); empty for part 3.
RAISED_LIMITS=(
  --RateLimiting:ContactWrites:PermitLimit=1000000 --RateLimiting:ContactWrites:WindowSeconds=1
  --RateLimiting:BookingWrites:PermitLimit=1000000 --RateLimiting:BookingWrites:WindowSeconds=1
  --RateLimiting:Reads:PermitLimit=1000000 --RateLimiting:Reads:WindowSeconds=1
)
RATE_LIMITS=("${RAISED_LIMITS[@]}")

# start_app INDEX: instance INDEX on its own port and content root; waits until /health/ready answers 200.
start_app() {
  local i="$1" port code deadline
  port="$(free_port)"
  APP_PORTS[$i]="$port"
  # compose.yaml's settings: PostgreSQL, the public HTTPS address, only nginx's forwarded headers count, one media
  # folder for both; mail as .eml files in each content root's pickup folder (Email:Transport=Pickup).
  "$APP_DIR/Portfolio.Web" --contentRoot "$WORK/app$i" --environment Production --urls "http://127.0.0.1:$port" \
    --Database:Provider=Postgres --ConnectionStrings:Portfolio="$CONNECTION" \
    --Site:PublicUrl="https://127.0.0.1:$HTTPS_PORT" --ForwardedHeaders:KnownProxies:0=127.0.0.1 \
    --Media:Folder="$WORK/media" --Email:Transport=Pickup "${RATE_LIMITS[@]}" ${APP_ARGS:-} \
    >"$WORK/app$i.out" 2>&1 </dev/null &
  APP_PIDS[$i]=$!
  deadline=$(($(now_ms) + START_TIMEOUT_S * 1000))
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/health/ready" || true)"
    [[ "$code" == 200 ]] && break
    kill -0 "${APP_PIDS[$i]}" 2>/dev/null || { tail -n 40 "$WORK/app$i.out" >&2; die "instance $i exited during start"; }
    (($(now_ms) < deadline)) || die "instance $i was not ready within ${START_TIMEOUT_S}s (last status $code)"
    sleep 0.1
  done
  log "instance $i ready on 127.0.0.1:$port (pid ${APP_PIDS[$i]})"
}


# CPU time (ms, user + system) that the running instances have used so far.
apps_cpu_ms() {
  local i ticks total=0
  for i in "${!APP_PIDS[@]}"; do
    # The fields after "(comm)": utime and stime are the 12th and 13th.
    ticks="$(sed 's/.*) //' "/proc/${APP_PIDS[$i]}/stat" 2>/dev/null | awk '{ print $12 + $13 }')" || ticks=0
    total=$((total + ${ticks:-0}))
  done
  echo $((total * 1000 / CLK_TCK))
}

# The running instances' numbers, in order.
instances() { printf '%s\n' "${!APP_PIDS[@]}" | sort -n; }

stop_app() { stop_pid "${APP_PIDS[$1]}"; unset "APP_PIDS[$1]"; }

rss_mb() { awk '/^VmRSS:/ { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# ---------------------------------------------------------------------------------------------- nginx
make_certificate() {
  mkdir -p "$WORK/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$KEY" -out "$CERT" >"$WORK/tls/openssl.log" 2>&1 ||
    { cat "$WORK/tls/openssl.log" >&2; die "openssl could not make the throwaway certificate"; }
}

# start_nginx UPSTREAM1 UPSTREAM2: the production template with this run's ports and certificate (as
# tests/Portfolio.Tests/Deployment/TwoInstancesBehindNginxTests.cs fills it), inside a minimal main config.
start_nginx() {
  stop_nginx
  mkdir -p "$NGINX_DIR"
  local site name value
  site="$(cat "$REPO/deploy/nginx/portfolio.conf.template")"
  for name in PORTFOLIO_APP1 PORTFOLIO_APP2 PORTFOLIO_HTTP_PORT PORTFOLIO_HTTPS_PORT PORTFOLIO_HTTPS_SUFFIX PORTFOLIO_TLS_CERT PORTFOLIO_TLS_KEY \
      PORTFOLIO_WRITES_PER_MINUTE PORTFOLIO_WRITES_BURST PORTFOLIO_SITE_WRITES_PER_SECOND PORTFOLIO_SITE_WRITES_BURST; do
    case "$name" in
      PORTFOLIO_APP1) value="$1" ;;
      PORTFOLIO_APP2) value="$2" ;;
      PORTFOLIO_HTTP_PORT) value="127.0.0.1:$HTTP_PORT" ;;
      PORTFOLIO_HTTPS_PORT) value="127.0.0.1:$HTTPS_PORT" ;;
      PORTFOLIO_HTTPS_SUFFIX) value=":$HTTPS_PORT" ;;
      PORTFOLIO_TLS_CERT) value="$CERT" ;;
      PORTFOLIO_TLS_KEY) value="$KEY" ;;
      PORTFOLIO_WRITES_PER_MINUTE) value="${NGINX_WRITE_LIMITS[0]}" ;;
      PORTFOLIO_WRITES_BURST) value="${NGINX_WRITE_LIMITS[1]}" ;;
      PORTFOLIO_SITE_WRITES_PER_SECOND) value="${NGINX_WRITE_LIMITS[2]}" ;;
      PORTFOLIO_SITE_WRITES_BURST) value="${NGINX_WRITE_LIMITS[3]}" ;;
    esac
    site="${site//"\${$name}"/$value}"
  done
  [[ "$site" != *'${PORTFOLIO_'* ]] || die "a placeholder of the nginx template was left unfilled"
  echo "$site" >"$NGINX_DIR/portfolio.conf"
  # Started as root, nginx's workers would run as nobody, who may not enter this private temp folder (where large
  # answers are buffered). The nginx image's defaults otherwise: worker_processes auto; more connections than its 1,024
  # for the flood's thousands of client addresses. No access log (as the deployment test).
  local user=""
  [[ $(id -u) == 0 ]] && user="user root;"
  cat >"$NGINX_DIR/nginx.conf" <<EOF
$user
worker_processes auto;
worker_rlimit_nofile 20000;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $NGINX_DIR/body;
    proxy_temp_path $NGINX_DIR/proxy;
    fastcgi_temp_path $NGINX_DIR/fastcgi;
    uwsgi_temp_path $NGINX_DIR/uwsgi;
    scgi_temp_path $NGINX_DIR/scgi;
    include $NGINX_DIR/portfolio.conf;
}
EOF
  "$NGINX" -p "$NGINX_DIR" -e "$NGINX_DIR/start.log" -c "$NGINX_DIR/nginx.conf" -g 'daemon off;' >"$NGINX_DIR/out" 2>&1 </dev/null &
  NGINX_PID=$!
  for _ in $(seq 1 100); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$CERT" "$BASE/" || true)" == 200 ]] && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || { cat "$NGINX_DIR/out" "$NGINX_DIR/start.log" "$NGINX_DIR/error.log" >&2 2>/dev/null || true; die "nginx did not start"; }
    sleep 0.1
  done
  die "nginx did not answer 200 on $BASE/"
}

stop_nginx() { stop_pid "$NGINX_PID" QUIT; NGINX_PID=""; }

# ---------------------------------------------------------------------------------------------- measuring
# read_wrk PREFIX FILE: R[PREFIX.requests|seconds|p50|p99|bad|statuses] from a wrk run with pages.lua. "bad": answers
# other than 200 plus socket errors (connect, read, write, time-out).
read_wrk() {
  local prefix="$1" file="$2" socket unexpected
  R[$prefix.requests]="$(awk '/ requests in / { print $1 }' "$file")"
  # wrk prints the run time as 30.01s or, from a minute on, 10.00m.
  R[$prefix.seconds]="$(awk '/ requests in / { t = $4; sub(/,$/, "", t)
    if (t ~ /ms$/) { sub(/ms$/, "", t); t /= 1000 } else if (t ~ /m$/) { sub(/m$/, "", t); t *= 60 } else sub(/s$/, "", t)
    print t }' "$file")"
  R[$prefix.p50]="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")"
  R[$prefix.p99]="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")"
  R[$prefix.statuses]="$(awk '/^bench-statuses:/ { print $2 }' "$file")"
  socket="$(awk '/Socket errors:/ { gsub(/[^0-9 ]/, ""); s = 0; for (i = 1; i <= NF; i++) s += $i; print s }' "$file")"
  unexpected="$(tr ',' '\n' <<<"${R[$prefix.statuses]}" | awk -F= '$1 != 200 && $2 != "" { s += $2 } END { print s + 0 }')"
  R[$prefix.bad]=$((${socket:-0} + unexpected))
  R[$prefix.socket]="${socket:-0}"
}

# read_tool PREFIX FILE: R[PREFIX.requests|seconds|unexpected|…] from LoadTool's "key value" lines.
read_tool() {
  local prefix="$1" file="$2"
  R[$prefix.requests]="$(awk '$1 == "requests" { print $2 }' "$file")"
  R[$prefix.seconds]="$(awk '$1 == "seconds" { print $2 }' "$file")"
  R[$prefix.unexpected]="$(awk '$1 == "unexpected" { print $2 }' "$file")"
  R[$prefix.statuses]="$(awk '$1 == "status" { printf "%s%s %s=%s", sep, $2, $3, $4; sep = ", " }' "$file")"
  local kind
  for kind in writes slots booking contact junk; do
    R[$prefix.$kind.count]="$(awk -v k="$kind" '$1 == "latency" && $2 == k { print $3 }' "$file")"
    R[$prefix.$kind.p50]="$(awk -v k="$kind" '$1 == "latency" && $2 == k { print $4 }' "$file")"
    R[$prefix.$kind.p99]="$(awk -v k="$kind" '$1 == "latency" && $2 == k { print $5 }' "$file")"
  done
  R[$prefix.created]="$(awk '$1 == "status" && $2 == "booking" && $3 == "201" { print $4 }' "$file")"
  R[$prefix.conflicts]="$(awk '$1 == "status" && $2 == "booking" && $3 == "409" { print $4 }' "$file")"
  R[$prefix.accepted]="$(awk '$1 == "status" && $2 == "contact" && $3 == "202" { print $4 }' "$file")"
  R[$prefix.400]="$(awk '$1 == "status" && $2 == "junk" && $3 == "400" { print $4 }' "$file")"
  R[$prefix.429]="$(awk '$1 == "status" && $2 == "junk" && $3 == "429" { print $4 }' "$file")"
  R[$prefix.fulldays]="$(awk '$1 == "full-days" { print $2 }' "$file")"
  R[$prefix.addresses]="$(awk '$1 == "addresses" { print $2 }' "$file")"
  R[$prefix.reused]="$(awk '$1 == "reused-addresses" { print $2 }' "$file")"
}

# sample_memory SECONDS FILE: every MEMORY_INTERVAL s, "seconds-since-start MB-per-instance…" (VmRSS).
sample_memory() {
  local seconds="$1" file="$2" start i line index
  start="$(now_ms)"
  for ((i = 0; i * MEMORY_INTERVAL <= seconds; i++)); do
    line="$(( ($(now_ms) - start) / 1000 ))"
    for index in $(instances); do
      line+=" $(rss_mb "${APP_PIDS[$index]}")"
    done
    echo "$line" >>"$file"
    (((i + 1) * MEMORY_INTERVAL <= seconds)) && sleep "$MEMORY_INTERVAL"
  done
}

# mixed NAME SECONDS: wrk browsing flat out beside LoadTool's writers; results in R[NAME.…].
mixed() {
  local name="$1" seconds="$2" pages="$WORK/pages-$1.txt" writes="$WORK/writes-$1.txt" cpu_before wrk_pid tool_pid sampler_pid=""
  log "$name: mixed load for ${seconds}s on ${#APP_PIDS[@]} instance(s)"
  cpu_before="$(apps_cpu_ms)"
  BENCH_PATHS="$PATHS_FILE" BENCH_PACE_MS="$PAGE_PACE_MS" timeout $((seconds + 60)) wrk -t"$THREADS" -c"$PAGE_CONNECTIONS" -d"${seconds}s" --timeout 5s --latency \
    -s "$HERE/pages.lua" "$BASE" >"$pages" 2>&1 &
  wrk_pid=$!
  BACKGROUND+=("$wrk_pid")
  timeout $((seconds + 60)) "$TOOL" writes --base "$BASE" --cert "$CERT" --seconds "$seconds" --workers "$WRITERS" \
    --pace-ms "$WRITE_PACE_MS" --experts "$EXPERTS" --tag "$name-$RANDOM" >"$writes" 2>&1 &
  tool_pid=$!
  BACKGROUND+=("$tool_pid")
  if [[ "$name" == main ]]; then
    sample_memory "$seconds" "$WORK/memory.txt" &
    sampler_pid=$!
    BACKGROUND+=("$sampler_pid")
  fi
  wait "$wrk_pid" || { cat "$pages" >&2; die "wrk failed ($name)"; }
  wait "$tool_pid" || { cat "$writes" >&2; die "LoadTool writes failed ($name)"; }
  [[ -z "$sampler_pid" ]] || wait "$sampler_pid" || true
  R[$name.cpu_ms]=$(($(apps_cpu_ms) - cpu_before))
  read_wrk "$name.pages" "$pages"
  read_tool "$name.tool" "$writes"
  R[$name.requests]=$((${R[$name.pages.requests]:-0} + ${R[$name.tool.requests]:-0}))
  R[$name.errors]=$((${R[$name.pages.bad]:-0} + ${R[$name.tool.unexpected]:-0}))
  R[$name.rps]="$(awk -v p="${R[$name.pages.requests]}" -v ps="${R[$name.pages.seconds]}" -v t="${R[$name.tool.requests]}" -v ts="${R[$name.tool.seconds]}" \
    'BEGIN { printf "%.0f", p / ps + t / ts }')"
  log "$name: ${R[$name.rps]} req/s, ${R[$name.requests]} requests, ${R[$name.errors]} errors; pages p50/p99 ${R[$name.pages.p50]}/${R[$name.pages.p99]} ms (${R[$name.pages.statuses]}, socket errors ${R[$name.pages.socket]}); writes p50/p99 ${R[$name.tool.writes.p50]}/${R[$name.tool.writes.p99]} ms (${R[$name.tool.statuses]})"
}

# visitors NAME SECONDS: the light wrk of normal visitors (VISITORS connections, each pausing VISITOR_PACE_MS).
visitors() {
  BENCH_PATHS="$PATHS_FILE" BENCH_PACE_MS="$VISITOR_PACE_MS" timeout $(($2 + 60)) wrk -t1 -c"$VISITORS" -d"${2}s" --timeout 5s --latency \
    -s "$HERE/pages.lua" "$BASE" >"$WORK/visitors-$1.txt" 2>&1
}

# wait_for_outbox: until no mail waits in the outbox (at most 5 minutes), so that the dispatchers' catching up with
# earlier phases' mail is not counted against the flood.
wait_for_outbox() {
  local pending i
  for i in $(seq 1 300); do
    pending="$(as_postgres "$PG_BIN/psql" -h "$PG_DIR/socket" -p "$PG_PORT" -U postgres -d portfolio -qtA \
      -c 'SELECT count(*) FROM "EmailOutbox" WHERE "Status" = 0')"
    [[ "$pending" == 0 ]] && { log "outbox drained"; return 0; }
    sleep 1
  done
  die "$pending mails still wait in the outbox after 5 minutes"
}

# check_production_limits: a fresh address must meet a 429 within 30 junk writes (five a client on each instance are
# allowed before it).
check_production_limits() {
  local post code
  for post in $(seq 1 30); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$CERT" --interface 127.99.0.1 \
      -H 'Content-Type: application/json' --data '{' "$BASE/api/v1/contact-messages" || true)"
    [[ "$code" == 429 ]] && { log "production limits in force: a fresh address met a 429 after $post junk writes"; return 0; }
    [[ "$code" == 400 ]] || die "a junk write answered $code (expected 400, then 429)"
  done
  die "no 429 within 30 junk writes from one address: the production rate limits are not in force"
}

# flood NAME MODE CLIENTS FIRST_ADDRESS: FLOOD seconds of junk writes beside the normal visitors; results in R[NAME.…].
flood() {
  local name="$1" mode="$2" clients="$3" first="$4" cpu_before visitors_pid tool_pid rss_before
  log "$name: ${FLOOD}s of writes ($mode) from up to $clients addresses from $first, $FLOOD_CONCURRENCY at a time"
  rss_before="$(for i in $(instances); do rss_mb "${APP_PIDS[$i]}"; done | paste -sd/)"
  cpu_before="$(apps_cpu_ms)"
  visitors "$name" "$FLOOD" &
  visitors_pid=$!
  BACKGROUND+=("$visitors_pid")
  timeout $((FLOOD + 60)) "$TOOL" flood --base "$BASE" --cert "$CERT" --seconds "$FLOOD" --concurrency "$FLOOD_CONCURRENCY" \
    --clients "$clients" --first-address "$first" --mode "$mode" >"$WORK/flood-$name.txt" 2>&1 &
  tool_pid=$!
  BACKGROUND+=("$tool_pid")
  wait "$tool_pid" || { cat "$WORK/flood-$name.txt" >&2; die "LoadTool flood failed ($name)"; }
  wait "$visitors_pid" || { cat "$WORK/visitors-$name.txt" >&2; die "the visitors' wrk failed ($name)"; }
  R[$name.cpu_ms]=$(($(apps_cpu_ms) - cpu_before))
  R[$name.rss]="$rss_before → $(for i in $(instances); do rss_mb "${APP_PIDS[$i]}"; done | paste -sd/)"
  read_tool "$name" "$WORK/flood-$name.txt"
  read_wrk "$name.visitors" "$WORK/visitors-$name.txt"
  # What the CPU is divided by: the rejected answers (400, 429), or for the valid writes the accepted ones (202).
  # cpu_us takes nothing off: the normal visitors' pages and the instances' idle work (polling, timers) are in it, so it
  # is an upper bound. cpu_net_us takes off the quiet phase's CPU (the same visitors alone) for as long: an estimate.
  R[$name.counted]=$((${R[$name.400]:-0} + ${R[$name.429]:-0}))
  [[ "$mode" != valid ]] || R[$name.counted]="${R[$name.accepted]:-0}"
  R[$name.cpu_us]="$(awk -v ms="${R[$name.cpu_ms]}" -v n="${R[$name.counted]}" 'BEGIN { if (n == 0) print "n/a"; else printf "%.1f", ms * 1000 / n }')"
  R[$name.cpu_net_us]="$(awk -v ms="${R[$name.cpu_ms]}" -v quiet="${R[quiet.cpu_ms]}" -v qs="$QUIET_SECONDS" -v fs="$FLOOD" -v n="${R[$name.counted]}" \
    'BEGIN { if (n == 0) print "n/a"; else { c = (ms - quiet * fs / qs) * 1000 / n; printf "%.1f", (c < 0 ? 0 : c) } }')"
  log "$name: app CPU ${R[$name.cpu_ms]} ms in ${FLOOD} s (quiet: ${R[quiet.cpu_ms]} ms in ${QUIET_SECONDS} s)"
  R[$name.rps]="$(awk -v n="${R[$name.requests]}" -v s="${R[$name.seconds]}" 'BEGIN { printf "%.0f", n / s }')"
  log "$name: ${R[$name.rps]} writes/s (${R[$name.statuses]}), app CPU ${R[$name.cpu_us]} us per $([[ $mode == valid ]] && echo accepted || echo rejected) write; visitors p99 ${R[$name.visitors.p99]} ms (${R[$name.visitors.statuses]})"
}

# ================================================================================================ run
STARTED="$(date -u '+%Y-%m-%d %H:%M UTC')"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
install_tools
build
HTTP_PORT="$(free_port)"
HTTPS_PORT="$(free_port)"
BASE="https://127.0.0.1:$HTTPS_PORT"
make_certificate
mkdir -p "$WORK/media"
start_load_postgres
# appsettings as shipped, the sample content plus the experts that bookings go to.
new_content_root "$WORK/app1" load "$EXPERTS"
new_content_root "$WORK/app2" load "$EXPERTS"

# --- 1. two instances against one ------------------------------------------------------------------
# nginx's write limits (per visitor a minute, burst; site-wide a second, burst) out of the way, as the app's: all the
# mixed load's writes come from one address.
NGINX_WRITE_LIMITS=(1000000 100000 100000 100000)
start_app 1
# One instance: both of the template's upstream slots name it.
start_nginx "127.0.0.1:${APP_PORTS[1]}" "127.0.0.1:${APP_PORTS[1]}"
PATHS_FILE="$WORK/paths.txt"
"$TOOL" urls --base "$BASE" --cert "$CERT" --out "$PATHS_FILE" >"$WORK/urls.txt" 2>&1 || { cat "$WORK/urls.txt" >&2; die "could not list the pages"; }
log "browsing $(awk '$1 == "pages" { print $2 }' "$WORK/urls.txt") pages and $(awk '$1 == "assets" { print $2 }' "$WORK/urls.txt") static files (sitemap + what / and an expert's page use)"
grep -qxF "$CACHED_PAGE" "$PATHS_FILE" || die "CACHED_PAGE=$CACHED_PAGE is not one of the site's pages"
mixed warmup-one "$WARMUP"
mixed one "$TWO_VS_ONE"
start_app 2
start_nginx "127.0.0.1:${APP_PORTS[1]}" "127.0.0.1:${APP_PORTS[2]}"
mixed warmup-two "$WARMUP"
mixed two "$TWO_VS_ONE"

# --- 2. the long mixed load on two instances ----------------------------------------------------------
mixed main "$DURATION"

# --- 3. junk-write flood under the production limits ----------------------------------------------------
log "restarting both instances with the production rate limits"
stop_nginx
stop_app 1
stop_app 2
RATE_LIMITS=()
# compose.yaml's defaults: 6 writes a minute per visitor after a burst of 20, 20 a second site-wide after 100.
NGINX_WRITE_LIMITS=(6 20 20 100)
start_app 1
start_app 2
start_nginx "127.0.0.1:${APP_PORTS[1]}" "127.0.0.1:${APP_PORTS[2]}"
check_production_limits
# The new processes' JIT: browsing flat out and junk writes (400s, then 429s). The junk comes from the addresses of the
# 429 flood, which thereby spend their budgets (the windows last 10 minutes): that flood then measures 429s.
log "warm-up: ${WARMUP}s of browsing and junk writes"
BENCH_PATHS="$PATHS_FILE" timeout $((WARMUP + 60)) wrk -t"$THREADS" -c"$PAGE_CONNECTIONS" -d"${WARMUP}s" --timeout 5s \
  -s "$HERE/pages.lua" "$BASE" >"$WORK/pages-warmup-flood.txt" 2>&1 &
BACKGROUND+=("$!")
"$TOOL" flood --base "$BASE" --cert "$CERT" --seconds "$WARMUP" --concurrency "$FLOOD_CONCURRENCY" --clients "$OVERLIMIT_CLIENTS" \
  --first-address 127.200.0.1 --mode overlimit >"$WORK/flood-warmup.txt" 2>&1 || { cat "$WORK/flood-warmup.txt" >&2; die "LoadTool flood failed (warm-up)"; }
wait "${BACKGROUND[-1]}" || { cat "$WORK/pages-warmup-flood.txt" >&2; die "wrk failed (warm-up)"; }
read_wrk warmup-flood.pages "$WORK/pages-warmup-flood.txt"
read_tool warmup-flood "$WORK/flood-warmup.txt"
log "warm-up: pages ${R[warmup-flood.pages.statuses]}, socket errors ${R[warmup-flood.pages.socket]}; junk ${R[warmup-flood.statuses]}"
log "cached page: ${CACHED_SECONDS}s of wrk on $CACHED_PAGE"
cpu_before="$(apps_cpu_ms)"
timeout $((CACHED_SECONDS + 60)) wrk -t"$THREADS" -c"$PAGE_CONNECTIONS" -d"${CACHED_SECONDS}s" --timeout 5s --latency \
  -H 'Accept-Encoding: gzip, deflate, br' "$BASE$CACHED_PAGE" >"$WORK/cached.txt" 2>&1 || { cat "$WORK/cached.txt" >&2; die "wrk failed (cached page)"; }
R[cached.cpu_ms]=$(($(apps_cpu_ms) - cpu_before))
R[cached.requests]="$(awk '/ requests in / { print $1 }' "$WORK/cached.txt")"
R[cached.bad]="$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/[^0-9 ]/, ""); for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }' "$WORK/cached.txt")"
R[cached.rps]="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/cached.txt")"
R[cached.cpu_us]="$(awk -v ms="${R[cached.cpu_ms]}" -v n="${R[cached.requests]}" 'BEGIN { printf "%.1f", ms * 1000 / n }')"
log "cached page: ${R[cached.rps]} req/s, app CPU ${R[cached.cpu_us]} us per request"
wait_for_outbox
log "quiet: ${QUIET_SECONDS}s of normal visitors alone"
cpu_before="$(apps_cpu_ms)"
visitors quiet "$QUIET_SECONDS" || { cat "$WORK/visitors-quiet.txt" >&2; die "the visitors' wrk failed (quiet)"; }
R[quiet.cpu_ms]=$(($(apps_cpu_ms) - cpu_before))
read_wrk quiet.visitors "$WORK/visitors-quiet.txt"
flood flood400 invalid "$FLOOD_CLIENTS" 127.100.0.1
wait_for_outbox
flood flood429 overlimit "$OVERLIMIT_CLIENTS" 127.200.0.1
wait_for_outbox
# For comparison: what an accepted write costs (stored, its mail queued and sent), from fresh addresses within their limit.
flood accepted valid "$FLOOD_CLIENTS" 127.210.0.1
MAILS="$(find "$WORK"/app1/umbraco/Data/mail-pickup "$WORK"/app2/umbraco/Data/mail-pickup -name '*.eml' 2>/dev/null | wc -l)"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) print "—"; else printf "%.2f", a / b }'; }
memory_column() { # COLUMN: first / last / max of the memory series
  awk -v c="$1" '{ v = $c; if (NR == 1) first = v; last = v; if (v > max) max = v } END { printf "%s / %s / %s", first, last, max }' "$WORK/memory.txt"
}
memory_verdict() { # COLUMN: "yes" when the last sample is within 10 % of the first, else how much it grew
  awk -v c="$1" '{ v = $c; if (NR == 1) first = v; last = v; t = $1 } END {
    if (last <= first * 1.1) print "yes"; else printf "**no**, +%d MB in %d s", last - first, t }' "$WORK/memory.txt"
}
ERRORS=0
for name in warmup-one one warmup-two two main; do ERRORS=$((ERRORS + ${R[$name.errors]:-0})); done
FLOOD_ERRORS=$((${R[warmup-flood.pages.bad]:-0} + ${R[warmup-flood.unexpected]:-0} + ${R[flood400.unexpected]:-0} + ${R[flood429.unexpected]:-0} + ${R[accepted.unexpected]:-0} + ${R[accepted.visitors.bad]:-0} + ${R[quiet.visitors.bad]:-0} + ${R[flood400.visitors.bad]:-0} + ${R[flood429.visitors.bad]:-0} + ${R[cached.bad]:-0}))
GOAL_US="$(awk -v page="${R[cached.cpu_us]}" 'BEGIN { printf "%.1f", page / 10 }')"
verdict() { awk -v v="$1" -v limit="$2" 'BEGIN { if (v !~ /^-?[0-9.]+$/) print "—"; else print (v + 0 < limit + 0) ? "yes" : "**no**" }'; }

mkdir -p "$RESULTS_DIR"
{
  echo "# Load test $STARTED"
  echo
  echo "\`bash tests/bench/load.sh\` (DURATION=$DURATION TWO_VS_ONE=$TWO_VS_ONE WARMUP=$WARMUP FLOOD=$FLOOD) on $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), commit $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src appsettings.json deploy tests/bench ':(exclude)tests/bench/results' || echo '+changes')."
  echo "Production setup on loopback: PostgreSQL 15, the Release publish with \`--environment Production\`, Debian's nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') running deploy/nginx/portfolio.conf.template over HTTPS (a throwaway P-256 certificate), nginx, PostgreSQL, the apps and the load generators sharing the same cores."
  echo "Browsing: $(awk '$1 == "pages" { print $2 }' "$WORK/urls.txt") pages (the sitemap) and $(awk '$1 == "assets" { print $2 }' "$WORK/urls.txt") static files, uniformly at random, wrk -t$THREADS -c$PAGE_CONNECTIONS $([[ $PAGE_PACE_MS == 0 ]] && echo "flat out" || echo "each connection pausing $PAGE_PACE_MS ms"); writes: $WRITERS writers (LoadTool) pausing ${WRITE_PACE_MS} ms after each answer, each in turn looking up one day of an expert's free slots, booking one, and sending a contact message."
  echo "Rate limits raised to 1,000,000 a second per client for parts 1 and 2 (all load comes from 127.0.0.1); production limits for part 3, in the apps and in nginx (compose.yaml's write limits: 6 a minute per visitor after 20, 20 a second site-wide after 100)."
  echo "Load average before/after: $LOAD_BEFORE / $LOAD_AFTER."
  echo
  echo "## Mixed load, two instances, ${DURATION} s"
  echo
  echo "| figure | value | goal |"
  echo "|---|---|---|"
  echo "| requests: pages and static files; slot look-ups; bookings; contact messages | ${R[main.requests]}: ${R[main.pages.requests]}; ${R[main.tool.slots.count]:-0}; ${R[main.tool.booking.count]:-0}; ${R[main.tool.contact.count]:-0} | |"
  echo "| errors (5xx, connection errors, unexpected statuses) | ${R[main.errors]} | 0 |"
  echo "| bookings made (201); refused because the slot was just taken or the day filled (409, expected); contact messages accepted (202) | ${R[main.tool.created]:-0}; ${R[main.tool.conflicts]:-0}; ${R[main.tool.accepted]:-0} | |"
  echo "| throughput (req/s) | ${R[main.rps]} | |"
  echo "| pages p50 / p99 (ms) | ${R[main.pages.p50]} / ${R[main.pages.p99]} | |"
  echo "| writes (bookings and contact messages) p50 / p99 (ms) | ${R[main.tool.writes.p50]} / ${R[main.tool.writes.p99]} | |"
  echo "| slot look-ups p50 / p99 (ms) | ${R[main.tool.slots.p50]} / ${R[main.tool.slots.p99]} | |"
  echo "| app CPU, both instances (s per s of load) | $(awk -v ms="${R[main.cpu_ms]}" -v s="$DURATION" 'BEGIN { printf "%.2f", ms / 1000 / s }') | |"
  echo "| instance 1 VmRSS, first / last / max sample (MB) | $(memory_column 2) | flat: $(memory_verdict 2) |"
  echo "| instance 2 VmRSS, first / last / max sample (MB) | $(memory_column 3) | flat: $(memory_verdict 3) |"
  echo
  echo "## Two instances against one, ${TWO_VS_ONE} s each"
  echo
  echo "| figure | one instance | two instances | two ÷ one |"
  echo "|---|---|---|---|"
  echo "| throughput (req/s) | ${R[one.rps]} | ${R[two.rps]} | $(ratio "${R[two.rps]}" "${R[one.rps]}") |"
  echo "| pages p50 / p99 (ms) | ${R[one.pages.p50]} / ${R[one.pages.p99]} | ${R[two.pages.p50]} / ${R[two.pages.p99]} | |"
  echo "| writes p50 / p99 (ms) | ${R[one.tool.writes.p50]} / ${R[one.tool.writes.p99]} | ${R[two.tool.writes.p50]} / ${R[two.tool.writes.p99]} | |"
  echo "| app CPU µs per request | $(awk -v ms="${R[one.cpu_ms]}" -v n="${R[one.requests]}" 'BEGIN { printf "%.0f", ms * 1000 / n }') | $(awk -v ms="${R[two.cpu_ms]}" -v n="${R[two.requests]}" 'BEGIN { printf "%.0f", ms * 1000 / n }') | |"
  echo "| errors | ${R[one.errors]} | ${R[two.errors]} | |"
  echo
  echo "## Junk-write flood through nginx, two instances, production rate limits"
  echo
  echo "| figure | quiet | flood of 400s (fresh addresses) | flood of 429s (addresses over their limit) | for comparison: accepted contact messages (fresh addresses, 5 each) |"
  echo "|---|---|---|---|---|"
  echo "| answers | | ${R[flood400.requests]} (${R[flood400.statuses]}) | ${R[flood429.requests]} (${R[flood429.statuses]}) | ${R[accepted.requests]} (${R[accepted.statuses]}) |"
  echo "| source addresses; writes/s | | ${R[flood400.addresses]}; ${R[flood400.rps]} | ${R[flood429.addresses]}; ${R[flood429.rps]} | ${R[accepted.addresses]}; ${R[accepted.rps]} |"
  echo "| writes p50 / p99, seen by the writing clients (ms) | | ${R[flood400.junk.p50]} / ${R[flood400.junk.p99]} | ${R[flood429.junk.p50]} / ${R[flood429.junk.p99]} | ${R[accepted.contact.p50]} / ${R[accepted.contact.p99]} |"
  echo "| app CPU µs per rejected (accepted) write; goal for rejected < ${GOAL_US}, a tenth of a cached page | | ${R[flood400.cpu_us]} ($(verdict "${R[flood400.cpu_us]}" "$GOAL_US")) | ${R[flood429.cpu_us]} ($(verdict "${R[flood429.cpu_us]}" "$GOAL_US")) | ${R[accepted.cpu_us]} |"
  echo "| the same less the quiet phase's CPU for as long (estimate) | | ${R[flood400.cpu_net_us]} | ${R[flood429.cpu_net_us]} | ${R[accepted.cpu_net_us]} |"
  echo "| ÷ cached page, app CPU per request | | $(ratio "${R[flood400.cpu_us]}" "${R[cached.cpu_us]}") | $(ratio "${R[flood429.cpu_us]}" "${R[cached.cpu_us]}") | $(ratio "${R[accepted.cpu_us]}" "${R[cached.cpu_us]}") |"
  echo "| ÷ accepted write, app CPU per request | | $(ratio "${R[flood400.cpu_us]}" "${R[accepted.cpu_us]}") | $(ratio "${R[flood429.cpu_us]}" "${R[accepted.cpu_us]}") | |"
  echo "| normal visitors ($VISITORS connections pausing ${VISITOR_PACE_MS} ms): page p50 / p99 (ms) | ${R[quiet.visitors.p50]} / ${R[quiet.visitors.p99]} | ${R[flood400.visitors.p50]} / ${R[flood400.visitors.p99]} | ${R[flood429.visitors.p50]} / ${R[flood429.visitors.p99]} | ${R[accepted.visitors.p50]} / ${R[accepted.visitors.p99]} |"
  echo "| normal visitors: answers | ${R[quiet.visitors.statuses]} | ${R[flood400.visitors.statuses]} | ${R[flood429.visitors.statuses]} | ${R[accepted.visitors.statuses]} |"
  echo "| app VmRSS before → after, per instance (MB) | | ${R[flood400.rss]} | ${R[flood429.rss]} | ${R[accepted.rss]} |"
  echo
  echo "Cached page ($CACHED_PAGE, wrk -t$THREADS -c$PAGE_CONNECTIONS for ${CACHED_SECONDS} s through nginx): ${R[cached.rps]} req/s, app CPU ${R[cached.cpu_us]} µs per request (both instances)."
  echo "CPU per write: the apps' user + system CPU during the flood (the normal visitors' pages and the instances' idle work included, so an upper bound), divided by the 400 and 429 answers (the accepted writes: by the 202s; their mails are sent during the run, so most of that work is in it)."
  echo
  echo "## Other runs"
  echo
  echo "| run | req/s | requests | errors | pages p99 (ms) | writes p99 (ms) | answers |"
  echo "|---|---|---|---|---|---|---|"
  for name in warmup-one one warmup-two two main; do
    echo "| $name | ${R[$name.rps]} | ${R[$name.requests]} | ${R[$name.errors]} | ${R[$name.pages.p99]} | ${R[$name.tool.writes.p99]} | pages ${R[$name.pages.statuses]}, socket errors ${R[$name.pages.socket]}; ${R[$name.tool.statuses]} |"
  done
  echo
  echo "Mail: $MAILS .eml files in the instances' pickup folders at the end (bookings and contact messages, through the outbox; the dispatchers may still be catching up with the last flood)."
  echo
  echo "## Memory during the ${DURATION} s run (VmRSS, MB, every ${MEMORY_INTERVAL} s)"
  echo
  echo "| s | instance 1 | instance 2 |"
  echo "|---|---|---|"
  awk '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "$WORK/memory.txt"
} >"$RESULTS_DIR/load-latest.md"
cat "$RESULTS_DIR/load-latest.md"
if ((ERRORS + FLOOD_ERRORS > 0)); then
  die "$((ERRORS + FLOOD_ERRORS)) requests failed (see the table)"
fi
