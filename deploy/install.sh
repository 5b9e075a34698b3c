#!/usr/bin/env bash
# Installs Banshi as systemd units: release binaries, the banshi@.service template with its drop-ins
# and banshi.target, for every service `banshictl services` lists, the production
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

prefix="$root/usr/local"
units="$root/etc/systemd/system"
config="$root/etc/banshi"
docs="$prefix/share/doc/banshi"
live=0
if [ -z "$root" ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then live=1; fi

say() { echo "install.sh: $*"; }

# The suite's services, from the one list (`banshictl services --names`).
services_of() { mapfile -t services < <("$1" services --names); }

if [ "$mode" = "uninstall" ]; then
  services=()
  # The installed banshictl knows which services it installed; without it they are gone already.
  if [ -x "$prefix/bin/banshictl" ]; then services_of "$prefix/bin/banshictl"; fi
  if [ "$live" = 1 ]; then
    systemctl disable --now banshi.target "${services[@]/#/banshi@}" 2>/dev/null || true
  fi
  for service in "${services[@]}"; do
    rm -f "$prefix/bin/banshi-$service"
    rm -rf "$units/banshi@$service.service.d"
  done
  rm -f "$units/banshi@.service" "$units/banshi.target" "$prefix/bin/banshictl"
  rm -f "$prefix/share/bash-completion/completions/banshictl" "$prefix/share/zsh/site-functions/_banshictl" "$prefix/share/man/man1/banshictl.1"
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
[ -x "$bin/banshictl" ] || { echo "install.sh: $bin/banshictl is missing; build first" >&2; exit 1; }
services_of "$bin/banshictl"
for service in "${services[@]}"; do
  [ -x "$bin/banshi-$service" ] || { echo "install.sh: $bin/banshi-$service is missing; build first" >&2; exit 1; }
done

install -d -m 0755 "$prefix/bin" "$units" "$config" "$docs"
for service in "${services[@]}"; do
  install -m 0755 "$bin/banshi-$service" "$prefix/bin/banshi-$service"
done
install -m 0755 "$bin/banshictl" "$prefix/bin/banshictl"
install -m 0644 "deploy/systemd/banshi@.service" deploy/systemd/banshi.target "$units/"
# Drop-ins, only where a service really differs from the template.
for dropins in deploy/systemd/banshi@*.service.d; do
  [ -d "$dropins" ] || continue
  install -d -m 0755 "$units/$(basename "$dropins")"
  install -m 0644 "$dropins"/*.conf "$units/$(basename "$dropins")/"
done

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
for file in routes.toml targets.toml procuratorates.toml aid-wages.toml calendar.toml; do place "config/$file" "$config/$file"; done
install -d -m 0755 "$config/standards"
for file in config/standards/*.toml; do place "$file" "$config/standards/$(basename "$file")"; done
install -d -m 0755 "$config/guidelines"
for file in config/guidelines/*.md; do place "$file" "$config/guidelines/$(basename "$file")"; done
install -m 0644 docs/*.md "$docs/"
# Shell completion (subcommands, options, service names, each service's commands) and the man page.
install -d -m 0755 "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" "$prefix/share/man/man1"
"$prefix/bin/banshictl" --generate-completion-script bash > "$prefix/share/bash-completion/completions/banshictl"
"$prefix/bin/banshictl" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_banshictl"
install -m 0644 docs/man/banshictl.1 "$prefix/share/man/man1/banshictl.1"
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
  2. Enable the services this host runs (all of them on a single host), then start them:
       systemctl enable ${services[*]/#/banshi@} banshi.target
       systemctl start banshi.target
     (each name is banshi@NAME.service; on a host of a multi-host layout, enable only its own)
  3. banshictl status --config /etc/banshi/banshi.toml
  4. journalctl -u 'banshi@*' -f
The operator's guide is $docs/operations.md.
NEXT
