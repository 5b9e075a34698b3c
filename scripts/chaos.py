#!/usr/bin/env python3
"""A chaos soak: the whole suite under `banshictl up`, a load driver, and random kill -9 of any service.

For --minutes (default 10), at most --rate flows a second (default 20), every --kill-every seconds
(default 3) one service of the suite, the bus
included, is killed with SIGKILL; `banshictl up` restarts it (back-off 1, 2, 4 ... s). Meanwhile the
driver runs the flagship flow (a child registered, a sexual-assault case, an abuse referral, which the
coordinator turns into judicial aid at petition, decided there, recorded back on the child's case) and
bulk commands on every program (enterprise outreach, lawyer firms, public-interest sites). Every
command is sent with its own request id and resent with the same id until it is answered, so an
acknowledged command is one the service stored, once.

At the end (kills stop, everything restarted and settled) it checks: every service's log is gapless;
every acknowledged command's events are in its service's log; every referral got exactly one aid;
every decision was recorded once on its case; reporting's history holds every event of every log; no
subscriber lags. It prints one summary line and exits 0 only when nothing was lost or duplicated:

    chaos: 600 s, flows 412, commands 2398, kills 196, partitions 0, events 5123, lost 0, duplicated 0

Partitions need hosts as network namespaces, which `MultiHostSystemTests` drives; this soak runs on
one host and reports partitions 0. Needs pyzmq (scripts/setup.sh installs it) and a built suite.

    python3 scripts/chaos.py --bin .build/release --minutes 10
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import zmq

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_config(directory):
    """The shipped config with every port free and the data under `directory`."""
    with open(os.path.join(REPOSITORY, "config/banshi.toml")) as file:
        text = file.read()
    text = re.sub(r'^data_dir = .*$', f'data_dir = "{directory}/var"', text, flags=re.M)
    text = re.sub(r"tcp://127\.0\.0\.1:\d+", lambda _: f"tcp://127.0.0.1:{free_port()}", text)
    # Files the services write stay in the temporary directory (config/ files are read from the
    # repository, the suite's working directory).
    text = re.sub(r'^evidence_dir = .*$', f'evidence_dir = "{directory}/var/public-interest/evidence"', text, flags=re.M)
    text = re.sub(r'^metrics_file = .*$', f'metrics_file = "{directory}/banshi.prom"', text, flags=re.M)
    path = os.path.join(directory, "banshi.toml")
    with open(path, "w") as file:
        file.write(text)
    return path


def controls(config_path):
    """Each service's control endpoint, read from the config (bus included)."""
    import tomllib
    with open(config_path, "rb") as file:
        config = tomllib.load(file)
    found = {"bus": config["bus"]["control"]}
    for name, section in config.get("services", {}).items():
        found[name] = section["control"]
    return found


class Client:
    """Commands with their own ids, resent with the same id until answered (idempotency)."""

    def __init__(self, context, endpoints):
        self.context = context
        self.endpoints = endpoints

    def once(self, service, request, timeout_ms):
        sock = self.context.socket(zmq.DEALER)
        sock.setsockopt(zmq.LINGER, 0)
        sock.connect(self.endpoints[service])
        try:
            sock.send_multipart([b"", json.dumps(request).encode()])
            if sock.poll(timeout_ms) == 0:
                return None
            return json.loads(sock.recv_multipart()[-1])
        finally:
            sock.close()

    def call(self, service, command, args=None, request_id=None, patience=120.0):
        """The reply (ok or an error reply); None if the service never answered within `patience`."""
        request = {"id": request_id or str(uuid.uuid4()), "command": command, "args": args or {}}
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            reply = self.once(service, request, 1500)
            if reply is not None and not (not reply.get("ok") and reply.get("error", {}).get("code") == "unavailable"):
                return reply
            time.sleep(0.2)
        return None


