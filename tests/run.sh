#!/usr/bin/env bash
# The one test command, for CI (.ci/run) and developers alike.
#
# Installs what the tests need from Debian's packages when it is missing (PostgreSQL 15, Chromium, aiosmtpd,
# nginx; podman, runc, iptables and debootstrap for the container image) and axe-core from npm, starts throwaway
# PostgreSQL and SMTP servers on free loopback ports, builds once, builds the Dockerfile's image with podman
# (tests/container/build-image.sh; full runs only, a TEST_FILTER run leaves it to the container tests' fixture),
# runs every suite (it never stops at the first failing one), and ends with one line: "N passed, N failed".
# Everything it starts is stopped, and its temp folders removed, when it exits, also on failure or Ctrl-C.
#
# Environment (all optional):
#   SKIP_INSTALL=1            never call apt-get or npm (fail later if something is missing)
#   SKIP_POSTGRES=1           no PostgreSQL: integration tests on SQLite only, browser tests on SQLite
#   SKIP_INTEGRATION_TESTS=1  skip tests/Portfolio.Tests
#   SKIP_BROWSER_TESTS=1      skip tests/Portfolio.BrowserTests (and the Chromium/axe-core installs)
#   BROWSER_TEST_DB=Postgres  run the app under the browser tests on PostgreSQL (default: Sqlite)
#   PORTFOLIO_TEST_POSTGRES=… use this server (a role that may CREATE DATABASE) instead of starting one
#   TEST_FILTER=…             passed to every `dotnet test --filter`
#   PORTFOLIO_TEST_SCREENSHOTS=1  the browser tests keep a full-page screenshot of every page state they check in
#                             tests/results/screenshots (by default only a failing check keeps one: 0.5 s of CPU each)
#   PORTFOLIO_TEST_CHROMIUM=/usr/bin/chromium  the browser tests drive this Chromium instead of Debian's headless shell
#   TEST_RUN_TIMEOUT=30m      a suite still running after this is killed (counted as failed)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

configuration="Release"
results_dir="$repo_root/tests/results"
integration_project="tests/Portfolio.Tests"
browser_project="tests/Portfolio.BrowserTests"
pg_bin="/usr/lib/postgresql/15/bin"
system_python="/usr/bin/python3"   # Debian's, where python3-aiosmtpd lives (not a pyenv/venv python)
run_started_at="$(date +%s)"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Playwright must never try to download its own browser: the browser tests drive Debian's Chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

