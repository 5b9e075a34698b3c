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

Where network namespaces can be made (root, iproute2; --hosts auto), the suite runs on two "hosts"
(the bus, coordinator and reporting on one, the programs on the other) on a private bridge; the soak
starts and restarts the services itself and cuts a random host off for --partition-for seconds every
--partition-every seconds. Elsewhere `banshictl up` runs it on one host, restarting what is killed,
and partitions stay 0. Needs pyzmq (scripts/setup.sh installs it) and a built suite.

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
import threading
import time
import uuid

import zmq

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


HANDED_OUT = set()


def port_candidates():
    """The soak's own thousand ports, below the kernel's ephemeral range, which neither the test
    process nor a nested benchmark picks from (FreePort in BanshiTesting): a port the kernel handed
    out to a probe could be taken by an outgoing connection's local port before the service bound it
    (seen: the bus's `Address already in use` on the bridge address), and a port another picker also
    chose could be taken while a killed service is down."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as file:
            low, high = (int(word) for word in file.read().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    last = low - 1 if low - 12000 >= 1024 else 65535
    return (last - 1999, last - 1000)


def free_port():
    first, last = port_candidates()
    while True:
        port = random.SystemRandom().randint(first, last)
        if port in HANDED_OUT:
            continue
        HANDED_OUT.add(port)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port


def write_config(directory, addresses=None):
    """The shipped config with every port free and the data under `directory`; with `addresses`
    (service → IP), each service's endpoints (the bus's under "bus") on its host's address."""
    with open(os.path.join(REPOSITORY, "config/banshi.toml")) as file:
        lines = file.read().splitlines()
    section, out = None, []
    for line in lines:
        header = re.match(r"^\[(?:services\.)?([a-z-]+)\]", line)
        if header:
            section = header.group(1)
        host = (addresses or {}).get(section, "127.0.0.1")
        line = re.sub(r"tcp://127\.0\.0\.1:\d+", lambda _: f"tcp://{host}:{free_port()}", line)
        out.append(line)
    text = "\n".join(out) + "\n"
    text = re.sub(r'^data_dir = .*$', f'data_dir = "{directory}/var"', text, flags=re.M)
    # Files the services write stay in the temporary directory (config/ files are read from the
    # repository, the suite's working directory).
    text = re.sub(r'^evidence_dir = .*$', f'evidence_dir = "{directory}/var/public-interest/evidence"', text, flags=re.M)
    text = re.sub(r'^metrics_file = .*$', f'metrics_file = "{directory}/banshi.prom"', text, flags=re.M)
    path = os.path.join(directory, "banshi.toml")
    with open(path, "w") as file:
        file.write(text)
    return path


