#!/usr/bin/env bash
# Installs what the browser tests need when it is missing: Debian's Chromium (playwright-core
# drives /usr/bin/chromium; it never downloads a browser of its own) and a Java runtime for
# the Nu HTML checker (vnu-jar) used by the whole-site sweep.
set -euo pipefail
if [ -x /usr/bin/chromium ] && command -v java >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && SUDO="sudo" || { echo "Chromium is missing and this user cannot install it: run 'apt-get install -y chromium' as root." >&2; exit 1; }
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
command -v java >/dev/null 2>&1 || $SUDO apt-get install -y -qq default-jre-headless >/dev/null
/usr/bin/chromium --version
java -version 2>&1 | head -n 1