is_set() { [[ "${!1:-}" == "1" || "${!1:-}" == "true" ]]; }
log() { printf '\n==> %s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

run_integration=1; is_set SKIP_INTEGRATION_TESTS && run_integration=0
run_browser=1; is_set SKIP_BROWSER_TESTS && run_browser=0
use_postgres=1; is_set SKIP_POSTGRES && use_postgres=0
if [[ $run_integration == 1 && ! -f "$integration_project/Portfolio.Tests.csproj" ]]; then
  echo "run.sh: $integration_project does not exist yet: integration tests skipped."
  run_integration=0
fi
start_own_postgres=0
if [[ $use_postgres == 1 && -z "${PORTFOLIO_TEST_POSTGRES:-}" ]]; then start_own_postgres=1; fi

as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

# --- 1. Debian packages, installed only when missing --------------------------------------------------------
install_missing_packages() {
  local -a wanted=()
  if [[ $start_own_postgres == 1 && ! -x "$pg_bin/initdb" ]]; then wanted+=(postgresql); fi
  # The browser tests drive Chromium's headless shell: half the CPU of the full browser (TestPaths.Chromium says more).
  # PORTFOLIO_TEST_CHROMIUM=/usr/bin/chromium runs them in Debian's full browser, installed here too; another path is yours.
  local chromium="${PORTFOLIO_TEST_CHROMIUM:-/usr/bin/chromium-headless-shell}"
  if [[ $run_browser == 1 && ! -x "$chromium" ]]; then
    case "$chromium" in
      /usr/bin/chromium-headless-shell) wanted+=(chromium-headless-shell) ;;
      /usr/bin/chromium) wanted+=(chromium) ;;
    esac
  fi
  # The two-instance test runs compose's nginx configuration with Debian's nginx (Deployment/TwoInstancesBehindNginxTests).
  if [[ $use_postgres == 1 && ! -x /usr/sbin/nginx ]]; then wanted+=(nginx-light); fi
  if [[ $run_browser == 1 ]] && ! command -v npm >/dev/null; then wanted+=(nodejs npm); fi
  # The container image and its tests (tests/container/build-image.sh, which would otherwise install these itself).
  if [[ $run_integration == 1 ]]; then
    command -v podman >/dev/null || wanted+=(podman)
    command -v runc >/dev/null || wanted+=(runc)
    [[ -x /usr/sbin/iptables ]] || wanted+=(iptables)
    [[ -x /usr/sbin/debootstrap ]] || wanted+=(debootstrap)
    command -v curl >/dev/null || wanted+=(curl)
  fi
  if ! { [[ -x $system_python ]] && "$system_python" -c 'import aiosmtpd' 2>/dev/null; }; then wanted+=(python3-aiosmtpd); fi
  if [[ ${#wanted[@]} == 0 ]]; then return; fi
  if is_set SKIP_INSTALL; then die "missing: ${wanted[*]} (SKIP_INSTALL is set, so not installing them)"; fi

  log "Installing from Debian: ${wanted[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${wanted[@]}"
  # The postgresql package starts a system cluster on 5432; the tests never use it (they start their own).
}

# --- 2. axe-core for the browser tests, pinned in package-lock.json ------------------------------------------
install_axe_core() {
  local dir="$browser_project"
  local pinned installed
  pinned="$(node -p "require('./$dir/package-lock.json').packages['node_modules/axe-core'].version")"
  installed="$(node -p "try { require('./$dir/node_modules/axe-core/package.json').version } catch { '' }")"
  if [[ "$installed" == "$pinned" ]]; then return; fi
  if is_set SKIP_INSTALL; then die "axe-core $pinned is not installed in $dir/node_modules (SKIP_INSTALL is set)"; fi
  log "Installing axe-core $pinned (npm ci in $dir)"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
}

# --- 3. Throwaway servers and their cleanup -----------------------------------------------------------------
work_dir=""
pg_dir=""
pg_started=0
smtp_pid=""
current_run_pid=""

# stop_process_group PGID NAME: ends whatever still runs in a suite's process group (timeout made it; the
# test host, the app it started and Chromium belong to it), e.g. after the test host crashed.
stop_process_group() {
  local -; set +e   # best effort: a process may be gone by the time it is signalled
  local group="$1" name="$2"
  kill -0 -- "-$group" 2>/dev/null || return 0
  echo "run.sh: stopping what $name left running"
  kill -TERM -- "-$group" 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$group" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL -- "-$group" 2>/dev/null
  return 0
}

# Stops everything this script started; safe to call twice (once before the summary, again from the trap).
stop_everything() {
  local -; set +e   # best effort, as above
  if [[ -n "$current_run_pid" ]]; then
    kill -TERM "$current_run_pid" 2>/dev/null   # timeout passes it on to its whole process group
    wait "$current_run_pid" 2>/dev/null
    stop_process_group "$current_run_pid" "the interrupted suite"
    current_run_pid=""
  fi
  # Apps the browser tests started and could not stop themselves (the test host crashed or was killed).
  if [[ -n "$work_dir" && -d "$work_dir/pids" ]]; then
    local pid_file pid
    for pid_file in "$work_dir"/pids/*.pid; do
      [[ -e "$pid_file" ]] || continue
      pid="$(cat "$pid_file")"
      # Only if that pid is still the app (not a process that got the number later).
      if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q 'Portfolio\.Web\.dll'; then
        echo "run.sh: stopping leftover app process $pid"
        kill "$pid" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null
      fi
      rm -f "$pid_file"
    done
  fi
  if [[ -n "$smtp_pid" ]]; then
    kill "$smtp_pid" 2>/dev/null
    wait "$smtp_pid" 2>/dev/null
    smtp_pid=""
  fi
  if [[ $pg_started == 1 ]]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1
    pg_started=0
  fi
  return 0
}

# The build's compiler server (see the build below), once the build is over or interrupted.
compiler_server=0
stop_compiler_server() {
  if [[ $compiler_server == 1 ]]; then
    dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1 || true
    compiler_server=0
  fi
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  stop_compiler_server
  stop_everything
  [[ -n "$pg_dir" ]] && rm -rf "$pg_dir"
  [[ -n "$work_dir" ]] && rm -rf "$work_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_port() { # name port pid seconds
  local name="$1" port="$2" pid="$3" seconds="$4" i
  for ((i = 0; i < seconds * 4; i++)); do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.25
  done
  echo "run.sh: $name did not accept connections on 127.0.0.1:$port within ${seconds}s" >&2
  return 1
}

# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` OS user.
as_postgres() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  pg_dir="$(mktemp -d /tmp/portfolio-pg.XXXXXX)"
  mkdir -p "$pg_dir/data" "$pg_dir/socket"
  if [[ $(id -u) == 0 ]]; then chown -R postgres:postgres "$pg_dir"; fi
  local port password
  port="$(free_port)"
  password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

  log "Starting PostgreSQL 15 on 127.0.0.1:$port"
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; die "initdb failed"; }
  # TCP only on 127.0.0.1 with a password; the superuser only through a socket in our own folder.
  as_postgres tee "$pg_dir/data/pg_hba.conf" >/dev/null <<EOF
local all postgres                trust
host  all portfolio_test 127.0.0.1/32 scram-sha-256
EOF
  # A throwaway cluster: durability settings off for speed. Marked started first, so that cleanup stops it
  # even when pg_ctl gives up waiting on a server that did come up.
  pg_started=1
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pg_dir/socket -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { cat "$pg_dir/postgres.log" >&2; die "PostgreSQL did not start"; }
  wait_for_port PostgreSQL "$port" "" 30 || { cat "$pg_dir/postgres.log" >&2; die "PostgreSQL is not reachable"; }
  as_postgres "$pg_bin/psql" -h "$pg_dir/socket" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE portfolio_test LOGIN CREATEDB PASSWORD '$password'" >/dev/null
  export PORTFOLIO_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=portfolio_test;Password=$password;Database=postgres"
}

start_smtp() {
  local port
  port="$(free_port)"
  # A complete Maildir (Python's mailbox.Maildir only creates cur/new/tmp when the folder itself is missing).
  mkdir -p "$work_dir/maildir/cur" "$work_dir/maildir/new" "$work_dir/maildir/tmp"
  log "Starting the test SMTP server (aiosmtpd) on 127.0.0.1:$port"
  # -n: stay the current user (it would otherwise switch to nobody); Mailbox writes each mail as a Maildir file.
  "$system_python" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$work_dir/maildir" \
    </dev/null >"$work_dir/smtp.log" 2>&1 &
  smtp_pid=$!
  wait_for_port "the SMTP server" "$port" "$smtp_pid" 30 || { cat "$work_dir/smtp.log" >&2; die "the SMTP server did not start"; }
  export PORTFOLIO_TEST_SMTP_HOST=127.0.0.1 PORTFOLIO_TEST_SMTP_PORT="$port" PORTFOLIO_TEST_MAILDIR="$work_dir/maildir"
}

# --- 4. Test runs -------------------------------------------------------------------------------------------
declare -a run_names=() run_codes=() run_seconds=()

# run_suite NAME PROJECT [VAR=value ...]: one `dotnet test`, its TRX at tests/results/NAME.trx.
# suite_filter (a global, usually empty): a test filter this suite adds to TEST_FILTER.
suite_filter=""
run_suite() {
  local name="$1" project="$2"; shift 2
  local -a filter=()
  local combined="${TEST_FILTER:+($TEST_FILTER)}"
  [[ -n "$suite_filter" ]] && combined="${combined:+$combined&}$suite_filter"
  [[ -n "$combined" ]] && filter=(--filter "$combined")
  rm -f "$results_dir/$name.trx"
  log "Running $name ($project${*:+, $*})"
  local started=$SECONDS code=0
  # In the background + wait, so that Ctrl-C reaches the trap at once; timeout gives the run its own
  # process group, which cleanup() signals as a whole (dotnet test, the test host, the app, Chromium).
  # TMPDIR inside our work folder: whatever the tests leave in temp (app content roots, browser profiles)
  # goes when the work folder does, even after a crash.
  # DOTNET_TieredPGO=0: a test host and the apps it starts live for seconds to minutes and run mostly cold code, so
  # the instrumented tier that profile-guided optimisation adds only costs CPU there (the integration suite on SQLite,
  # 1090 tests on this 2-core machine: 216 s → 179 s wall, about 28 % less CPU; call counting off as well was slower,
  # 190 s). Production keeps the runtime's defaults.
  env TMPDIR="$work_dir/tmp" DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}" "$@" timeout --kill-after=60 "${TEST_RUN_TIMEOUT:-30m}" \
    dotnet test "$project" --no-build -c "$configuration" "${filter[@]}" \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$results_dir" </dev/null &
  current_run_pid=$!
  wait "$current_run_pid" || code=$?
  stop_process_group "$current_run_pid" "$name"
  current_run_pid=""
  run_names+=("$name"); run_codes+=("$code"); run_seconds+=($((SECONDS - started)))
}

# Prints a line per run and the final "N passed, N failed"; exits 1 when anything failed.
summarize() {
  local -a args=()
  local i
  for i in "${!run_names[@]}"; do
    args+=("${run_names[$i]}" "${run_codes[$i]}" "${run_seconds[$i]}")
  done
  python3 - "$results_dir" "$run_started_at" "${args[@]}" <<'PY'
import os, sys, xml.etree.ElementTree as ET

results_dir, started_at, rest = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
total_passed = total_failed = 0
print("\n==> Summary")
for name, code, seconds in zip(rest[0::3], rest[1::3], rest[2::3]):
    code, trx = int(code), os.path.join(results_dir, f"{name}.trx")
    passed = failed = skipped = 0
    failures, note = [], ""
    if os.path.exists(trx) and os.path.getmtime(trx) >= started_at - 1:
        root = ET.parse(trx).getroot()
        counters = root.find("t:ResultSummary/t:Counters", ns)
        number = lambda key: int(counters.get(key, "0")) if counters is not None else 0
        passed = number("passed")
        failed = number("failed") + number("error") + number("timeout") + number("aborted")
        # The TRX logger counts a skipped test in total but not in notExecuted: count the difference.
        skipped = max(number("notExecuted"), number("total") - number("executed"))
        failures = [(r.get("testName"), r.findtext("t:Output/t:ErrorInfo/t:Message", "", ns))
                    for r in root.iterfind("t:Results/t:UnitTestResult", ns)
                    if r.get("outcome") not in ("Passed", "NotExecuted")]
        if code != 0 and failed == 0:
            failed, note = 1, f" (dotnet test exited {code} with no failed test: counted as 1 failure)"
    else:
        failed, note = 1, f" (no TRX written, exit code {code}: crashed, timed out or did not build)"
    total_passed += passed
    total_failed += failed
    print(f"{name}: {passed} passed, {failed} failed, {skipped} skipped in {seconds}s{note}")
    for test, message in failures[:25]:
        print(f"    FAILED {test}")
        # The first lines of why, so that a CI log that keeps only its tail still says what went wrong.
        for line in message.strip().splitlines()[:6]:
            print(f"        {line[:300]}")
    if len(failures) > 25:
        print(f"    … and {len(failures) - 25} more (see {trx})")
print(f"{total_passed} passed, {total_failed} failed")
sys.exit(1 if total_failed else 0)
PY
}

# --- main ---------------------------------------------------------------------------------------------------
install_missing_packages
[[ $run_browser == 1 ]] && install_axe_core
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH"

work_dir="$(mktemp -d /tmp/portfolio-tests.XXXXXX)"
mkdir -p "$work_dir/pids" "$work_dir/tmp"
# tests/results holds this run's artifacts only (TRX files, app logs, screenshots).
rm -rf "$results_dir"
mkdir -p "$results_dir"
[[ $start_own_postgres == 1 ]] && start_postgres
start_smtp

log "Building Portfolio.sln ($configuration)"
# UseSharedCompilation=true: the four projects compile in one compiler server, which loads and JIT-compiles the analyzers
# and source generators (Razor's, the OpenAPI and regex generators, the .NET and xunit analyzers) once instead of once
# per project. CI's environment sets UseSharedCompilation=false; a clean build there took 72 and 73 s (127 and 130
# CPU-seconds) with a compiler per project and 62 and 64 s (114 and 119) with the server. The server is stopped right
# after, so that nothing of the build outlives it or holds memory while the tests run.
build_ok=1
compiler_server=1   # cleanup() stops it too, should the build be interrupted
dotnet build Portfolio.sln -c "$configuration" --nologo -v minimal -p:UseSharedCompilation=true </dev/null || build_ok=0
stop_compiler_server
if [[ $build_ok == 0 ]]; then
  echo "run.sh: the build failed; no test ran."
  echo "0 passed, 1 failed"
  exit 1
fi

# The container image, before the suites: its minutes show here, and not alongside other tests. The container tests
# (Deployment/ContainerImageTests, SQLite suite) run the same script, which then finds the image up to date; a failed
# build here fails them with its output.
if [[ $run_integration == 1 && -z "${TEST_FILTER:-}" ]]; then
  log "Building the container image (tests/container/build-image.sh)"
  image_started=$SECONDS
  if timeout --kill-after=60 45m bash tests/container/build-image.sh </dev/null; then
    echo "run.sh: container image ready in $((SECONDS - image_started))s"
  else
    echo "run.sh: the container image did not build in $((SECONDS - image_started))s (the container tests will fail on it)"
  fi
fi

if [[ $run_integration == 1 ]]; then
  run_suite integration-sqlite "$integration_project" PORTFOLIO_TEST_DB=Sqlite
  if [[ $use_postgres == 1 ]]; then
    # Classes marked [ProviderIndependent] never reach the run's database: the SQLite suite has run them already.
    suite_filter="Provider!=Independent"
    run_suite integration-postgres "$integration_project" PORTFOLIO_TEST_DB=Postgres
    suite_filter=""
  fi
fi

if [[ $run_browser == 1 ]]; then
  browser_db="${BROWSER_TEST_DB:-Sqlite}"
  [[ $use_postgres == 0 ]] && browser_db=Sqlite
  run_suite "browser-${browser_db,,}" "$browser_project" \
    PORTFOLIO_TEST_BROWSER_DB="$browser_db" PORTFOLIO_TEST_PIDDIR="$work_dir/pids" PORTFOLIO_TEST_RESULTS="$results_dir"
fi

if [[ ${#run_names[@]} == 0 ]]; then
  echo "run.sh: every suite was skipped; nothing ran."
fi
# Stop the servers now, so that nothing prints after the summary's last line.
stop_everything
summarize
