#!/usr/bin/env bash
# Benchmarks a whole refresh run on loopback: SUPPLIERS suppliers of the mocks' synthetic
# population re-verified against the mock state systems, their triggers delivered to the mock
# portal, at each population size of POPULATIONS, side by side. Prints per size the run's wall
# time, suppliers and state-system calls per second, triggers created and delivered, and the
# peak resident memory (VmHWM) of the gateway and of the mocks — which should stay flat as the
# population grows, since the mocks compute a subject from its index and the gateway holds only
# the work in flight.
#
#   bash bench/refresh_bench.sh
#   SUPPLIERS=5000 POPULATIONS="100000 1000000" bash bench/refresh_bench.sh     (a quick run)
#
# Environment (defaults in brackets):
#   SUPPLIERS [100000]              suppliers registered and refreshed (≤ the smallest population)
#   POPULATIONS ["100000 1000000"]  the mocks' --population sizes, one fresh stack each
#   WORKERS [64]                    refresh.workers; DB_POOL [8] database.pool_size
#   MOCKS_THREADS [2]               the mocks' I/O threads
#   REGISTER [api]                  api: PUT /v1/suppliers/{id} from 8 keep-alive connections;
#                                   copy: psql \copy straight into the suppliers table (faster)
#   BIN [build/release]             where the binaries are; BUILD [1]: 0 uses them as they are
set -euo pipefail
cd "$(dirname "$0")/.."
suppliers=${SUPPLIERS:-100000}
populations=${POPULATIONS:-"100000 1000000"}
workers=${WORKERS:-64}
db_pool=${DB_POOL:-8}
mocks_threads=${MOCKS_THREADS:-2}
register=${REGISTER:-api}
bin=$(realpath -m "${BIN:-build/release}")
[[ $register == api || $register == copy ]] || { echo "REGISTER must be api or copy" >&2; exit 2; }
for n in $populations; do
  ((n >= suppliers)) || { echo "population $n is smaller than SUPPLIERS=$suppliers" >&2; exit 2; }
done

if [[ ${BUILD:-1} == 1 ]]; then
  bash deploy/install-deps.sh
  cmake --preset release -B "$bin" >/dev/null
  cmake --build "$bin" -j"$(nproc)" --target tekser-gateway tekser-mocks tekser-ctl >/dev/null
fi
ctl=$bin/gateway/tekser-ctl

source deploy/stack.sh
source bench/bulk_stack.sh

kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }
mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
sql() { psql "$STACK_DB_URL" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
metric() { curl -fsS -H @"$API_HEADER" "$API/metrics" | awk -v name="$1" '$1 == name {print $2}'; }

# Registers SUPPLIERS subjects spread over the population (pages of 1000 at even strides);
# prints how many were registered.
register_suppliers() {
  local population=$1
  if [[ $register == copy ]]; then
    bench_copy_suppliers "$suppliers" "$population"
    return
  fi
  python3 - "$MOCKS_PORT" "$GATEWAY_PORT" "$suppliers" "$population" <<'EOF'
import http.client, json, os, sys, threading
mocks, api, count, population = (int(a) for a in sys.argv[1:5])
auth = "Bearer " + os.environ["TEKSER_TOKEN"]  # deploy/stack.sh's stack_api_client
pages = (count + 999) // 1000
conn = http.client.HTTPConnection("127.0.0.1", mocks, timeout=60)
subjects = []
for i in range(pages):
    conn.request("GET", f"/admin/population/subjects?offset={i * (population // pages)}"
                        f"&limit={min(1000, count - i * 1000)}")
    subjects += json.loads(conn.getresponse().read())["subjects"]
entity = json.dumps({"categories": ["technical_aids"]})
person = json.dumps({"categories": ["technical_aids"],
                     "consent": {"kdp_token": "bench", "public_key": "MIIB"}})
failures = []
def register(part):
    c = http.client.HTTPConnection("127.0.0.1", api, timeout=60)
    for s in part:
        body = entity if s["kind"] == "legal_entity" else person
        c.request("PUT", f"/v1/suppliers/{s['id']}", body,
                  {"Content-Type": "application/json", "Authorization": auth})
        reply = c.getresponse()
        reply.read()
        if reply.status not in (200, 201):
            failures.append(f"{s['id']}: HTTP {reply.status}")
threads = [threading.Thread(target=register, args=(subjects[k::8],)) for k in range(8)]
for t in threads: t.start()
for t in threads: t.join()
if failures:
    sys.exit(f"{len(failures)} registrations failed, e.g. {failures[0]}")
print(len(subjects))
EOF
}

row_format='%-10s %9s %9s %9s %8s %7s %9s %8s %15s %10s %10s %12s %13s'
rows=()
for population in $populations; do
  stack_init "$(mktemp -d "${TMPDIR:-/tmp}/tekser-refresh-bench-XXXXXX")"
  echo "== population $population: starting PostgreSQL, the mocks and the gateway" >&2
  stack_start_pg
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STACK_DIR/run/portal-secret"
  stack_start_mocks "$bin" --threads "$mocks_threads" --population "$population" \
    --population-seed 2026 --portal-secret-file "$STACK_DIR/run/portal-secret"
  mocks_pid=${STACK_PIDS[-1]}
  bench_start_bulk_gateway "$bin" "$workers" "$db_pool"

  echo "== registering $suppliers suppliers ($register)" >&2
  t0=$(date +%s%N)
  registered=$(register_suppliers "$population")
  register_s=$(awk -v ns=$(($(date +%s%N) - t0)) 'BEGIN {printf "%.1f", ns / 1e9}')
  echo "   $registered in ${register_s}s" >&2
  gateway_rss_before=$(kb "$gateway_pid" VmRSS)

  echo "== refresh run (tekser-ctl refresh start --watch)" >&2
  t0=$(date +%s%N)
  "$ctl" --url "$API" refresh start --watch --interval 2 --every 30 >"$STACK_DIR/run.out"
  watched_s=$(awk -v ns=$(($(date +%s%N) - t0)) 'BEGIN {printf "%.1f", ns / 1e9}')
  cat "$STACK_DIR/run.out" >&2
  run_id=$(sed -n 's/^started refresh run \([0-9]*\):.*/\1/p' "$STACK_DIR/run.out")

  # Delivery runs beside the refresh; wait (at most 10 min) for what is left of it.
  for _ in $(seq 1 600); do
    [[ $(metric 'tekser_triggers{status="pending"}') == 0 ]] && break
    sleep 1
  done

  # The run's wall time and its state-system calls (every exchange is in message_log; the
  # goszakup register is mirrored once per run and not counted).
  IFS='|' read -r wall_s items failed calls < <(sql -c "
    SELECT round(extract(epoch FROM r.finished_at - r.created_at)::numeric, 1),
           (SELECT count(*) FROM refresh_items WHERE run_id = r.id AND state = 'done'),
           (SELECT count(*) FROM refresh_items WHERE run_id = r.id AND state = 'failed'),
           (SELECT count(*) FROM message_log m WHERE m.started_at >= r.created_at
                                                 AND m.started_at <= r.finished_at)
    FROM refresh_runs r WHERE r.id = $run_id")
  per_system=$(sql -c "SELECT string_agg(system || ' ' || n, ', ' ORDER BY system) FROM (
    SELECT system, count(*) n FROM message_log m, refresh_runs r
    WHERE r.id = $run_id AND m.started_at BETWEEN r.created_at AND r.finished_at
    GROUP BY system) s")
  IFS='|' read -r triggers delivered dead < <(sql -c "
    SELECT count(*), count(*) FILTER (WHERE status = 'delivered'),
           count(*) FILTER (WHERE status = 'dead') FROM triggers WHERE run_id = $run_id")
  echo "   state-system calls: $per_system" >&2
  rows+=("$(printf "$row_format" "$population" "$registered" "${register_s}s" "${wall_s}s" \
    "$(awk -v n="$items" -v s="$wall_s" 'BEGIN {printf "%.1f", n / s}')" "$failed" "$calls" \
    "$(awk -v n="$calls" -v s="$wall_s" 'BEGIN {printf "%.1f", n / s}')" "$delivered/$triggers" \
    "$(mb "$gateway_rss_before")" "$(mb "$(kb "$gateway_pid" VmHWM)")" \
    "$(mb "$(kb "$mocks_pid" VmRSS)")" "$(mb "$(kb "$mocks_pid" VmHWM)")")")
  echo "   watched by tekser-ctl for ${watched_s}s; dead letters: $dead" >&2
  stack_stop
  rm -rf "$STACK_DIR"
done

echo
echo "tekser refresh benchmark — $(date -u +%FT%TZ), $(nproc) cores, $suppliers suppliers," \
  "refresh.workers $workers, db pool $db_pool, mocks threads $mocks_threads, registration $register"
printf "$row_format\n" population suppliers register run_wall items/s failed calls calls/s \
  delivered/trig gw_rss_MB gw_peak_MB mocks_rss_MB mocks_peak_MB
printf '%s\n' "${rows[@]}"
echo "reproduce: SUPPLIERS=$suppliers POPULATIONS=\"$populations\" WORKERS=$workers" \
  "DB_POOL=$db_pool MOCKS_THREADS=$mocks_threads REGISTER=$register bash bench/refresh_bench.sh"
