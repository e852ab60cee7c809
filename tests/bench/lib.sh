# shellcheck shell=bash
# Helpers shared by the benchmark scripts, sourced (never run) by run.sh, api.sh, load.sh, compare-cached-page.sh and
# published-app.sh (itself sourced by page-weight.sh and lighthouse.sh): logging, stopping processes, the exit trap,
# free ports, installing Debian packages, a throwaway PostgreSQL and fresh content roots. One copy, so that a fix to
# stopping a process or to starting PostgreSQL reaches every benchmark.
#
# Defines functions only (plus PG_BIN and the PG_* state start_postgres fills in); nothing runs on sourcing, and no
# option (set -euo pipefail) is changed: each caller sets its own. The functions read these globals, which the caller
# sets before calling them:
#   BENCH_NAME       prefix of the log lines ("[BENCH_NAME HH:MM:SS] ..."), e.g. load, api-bench
#   REPO, WORK       the repository and the script's temp folder (start_postgres, new_content_root, bench_traps)
#   STOP_WAIT        tenths of a second stop_pid waits before it forces a stop (default 150)
#   FREE_PORT_RANGE  where free_port draws from: "wide" (default: 20000-59999) or "below-ephemeral" (see free_port)
# and bench_traps calls the caller's stop_started (stops what the script started) on exit.

PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR="" PG_PORT="" PG_STARTED=0 PG_PASSWORD=""

