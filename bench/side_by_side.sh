#!/usr/bin/env bash
# Issue 16's table in one run, on one machine: what a state-system call costs the gateway and
# PostgreSQL (CPU, from /proc), against a python3-zeep client calling the same mock service;
# what share of the CPU the mocks get during a refresh (and during a second refresh of the same
# suppliers: the weekly steady state); reads against /healthz under the same
# wrk; verify with every source answering after L ms; a single-system verify's CPU per call.
# Ratios and medians, not single timings: the machines are shared and noisy.
#
#   bash bench/side_by_side.sh
#   POPULATION=20000 SUPPLIERS=500 ROUNDS=1 bash bench/side_by_side.sh      (a quick run)
#
# Environment (defaults in brackets):
#   POPULATION [20000]    the mocks' --population; SUPPLIERS [2000] legal entities refreshed
#   WORKERS [64] refresh.workers; BATCH [4] refresh.batch (items committed together);
#   DB_POOL [8] database.pool_size; MOCKS_THREADS [2]
#   ZEEP_CALLS [500]      calls of the zeep reference
#   WRK_SECONDS [10] ROUNDS [3]   each wrk run, interleaved read/healthz rounds (medians)
#   LATENCY_MS [100]      the delay every source answers after, for the verify row
#   VERIFY_REQUESTS [200] verifies per round (8 connections)
#   PROFILE [0]           1: where the refresh's time goes — PostgreSQL's statements by total
#                         time (pg_stat_statements) and the gateway's hottest symbols (perf)
#   BIN [build/release]   where the binaries are; BUILD [1]: 0 uses them as they are
# The peak RSS at two population sizes is bench/refresh_bench.sh's (a long run of its own).
set -euo pipefail
cd "$(dirname "$0")/.."
population=${POPULATION:-20000}
suppliers=${SUPPLIERS:-2000}
workers=${WORKERS:-64}
db_pool=${DB_POOL:-8}
mocks_threads=${MOCKS_THREADS:-2}
zeep_calls=${ZEEP_CALLS:-500}
wrk_seconds=${WRK_SECONDS:-10}
rounds=${ROUNDS:-3}
latency_ms=${LATENCY_MS:-100}
verify_requests=${VERIFY_REQUESTS:-200}
bin=$(realpath -m "${BIN:-build/release}")

if [[ ${BUILD:-1} == 1 ]]; then
  bash deploy/install-deps.sh
  # wrk is the benchmark's own tool, not the project's: installed here, not by install-deps.
  if ! command -v wrk >/dev/null; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
  fi
  cmake --preset release -B "$bin" >/dev/null
  cmake --build "$bin" -j"$(nproc)" --target tekser-gateway tekser-mocks tekser-ctl verify_bench >/dev/null
fi
command -v wrk >/dev/null || { echo "side_by_side: wrk is missing (apt-get install wrk)" >&2; exit 2; }

source deploy/stack.sh
source bench/bulk_stack.sh

sql() { psql "$STACK_DB_URL" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
ticks=$(getconf CLK_TCK)
# CPU (user + system) of a process in ms; with "reaped", also that of its exited children.
cpu_ms() {
  sed 's/^.*) //' "/proc/$1/stat" | awk -v t="$ticks" -v reaped="${2:-}" \
    '{ms = ($12 + $13) * 1000 / t; if (reaped != "") ms += ($14 + $15) * 1000 / t; print ms}'
}
# PostgreSQL: the postmaster and its exited children, and every live backend and helper.
pg_cpu_ms() {
  local postmaster total
  postmaster=$(head -1 "$STACK_DIR/pg/data/postmaster.pid")
  total=$(cpu_ms "$postmaster" reaped)
  for child in $(pgrep -P "$postmaster"); do
    total=$(awk -v a="$total" -v b="$(cpu_ms "$child" 2>/dev/null || echo 0)" 'BEGIN {print a + b}')
  done
  echo "$total"
}
snapshot() { echo "$(cpu_ms "$gateway_pid") $(pg_cpu_ms) $(cpu_ms "$mocks_pid")"; }
calls() { sql -c "SELECT count(*) FROM message_log"; }
per_call() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {printf "%.3f", (b - a) / n}'; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

stack_init "$(mktemp -d "${TMPDIR:-/tmp}/tekser-side-by-side-XXXXXX")"
echo "== starting PostgreSQL, the mocks (population $population) and the gateway" >&2
profile=${PROFILE:-0}
[[ $profile == 1 ]] && export PG_LOCAL_EXTRA_SETTINGS="shared_preload_libraries = 'pg_stat_statements'"
stack_start_pg
unset PG_LOCAL_EXTRA_SETTINGS
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STACK_DIR/run/portal-secret"
stack_start_mocks "$bin" --threads "$mocks_threads" --population "$population" \
  --population-seed 2026 --portal-secret-file "$STACK_DIR/run/portal-secret"
mocks_pid=${STACK_PIDS[-1]}
bench_start_bulk_gateway "$bin" "$workers" "$db_pool"
registered=$(bench_copy_suppliers "$suppliers" "$population" legal_entity)
echo "   $registered legal entities registered" >&2
sql -c "SELECT id FROM suppliers ORDER BY id" >"$STACK_DIR/bins"

# ---- 1. A refresh: CPU per state-system call of the gateway, PostgreSQL and the mocks.
echo "== refresh run of $registered suppliers" >&2
if [[ $profile == 1 ]]; then
  superuser() { psql "$STACK_DB_URL" -X -q -At -U postgres -v ON_ERROR_STOP=1 "$@"; }
  superuser -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" >/dev/null
  if command -v perf >/dev/null; then
    perf record -q -F 499 -g -p "$gateway_pid" -o "$STACK_DIR/gateway.perf" >/dev/null 2>&1 &
    perf_pid=$!
  fi
fi
read -r gw0 pg0 mk0 < <(snapshot)
c0=$(calls)
"$bin/gateway/tekser-ctl" --url "$API" refresh start --watch --interval 1 --every 30 >"$STACK_DIR/run.out"
read -r gw1 pg1 mk1 < <(snapshot)
refresh_calls=$(($(calls) - c0))
if [[ $profile == 1 ]]; then
  superuser -P pager=off -F ' | ' -c "
    SELECT round(total_exec_time::numeric / $refresh_calls, 3) AS ms_per_call, calls,
           round(mean_exec_time::numeric, 3) AS mean_ms,
           round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric, 1) AS pct,
           left(regexp_replace(query, '\s+', ' ', 'g'), 100) AS statement
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15" >"$STACK_DIR/pg-profile.txt"
  if [[ -n ${perf_pid:-} ]]; then
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
    perf report -q -i "$STACK_DIR/gateway.perf" --no-children -g none --sort dso,symbol --stdio \
      2>/dev/null | grep '%' | head -25 >"$STACK_DIR/gw-profile.txt" || true
  fi
