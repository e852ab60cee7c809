#!/usr/bin/env bash
# Benchmark of the write API and the mail queue, run as production runs the app (Release publish,
# Production environment, a fresh content root), on SQLite and on PostgreSQL. See tests/bench/API.md.
#
#   bash tests/bench/api.sh
#
# Per database:
#   1. POST /api/v1/contact-messages and POST /api/v1/bookings (each booking its own slot) with
#      wrk -t2 -c20 --latency after a warm-up: p50/p90/p99, req/s, non-2xx answers. Rate limits are raised
#      on the command line for this run only; the dispatcher is off so that only the request path is measured.
#   2. 1,000 contact messages queued with the dispatcher off (Email:Dispatcher:Enabled=false), then the app
#      restarted with it on: time until all 1,000 mails are in the SMTP server's (aiosmtpd) Maildir.
#   3. Idle hand-off: one message at a time into a quiet system, time until its mail is in the Maildir.
#   4. The floor (tests/bench/floor): a server that does the contact endpoint's database work and nothing else, on a
#      database the app has just migrated, under the same wrk loads. What this machine allows at all, read beside 1.
#
# Knobs (environment): DATABASES ("sqlite postgres"), PHASES ("latency floor mail"), DURATION (10 s measured per endpoint), WARMUP (25 s
# per endpoint), CONNECTIONS (20), PACE_MS (50: the paced runs' pause per connection), THREADS (2), MAILS (1000), HANDOFFS (21), HANDOFF_PAUSE (1.5 s),
# APP_ARGS (extra settings for every app start, for experiments, e.g. "--Email:Dispatcher:Concurrency=8";
# the figures in API.md use none), SKIP_BUILD=1 (reuse the last publish), KEEP=1 (keep the temp dir with logs for a look afterwards).
#
# Everything listens on 127.0.0.1 only; every loop and run is bounded; the trap stops whatever was started
# (app, PostgreSQL, aiosmtpd) and removes the temp dir.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$REPO/tests/bench/api"
RESULTS_DIR="$REPO/tests/bench/results"
DATABASES="${DATABASES:-sqlite postgres}"
PHASES="${PHASES:-latency floor mail}"
DURATION="${DURATION:-10}"
# 25 s per endpoint: on two cores the JIT keeps recompiling hot code (tier 1, with profile data) for about the first
# 25 s under load, at up to half a core (dotnet-counters, dotnet.jit.compilation.time: 0.3-0.75 s of JIT a second
# until then, under 0.02 after). With 10 s warm-ups the flat-out runs measured a still-warming app: twice the app CPU
# per contact message on PostgreSQL (2026-12-03, README, Performance).
WARMUP="${WARMUP:-25}"
CONNECTIONS="${CONNECTIONS:-20}"
PACE_MS="${PACE_MS:-50}"
THREADS="${THREADS:-2}"
MAILS="${MAILS:-1000}"
HANDOFFS="${HANDOFFS:-21}"
HANDOFF_PAUSE="${HANDOFF_PAUSE:-1.5}"
START_TIMEOUT_S=90
MAIL_TIMEOUT_S=180
SYSTEM_PYTHON=/usr/bin/python3   # Debian's, where python3-aiosmtpd lives
# Experts the script adds to the sample content: 24 slots a day for a year each (see API.md).
MEASURE_EXPERTS="bench-1,bench-2,bench-3,bench-4,bench-5,bench-6"
SINGLE_EXPERTS="bench-s1,bench-s2"
PACED_EXPERTS="bench-p1,bench-p2"
# Enough warm-up slots (8,736 an expert) for WARMUP seconds of bookings at 4,000 a second.
WARMUP_EXPERTS="$(seq -f 'bench-w%g' -s , 1 $(((WARMUP * 4000 + 8735) / 8736)))"
# Raised for the benchmark only (the options allow at most 1,000,000 per window).
RATE_LIMITS=(
  --RateLimiting:ContactWrites:PermitLimit=1000000 --RateLimiting:ContactWrites:WindowSeconds=1
  --RateLimiting:BookingWrites:PermitLimit=1000000 --RateLimiting:BookingWrites:WindowSeconds=1
  --RateLimiting:Reads:PermitLimit=1000000 --RateLimiting:Reads:WindowSeconds=1
)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