log() { printf '[%s %(%H:%M:%S)T] %s\n' "${BENCH_NAME:-bench}" -1 "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

stop_pid() {
  # Polite stop, bounded wait, then force. Only ever a PID this script started.
  local pid="$1" signal="${2:-TERM}"
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 "${STOP_WAIT:-150}"); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# bench_traps [TERM_STATUS]: on exit (also on failure, Ctrl-C or TERM) stop what the script started (its
# stop_started), then remove WORK, or keep it with KEEP=1. TERM exits with TERM_STATUS (143 unless given).
bench_traps() {
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  # shellcheck disable=SC2064  # the status is fixed now, on purpose
  trap "exit ${1:-143}" TERM
}

bench_cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e   # a failing stop must not skip the rest of the clean-up
  stop_started
  if [[ "${KEEP:-0}" == 1 ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}

now_ms() { local t="${EPOCHREALTIME/./}"; echo $((t / 1000)); }

free_port() {
  # A random unprivileged port that nothing on loopback answers on. With FREE_PORT_RANGE=below-ephemeral, below the
  # range the kernel picks outgoing ports from: there, a connection made between this check and the bind (many
  # clients, as load.sh's flood has) could take it.
  local port low=60000 first=20000
  if [[ "${FREE_PORT_RANGE:-wide}" == below-ephemeral ]]; then
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range
    ((low > 11000)) || die "the ephemeral port range starts at $low: no room below it for the servers' ports"
    first=10000
  fi
  for _ in $(seq 1 200); do
    port=$((first + RANDOM % (low - first)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

wait_for_port() { # NAME PORT PID SECONDS
  local i
  for ((i = 0; i < $4 * 10; i++)); do
    [[ -z "$3" ]] || kill -0 "$3" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  log "$1 did not accept connections on 127.0.0.1:$2 within $4 s"
  return 1
}

# wrk prints latencies as 812.00us, 1.23ms or 1.02s; convert to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else print "n/a" }'
}

# install_packages PACKAGE...: installs the Debian packages the caller found missing (none: nothing to do), with one
# apt-get update, through sudo when not root.
install_packages() {
  (($# == 0)) && return 0
  local sudo=()
  [[ "$(id -u)" == 0 ]] || sudo=(sudo)
  log "installing $* from Debian"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  # The postgresql package starts a system cluster on 5432; the benchmarks never use it (they start their own).
}

# ---------------------------------------------------------------------------------------------- PostgreSQL
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# start_postgres ROLE PASSWORD: a throwaway PostgreSQL 15 cluster in WORK/pg on a free port, with a login ROLE that
# may connect over TCP with PASSWORD. Sets PG_DIR, PG_PORT, PG_PASSWORD and PG_STARTED (for stop_postgres).
start_postgres() {
  local role="$1"
  PG_DIR="$WORK/pg"
  mkdir -p "$PG_DIR/data" "$PG_DIR/socket"
  [[ $(id -u) == 0 ]] && chown -R postgres:postgres "$PG_DIR"
  PG_PORT="$(free_port)"
  PG_PASSWORD="$2"
  log "starting PostgreSQL 15 on 127.0.0.1:$PG_PORT (default durability: fsync and synchronous_commit on)"
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  # TCP only on 127.0.0.1 with a password; the superuser only through a socket in our own folder.
  as_postgres tee "$PG_DIR/data/pg_hba.conf" >/dev/null <<EOF
local all postgres              trust
host  all $role 127.0.0.1/32 scram-sha-256
EOF
  PG_STARTED=1
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR/socket" >/dev/null ||
    { cat "$PG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
  wait_for_port PostgreSQL "$PG_PORT" "" 30 || die "PostgreSQL is not reachable"
  psql_admin -c "CREATE ROLE $role LOGIN PASSWORD '$PG_PASSWORD'" >/dev/null
}

# psql_admin [DATABASE] -c SQL: as the superuser, through the cluster's own socket.
psql_admin() {
  local database=postgres
  [[ "$1" != -* ]] && { database="$1"; shift; }
  as_postgres "$PG_BIN/psql" -h "$PG_DIR/socket" -p "$PG_PORT" -U postgres -d "$database" -v ON_ERROR_STOP=1 -qtA "$@"
}

stop_postgres() {
  [[ $PG_STARTED == 1 ]] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  PG_STARTED=0
}

# ---------------------------------------------------------------------------------------------- two commits
# publish_base_and_tree BASE: the sources of commit BASE in $WORK/base-src and its published app in $WORK/base, this
# working tree's published app in $WORK/tree; sets base_commit. BASE_APP / TREE_APP: publish folders made before (of
# BASE and of this tree) are used instead of publishing again. For the side-by-side scripts (compare-*.sh).
publish_base_and_tree() {
  base_commit="$(git -C "$REPO" rev-parse --short "$1")"
  mkdir -p "$WORK/base-src"
  git -C "$REPO" archive "$base_commit" | tar -x -C "$WORK/base-src"
  publish_app_of "$WORK/base-src" "$WORK/base" "${BASE_APP:-}" "$base_commit"
  publish_app_of "$REPO" "$WORK/tree" "${TREE_APP:-}" "the working tree"
}

publish_app_of() { # SOURCE_DIR OUT_DIR REUSE_DIR LABEL
  if [[ -n "$3" ]]; then
    ln -s "$3" "$2"
    return
  fi
  log "publishing $4"
  publish_app "$1/src/Portfolio.Web" "$2"
}

# The options the Dockerfile's publish gives the app (DockerfileTests checks that the two agree): self-contained, the app
# and the frameworks in one composite ReadyToRun image.
PRODUCTION_PUBLISH_OPTIONS=(--self-contained -p:PublishReadyToRunComposite=true)

# publish_app PROJECT_DIR OUT_DIR: the app (src/Portfolio.Web of this or another checkout) published as production runs
# it, for this machine's architecture named as the Dockerfile names it (dpkg).
publish_app() { publish_project "$1" "$2" -a "$(dpkg --print-architecture)" "${PRODUCTION_PUBLISH_OPTIONS[@]}"; }

# publish_project PROJECT_DIR OUT_DIR [OPTIONS...]: a Release publish (alone, for the benchmarks' own tools: the floor,
# the load tool); dies with the publish's log when it fails.
publish_project() {
  local project="$1" out="$2" publish_log
  shift 2
  publish_log="$WORK/publish-$(basename "$project").log"
  dotnet publish "$project" -c Release -o "$out" "$@" --nologo -v quiet >"$publish_log" 2>&1 ||
    { cat "$publish_log" >&2; die "publish of $project failed"; }
}

# is_app_publish DIR: DIR holds the app as publish_app makes it (self-contained: the runtime is in it), so SKIP_BUILD=1
# never reuses a framework-dependent publish an older script left behind.
is_app_publish() { [[ -x "$1/Portfolio.Web" && -f "$1/libcoreclr.so" ]]; }

# compare_setup: what the side-by-side scripts share: an exit trap that stops the app in APP_PID and removes $WORK
# (unless KEEP=1), and wrk.
compare_setup() {
  APP_PID=""
  stop_app() { stop_pid "$APP_PID"; APP_PID=""; }
  compare_cleanup() { local status=$?; stop_app; [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"; exit "$status"; }
  trap compare_cleanup EXIT
  trap 'exit 130' INT TERM
  command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
}

# cpu_ticks PID: user + system CPU the process has used so far, in clock ticks (getconf CLK_TCK a second).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# tree_label: this tree's commit, marked when it has uncommitted changes.
tree_label() { echo "$(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet || echo '+changes')"; }

# ---------------------------------------------------------------------------------------------- app
# new_content_root DIR [FOLDER EXPERTS]: a content root as production has it, the repository's appsettings*.json and
# no database yet. With FOLDER and EXPERTS (comma-separated slugs), also the sample content plus those experts,
# bookable around the clock for a year (tests/bench/api/bench.py), written to umbraco/content/FOLDER.
new_content_root() {
  local root="$1"
  mkdir -p "$root"
  cp "$REPO/appsettings.json" "$root/"
  [[ -f "$REPO/appsettings.Production.json" ]] && cp "$REPO/appsettings.Production.json" "$root/"
  if (($# > 1)); then
    mkdir -p "$root/umbraco"
    cp -a "$REPO/umbraco/content" "$root/umbraco/content"
    python3 "$REPO/tests/bench/api/bench.py" experts "$root/umbraco/content/$2" "$3"
  fi
  return 0
}
