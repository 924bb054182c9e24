# Sourced, not run: starts and stops the local stack — a throw-away PostgreSQL cluster, the mock
# state systems and the gateway — for deploy/run.sh and the benchmarks. Each server announces its
# port through a port file; stack_stop (installed as the EXIT trap) stops what was started.
#
#   stack_init DIR         where the cluster (DIR/pg), configs, port files and logs go
#   stack_start_pg
#   stack_start_mocks BIN_DIR [extra mocks args...]          sets MOCKS_PORT
#     (the mocks sign their replies with an ephemeral key and write its certificate to
#     DIR/run/mocks-signing.pem, which the gateway's configuration trusts)
#   stack_start_gateway BIN_DIR PORT [yaml lines to append]  sets GATEWAY_PORT, API
#   stack_stop

STACK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_PIDS=()

stack_init() {
  STACK_DIR=$1
  mkdir -p "$STACK_DIR/run"
  # The cluster runs as the postgres user: it must be able to reach STACK_DIR.
  local d=$STACK_DIR
  while [[ $d != / ]]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
  trap stack_stop INT TERM EXIT
}

stack_stop() {
  trap - INT TERM EXIT
  for pid in "${STACK_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${STACK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  STACK_PIDS=()
  [[ -d ${STACK_DIR:-}/pg ]] && bash "$STACK_ROOT/deploy/pg/pg-local.sh" stop "$STACK_DIR/pg" >/dev/null 2>&1
  return 0
}

# Waits until FILE holds a port number (written once the server listens), at most 30 s.
stack_wait_port_file() {
  local file=$1 what=$2
  for _ in $(seq 1 300); do
    [[ -s $file ]] && { cat "$file"; return 0; }
    sleep 0.1
  done
  echo "$what did not start; see $STACK_DIR/run/$what.log" >&2
  return 1
}

stack_start_pg() {
  bash "$STACK_ROOT/deploy/pg/pg-local.sh" start "$STACK_DIR/pg" auto >/dev/null
  STACK_DB_URL=$(cat "$STACK_DIR/pg/conninfo")
}

stack_start_mocks() {
  local bin=$1
  shift
  rm -f "$STACK_DIR/run/mocks.port" "$STACK_DIR/run/mocks-signing.pem"
  # Written before the port file: once the port is known, so is the certificate to trust.
  local signing=(--signing-cert-out "$STACK_DIR/run/mocks-signing.pem")
  [[ " $* " == *" --no-signing "* ]] && signing=()
  "$bin/mocks/tekser-mocks" --listen 127.0.0.1:0 --port-file "$STACK_DIR/run/mocks.port" \
    "${signing[@]}" "$@" >/dev/null 2>"$STACK_DIR/run/mocks.log" &
  STACK_PIDS+=($!)
  MOCKS_PORT=$(stack_wait_port_file "$STACK_DIR/run/mocks.port" mocks)
}

stack_start_gateway() {
  local bin=$1 port=$2
  shift 2
  rm -f "$STACK_DIR/run/gateway.port"
  sed -e "s#^  url: postgresql://.*#  url: $STACK_DB_URL#" \
      -e "s#^  url: http://127.0.0.1:8089/#  url: http://127.0.0.1:$MOCKS_PORT/#" \
      -e "s#^  port: 8080#  port: $port#" \
      -e "s#^      - var/run/mocks-signing.pem#      - $STACK_DIR/run/mocks-signing.pem#" \
      "$STACK_ROOT/deploy/config/gateway.local.yaml" >"$STACK_DIR/run/gateway.yaml"
  printf '%s\n' "$@" >>"$STACK_DIR/run/gateway.yaml"
  "$bin/gateway/tekser-gateway" --config "$STACK_DIR/run/gateway.yaml" \
    --port-file "$STACK_DIR/run/gateway.port" >/dev/null 2>"$STACK_DIR/run/gateway.log" &
  STACK_PIDS+=($!)
  GATEWAY_PORT=$(stack_wait_port_file "$STACK_DIR/run/gateway.port" gateway)
  API=http://127.0.0.1:$GATEWAY_PORT
}