def pids(bin_dir, config_path):
    out = subprocess.run([f"{bin_dir}/banshictl", "ps", "--config", config_path], capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 3 and parts[1] == "running" and parts[2].isdigit():
            found[parts[0]] = int(parts[2])
    return found


def aids_by_source(client):
    """Petition's aid cases by their source reference (the children case), a page at a time."""
    found, offset = {}, 0
    while True:
        page = client.call("petition", "aid.list", {"limit": 1000, "offset": offset})["result"]["aid_cases"]
        for aid in page:
            found.setdefault(aid.get("source_ref"), []).append(aid)
        if len(page) < 1000:
            return found
        offset += len(page)


def log_of(client, service):
    events, after = [], 0
    while True:
        reply = client.call(service, "events.since", {"after_seq": after, "limit": 1000})
        page = reply["result"]
        events += page["events"]
        if not page["has_more"] or not page["events"]:
            return events
        after = page["events"][-1]["seq"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(REPOSITORY, ".build/release"), help="the built executables")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--kill-every", type=float, default=3.0, help="seconds between kills")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--rate", type=float, default=20.0, help="flagship flows started per second at most (each with three bulk commands)")
    options = parser.parse_args()
    rng = random.Random(options.seed)

    directory = tempfile.mkdtemp(prefix="banshi-chaos-")
    config_path = write_config(directory)
    endpoints = controls(config_path)
    up_log = open(os.path.join(directory, "up.log"), "w")
    up = subprocess.Popen(
        [f"{options.bin}/banshictl", "up", "--config", config_path, "--bin", options.bin, "--max-restarts", "100"],
        stdout=up_log, stderr=subprocess.STDOUT, cwd=REPOSITORY)
    context = zmq.Context()
    client = Client(context, endpoints)
    summary = {"flows": 0, "commands": 0, "kills": 0, "partitions": 0}
    acknowledged = []   # (service, request id) of every command answered ok that appends events
    referred = []       # victim case ids referred
    problems = []
    passed = False
    try:
        deadline = time.monotonic() + 60
        while "up | ready:" not in open(os.path.join(directory, "up.log")).read():
            if time.monotonic() > deadline or up.poll() is not None:
                print(f"chaos: the suite did not come up; see {directory}/up.log", file=sys.stderr)
                return 2
            time.sleep(0.2)

        def command(service, name, args):
            request_id = str(uuid.uuid4())
            reply = client.call(service, name, args, request_id)
            summary["commands"] += 1
            if reply is None:
                problems.append(f"{service} {name} never answered")
                return None
            if not reply.get("ok"):
                return None
            acknowledged.append((service, request_id))
            return reply["result"]

        started = time.monotonic()
        end = started + options.minutes * 60
        next_kill = started + options.kill_every
        services = list(endpoints)
        next_flow = started
        while time.monotonic() < end:
            # Pacing of the load driver: at most --rate flows a second.
            next_flow += 1.0 / options.rate
            if next_flow > time.monotonic():
                time.sleep(next_flow - time.monotonic())
            if time.monotonic() >= next_kill:
                running = pids(options.bin, config_path)
                victim = rng.choice(services)
                if victim in running:
                    os.kill(running[victim], signal.SIGKILL)
                    summary["kills"] += 1
                next_kill = time.monotonic() + options.kill_every
            # The flagship flow.
            child = command("children", "child.register", {
                "name": "受害儿童", "birth_date": "2014-06-01", "household_province": "河南省", "migrant_status": "migrant"})
            if child:
                case = command("children", "victim-case.register", {"child_id": child["child_id"], "offence_type": "sexual-assault"})
                if case and command("children", "abuse.refer", {"case_id": case["case_id"], "situation": "邻居报告"}):
                    referred.append(case["case_id"])
                    summary["flows"] += 1
            # Bulk commands on the other programs.
            command("enterprise", "outreach.record", {"kind": "brochure", "title": "合规手册", "quantity": 5})
            command("lawyer", "firm.register", {"name": f"律所{uuid.uuid4().hex[:6]}", "region": "南湖区"})
            command("public-interest", "site.register", {
                "kind": "water", "name": f"河段{uuid.uuid4().hex[:6]}", "district": "南湖区", "water_body": "river", "target_class": "III"})

        # Everything back, then the decisions.
        time.sleep(5)
        deadline = time.monotonic() + 120
        while len(pids(options.bin, config_path)) < len(services) and time.monotonic() < deadline:
            time.sleep(0.5)
        aids = {}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            aids = aids_by_source(client)
            if all(case in aids for case in referred):
                break
            time.sleep(1)
        for case in referred:
            for aid in aids.get(case, [])[:1]:
                command("petition", "aid.decide", {"aid_id": aid["id"], "decision": "approved", "amount": 20000})

        # Settled: the coordinator has nothing pending, every subscriber caught up.
        deadline = time.monotonic() + 180
        logs = {}
        while time.monotonic() < deadline:
            pending = client.call("coordinator", "delivery.list", {"status": "pending"})["result"]["deliveries"]
            logs = {name: log_of(client, name) for name in services if name not in ("bus", "reporting")}
            total = sum(len(events) for events in logs.values())
            history = client.call("reporting", "status")["result"].get("history_events", 0)
            lags = [state["lag"] for name in ("coordinator", "reporting")
                    for state in client.call(name, "status")["result"]["subscriptions"].values()]
            recorded = [e for e in logs["children"] if e["type"] == "children.aid.recorded"]
            if not pending and history == total and not any(lags) and len(recorded) >= len(referred):
                break
            time.sleep(1)
        else:
            problems.append(f"not settled: pending {len(pending)}, history {history} of {total}, lags {lags}")

        lost = duplicated = 0
        for name, events in logs.items():
            seqs = [e["seq"] for e in events]
            if seqs != list(range(1, len(seqs) + 1)):
                problems.append(f"{name}: its log is not gapless")
                duplicated += len(seqs) - len(set(seqs))
        caused = {(name, e.get("causationid")) for name, events in logs.items() for e in events}
        for service, request_id in acknowledged:
            if service in logs and (service, request_id) not in caused:
                lost += 1
        aids = aids_by_source(client)
        for case in referred:
            count = len(aids.get(case, []))
            lost += count == 0
            duplicated += max(0, count - 1)
        recorded = [e["data"]["case_id"] for e in logs["children"] if e["type"] == "children.aid.recorded"]
        lost += len(set(referred) - set(recorded))
        duplicated += len(recorded) - len(set(recorded))
        events = sum(len(events) for events in logs.values())
        seconds = round(options.minutes * 60)
        print(f"chaos: {seconds} s, flows {summary['flows']}, commands {summary['commands']}, kills {summary['kills']}, "
              f"partitions {summary['partitions']}, events {events}, lost {lost}, duplicated {duplicated}", flush=True)
        for problem in problems:
            print(f"chaos: {problem}", file=sys.stderr)
        passed = lost == 0 and duplicated == 0 and not problems
        if not passed:
            print(f"chaos: the suite's logs and databases are kept in {directory}", file=sys.stderr)
        return 0 if passed else 1
    finally:
        up.send_signal(signal.SIGTERM)
        try:
            up.wait(timeout=60)
        except subprocess.TimeoutExpired:
            up.kill()
        context.term()
        up_log.close()
        if passed:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
