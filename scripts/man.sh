#!/usr/bin/env bash
# Regenerates docs/man/banshictl.1 from banshictl's own help (swift-argument-parser's generate-manual
# plugin). Run after changing a subcommand, an option or a help text; a test checks that every
# subcommand is in the page. deploy/install.sh installs the page.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package plugin generate-manual >/dev/null
page="$(find .build/plugins -path '*GenerateManual*' -name banshictl.1 | head -1)"
[ -n "$page" ] || { echo "man.sh: the plugin wrote no banshictl.1" >&2; exit 1; }
mkdir -p docs/man
# The date line changes every day; keep the page stable unless the help changed.
grep -v '^\.Dd ' "$page" > docs/man/banshictl.1
echo "man.sh: wrote docs/man/banshictl.1"
