#!/usr/bin/env bash
# The test command: installs the system packages if missing (with the test-only ones: headless
# Chromium and a CJK font, promtool, iproute2), builds everything (the system tests run the real executables), then runs
# the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test
swift build --build-tests
# The test command checks; it never rewrites the contract documents or the migration snapshots
# (scripts/contract.sh and BANSHI_WRITE_SNAPSHOTS=1 do that, on purpose).
unset BANSHI_WRITE_CONTRACT BANSHI_WRITE_SNAPSHOTS
swift test --skip-build "$@"
