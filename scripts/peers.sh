#!/usr/bin/env bash
# Measures Banshi beside its peers in one run on this machine (see docs/benchmarks.md): banshi-bench's
# paced commit-to-applied and durable end to end phases, then the same loads, in the same order, on
# NATS JetStream and on Redis Streams (AOF everysec, then AOF always), and prints the figures and
# Banshi's ratio to each.
# The peers are driven by bench/peers/peers.c, built here against their own C clients (libnats,
# hiredis): Python clients could not keep up with 20,000 messages a second on the 2-core machine.
# Installs nats-server, redis-server and the clients itself (apt-get). Not part of the test command.
# Options: --count N (messages per throughput run, default 200,000).
set -euo pipefail
cd "$(dirname "$0")/.."

count=200000
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    *) echo "usage: scripts/peers.sh [--count N]" >&2; exit 64 ;;
  esac
done

scripts/setup.sh --peers
swift build -c release >&2
mkdir -p .build-peers
cc -O2 -Wall -o .build-peers/peers bench/peers/peers.c $(pkg-config --cflags --libs libnats hiredis) -lpthread
peers=.build-peers/peers
work=$(mktemp -d /tmp/banshi-peers.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# The host's steal time so far, in seconds (the eighth field of /proc/stat's cpu line, in 1/100 s).
steal() { awk '/^cpu / { printf "%.2f", $9 / 100 }' /proc/stat; }
# Runs a peer's loads and adds the host steal during them to its JSON line.
measure() {
  local name="$1"; shift
  local before; before=$(steal)
  "$peers" "$@" > "$work/$name.json"
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["steal_s"] = float(sys.argv[3]) - float(sys.argv[2]); json.dump(d, open(sys.argv[1], "w"))' \
    "$work/$name.json" "$before" "$(steal)"
}
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "nothing listens on $1" >&2; exit 1; }

echo "peers: banshi-bench (durable end to end, paced 20,000/s)" >&2
.build/release/banshi-bench --only burst,steady --events "$count" --json > "$work/banshi.json"

echo "peers: NATS JetStream (file store; nats-server $(nats-server --version | awk '{print $NF}'))" >&2
port=$(free_port)
nats-server -a 127.0.0.1 -p "$port" -js -sd "$work/nats" > "$work/nats.log" 2>&1 &
pids+=($!)
wait_port "$port"
measure nats nats "nats://127.0.0.1:$port" --count "$count"
kill "${pids[-1]}"

for fsync in everysec always; do
  echo "peers: Redis Streams, appendfsync $fsync (redis-server $(redis-server --version | awk '{print $3}' | cut -d= -f2))" >&2
  port=$(free_port)
  mkdir -p "$work/redis-$fsync"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$work/redis-$fsync" --save "" --appendonly yes --appendfsync "$fsync" \
    > "$work/redis-$fsync.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
  measure "redis-$fsync" redis "$port" --count "$count"
  kill "${pids[-1]}"
done

python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
banshi = json.load(open(f"{work}/banshi.json"))
steady = banshi["steady_20k_commit_to_applied_us"]
steal = banshi.get("host_steal_seconds", {})
rows = [("Banshi (fdatasync before every acknowledgement)", banshi["durable_end_to_end_per_second"],
         {k: steady[k + "_us"] / 1000 for k in ("p50", "p99", "p999")},
         steal.get("durable_end_to_end_per_second", 0) + steal.get("steady_20k_commit_to_applied_us", 0))]
for name, label in [("nats", "NATS JetStream 2.9, file store (no fsync per write), C client"),
                    ("redis-everysec", "Redis Streams 7.0, AOF appendfsync everysec, C client"),
                    ("redis-always", "Redis Streams 7.0, AOF appendfsync always, C client")]:
    peer = json.load(open(f"{work}/{name}.json"))
    rows.append((label, peer["throughput"], peer["latency_ms"], peer["steal_s"]))
print("| system | end to end, msgs/s | Banshi ÷ it | paced 20,000/s p50 / p99 / p999 (ms) | its p99 ÷ Banshi's | host steal |")
print("|---|---|---|---|---|---|")
for label, rate, latency, stolen in rows:
    print(f"| {label} | {rate:,.0f} | {rows[0][1] / rate:.2f} | {latency['p50']:.2f} / {latency['p99']:.2f} / {latency['p999']:.2f} "
          f"| {latency['p99'] / max(rows[0][2]['p99'], 1e-9):.2f} | {stolen:.2f} s |")
EOF
