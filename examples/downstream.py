#!/usr/bin/env python3
"""A downstream system consuming Banshi's events, written against the wire contract alone.

It subscribes to the bus, applies each source's events in seq order exactly once, and heals what
pub/sub loses: on start-up (after subscribing) it catches up from every source with `events.since`;
when a seq is skipped it fetches the missing range; when a heartbeat shows that a source's log reaches
further than what it has applied, it fetches the tail. It needs only pyzmq and the suite's TOML config.

    python3 examples/downstream.py --config config/banshi.toml children. petition.
    python3 examples/downstream.py --config banshi.toml --until loadgen=1500 --summary
    python3 examples/downstream.py --config /etc/banshi/banshi.toml --key operator children.

With CURVE on (`[security] curve = true`) it speaks CURVE with the key NAME (--key, default operator:
the catch-up is a read command, which a subscriber key may not send) from the config's keys_dir,
`NAME.key`, and the servers' public keys beside it. It listens to every bus of the config (`[bus]` and
each `[buses.*]`) and keeps one copy of each event, by its seq.

Each applied event is printed as one line: `<source> <seq> <type> <subject>`. With --summary a JSON
object with per-source counts is printed at the end. Exit status: 0 when --until was reached, 1 on
timeout, 2 on a usage or configuration error.
"""
import argparse
import json
import sys
import time
import tomllib
import uuid

import zmq


class Source:
    """What we know of one source: the control endpoint and how far we have applied its log."""

    def __init__(self, name, control):
        self.name = name
        self.control = control
        self.applied = 0       # the last seq applied
        self.count = 0         # events applied
        self.fetched = 0       # of which came through events.since
        self.skipped = 0       # duplicates and events at or below the cursor


class Curve:
    """The client's CURVE key pair and the servers' public keys, from the config's keys_dir."""

    def __init__(self, config, key_name):
        security = config.get("security", {})
        self.directory = security.get("keys_dir", "keys")
        with open(f"{self.directory}/{key_name}.key", "rb") as file:
            pair = tomllib.load(file)
        self.public, self.secret = pair["public"].encode(), pair["secret"].encode()

    def server_key(self, peer):
        # Every bus (bus, bus-b, ...) speaks with the bus's key.
        name = "bus" if peer.startswith("bus-") else peer
        with open(f"{self.directory}/{name}.pub") as file:
            return file.read().strip().encode()

    def secure(self, socket, peer):
        socket.curve_publickey = self.public
        socket.curve_secretkey = self.secret
        socket.curve_serverkey = self.server_key(peer)


