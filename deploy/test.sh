#!/usr/bin/env bash
# Builds everything and runs every test: unit, store (against a throw-away PostgreSQL that ctest
# starts and stops), mocks, adapters, mappings and the integration tests that start the real
# gateway and mocks binaries. Installs what is missing first.
#
#   bash deploy/test.sh            release build, warnings as errors
#   TEKSER_PRESET=asan bash deploy/test.sh    the same suite under ASan + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${TEKSER_PRESET:-release}

bash deploy/install-deps.sh

# Warnings are errors here (CI runs this script), except under the sanitizers, where g++ 12
# reports false -Wmaybe-uninitialized inside Boost.Beast.
werror=ON
[[ $preset == asan ]] && werror=OFF
TEKSER_WERROR=$werror cmake --preset "$preset" -DTEKSER_WERROR=$werror >/dev/null
cmake --build --preset "$preset" -j"$(nproc)"
ctest --preset "$preset" -j1
