#!/usr/bin/env bash
# The test command: installs the system packages if missing, builds everything (the system tests run
# the real executables), then runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
