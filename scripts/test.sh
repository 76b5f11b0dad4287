#!/usr/bin/env bash
# Install what the tests need (Debian packages, the project with its test extras),
# then run the whole suite. Extra arguments go to pytest. Needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

# Real browsers for the extension's tests (Chromium, and Firefox ESR); real Redis
# and PostgreSQL servers for the cache and feedback store tests (the tests start
# their own instances; none is left running as a service).
packages=(chromium firefox-esr redis-server postgresql)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Firefox manifest linter, from the npm registry (Node.js comes with the machine),
# at the exact version tests/extension/package.json pins (web-ext versions disagree on
# warning codes), in tests/extension/node_modules: a web-ext elsewhere on PATH is not used.
if command -v npm >/dev/null 2>&1; then
  npm install --prefix tests/extension --silent --no-fund --no-audit
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
exec python3 -m pytest "$@"
