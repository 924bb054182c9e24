#!/usr/bin/env bash
# Configures and builds one preset. Both README commands build through here with the same
# configuration (the release preset, warnings as errors), so that running one after the other
# rebuilds nothing: deploy/run.sh builds the binaries it runs and the CLI it tells you to use,
# deploy/test.sh everything.
#
#   bash deploy/build.sh [preset] [target...]     preset: release (default) or asan; no target: all
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
shift $(($# > 0 ? 1 : 0))
cmake --preset "$preset" >/dev/null
if (($# > 0)); then
  cmake --build --preset "$preset" -j"$(nproc)" --target "$@"
else
  cmake --build --preset "$preset" -j"$(nproc)"
fi