WORK="$(mktemp -d /tmp/portfolio-api-bench.XXXXXX)"
chmod 755 "$WORK"   # the postgres OS user must reach its cluster folder under here
APP_DIR="$WORK/app"
FLOOR_DIR="$WORK/floor"
APP_PID=""
SMTP_PID=""
SMTP_PORT=""
MAILDIR=""
BENCH_NAME=api-bench
# shellcheck source=tests/bench/lib.sh
source "$REPO/tests/bench/lib.sh"

stop_started() {
  stop_pid "$APP_PID"
  stop_pid "$SMTP_PID"
  APP_PID="" SMTP_PID=""
  stop_postgres
}
bench_traps 143

bench_py() { python3 "$HERE/bench.py" "$@"; }

# ---------------------------------------------------------------------------------------------- tools
install_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  [[ " $DATABASES " == *" postgres "* && ! -x "$PG_BIN/initdb" ]] && missing+=(postgresql)
  { [[ -x $SYSTEM_PYTHON ]] && "$SYSTEM_PYTHON" -c 'import aiosmtpd' 2>/dev/null; } || missing+=(python3-aiosmtpd)
  install_packages "${missing[@]}"
}

# ---------------------------------------------------------------------------------------------- servers
start_bench_postgres() {
  local password
  password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  start_postgres bench "$password"
}

# new_pg_database NAME: an empty database owned by the bench role; prints its connection string.
new_pg_database() {
  psql_admin -c "CREATE DATABASE $1 OWNER bench" >/dev/null
  echo "Host=127.0.0.1;Port=$PG_PORT;Username=bench;Password=$PG_PASSWORD;Database=$1"
}

start_smtp() {
  stop_smtp
  MAILDIR="$WORK/maildir-$1"
  # A complete Maildir (Python's mailbox.Maildir only creates cur/new/tmp when the folder itself is missing).
  mkdir -p "$MAILDIR/cur" "$MAILDIR/new" "$MAILDIR/tmp"
  SMTP_PORT="$(free_port)"
  # -n: stay the current user; Mailbox writes each mail as a Maildir file.
  "$SYSTEM_PYTHON" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
    </dev/null >"$WORK/smtp-$1.log" 2>&1 &
  SMTP_PID=$!
  wait_for_port "the SMTP server" "$SMTP_PORT" "$SMTP_PID" 30 || { cat "$WORK/smtp-$1.log" >&2; die "aiosmtpd did not start"; }
}

stop_smtp() { stop_pid "$SMTP_PID"; SMTP_PID=""; }

# ---------------------------------------------------------------------------------------------- app
build_app() {
  local cached="$RESULTS_DIR/.publish-api" cached_floor="$RESULTS_DIR/.publish-floor"
  if [[ "${SKIP_BUILD:-0}" == 1 ]] && is_app_publish "$cached" && [[ -x "$cached_floor/Floor" ]]; then
    log "reusing the last publish (SKIP_BUILD=1)"
    cp -a "$cached" "$APP_DIR"
    cp -a "$cached_floor" "$FLOOR_DIR"
    return 0
  fi
  log "dotnet publish src/Portfolio.Web and tests/bench/floor -c Release"
  publish_app "$REPO/src/Portfolio.Web" "$APP_DIR"
  publish_project "$REPO/tests/bench/floor" "$FLOOR_DIR"
  mkdir -p "$RESULTS_DIR"
  rm -rf "$cached" "$cached_floor"
  cp -a "$APP_DIR" "$cached"
  cp -a "$FLOOR_DIR" "$cached_floor"
}

# new_bench_root DIR: appsettings as shipped, the sample content plus the bench experts, no database.
new_bench_root() { new_content_root "$1" bench "$MEASURE_EXPERTS,$SINGLE_EXPERTS,$PACED_EXPERTS,$WARMUP_EXPERTS"; }

