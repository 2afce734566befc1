#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when /usr/bin/chromium is missing. The tests drive
# it with playwright-core; no browser is ever downloaded by a test tool.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-chromium: installing chromium needs root or sudo" >&2; exit 1; }
  sudo=(sudo)
fi
command -v apt-get >/dev/null 2>&1 || { echo "ensure-chromium: no apt-get here; install Chromium as /usr/bin/chromium" >&2; exit 1; }
"${sudo[@]}" apt-get update >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-liberation >&2
/usr/bin/chromium --version >&2
