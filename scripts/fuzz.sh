#!/usr/bin/env bash
# Fuzzes every service's control socket with 100,000 random and mutated frames each (CURVE on, as an
# admin), then checks every service still answers status. BANSHI_FUZZ_FRAMES and BANSHI_FUZZ_SEED
# override the count and the seed (the seed is printed on failure, so a run can be replayed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
BANSHI_FUZZ_FRAMES="${BANSHI_FUZZ_FRAMES:-100000}" swift test --skip-build --filter FuzzSystemTests