# start_app ROOT PORT NAME DB_ARGS [extra args...]: spawns the app; sets APP_PID and SPAWN_MS.
start_app() {
  local root="$1" port="$2" name="$3"
  shift 3
  SPAWN_MS="$(now_ms)"
  "$APP_DIR/Portfolio.Web" --contentRoot "$root" --environment Production --urls "http://127.0.0.1:$port" \
    --Site:PublicUrl="http://127.0.0.1:$port" "${RATE_LIMITS[@]}" \
    --Email:Transport=Smtp --Email:Smtp:Host=127.0.0.1 --Email:Smtp:Port="$SMTP_PORT" --Email:Smtp:UseStartTls=false \
    "$@" ${APP_ARGS:-} >"$WORK/app-$name.out" 2>&1 </dev/null &
  APP_PID=$!
  local deadline=$(($(now_ms) + START_TIMEOUT_S * 1000)) code
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port/health/ready" || true)"
    [[ "$code" == 200 ]] && break
    kill -0 "$APP_PID" 2>/dev/null || { tail -n 40 "$WORK/app-$name.out" >&2; die "the app ($name) exited during start"; }
    (($(now_ms) < deadline)) || die "the app ($name) was not ready within ${START_TIMEOUT_S}s (last status $code)"
    sleep 0.05
  done
}

stop_app() { stop_pid "$APP_PID"; APP_PID=""; }

# outbox_count DB ROOT|CONNSTRING STATUS: mails in the outbox with that status (0 pending, 1 sent, 2 dead).
outbox_count() {
  if [[ "$1" == sqlite ]]; then
    sqlite3 -cmd '.timeout 5000' "$2/umbraco/Data/portfolio.db" "SELECT count(*) FROM EmailOutbox WHERE Status = $3;"
  else
    psql_admin "$2" -c "SELECT count(*) FROM \"EmailOutbox\" WHERE \"Status\" = $3"
  fi
}

# ---------------------------------------------------------------------------------------------- wrk
CLK_TCK="$(getconf CLK_TCK)"
# CPU time (ms, user + system) that a process has used so far.
cpu_ms() {
  local ticks
  # The fields after "(comm)": utime and stime are the 12th and 13th.
  ticks="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }')" || ticks=0
  echo $((${ticks:-0} * 1000 / CLK_TCK))
}

