#!/usr/bin/env bash
# Installs Banshi as systemd units: release binaries, the units and banshi.target, the production
# configuration under /etc/banshi (never overwriting an operator's file), and the docs.
#
#   deploy/install.sh                      build (release) and install into /
#   deploy/install.sh --root DIR           install under DIR instead (packaging, tests)
#   deploy/install.sh --bin DIR            install the binaries already built in DIR (no build)
#   deploy/install.sh --uninstall [--purge]
#                                          stop and remove units, binaries and docs; --purge also removes
#                                          /etc/banshi and /var/lib/banshi (every database: back up first)
set -euo pipefail
cd "$(dirname "$0")/.."

root=""
bin=""
mode="install"
purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --bin) bin="${2:?--bin needs a directory}"; shift 2 ;;
    --uninstall) mode="uninstall"; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

services=(bus children petition coordinator reporting)
prefix="$root/usr/local"
units="$root/etc/systemd/system"
config="$root/etc/banshi"
docs="$prefix/share/doc/banshi"
live=0
if [ -z "$root" ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then live=1; fi

say() { echo "install.sh: $*"; }

if [ "$mode" = "uninstall" ]; then
  if [ "$live" = 1 ]; then
    systemctl disable --now banshi.target "${services[@]/#/banshi-}" 2>/dev/null || true
  fi
  for service in "${services[@]}"; do
    rm -f "$units/banshi-$service.service" "$prefix/bin/banshi-$service"
  done
  rm -f "$units/banshi.target" "$prefix/bin/banshictl"
  rm -rf "$docs"
  if [ "$purge" = 1 ]; then
    rm -rf "$config" "$root/var/lib/banshi" "$root/var/lib/private/banshi"
    say "removed units, binaries, docs, configuration and every database"
  else
    say "removed units, binaries and docs; kept $config and the databases under $root/var/lib/banshi"
  fi
  [ "$live" = 1 ] && systemctl daemon-reload
  exit 0
fi

if [ -z "$bin" ]; then
  scripts/setup.sh
  swift build -c release
  bin="$(swift build -c release --show-bin-path)"
fi
for service in "${services[@]}"; do
  [ -x "$bin/banshi-$service" ] || { echo "install.sh: $bin/banshi-$service is missing; build first" >&2; exit 1; }
done

install -d -m 0755 "$prefix/bin" "$units" "$config" "$docs"
for service in "${services[@]}"; do
  install -m 0755 "$bin/banshi-$service" "$prefix/bin/banshi-$service"
  install -m 0644 "deploy/systemd/banshi-$service.service" "$units/banshi-$service.service"
done
install -m 0755 "$bin/banshictl" "$prefix/bin/banshictl"
install -m 0644 deploy/systemd/banshi.target "$units/banshi.target"

# Configuration: an operator's file is never overwritten; the shipped one lands next to it as .new.
place() {
  local source="$1" target="$2"
  if [ -e "$target" ] && ! cmp -s "$source" "$target"; then
    install -m 0644 "$source" "$target.new"
    say "kept your $target; the shipped version is $target.new"
  else
    install -m 0644 "$source" "$target"
  fi
}
place deploy/banshi.toml "$config/banshi.toml"
for file in routes.toml targets.toml procuratorates.toml aid-wages.toml; do place "config/$file" "$config/$file"; done
install -d -m 0755 "$config/guidelines"
for file in config/guidelines/*.md; do place "$file" "$config/guidelines/$(basename "$file")"; done
install -m 0644 docs/*.md "$docs/"
# CURVE keys for the bus, every service and an admin, where none exist yet (secrets 0600, root's;
# each service gets its own through LoadCredential=).
install -d -m 0755 "$config/keys"
"$prefix/bin/banshictl" keys init --config "$config/banshi.toml" --keys-dir "$config/keys"

if [ "$live" = 1 ]; then systemctl daemon-reload; fi
cat <<NEXT
install.sh: installed Banshi under ${root:-/}
Next steps:
  1. Review /etc/banshi/banshi.toml (and routes.toml, targets.toml, aid-wages.toml, procuratorates.toml).
     CURVE is on: /etc/banshi/keys holds a key per service and admin.key for banshictl (run it as root,
     or give an operator a key: banshictl keys generate NAME --role operator).
  2. systemctl enable --now banshi.target
  3. banshictl status --config /etc/banshi/banshi.toml
  4. journalctl -u 'banshi-*' -f
The operator's guide is $docs/operations.md.
NEXT
