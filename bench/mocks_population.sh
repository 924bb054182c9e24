#!/usr/bin/env bash
# Startup time and resident memory of tekser-mocks with a synthetic population of 0, 100 000 and
# 1 000 000 subjects. For each size: start the binary on port 0, time until it prints its
# "listening" line, read VmRSS (/proc/<pid>/status) right after start-up and again after paging
# 50 pages (200 rows) of the РНУ register and asking ГБД ЮЛ / the admin API about some subjects,
# then stop it with SIGTERM.
#
#   bench/mocks_population.sh [path/to/tekser-mocks]     (default: build/release/mocks/tekser-mocks)
#
# Needs bash, curl, python3. Prints one line per size and the command used.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-$root/build/release/mocks/tekser-mocks}"
[[ -x "$binary" ]] || { echo "no tekser-mocks at $binary (build it, or pass its path)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

printf '%-10s %12s %14s %14s\n' population startup_ms rss_start_kb rss_after_kb
for size in 0 100000 1000000; do
  command=("$binary" --listen 127.0.0.1:0 --population "$size" --population-seed 2026 --no-signing)
  : >"$work/stdout"
  start_ns=$(date +%s%N)
  "${command[@]}" >>"$work/stdout" 2>"$work/stderr" &
  pid=$!
  # The binary prints {"event":"listening","port":N} once it accepts connections.
  port=""
  until [[ -n "$port" ]]; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/stderr" >&2; exit 1; }
    port=$(sed -n 's/^{"event":"listening","port":\([0-9][0-9]*\)}$/\1/p' "$work/stdout" || true)
    [[ -n "$port" ]] || sleep 0.005
  done
  ready_ns=$(date +%s%N)
  rss_start=$(rss_kb "$pid")

  target="/v3/rnu?limit=200"
  for _ in $(seq 50); do
    page=$(curl -sfS -H 'Authorization: Bearer bench' "http://127.0.0.1:$port$target")
    target=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["next_page"])' <<<"$page")
    [[ -n "$target" ]] || break
  done
  if [[ "$size" -gt 0 ]]; then
    ids=$(curl -sf "http://127.0.0.1:$port/admin/population/subjects?kind=legal_entity&offset=$((size / 2))&limit=20" |
          python3 -c 'import json,sys; print(" ".join(s["id"] for s in json.load(sys.stdin)["subjects"]))')
    for bin in $ids; do
      curl -sf "http://127.0.0.1:$port/admin/population/subjects/$bin" >/dev/null
    done
  fi
  rss_after=$(rss_kb "$pid")
  kill -TERM "$pid"
  wait "$pid" || true
  printf '%-10s %12d %14d %14d\n' "$size" $(((ready_ns - start_ns) / 1000000)) "$rss_start" "$rss_after"
done
echo "command (N = 0, 100000, 1000000): $binary --listen 127.0.0.1:0 --population N" \
  "--population-seed 2026 --no-signing"
