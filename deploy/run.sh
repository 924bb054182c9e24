#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts a local PostgreSQL cluster under var/pg
# (initdb on first run), the mock state systems and the gateway; registers demo suppliers,
# verifies them end to end through SHEP and prints what the state systems said; then keeps
# serving until Ctrl-C, which stops everything it started.
#
#   bash deploy/run.sh            gateway on 127.0.0.1:${TEKSER_PORT:-8080}
#
# Logs: var/run/{gateway,mocks}.log (one JSON object a line), var/pg/log.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
port=${TEKSER_PORT:-8080}

say() { printf '\033[1m== %s\033[0m\n' "$*"; }

say "dependencies"
bash deploy/install-deps.sh

say "build (release, the build deploy/test.sh uses)"
bash deploy/build.sh release tekser-gateway tekser-mocks tekser-ctl
bin=$root/build/release

source deploy/stack.sh
stack_init "$root/var"

say "PostgreSQL (throw-away cluster in var/pg)"
stack_start_pg

say "mock state systems"
stack_start_mocks "$bin"
echo "SHEP SyncChannel at http://127.0.0.1:$MOCKS_PORT/bip-sync-wss-gost/ (admin API: /admin/...)"

say "gateway"
stack_start_gateway "$bin" "$port"
api=$API

say "demo: register and verify suppliers through the portal API ($api)"
demo() {  # id, categories JSON, optional consent JSON, label
  local id=$1 body
  body="{\"categories\":$2${3:+,\"consent\":$3}}"
  curl -fsS -H @"$API_HEADER" -X PUT -H 'Content-Type: application/json' -d "$body" \
    "$api/v1/suppliers/$id" >/dev/null
  curl -fsS -H @"$API_HEADER" -X POST "$api/v1/suppliers/$id/verify" |
    /usr/bin/python3 deploy/show_verification.py "$4"
  curl -fsS -H @"$API_HEADER" "$api/v1/suppliers/$id/eligibility" |
    /usr/bin/python3 deploy/show_verification.py --eligibility
}
demo 150340012340 '["technical_aids"]' "" "Active legal entity (ГБД ЮЛ)"
demo 080940003154 '["invataxi"]' "" "Liquidated legal entity (ГБД ЮЛ)"
demo 840512401230 '["sign_language"]' '{"kdp_token":"demo-consent-1","public_key":"MIIBdemo"}' \
  "Individual entrepreneur, alive (ГБД ФЛ)"
demo 580220307895 '["invataxi"]' '{"kdp_token":"demo-consent-2","public_key":"MIIBdemo"}' \
  "Individual entrepreneur, deceased (ГБД ФЛ)"

cat <<EOT

Serving. The API wants a token: the local client's is in var/run/api-token (new at every start;
var/run/api-auth-header holds its Authorization header for curl). Try:
  curl -s -H @var/run/api-auth-header $api/v1/suppliers/080940003154 | python3 -m json.tool
  curl -s -H @var/run/api-auth-header -X POST $api/v1/suppliers/150340012340/verify
  curl -s $api/v1/suppliers/080940003154      # 401: no credentials
  build/release/gateway/tekser-ctl --url $api --token-file var/run/api-token refresh list
  curl -s -X POST http://127.0.0.1:$MOCKS_PORT/admin/faults -d '{"service_id":"GbdulInfoByBin_v2","mode":"http_503","count":1}'
  curl -s -X POST http://127.0.0.1:$MOCKS_PORT/admin/faults -d '{"service_id":"GbdulInfoByBin_v2","mode":"invalid_signature","count":1}'
  curl -s http://127.0.0.1:$MOCKS_PORT/admin/signing-certificate   # what the gateway trusts
Logs in var/run/. Ctrl-C stops the gateway, the mocks and PostgreSQL.
EOT
wait "${STACK_PIDS[@]}"
