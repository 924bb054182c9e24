#!/usr/bin/env bash
# Installs every Debian 12 package tekser needs to build, test and run: the toolchain, the
# libraries, PostgreSQL (a throw-away cluster is started by the scripts, never the system one)
# and the independent tools the tests use (xmllint, python3-zeep, python3-jsonschema, xmlsec1 and
# openssl for the XML signatures; OpenSSL's gost engine for GOST signatures, which Debian's
# xmlsec1 cannot make; headless chromium for the operator's page). Idempotent: installs only
# what is missing, so a second run costs one dpkg query.
set -euo pipefail

packages=(
  build-essential g++ cmake ninja-build pkg-config git ca-certificates curl procps
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libpugixml-dev libxml2-dev libxml2-utils libyaml-cpp-dev
  libpqxx-dev libpq-dev postgresql postgresql-client
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  xmlsec1 libxmlsec1-dev libxmlsec1-openssl openssl libengine-gost-openssl
  python3 python3-zeep python3-lxml python3-jsonschema
  clang-format sudo
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The postgresql package would create and start a system cluster; tekser never uses it.
$SUDO mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.d/tekser.conf >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
