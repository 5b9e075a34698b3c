#!/usr/bin/env bash
# The chaos soak (not part of the test command; a 2-minute run of it is): builds the release suite and
# runs scripts/chaos.py for 10 minutes by default. Arguments go to chaos.py (--minutes, --kill-every,
# --seed). It prints one summary line: flows driven, kills, partitions, events, lost, duplicated.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release
exec python3 scripts/chaos.py --bin "$(swift build -c release --show-bin-path)" "$@"