class Follower:
    def __init__(self, context, config, prefixes, timeout_ms, out, curve=None):
        self.context = context
        self.curve = curve
        self.timeout_ms = timeout_ms
        self.out = out
        self.sources = {
            name: Source(name, section["control"])
            for name, section in config.get("services", {}).items()
        }
        self.sub = context.socket(zmq.SUB)
        self.sub.setsockopt(zmq.LINGER, 0)
        for prefix in prefixes or [""]:
            self.sub.setsockopt_string(zmq.SUBSCRIBE, prefix)
        for name in self.sources:
            self.sub.setsockopt_string(zmq.SUBSCRIBE, f"{name}.heartbeat.sent")
        if curve:
            curve.secure(self.sub, "bus")
        buses = [config["bus"]] + list(config.get("buses", {}).values())
        for bus in buses:
            self.sub.connect(bus["subscribe"])
        self.prefixes = prefixes or [""]

    def wanted(self, event_type):
        return any(event_type.startswith(prefix) for prefix in self.prefixes)

    def call(self, source, command, args):
        """One command on a control socket (a DEALER with the REQ envelope); None on timeout."""
        socket = self.context.socket(zmq.DEALER)
        socket.setsockopt(zmq.LINGER, 0)
        if self.curve:
            self.curve.secure(socket, source.name)
        socket.connect(source.control)
        request_id = str(uuid.uuid4())
        socket.send_multipart([b"", json.dumps({"id": request_id, "command": command, "args": args}).encode()])
        try:
            if socket.poll(self.timeout_ms) == 0:
                print(f"downstream: {source.name} did not answer at {source.control}", file=sys.stderr)
                return None
            reply = json.loads(socket.recv_multipart()[-1])
        finally:
            socket.close()
        if not reply.get("ok"):
            print(f"downstream: {source.name} {command}: {reply.get('error')}", file=sys.stderr)
            return None
        return reply["result"]

    def catch_up(self, source, through=None):
        """Fetches and applies the source's events after our cursor, through `through` or the end."""
        while through is None or source.applied < through:
            page = self.call(source, "events.since", {"after_seq": source.applied, "limit": 1000})
            if page is None:
                return
            for envelope in page["events"]:
                if self.apply(source, envelope):
                    source.fetched += 1
            if not page["has_more"] or not page["events"]:
                return

    def apply(self, source, envelope):
        """Applies one event if it is the next one; returns whether it did."""
        seq = envelope["seq"]
        if seq <= source.applied:
            source.skipped += 1
            return False
        if seq != source.applied + 1:
            return False
        source.applied = seq
        if self.wanted(envelope["type"]):
            source.count += 1
            if self.out:
                print(f"{source.name} {seq} {envelope['type']} {envelope.get('subject', '-')}", flush=True)
        return True

    def on_message(self, frames):
        if len(frames) != 2:
            return
        envelope = json.loads(frames[1])
        name = envelope.get("source", "").removeprefix("/banshi/")
        source = self.sources.get(name)
        if source is None:
            return
        if envelope["type"].endswith(".heartbeat.sent"):
            if envelope["data"]["last_seq"] > source.applied:
                self.catch_up(source, through=envelope["data"]["last_seq"])
            return
        if envelope["seq"] > source.applied + 1:
            self.catch_up(source, through=envelope["seq"] - 1)
        self.apply(source, envelope)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("prefixes", nargs="*", help="topic prefixes to apply (default: everything)")
    parser.add_argument("--config", default="config/banshi.toml", help="the suite's TOML configuration")
    parser.add_argument("--until", action="append", default=[], metavar="SOURCE=SEQ",
                        help="exit once SOURCE's events through SEQ are applied (repeatable)")
    parser.add_argument("--timeout", type=float, default=0, help="give up after this many seconds (0: never)")
    parser.add_argument("--summary", action="store_true", help="print a JSON summary at the end")
    parser.add_argument("--quiet", action="store_true", help="do not print one line per event")
    parser.add_argument("--key", default="operator", help="with CURVE on: the key to act as, KEYS_DIR/NAME.key (default operator)")
    options = parser.parse_args()

    try:
        with open(options.config, "rb") as file:
            config = tomllib.load(file)
        targets = {}
        for item in options.until:
            name, _, seq = item.partition("=")
            targets[name] = int(seq)
        curve = Curve(config, options.key) if config.get("security", {}).get("curve") else None
    except (OSError, tomllib.TOMLDecodeError, ValueError, KeyError) as error:
        print(f"downstream: {error}", file=sys.stderr)
        return 2

    context = zmq.Context()
    follower = Follower(context, config, options.prefixes, 3000, not options.quiet, curve)
    # Subscribed first (the socket queues live events); now catch up from every source's log.
    for source in follower.sources.values():
        follower.catch_up(source)

    deadline = time.monotonic() + options.timeout if options.timeout else None
    reached = False
    try:
        while True:
            if targets and all(follower.sources[n].applied >= s for n, s in targets.items() if n in follower.sources):
                reached = True
                break
            if deadline and time.monotonic() > deadline:
                break
            if follower.sub.poll(100):
                follower.on_message(follower.sub.recv_multipart())
    except KeyboardInterrupt:
        pass
    if options.summary:
        print(json.dumps({"sources": {
            s.name: {"applied_seq": s.applied, "count": s.count, "fetched": s.fetched, "skipped": s.skipped}
            for s in follower.sources.values()
        }}), flush=True)
    follower.sub.close()
    context.term()
    return 0 if reached or not targets else 1


if __name__ == "__main__":
    sys.exit(main())