fi
gw_refresh=$(per_call "$gw0" "$gw1" "$refresh_calls")
pg_refresh=$(per_call "$pg0" "$pg1" "$refresh_calls")
mk_refresh=$(per_call "$mk0" "$mk1" "$refresh_calls")
mocks_share=$(awk -v g="$gw_refresh" -v p="$pg_refresh" -v m="$mk_refresh" \
  'BEGIN {printf "%.0f", 100 * m / (g + p + m)}')

# ---- 1b. The same suppliers refreshed again: the weekly steady state, where most facts come
# back unchanged (the first run above found every fact for the first time).
echo "== refresh run again (facts mostly unchanged)" >&2
read -r gw0 pg0 mk0 < <(snapshot)
c0=$(calls)
"$bin/gateway/tekser-ctl" --url "$API" refresh start --watch --interval 1 --every 30 >"$STACK_DIR/run2.out"
read -r gw1 pg1 mk1 < <(snapshot)
again_calls=$(($(calls) - c0))
gw_again=$(per_call "$gw0" "$gw1" "$again_calls")
pg_again=$(per_call "$pg0" "$pg1" "$again_calls")
mk_again=$(per_call "$mk0" "$mk1" "$again_calls")
mocks_share_again=$(awk -v g="$gw_again" -v p="$pg_again" -v m="$mk_again" \
  'BEGIN {printf "%.0f", 100 * m / (g + p + m)}')

# ---- 2. The reference: python3-zeep calling the same mock ГБД ЮЛ service.
echo "== python3-zeep: $zeep_calls gbd_ul calls" >&2
mk0=$(cpu_ms "$mocks_pid")
zeep=$(/usr/bin/python3 bench/zeep_calls.py --base "http://127.0.0.1:$MOCKS_PORT" \
  --bins "$STACK_DIR/bins" --calls "$zeep_calls")
mk1=$(cpu_ms "$mocks_pid")
zeep_cpu=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["cpu_ms_per_call"])' "$zeep")
mk_zeep=$(per_call "$mk0" "$mk1" "$zeep_calls")

# ---- 3. Reads: GET /v1/suppliers/{id} against /healthz, the same wrk, interleaved rounds.
echo "== wrk: $rounds rounds of ${wrk_seconds}s, GET /v1/suppliers/{id} and /healthz" >&2
one=$(head -1 "$STACK_DIR/bins")
rps() { wrk -t1 -c32 -d"${wrk_seconds}s" -H "Authorization: Bearer $TEKSER_TOKEN" "$API$1" |
          awk '/^Requests\/sec:/ {print $2}'; }
: >"$STACK_DIR/read.rps"; : >"$STACK_DIR/health.rps"
for _ in $(seq 1 "$rounds"); do
  rps "/v1/suppliers/$one" >>"$STACK_DIR/read.rps"
  rps /healthz >>"$STACK_DIR/health.rps"
done
read_rps=$(median <"$STACK_DIR/read.rps")
health_rps=$(median <"$STACK_DIR/health.rps")

