#!/usr/bin/env python3
"""One storm of connections on a Banshi control socket, for the memory checks in docs/benchmarks.md.

Opens N DEALER connections to ENDPOINT, sends `status` on each, waits for every reply, closes them
all and exits 0 (1 if a reply is missing after the timeout). With --pid it prints the service's
resident set before and after, which is how the figures in docs/benchmarks.md were taken.
CURVE must be off on that socket (a development config). Needs pyzmq (scripts/setup.sh installs it).

    python3 scripts/connection-storm.py tcp://127.0.0.1:7110 --connections 4000 --cycles 5 --pid 1234
"""
import argparse
import sys
import time

import zmq


def resident_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def storm(context, endpoint, connections, timeout):
    sockets = []
    for _ in range(connections):
        socket = context.socket(zmq.DEALER)
        socket.setsockopt(zmq.LINGER, 0)
        socket.connect(endpoint)
        socket.send_multipart([b"", b'{"id":"storm","command":"status"}'])
        sockets.append(socket)
    poller = zmq.Poller()
    for socket in sockets:
        poller.register(socket, zmq.POLLIN)
    answered, deadline = 0, time.monotonic() + timeout
    while answered < connections and time.monotonic() < deadline:
        for socket, _ in poller.poll(500):
            socket.recv_multipart()
            poller.unregister(socket)
            answered += 1
    for socket in sockets:
        socket.close()
    return answered


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("endpoint")
    parser.add_argument("--connections", type=int, default=300)
    parser.add_argument("--cycles", type=int, default=1)
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between cycles (the service trims after 2 s quiet)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--pid", type=int, help="the service's pid, to print its resident set")
    options = parser.parse_args()
    context = zmq.Context()
    context.set(zmq.MAX_SOCKETS, options.connections + 16)
    for cycle in range(1, options.cycles + 1):
        answered = storm(context, options.endpoint, options.connections, options.timeout)
        if answered < options.connections:
            print(f"cycle {cycle}: only {answered} of {options.connections} replies", file=sys.stderr)
            return 1
        if options.pid:
            time.sleep(options.pause)
            print(f"cycle {cycle}: {answered} replies, service at {resident_mb(options.pid)} MB after the storm", flush=True)
    context.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
