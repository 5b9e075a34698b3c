#!/usr/bin/env bash
# The test command: installs the system packages if missing (with the test-only ones: headless
# Chromium and a CJK font), builds everything (the system tests run the real executables), then runs
# the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test
swift build --build-tests
swift test --skip-build "$@"
