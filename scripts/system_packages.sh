#!/usr/bin/env bash
# Install the Debian packages the test suite uses: real PostgreSQL and Redis servers, and
# Chromium with CJK fonts for the widget's browser test (Playwright drives /usr/bin/chromium).
# Runs apt-get only when something is missing and we are root; otherwise says what to do.
set -euo pipefail
packages=(postgresql redis-server chromium fonts-noto-cjk)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing system packages: ${missing[*]} (install them with apt-get; their tests will be skipped)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
