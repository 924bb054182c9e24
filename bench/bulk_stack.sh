# Sourced by the benchmarks, after deploy/stack.sh: the gateway with the settings of a bulk run,
# and suppliers registered straight into the store.
#
#   bench_start_bulk_gateway BIN_DIR WORKERS DB_POOL   sets gateway_pid, GATEWAY_PORT, API
#     (a pool and per-system limits that do not throttle, no refresh schedule — runs start
#     through the API —, WORKERS refresh workers, the mock portal as the trigger webhook with
#     the secret in $STACK_DIR/run/portal-secret; BATCH [4]: the items a worker leases and
#     commits together)
#   bench_copy_suppliers COUNT POPULATION [legal_entity]  COUNT subjects of the mocks' population
#     spread over it (pages of 1000 at even strides; only legal entities when asked), copied into
#     the suppliers table with psql \copy; prints how many

bench_start_bulk_gateway() {
  local bin=$1 workers=$2 db_pool=$3
  rm -f "$STACK_DIR/run/gateway.port"
  stack_api_client  # TEKSER_TOKEN for tekser-ctl and the scripts, API_HEADER for curl
  stack_gateway_config -e "s#^  port: 8080#  port: 0#" \
      -e "s#^  pool_size: .*#  pool_size: $db_pool#" \
      -e "s#^  max_concurrent: .*#  max_concurrent: $((workers * 2))#" >"$STACK_DIR/run/gateway.yaml"
  cat >>"$STACK_DIR/run/gateway.yaml" <<EOF2
refresh:
  schedule: "off"
  workers: $workers
  batch: ${BATCH:-4}
  lease_seconds: 300
  limits:
    default: {max_concurrent: $((workers * 2)), rate_per_second: 0}
portal:
  webhook_url: http://127.0.0.1:$MOCKS_PORT/portal/api/v1/supplier-triggers
  secret_file: $STACK_DIR/run/portal-secret
  workers: 8
EOF2
  "$bin/gateway/tekser-gateway" --config "$STACK_DIR/run/gateway.yaml" \
    --port-file "$STACK_DIR/run/gateway.port" >/dev/null 2>"$STACK_DIR/run/gateway.log" &
  STACK_PIDS+=($!)
  gateway_pid=$!
  GATEWAY_PORT=$(stack_wait_port_file "$STACK_DIR/run/gateway.port" gateway)
  API=http://127.0.0.1:$GATEWAY_PORT
}

bench_copy_suppliers() {
  local count=$1 population=$2 only=${3:-}
  python3 - "$MOCKS_PORT" "$count" "$population" "$only" >"$STACK_DIR/suppliers.csv" <<'EOF2'
import http.client, json, sys
mocks, count, population, only = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
pages = (count + 999) // 1000
stride = population // pages
conn = http.client.HTTPConnection("127.0.0.1", mocks, timeout=60)
written, offset = 0, 0
while written < count and offset < population:
    conn.request("GET", f"/admin/population/subjects?offset={offset}&limit=1000")
    subjects = json.loads(conn.getresponse().read())["subjects"]
    if not subjects:
        break
    for s in subjects:
        if written == count or (only and s["kind"] != only):
            continue
        if s["kind"] == "legal_entity":
            print(f'{s["id"]},legal_entity,{{technical_aids}},,,now,now')
        else:
            print(f'{s["id"]},individual,{{technical_aids}},bench,MIIB,now,now')
        written += 1
    offset += stride if not only else 1000
EOF2
  psql "$STACK_DB_URL" -X -q -At -v ON_ERROR_STOP=1 -c "\\copy suppliers (id, subject_kind, categories, consent_kdp_token, consent_public_key, created_at, updated_at) FROM '$STACK_DIR/suppliers.csv' WITH (FORMAT csv)"
  psql "$STACK_DB_URL" -X -q -At -c "SELECT count(*) FROM suppliers"
}
