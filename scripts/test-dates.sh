#!/usr/bin/env bash
# Runs the whole test suite as it will run on later days: the debug build's clock, in the tests and in
# every service they start, moved by whole days (BANSHI_TEST_CLOCK_OFFSET_DAYS; a release build ignores
# it). A date written into a test, or yearly data that the shipped config lacks (the lawyer's working-day
# calendar, the aid wage table), then fails here before the calendar gets there and fails CI.
#
#   scripts/test-dates.sh            # the next 1 January (Beijing time) and 400 days ahead
#   scripts/test-dates.sh 27 365     # those numbers of days ahead (negative: behind)
#
# Not part of the test command: each day is a whole run of the suite (about 2.5 minutes on two cores).
# Extra arguments after `--` go to `swift test` (e.g. `-- --filter LawyerSystemTests`).
set -euo pipefail
cd "$(dirname "$0")/.."

days=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    [[ "$1" =~ ^-?[0-9]+$ ]] || { echo "test-dates.sh: '$1' is not a number of days (see the comment at the top)" >&2; exit 2; }
    days+=("$1"); shift
done
[ "${1:-}" = "--" ] && shift
if [ ${#days[@]} -eq 0 ]; then
    # Days from today to the next 1 January in Beijing, where the services' calendar days fall.
    today=$(TZ=Asia/Shanghai date +%F)
    newyear="$(( $(TZ=Asia/Shanghai date +%Y) + 1 ))-01-01"
    days=($(( ($(date -u -d "$newyear" +%s) - $(date -u -d "$today" +%s)) / 86400 )) 400)
fi

scripts/setup.sh --test
swift build --build-tests
unset BANSHI_WRITE_CONTRACT BANSHI_WRITE_SNAPSHOTS

failed=()
for offset in "${days[@]}"; do
    echo "== the whole suite ${offset} days ahead, on $(TZ=Asia/Shanghai date -d "${offset} days" +%F) (Beijing)"
    if ! BANSHI_TEST_CLOCK_OFFSET_DAYS="$offset" swift test --skip-build "$@"; then failed+=("$offset"); fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "test-dates.sh: the suite failed at ${failed[*]} days ahead" >&2
    exit 1
fi
echo "test-dates.sh: the suite passed at ${days[*]} days ahead"
