#!/usr/bin/env bash
# The benchmark command: builds the release executables and measures the delivery pipeline and its
# ceilings on this machine (see docs/benchmarks.md). Pass --events N or --seconds S to change the size.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
swift build -c release
exec .build/release/banshi-bench "$@"
