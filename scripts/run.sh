#!/usr/bin/env bash
# Runs the whole suite in the foreground on the shipped single-host config (data under ./var).
# Ctrl-C stops every service cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
swift build -c release
# `banshictl status` from another terminal: export PATH="$PWD/bin:$PATH".
mkdir -p bin
ln -sf ../.build/release/banshictl bin/banshictl
exec .build/release/banshictl up --config "${BANSHI_CONFIG:-config/banshi.toml}" "$@"