# ---- 4. Verify with every source answering after L ms (the mocks' latency faults).
echo "== verify, every source after ${latency_ms} ms, 8 connections" >&2
for system in shep goszakup samruk; do
  curl -fsS -X POST "http://127.0.0.1:$MOCKS_PORT/admin/faults" \
    -d "{\"system\":\"$system\",\"mode\":\"latency\",\"latency_ms\":$latency_ms}" >/dev/null
done
targets() { local suffix=$1 out=(); for id in $(head -8 "$STACK_DIR/bins"); do out+=("/v1/suppliers/$id$suffix"); done; (IFS=,; echo "${out[*]}"); }
"$bin/bench/verify_bench" --port "$GATEWAY_PORT" --token-file "$STACK_DIR/run/api-token" \
  --concurrency 8 --requests "$verify_requests" --rounds "$rounds" \
  --workload "verify_all=POST:$(targets /verify)" >"$STACK_DIR/verify.out"
cat "$STACK_DIR/verify.out" >&2
read -r verify_p50 verify_p99 < <(awk '$1 == "verify_all" {print $3, $4}' "$STACK_DIR/verify.out")
curl -fsS -X DELETE "http://127.0.0.1:$MOCKS_PORT/admin/faults" >/dev/null

# ---- 5. A single-system verify (ГБД ЮЛ): CPU per call of the gateway and PostgreSQL.
echo "== verify ?systems=gbd_ul, 8 connections" >&2
read -r gw0 pg0 mk0 < <(snapshot)
c0=$(calls)
"$bin/bench/verify_bench" --port "$GATEWAY_PORT" --token-file "$STACK_DIR/run/api-token" \
  --concurrency 8 --requests "$verify_requests" --rounds "$rounds" \
  --workload "verify_ul=POST:$(targets '/verify?systems=gbd_ul')" >"$STACK_DIR/verify_ul.out"
read -r gw1 pg1 mk1 < <(snapshot)
ul_calls=$(($(calls) - c0))
gw_ul=$(per_call "$gw0" "$gw1" "$ul_calls")
pg_ul=$(per_call "$pg0" "$pg1" "$ul_calls")

stack_stop
if [[ $profile == 1 ]]; then
  echo
  echo "PostgreSQL during the refresh, statements by total execution time (ms_per_call: per"
  echo "state-system call; pg_stat_statements):"
  cat "$STACK_DIR/pg-profile.txt"
  if [[ -s $STACK_DIR/gw-profile.txt ]]; then
    echo "the gateway during the refresh, hottest symbols by self time (perf, 499 Hz):"
    cat "$STACK_DIR/gw-profile.txt"
  fi
fi
rm -rf "$STACK_DIR"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
row='%-52s %-26s %-40s %s\n'
echo
echo "tekser side by side — $(date -u +%FT%TZ), $(nproc) cores, population $population," \
  "$registered legal entities refreshed, refresh.workers $workers, db pool $db_pool"
printf "$row" "what" "tekser" "reference in the same run" "goal"
printf "$row" "gateway CPU per state-system call, refresh" "$gw_refresh ms" \
  "python3-zeep: $zeep_cpu ms ($(ratio "$gw_refresh" "$zeep_cpu")× zeep)" "≤ 0.25 ms"
printf "$row" "PostgreSQL CPU per state-system call, refresh" "$pg_refresh ms" "—" "≤ 0.4 ms"
printf "$row" "mocks' share of the CPU during the refresh" "$mocks_share %" \
  "mocks $mk_refresh ms per call (zeep's calls: $mk_zeep)" "≥ 60 %"
printf "$row" "the same, refreshed again (facts unchanged)" \
  "gw $gw_again, PG $pg_again ms; mocks $mocks_share_again %" "mocks $mk_again ms per call" \
  "as above"
printf "$row" "GET /v1/suppliers/{id}, wrk 1 thread 32 conn" "$read_rps req/s" \
  "/healthz: $health_rps req/s ($(awk -v a="$read_rps" -v b="$health_rps" 'BEGIN {printf "%.0f", 100 * a / b}') %)" "≥ 50 % of /healthz"
printf "$row" "verify (all sources), each after L = ${latency_ms} ms, 8 conn" \
  "p50 $verify_p50 ms, p99 $verify_p99 ms" "the slowest source: $latency_ms ms" \
  "p99 ≤ $((latency_ms + 10)) ms"
printf "$row" "single-system verify (gbd_ul), CPU per call" "gateway $gw_ul, PG $pg_ul ms" "—" \
  "≤ 0.25 / ≤ 0.4 ms"
echo "calls: refresh $refresh_calls, again $again_calls, zeep $zeep_calls, single-system verify $ul_calls"
echo "reproduce: POPULATION=$population SUPPLIERS=$suppliers WORKERS=$workers BATCH=${BATCH:-4} DB_POOL=$db_pool" \
  "MOCKS_THREADS=$mocks_threads ZEEP_CALLS=$zeep_calls WRK_SECONDS=$wrk_seconds ROUNDS=$rounds" \
  "LATENCY_MS=$latency_ms VERIFY_REQUESTS=$verify_requests bash bench/side_by_side.sh"
