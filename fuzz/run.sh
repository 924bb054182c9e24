#!/usr/bin/env bash
# Drives every fuzz target with libFuzzer (clang, ASan + UBSan) for a set number of executions,
# grows the committed corpora with the inputs that reach new code (libFuzzer's -merge=1: only
# those are kept, named found-<sha1>), and prints a line per target: executions, executions per
# second, new inputs kept, crashes. Installs clang 16 and its fuzzer runtime when missing.
#
#   bash fuzz/run.sh                                  every target, 10 000 000 executions each
#   RUNS=200000 bash fuzz/run.sh mapping_kgd shep_envelope
#   MAX_SECONDS=600 bash fuzz/run.sh                  at most 10 minutes a target
#
# A crash stops nothing: its input is kept under var/fuzz/<target>/crash-* (never in the
# repository by itself), the table says so and the script exits 1. Fix the bug, then add the
# input to fuzz/corpus/<target>/ as found-<what> so that the ctest replay keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-10000000}
max_seconds=${MAX_SECONDS:-0}  # 0: no cap, the run count decides
build=${FUZZ_BUILD_DIR:-build/fuzz16}
work=${FUZZ_WORK_DIR:-var/fuzz}
all_targets=(shep_envelope mapping_gbd_ul mapping_gbd_fl mapping_kgd mapping_elicense
  mapping_pa_checks mapping_enis mapping_goszakup mapping_samruk gateway_supplier_put
  mocks_request)
if (($# > 0)); then targets=("$@"); else targets=("${all_targets[@]}"); fi
for t in "${targets[@]}"; do
  [[ -d fuzz/corpus/$t ]] || { echo "fuzz/run.sh: no target '$t' (known: ${all_targets[*]})" >&2; exit 2; }
done

bash deploy/install-deps.sh
# clang 16: clang 14 fails on Asio's coroutines with the fuzzer's instrumentation ("Cannot
# represent a difference across sections" in http_client.cpp), which the REST and API targets link.
if ! dpkg -s clang-16 libclang-rt-16-dev >/dev/null 2>&1; then
  sudo_cmd=""; [[ $(id -u) -eq 0 ]] || sudo_cmd=sudo
  $sudo_cmd apt-get install -y -qq --no-install-recommends clang-16 libclang-rt-16-dev >/dev/null
fi

CC=clang-16 CXX=clang++-16 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTEKSER_FUZZ=ON -DTEKSER_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

printf '%-22s %12s %9s %6s %7s %8s %s\n' target executions exec/s new kept crashes seconds
failed=0
for t in "${targets[@]}"; do
  dir=$work/$t
  rm -rf "$dir"
  mkdir -p "$dir/new"
  limit=(); ((max_seconds > 0)) && limit=(-max_total_time="$max_seconds")
  started=$(date +%s)
  # libFuzzer exits non-zero on a crash; the table reports it and the loop goes on.
  "$build/fuzz/fuzz_$t" "$dir/new" "fuzz/corpus/$t" -runs="$runs" "${limit[@]}" \
    -max_len=262144 -rss_limit_mb=4096 -timeout=25 -print_final_stats=1 \
    -artifact_prefix="$dir/" >"$dir/log" 2>&1 || true
  seconds=$(($(date +%s) - started))
  stat() { grep -m1 "^stat::$1:" "$dir/log" | awk '{print $2}'; }
  crashes=$(ls "$dir" | grep -cE '^(crash|leak|timeout|oom)-' || true)
  # Keep only what reaches new code, under a name that says where it came from.
  before=$(ls "fuzz/corpus/$t" | wc -l)
  "$build/fuzz/fuzz_$t" -merge=1 "fuzz/corpus/$t" "$dir/new" >"$dir/merge.log" 2>&1 || true
  for f in "fuzz/corpus/$t"/*; do
    name=$(basename "$f")
    [[ $name =~ ^[0-9a-f]{40}$ ]] && mv "$f" "fuzz/corpus/$t/found-$name"
  done
  kept=$(($(ls "fuzz/corpus/$t" | wc -l) - before))
  printf '%-22s %12s %9s %6s %7s %8s %s\n' "$t" "$(stat number_of_executed_units)" \
    "$(stat average_exec_per_sec)" "$(stat new_units_added)" "$kept" "$crashes" "$seconds"
  ((crashes == 0)) || failed=1
done
echo "reproduce: RUNS=$runs MAX_SECONDS=$max_seconds bash fuzz/run.sh ${targets[*]}"
exit $failed
