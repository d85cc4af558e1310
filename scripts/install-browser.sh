#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (playwright-core
# drives /usr/bin/chromium; it never downloads a browser of its own).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && SUDO="sudo" || { echo "Chromium is missing and this user cannot install it: run 'apt-get install -y chromium' as root." >&2; exit 1; }
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