# run_wrk DB NAME SCRIPT SECONDS URL SLOTS_FILE [CONNECTIONS THREADS PACE_MS]: one wrk run; appends
# "DB NAME rps p50 p90 p99 requests non2xx socket-errors statuses cpu" to $WRK_RESULTS (warm-ups are not recorded).
run_wrk() {
  local db="$1" name="$2" script="$3" seconds="$4" url="$5" slots="$6" connections="${7:-$CONNECTIONS}" threads="${8:-$THREADS}" pace="${9:-0}"
  local out="$WORK/wrk-$db-$name.txt"
  echo "$db $name $(now_ms)" >>"$WORK/wrk-windows.txt"
  local cpu_before
  cpu_before="$(cpu_ms "$APP_PID")"
  BENCH_SLOTS="$slots" BENCH_THREADS="$threads" BENCH_TAG="$db-$name-$RANDOM" BENCH_PACE_MS="$pace" \
    timeout $((seconds + 60)) wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 5s --latency -s "$script" "$url" >"$out" ||
    { cat "$out" >&2; die "wrk failed ($db $name)"; }
  local exhausted statuses cpu_us
  cpu_us="$(awk -v ms="$(($(cpu_ms "$APP_PID") - cpu_before))" -v n="$(awk '/ requests in / { print $1 }' "$out")" 'BEGIN { printf "%.0f", ms * 1000 / n }')"
  exhausted="$(awk '/^bench-exhausted:/ { print $2 }' "$out")"
  statuses="$(awk '/^bench-statuses:/ { print $2 }' "$out")"
  [[ "$exhausted" == 0 ]] || die "$db $name: the slot list ran out ($exhausted requests reused a slot); add bench experts"
  [[ "$name" == warmup-* ]] && { log "$db $name: $(awk '/^Requests\/sec:/ { print $2 }' "$out") req/s, app CPU $cpu_us us/request, statuses $statuses"; return 0; }
  local rps p50 p90 p99 requests non2xx errors
  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
  p90="$(to_ms "$(awk '$1 == "90%" { print $2 }' "$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
  requests="$(awk '/ requests in / { print $1 }' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
  errors="$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); gsub(/ /, ""); print }' "$out")"
  echo "$db $name $rps $p50 $p90 $p99 $requests ${non2xx:-0} ${errors:-none} $statuses $cpu_us" >>"$WRK_RESULTS"
  log "$db $name: $rps req/s, p50 $p50 ms, p90 $p90 ms, p99 $p99 ms, $requests requests, app CPU $cpu_us us/request, statuses $statuses${non2xx:+, NON-2XX $non2xx}${errors:+, socket errors $errors}"
}

# ---------------------------------------------------------------------------------------------- phases
# latency_phase DB DB_ARGS...: the two POST endpoints under wrk.
latency_phase() {
  local db="$1"
  shift
  local root="$WORK/root-$db-latency" port
  port="$(free_port)"
  new_bench_root "$root"
  start_smtp "$db-latency"
  # The dispatcher stays off: only the request path (validation, the transaction with its queued mail) is measured.
  start_app "$root" "$port" "$db-latency" "$@" --Email:Dispatcher:Enabled=false
  local base="http://127.0.0.1:$port"
  local measure_slots="$WORK/slots-$db-measure.txt" warmup_slots="$WORK/slots-$db-warmup.txt" single_slots="$WORK/slots-$db-single.txt" lines
  local paced_slots="$WORK/slots-$db-paced.txt"
  lines="$(bench_py slots "$base" "$MEASURE_EXPERTS" "$measure_slots")"
  bench_py slots "$base" "$SINGLE_EXPERTS" "$single_slots" >/dev/null
  bench_py slots "$base" "$PACED_EXPERTS" "$paced_slots" >/dev/null
  log "$db: $lines distinct bookable slots for the measured run, $(bench_py slots "$base" "$WARMUP_EXPERTS" "$warmup_slots") for the warm-up"
  run_wrk "$db" warmup-contact "$HERE/contact.lua" "$WARMUP" "$base" /dev/null
  run_wrk "$db" warmup-bookings "$HERE/bookings.lua" "$WARMUP" "$base" "$warmup_slots"
  run_wrk "$db" contact "$HERE/contact.lua" "$DURATION" "$base" /dev/null
  run_wrk "$db" bookings "$HERE/bookings.lua" "$DURATION" "$base" "$measure_slots"
  # The same 20 connections as 20 clients that each pause PACE_MS between requests: the latency a client sees
  # while the server is busy but not saturated (the runs above measure it at saturation).
  run_wrk "$db" contact-paced "$HERE/contact.lua" "$DURATION" "$base" /dev/null "$CONNECTIONS" "$THREADS" "$PACE_MS"
  run_wrk "$db" bookings-paced "$HERE/bookings.lua" "$DURATION" "$base" "$paced_slots" "$CONNECTIONS" "$THREADS" "$PACE_MS"
  local finished_ms
  finished_ms="$(now_ms)"
  # One connection: the service time of a request when nothing queues (for reading the 20-connection figures).
  run_wrk "$db" contact-1 "$HERE/contact.lua" "$DURATION" "$base" /dev/null 1 1
  run_wrk "$db" bookings-1 "$HERE/bookings.lua" "$DURATION" "$base" "$single_slots" 1 1
  # The log file's high-water mark: the checkpoint rounds start it over, so it holds about a second of writes
  # (before 2026-12-03 it grew by every commit, to gigabytes).
  [[ "$db" == sqlite ]] && log "sqlite: write-ahead log file after the runs: $(($(stat -c %s "$root/umbraco/Data/portfolio.db-wal") / 1048576)) MB"
  stop_app
  stop_smtp
  # The app's own timing of the same requests (its log is complete once it has stopped).
  local since_contact since_bookings
  since_contact="$(awk -v db="$db" '$1 == db && $2 == "contact" { print $3 }' "$WORK/wrk-windows.txt")"
  since_bookings="$(awk -v db="$db" '$1 == db && $2 == "bookings" { print $3 }' "$WORK/wrk-windows.txt")"
  echo "$db contact $(bench_py server-times "$root/umbraco/Logs" POST /api/v1/contact-messages "$since_contact" "$since_bookings")" >>"$SERVER_RESULTS"
  echo "$db bookings $(bench_py server-times "$root/umbraco/Logs" POST /api/v1/bookings "$since_bookings" "$finished_ms")" >>"$SERVER_RESULTS"
  log "$db server-side (count p50 p90 p99 max, ms): $(awk -v db="$db" '$1 == db { printf "%s %s %s %s %s %s; ", $2, $3, $4, $5, $6, $7 }' "$SERVER_RESULTS")"
}

# floor_phase DB CONNECTION_STRING DB_ARGS...: the app migrates a new database and stops; the floor (same tables,
# same rows per message) then takes the contact loads of latency_phase. APP_PID is the floor's, for run_wrk's CPU.
floor_phase() {
  local db="$1" connection="$2"
  shift 2
  local root="$WORK/root-$db-floor" port provider=Sqlite
  port="$(free_port)"
  new_bench_root "$root"
  start_smtp "$db-floor"   # the app checks its mail settings on start
  start_app "$root" "$port" "$db-floor-migrate" "$@" --Email:Dispatcher:Enabled=false
  stop_app
  stop_smtp
  if [[ "$db" == postgres ]]; then
    provider=Postgres
  else
    connection="Data Source=$root/umbraco/Data/portfolio.db;Pooling=True"
  fi
  "$FLOOR_DIR/Floor" --urls "http://127.0.0.1:$port" --Floor:Provider="$provider" --Floor:ConnectionString="$connection" \
    >"$WORK/floor-$db.out" 2>&1 </dev/null &
  APP_PID=$!
  wait_for_port "the floor ($db)" "$port" "$APP_PID" "$START_TIMEOUT_S" || { cat "$WORK/floor-$db.out" >&2; die "the floor ($db) did not start"; }
  local base="http://127.0.0.1:$port"
  run_wrk "$db" warmup-floor-contact "$HERE/contact.lua" "$WARMUP" "$base" /dev/null
  run_wrk "$db" floor-contact "$HERE/contact.lua" "$DURATION" "$base" /dev/null
  run_wrk "$db" floor-contact-paced "$HERE/contact.lua" "$DURATION" "$base" /dev/null "$CONNECTIONS" "$THREADS" "$PACE_MS"
  stop_app
}

# mail_phase DB CONN DB_ARGS...: 1,000 queued mails to SMTP, then the idle hand-off.
mail_phase() {
  local db="$1" conn="$2"
  shift 2
  local root="$WORK/root-$db-mail" port
  port="$(free_port)"
  new_bench_root "$root"
  start_smtp "$db"
  start_app "$root" "$port" "$db-queue" "$@" --Email:Dispatcher:Enabled=false
  log "$db: queueing $MAILS mails (one per contact message) with the dispatcher off"
  bench_py post-contacts "http://127.0.0.1:$port" "$MAILS" "$db-$RANDOM"
  stop_app
  [[ "$db" == sqlite ]] && conn="$root"
  local pending
  pending="$(outbox_count "$db" "$conn" 0)"
  [[ "$pending" == "$MAILS" ]] || die "$db: $pending mails queued, expected $MAILS"
  [[ -z "$(ls -A "$MAILDIR/new")" ]] || die "$db: mail reached the SMTP server while the dispatcher was off"

  log "$db: starting the app with the dispatcher on; timing until $MAILS mails are in the Maildir"
  start_app "$root" "$port" "$db-dispatch" "$@"
  local spawn_ms="$SPAWN_MS" from_spawn
  from_spawn="$(bench_py wait-maildir "$MAILDIR" "$MAILS" "$MAIL_TIMEOUT_S" "$spawn_ms")" ||
    die "$db: only $from_spawn of $MAILS mails arrived within ${MAIL_TIMEOUT_S}s"
  # The file sink may buffer: the dispatcher's start line is read once the queue is drained and the log flushed.
  sleep 1.5
  local started_ms from_dispatcher
  started_ms="$(bench_py log-time "$root/umbraco/Logs" "Mail dispatcher started")"
  from_dispatcher="$(bench_py wait-maildir "$MAILDIR" "$MAILS" 1 "$started_ms")"
  log "$db: $MAILS mails delivered ${from_spawn} ms after the app was spawned, ${from_dispatcher} ms after the dispatcher started"

  log "$db: idle hand-off, $HANDOFFS messages ${HANDOFF_PAUSE}s apart"
  local handoffs
  handoffs="$(bench_py handoff "http://127.0.0.1:$port" "$MAILDIR" "$HANDOFFS" "$HANDOFF_PAUSE" "$db-$RANDOM")"
  local sent
  stop_app
  sent="$(outbox_count "$db" "$conn" 1)"
  [[ "$sent" == $((MAILS + HANDOFFS)) ]] || die "$db: the outbox says $sent sent, expected $((MAILS + HANDOFFS))"
  [[ "$(ls "$MAILDIR/new" | wc -l)" == $((MAILS + HANDOFFS)) ]] || die "$db: the Maildir does not hold $((MAILS + HANDOFFS)) mails"
  stop_smtp
  read -r handoff_median handoff_max <<<"$(bench_py stats $handoffs)"
  echo "$db $from_spawn $from_dispatcher $handoff_median $handoff_max $handoffs" >>"$MAIL_RESULTS"
  log "$db: idle hand-off median $handoff_median ms, max $handoff_max ms ($handoffs)"
}

# ================================================================================================ run
install_tools
build_app
WRK_RESULTS="$WORK/wrk-results.txt"
MAIL_RESULTS="$WORK/mail-results.txt"
SERVER_RESULTS="$WORK/server-results.txt"
: >"$WRK_RESULTS" && : >"$MAIL_RESULTS" && : >"$SERVER_RESULTS"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
STARTED="$(date -u '+%Y-%m-%d %H:%M UTC')"
for db in $DATABASES; do
  case "$db" in
    sqlite)
      [[ " $PHASES " == *" latency "* ]] && latency_phase sqlite
      [[ " $PHASES " == *" floor "* ]] && floor_phase sqlite ""
      [[ " $PHASES " == *" mail "* ]] && mail_phase sqlite ""
      ;;
    postgres)
      [[ $PG_STARTED == 1 ]] || start_bench_postgres
      if [[ " $PHASES " == *" latency "* ]]; then
        latency_phase postgres --Database:Provider=Postgres --ConnectionStrings:Portfolio="$(new_pg_database bench_latency)"
      fi
      if [[ " $PHASES " == *" floor "* ]]; then
        connection="$(new_pg_database bench_floor)"
        floor_phase postgres "$connection" --Database:Provider=Postgres --ConnectionStrings:Portfolio="$connection"
      fi
      if [[ " $PHASES " == *" mail "* ]]; then
        mail_phase postgres bench_mail --Database:Provider=Postgres --ConnectionStrings:Portfolio="$(new_pg_database bench_mail)"
      fi
      ;;
    *) die "unknown database '$db' (sqlite or postgres)" ;;
  esac
