#!/usr/bin/env bash
# Checks the systemd units in deploy/systemd/ for every service of the suite (`banshictl services`):
# `systemd-analyze verify` must print nothing (it exits 0 on some real mistakes, so any output is a
# failure), and `systemd-analyze security --offline=yes` must score each instance 1.5 or less.
# ExecStart= is pointed at the binaries in BIN (default: the debug build), since verify checks that the
# command exists. Prints one "unit score" line per service.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(cd "${1:-.build/debug}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r deploy/systemd/. "$work/"
sed -i "s|/usr/local/bin/|$bin/|" "$work/banshi@.service"
mapfile -t services < <("$bin/banshictl" services --names)
units=("${services[@]/#/banshi@}")
units=("${units[@]/%/.service}")
cd "$work"
output="$(systemd-analyze verify banshi.target "${units[@]}" 2>&1)" || true
if [ -n "$output" ]; then
  echo "check-units: systemd-analyze verify reported:" >&2
  echo "$output" >&2
  exit 1
fi
status=0
for unit in "${units[@]}"; do
  score="$(systemd-analyze security --offline=yes "$unit" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
  if [ -z "$score" ]; then
    echo "check-units: no security score for $unit" >&2
    status=1
    continue
  fi
  echo "$unit $score"
  if awk -v s="$score" 'BEGIN { exit !(s > 1.5) }'; then
    echo "check-units: $unit scores $score, above 1.5" >&2
    status=1
  fi
done
exit $status
