#!/usr/bin/env bash
# Installs what Banshi needs beyond Swift itself, through apt-get, when it is missing.
# Safe to run again: it only installs what dpkg does not already report as installed.
set -euo pipefail

packages=(libzmq3-dev libsqlite3-dev pkg-config)
# `setup.sh --test` adds what only the tests need: headless Chromium, which renders the HTML report the
# way a person would see it, a font with Chinese glyphs for it, systemd-analyze for the units, and
# promtool (in Debian's prometheus package) to check the metrics file, and ip/tc (iproute2) for the
# tests that run hosts as network namespaces.
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium fonts-wqy-microhei systemd prometheus iproute2)
fi
# `setup.sh --peers` adds the systems scripts/peers.sh measures beside Banshi: NATS (JetStream) and
# Redis from Debian, with their C clients and a C compiler for the load driver (bench/peers/peers.c).
if [ "${1:-}" = "--peers" ]; then
  packages+=(nats-server redis-server libnats-dev libhiredis-dev gcc)
fi
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: swift is not on PATH; install the Swift 6 toolchain first" >&2
  exit 1
fi

# The downstream example and its system test are Python with pyzmq.
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import zmq" >/dev/null 2>&1; then
  echo "setup: installing pyzmq for the Python downstream example" >&2
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore pyzmq >&2
fi