class UpSuite:
    """One host: `banshictl up` runs the suite and restarts what is killed."""

    partitions = 0

    def __init__(self, bin_dir, directory):
        self.bin, self.directory = bin_dir, directory
        self.config = write_config(directory)
        self.log = open(os.path.join(directory, "up.log"), "w")
        self.up = subprocess.Popen(
            [f"{bin_dir}/banshictl", "up", "--config", self.config, "--bin", bin_dir, "--max-restarts", "100"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=REPOSITORY)

    def ready(self):
        if self.up.poll() is not None:
            raise RuntimeError(f"banshictl up exited; see {self.directory}/up.log")
        return "up | ready:" in open(os.path.join(self.directory, "up.log")).read()

    def running(self):
        return pids(self.bin, self.config)

    def kill(self, name):
        pid = self.running().get(name)
        if pid:
            os.kill(pid, signal.SIGKILL)
        return pid is not None

    def stop(self):
        self.up.send_signal(signal.SIGTERM)
        try:
            self.up.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.up.kill()
        self.log.close()


def ip(*arguments):
    subprocess.run(["ip", *arguments], check=True, capture_output=True)


class HostSuite:
    """Two hosts as network namespaces on a private bridge: the bus, coordinator and reporting on
    "core", the programs on "programs". The soak starts each service in its host and restarts it a
    moment after it is killed, and cuts a random host off the bridge now and then, then heals it."""

    placement = {"bus": "core", "coordinator": "core", "reporting": "core"}

    def __init__(self, bin_dir, directory, partition_every, partition_for):
        self.bin, self.directory = bin_dir, directory
        self.partition_every, self.partition_for = partition_every, partition_for
        tag = f"{os.getpid() % 65536:04x}"
        self.bridge = f"bc{tag}"
        subnet = f"10.{200 + os.getpid() % 50}.{os.getpid() % 250}"
        self.hosts = {}
        ip("link", "add", self.bridge, "type", "bridge")
        ip("addr", "add", f"{subnet}.254/24", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")
        for index, host in enumerate(["core", "programs"]):
            namespace, link, peer = f"banshi-chaos-{tag}-{host}", f"c{tag}{index}", f"q{tag}{index}"
            ip("netns", "add", namespace)
            ip("link", "add", link, "type", "veth", "peer", "name", peer)
            ip("link", "set", peer, "netns", namespace)
            ip("-n", namespace, "link", "set", peer, "name", "eth0")
            ip("-n", namespace, "addr", "add", f"{subnet}.{index + 1}/24", "dev", "eth0")
            ip("-n", namespace, "link", "set", "eth0", "up")
            ip("-n", namespace, "link", "set", "lo", "up")
            ip("link", "set", link, "master", self.bridge)
            ip("link", "set", link, "up")
            self.hosts[host] = {"namespace": namespace, "link": link, "address": f"{subnet}.{index + 1}"}
        names = ["bus", "enterprise", "lawyer", "children", "petition", "public-interest", "coordinator", "reporting"]
        self.host_of = {name: self.placement.get(name, "programs") for name in names}
        self.config = write_config(directory, {name: self.hosts[host]["address"] for name, host in self.host_of.items()})
        self.processes, self.restart_at, self.cut_until = {}, {}, None
        self.next_partition = time.monotonic() + partition_every
        self.partitions, self.calm = 0, False
        self.lock = threading.Lock()
        for name in names:
            self.start(name)
        # Restarts and partitions go on by themselves, whatever the driver is waiting for.
        self.rng = random.Random()
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping:
            with self.lock:
                self._tick()
            time.sleep(0.1)

    def start(self, name):
        log = open(os.path.join(self.directory, f"{name}.log"), "a")
        self.processes[name] = subprocess.Popen(
            ["ip", "netns", "exec", self.hosts[self.host_of[name]]["namespace"], f"{self.bin}/banshi-{name}", "--config", self.config],
            stdout=log, stderr=subprocess.STDOUT, cwd=REPOSITORY)

    def ready(self):
        """Every process alive (whether each answers is asked next)."""
        dead = [name for name, process in self.processes.items() if process.poll() is not None]
        if dead:
            raise RuntimeError(f"{', '.join(dead)} exited at start; see {self.directory}")
        return True

    def running(self):
        return {name: process.pid for name, process in self.processes.items() if process.poll() is None}

    def kill(self, name):
        with self.lock:
            process = self.processes[name]
            if process.poll() is not None:
                return False
            process.kill()
            process.wait()
            self.restart_at[name] = time.monotonic() + 1.0
            return True

    def _tick(self):
        """Restarts what is due; cuts or heals a host."""
        now = time.monotonic()
        for name, when in list(self.restart_at.items()):
            if now >= when:
                del self.restart_at[name]
                self.start(name)
        if self.cut_until and now >= self.cut_until[1]:
            ip("link", "set", self.hosts[self.cut_until[0]]["link"], "up")
            self.cut_until = None
        if not self.cut_until and not self.calm and now >= self.next_partition:
            host = self.rng.choice(list(self.hosts))
            ip("link", "set", self.hosts[host]["link"], "down")
            self.cut_until = (host, now + self.partition_for)
            self.next_partition = now + self.partition_every
            self.partitions += 1

    def settle(self):
        """No more chaos: every link up, every killed service started again."""
        with self.lock:
            self.calm = True
            for host in self.hosts.values():
                ip("link", "set", host["link"], "up")
            self.cut_until = None
            for name in list(self.restart_at):
                del self.restart_at[name]
                self.start(name)

    def stop(self):
        self.stopping = True
        self.thread.join()
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for host in self.hosts.values():
            subprocess.run(["ip", "netns", "delete", host["namespace"]], capture_output=True)
            subprocess.run(["ip", "link", "delete", host["link"]], capture_output=True)
        subprocess.run(["ip", "link", "delete", self.bridge], capture_output=True)


def namespaces_available():
    if os.geteuid() != 0 or not shutil.which("ip"):
        return False
    probe = f"banshi-probe-{os.getpid()}"
    if subprocess.run(["ip", "netns", "add", probe], capture_output=True).returncode != 0:
        return False
    subprocess.run(["ip", "netns", "delete", probe], capture_output=True)
    return True


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
    parser.add_argument("--hosts", choices=["auto", "on", "off"], default="auto",
                        help="run the suite on two hosts (network namespaces: root and iproute2) and cut their links now and then; auto: when possible")
    parser.add_argument("--partition-every", type=float, default=20.0, help="seconds between partitions (with hosts)")
    parser.add_argument("--partition-for", type=float, default=5.0, help="how long a host stays cut off")
    parser.add_argument("--rate", type=float, default=20.0, help="flagship flows started per second at most (each with three bulk commands)")
    options = parser.parse_args()
    rng = random.Random(options.seed)

    directory = tempfile.mkdtemp(prefix="banshi-chaos-")
    hosts = options.hosts == "on" or (options.hosts == "auto" and namespaces_available())
    suite = HostSuite(options.bin, directory, options.partition_every, options.partition_for) if hosts else UpSuite(options.bin, directory)
    config_path = suite.config
    endpoints = controls(config_path)
    context = zmq.Context()
    client = Client(context, endpoints)
    summary = {"flows": 0, "commands": 0, "kills": 0, "partitions": 0}
    acknowledged = []   # (service, request id) of every command answered ok that appends events
    referred = []       # victim case ids referred
    problems = []
    passed = False
    try:
        deadline = time.monotonic() + 60
        while not suite.ready():
            if time.monotonic() > deadline:
                print(f"chaos: the suite did not come up; see {directory}", file=sys.stderr)
                return 2
            time.sleep(0.2)
        # Every service answers before the chaos starts.
        for name in endpoints:
            if client.call(name, "status", patience=60) is None:
                print(f"chaos: {name} did not answer; see {directory}", file=sys.stderr)
                return 2

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
            # Read the clock once: between a check and a second reading the wait can turn negative.
            wait = next_flow - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if time.monotonic() >= next_kill:
                if suite.kill(rng.choice(services)):
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
        if hosts:
            suite.settle()
        time.sleep(5)
        deadline = time.monotonic() + 120
        while len(suite.running()) < len(services) and time.monotonic() < deadline:
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
                # On a stated day: the cap of a decision made today depends on the wage table's years.
                command("petition", "aid.decide", {"aid_id": aid["id"], "decision": "approved", "amount": 20000, "now": "2026-05-01T00:00:00Z"})

        # Settled: the coordinator has nothing pending, reporting holds as many events as the logs,
        # no subscriber lags (cheap status calls; the logs are read once, after).
        deadline = time.monotonic() + 300
        publishers = [name for name in services if name not in ("bus", "reporting")]
        calm = 0  # consecutive checks that found everything settled: one could fall between two steps
        while True:
            pending = client.call("coordinator", "delivery.list", {"status": "pending"})["result"]["deliveries"]
            total = sum(client.call(name, "status")["result"]["last_seq"] for name in publishers)
            history = client.call("reporting", "status")["result"].get("history_events", 0)
            lags = [state["lag"] for name in ("coordinator", "reporting")
                    for state in client.call(name, "status")["result"]["subscriptions"].values()]
            calm = calm + 1 if not pending and history == total and not any(lags) else 0
            if calm >= 3:
                break
            if time.monotonic() > deadline:
                problems.append(f"not settled: pending {len(pending)}, history {history} of {total}, lags {lags}")
                break
            time.sleep(1)
        logs = {name: log_of(client, name) for name in publishers}

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
        summary["partitions"] = suite.partitions
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
        suite.stop()
        context.term()
        if passed:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