done
stop_postgres
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------- report
field() { awk -v db="$1" -v name="$2" -v c="$3" '$1 == db && $2 == name { print $c }' "$WRK_RESULTS"; }
server() { awk -v db="$1" -v name="$2" -v c="$3" '$1 == db && $2 == name { print $c }' "$SERVER_RESULTS"; }
mail() { awk -v db="$1" -v c="$2" '$1 == db { print $c }' "$MAIL_RESULTS"; }
verdict() { awk -v v="$1" -v limit="$2" 'BEGIN { if (v == "") print "—"; else print (v + 0 < limit + 0) ? "yes" : "**NO**" }'; }
# a ÷ b, or a dash when either is not a number (wrk prints "n/a" for a percentile it has no samples for).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9]+(\.[0-9]+)?$/ || b !~ /^[0-9]+(\.[0-9]+)?$/ || b + 0 == 0) print "—"; else printf "%.2f", a / b }'; }
seconds() { [[ -n "$1" ]] && awk -v v="$1" 'BEGIN { printf "%.1f", v / 1000 }' || true; }
cell() { # DB: a table cell, or a dash for a database that was not run
  [[ " $DATABASES " == *" $1 "* ]] && echo "$2" || echo "—"
}

mkdir -p "$RESULTS_DIR"
{
  echo "# API benchmark $STARTED"
  echo
  echo "\`bash tests/bench/api.sh\` on $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), commit $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src appsettings.json tests/bench ':(exclude)tests/bench/results' Directory.Packages.props Directory.Build.props || echo '+changes')."
  echo "wrk -t$THREADS -c$CONNECTIONS --latency, ${WARMUP}s warm-up per endpoint (own slots), then ${DURATION}s measured per endpoint."
  echo "Load average before/after: $LOAD_BEFORE / $LOAD_AFTER (the machine is shared: other work runs beside the benchmark)."
  echo
  echo "| figure | SQLite | PostgreSQL | goal | met (SQLite / PostgreSQL) |"
  echo "|---|---|---|---|---|"
  for endpoint in contact bookings; do
    path="/api/v1/contact-messages"
    [[ $endpoint == bookings ]] && path="/api/v1/bookings (distinct slots)"
    echo "| POST $path p50 / p90 / p99 (ms) | $(cell sqlite "$(field sqlite $endpoint 4) / $(field sqlite $endpoint 5) / $(field sqlite $endpoint 6)") | $(cell postgres "$(field postgres $endpoint 4) / $(field postgres $endpoint 5) / $(field postgres $endpoint 6)") | p99 < 10 | $(verdict "$(field sqlite $endpoint 6)" 10) / $(verdict "$(field postgres $endpoint 6)" 10) |"
    echo "| POST $path, server-side (app log) p50 / p99 (ms) | $(cell sqlite "$(server sqlite $endpoint 4) / $(server sqlite $endpoint 6)") | $(cell postgres "$(server postgres $endpoint 4) / $(server postgres $endpoint 6)") | | |"
    echo "| POST $path req/s; requests; app CPU µs per request | $(cell sqlite "$(field sqlite $endpoint 3); $(field sqlite $endpoint 7); $(field sqlite $endpoint 11)") | $(cell postgres "$(field postgres $endpoint 3); $(field postgres $endpoint 7); $(field postgres $endpoint 11)") | | |"
    echo "| POST $path non-2xx; socket errors | $(cell sqlite "$(field sqlite $endpoint 8); $(field sqlite $endpoint 9)") | $(cell postgres "$(field postgres $endpoint 8); $(field postgres $endpoint 9)") | 0 | |"
  done
  for endpoint in contact bookings; do
    path="/api/v1/contact-messages"
    [[ $endpoint == bookings ]] && path="/api/v1/bookings (distinct slots)"
    echo "| POST $path, $CONNECTIONS connections each pausing $PACE_MS ms between requests: p50 / p90 / p99 (ms); req/s | $(cell sqlite "$(field sqlite $endpoint-paced 4) / $(field sqlite $endpoint-paced 5) / $(field sqlite $endpoint-paced 6); $(field sqlite $endpoint-paced 3)") | $(cell postgres "$(field postgres $endpoint-paced 4) / $(field postgres $endpoint-paced 5) / $(field postgres $endpoint-paced 6); $(field postgres $endpoint-paced 3)") | p99 < 10 | $(verdict "$(field sqlite $endpoint-paced 6)" 10) / $(verdict "$(field postgres $endpoint-paced 6)" 10) |"
  done
  if [[ " $PHASES " == *" floor "* ]]; then
    echo "| floor (tests/bench/floor: the same database work on Kestrel, without the middleware, EF Core and templates), POST /api/v1/contact-messages at $CONNECTIONS connections: p50 / p90 / p99 (ms); req/s; CPU µs per request | $(cell sqlite "$(field sqlite floor-contact 4) / $(field sqlite floor-contact 5) / $(field sqlite floor-contact 6); $(field sqlite floor-contact 3); $(field sqlite floor-contact 11)") | $(cell postgres "$(field postgres floor-contact 4) / $(field postgres floor-contact 5) / $(field postgres floor-contact 6); $(field postgres floor-contact 3); $(field postgres floor-contact 11)") | | |"
    echo "| floor, $CONNECTIONS connections each pausing $PACE_MS ms: p50 / p90 / p99 (ms); req/s | $(cell sqlite "$(field sqlite floor-contact-paced 4) / $(field sqlite floor-contact-paced 5) / $(field sqlite floor-contact-paced 6); $(field sqlite floor-contact-paced 3)") | $(cell postgres "$(field postgres floor-contact-paced 4) / $(field postgres floor-contact-paced 5) / $(field postgres floor-contact-paced 6); $(field postgres floor-contact-paced 3)") | | |"
    echo "| app ÷ floor, contact at $CONNECTIONS connections: req/s; p99 | $(cell sqlite "$(ratio "$(field sqlite contact 3)" "$(field sqlite floor-contact 3)"); $(ratio "$(field sqlite contact 6)" "$(field sqlite floor-contact 6)")") | $(cell postgres "$(ratio "$(field postgres contact 3)" "$(field postgres floor-contact 3)"); $(ratio "$(field postgres contact 6)" "$(field postgres floor-contact 6)")") | | |"
    echo "| app ÷ floor, contact paced: p99 | $(cell sqlite "$(ratio "$(field sqlite contact-paced 6)" "$(field sqlite floor-contact-paced 6)")") | $(cell postgres "$(ratio "$(field postgres contact-paced 6)" "$(field postgres floor-contact-paced 6)")") | | |"
  fi
  for endpoint in contact bookings; do
    path="/api/v1/contact-messages"
    [[ $endpoint == bookings ]] && path="/api/v1/bookings"
    echo "| POST $path at 1 connection (service time, nothing queued) p50 / p99 (ms); req/s | $(cell sqlite "$(field sqlite $endpoint-1 4) / $(field sqlite $endpoint-1 6); $(field sqlite $endpoint-1 3)") | $(cell postgres "$(field postgres $endpoint-1 4) / $(field postgres $endpoint-1 6); $(field postgres $endpoint-1 3)") | | |"
  done
  echo "| $MAILS queued mails: app spawned → last one in the Maildir (s) | $(cell sqlite "$(seconds "$(mail sqlite 2)")") | $(cell postgres "$(seconds "$(mail postgres 2)")") | < 60 | $(verdict "$(mail sqlite 2)" 60000) / $(verdict "$(mail postgres 2)" 60000) |"
  echo "| $MAILS queued mails: \"Mail dispatcher started\" → last one in the Maildir (s) | $(cell sqlite "$(seconds "$(mail sqlite 3)")") | $(cell postgres "$(seconds "$(mail postgres 3)")") | | |"
  echo "| idle hand-off: POST → mail in the Maildir, median / max of $HANDOFFS (ms) | $(cell sqlite "$(mail sqlite 4) / $(mail sqlite 5)") | $(cell postgres "$(mail postgres 4) / $(mail postgres 5)") | median < 1000 | $(verdict "$(mail sqlite 4)" 1000) / $(verdict "$(mail postgres 4)" 1000) |"
  echo
  echo "Status codes seen by wrk (measured runs): $(awk '{ printf "%s%s %s: %s", sep, $1, $2, $10; sep = "; " }' "$WRK_RESULTS")."
  echo "Idle hand-offs (ms): $(awk '{ printf "%s%s:", sep, $1; for (i = 6; i <= NF; i++) printf " %s", $i; sep = "; " }' "$MAIL_RESULTS")."
} >"$RESULTS_DIR/api-latest.md"
cat "$RESULTS_DIR/api-latest.md"
if awk '$8 != 0 { bad = 1 } END { exit !bad }' "$WRK_RESULTS"; then
  die "some answers were not 2xx (see the table)"
fi
