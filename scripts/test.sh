#!/usr/bin/env bash
# Install what the tests need (Debian packages, the project with its test extras),
# then run the whole suite. Extra arguments go to pytest. Needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

# A real browser for the extension's tests; real Redis and PostgreSQL servers
# for the cache and feedback store tests (the tests start their own instances).
packages=(chromium redis-server)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
exec python3 -m pytest "$@"
