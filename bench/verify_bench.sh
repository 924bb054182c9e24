#!/usr/bin/env bash
# Benchmarks the portal API on loopback against the mock state systems and a local PostgreSQL:
# reading stored facts (GET) against verifying now (POST verify: SHEP round trip, mapping, one
# transaction), for legal entities (ГБД ЮЛ) and individuals (ГБД ФЛ), side by side in one run.
#
#   bash bench/verify_bench.sh [concurrency=8] [requests=400] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency=${1:-8}
requests=${2:-400}
rounds=${3:-5}

bash deploy/install-deps.sh
bash deploy/build.sh release tekser-gateway tekser-mocks verify_bench >/dev/null
bin=$PWD/build/release

source deploy/stack.sh
stack_init "$(mktemp -d "${TMPDIR:-/tmp}/tekser-bench-XXXXXX")"
stack_start_pg
stack_start_mocks "$bin" --threads 1
stack_start_gateway "$bin" 0

bins=(150340012340 080940003154 120740023454 161140118765)
iins=(840512401230 580220307895 911103304560 020715601127)
for id in "${bins[@]}"; do
  curl -fsS -H @"$API_HEADER" -X PUT -H 'Content-Type: application/json' \
    -d '{"categories":["technical_aids"]}' "$API/v1/suppliers/$id" >/dev/null
done
for id in "${iins[@]}"; do
  curl -fsS -H @"$API_HEADER" -X PUT -H 'Content-Type: application/json' \
    -d '{"categories":["sign_language"],"consent":{"kdp_token":"bench","public_key":"MIIB"}}' \
    "$API/v1/suppliers/$id" >/dev/null
done
targets() { local suffix=$1; shift; local out=(); for id in "$@"; do out+=("/v1/suppliers/$id$suffix"); done; (IFS=,; echo "${out[*]}"); }
for id in "${bins[@]}" "${iins[@]}"; do
  curl -fsS -H @"$API_HEADER" -X POST "$API/v1/suppliers/$id/verify" >/dev/null
done

echo "tekser verify benchmark — $(date -u +%FT%TZ), $(nproc) cores, gateway io_threads 2, db pool 4"
echo "reproduce: bash bench/verify_bench.sh $concurrency $requests $rounds"
"$bin/bench/verify_bench" --port "$GATEWAY_PORT" --token-file "$STACK_DIR/run/api-token" \
  --concurrency "$concurrency" \
  --requests "$requests" --rounds "$rounds" \
  --workload "read=GET:$(targets "" "${bins[@]}" "${iins[@]}")" \
  --workload "verify_bin=POST:$(targets /verify "${bins[@]}")" \
  --workload "verify_iin=POST:$(targets /verify "${iins[@]}")"
