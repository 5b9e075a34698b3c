#!/usr/bin/env python3
"""The peers' equivalent of banshi-bench's burst and steady phases, one system at a time.

    peers.py nats  --url nats://127.0.0.1:PORT      --count N --rate R --seconds S
    peers.py redis --port PORT                      --count N --rate R --seconds S

Each prints one JSON line: `throughput` (messages/s, first publish to last consumed, publisher and a
durable consumer running together, as Banshi's durable end to end) and `latency_ms` (p50/p99/p999
of publish to consumed at a steady `rate`, as Banshi's commit-to-applied). Messages are 365 bytes,
the size of a Banshi envelope. Publisher and consumer share this process and its clock.
"""
import argparse
import asyncio
import json
import time

PAYLOAD = b"x" * 349  # + a 16-byte stamp = 365 bytes


def stamp() -> bytes:
    return time.monotonic_ns().to_bytes(16, "big")


def percentiles(values):
    values = sorted(values)
    pick = lambda f: values[min(len(values) - 1, int(len(values) * f))] / 1e6 if values else 0
    return {"p50": pick(0.5), "p99": pick(0.99), "p999": pick(0.999)}


async def paced(publish, rate, seconds):
    """Calls publish() `rate` times a second for `seconds`, on schedule."""
    total = int(rate * seconds)
    start = time.monotonic()
    sent = 0
    while sent < total:
        due = start + sent / rate
        now = time.monotonic()
        if due > now:
            await asyncio.sleep(due - now)
        # Catch up in one go when behind, as an open-loop driver does.
        while sent < total and start + sent / rate <= time.monotonic():
            await publish()
            sent += 1
    return total


async def nats_run(args):
    import nats
    from nats.js.api import AckPolicy, ConsumerConfig, StorageType, StreamConfig

    async def one(count, rate, seconds):
        nc = await nats.connect(args.url)
        js = nc.jetstream()
        name = f"BENCH{time.monotonic_ns()}"
        await js.add_stream(StreamConfig(name=name, subjects=[f"{name}.x"], storage=StorageType.FILE))
        sub = await js.pull_subscribe(f"{name}.x", durable="c", config=ConsumerConfig(ack_policy=AckPolicy.ALL))
        latencies, received = [], 0
        expected = count if count else int(rate * seconds)

        async def consume():
            nonlocal received
            while received < expected:
                try:
                    batch = await sub.fetch(1000, timeout=1)
                except nats.errors.TimeoutError:
                    continue
                now = time.monotonic_ns()
                for msg in batch:
                    latencies.append(now - int.from_bytes(msg.data[:16], "big"))
                received += len(batch)
                await batch[-1].ack()

        consumer = asyncio.create_task(consume())
        start = time.monotonic()
        if count:
            for offset in range(0, count, 1000):
                await asyncio.gather(*(js.publish(f"{name}.x", stamp() + PAYLOAD) for _ in range(min(1000, count - offset))))
        else:
            await paced(lambda: js.publish(f"{name}.x", stamp() + PAYLOAD), rate, seconds)
        await consumer
        elapsed = time.monotonic() - start
        await js.delete_stream(name)
        await nc.close()
        return expected / elapsed, latencies

    throughput, _ = await one(args.count, 0, 0)
    _, latencies = await one(0, args.rate, args.seconds)
    return throughput, latencies


async def redis_run(args):
    import redis.asyncio as redis

    async def one(count, rate, seconds):
        client = redis.Redis(port=args.port)
        reader = redis.Redis(port=args.port)
        key = f"bench{time.monotonic_ns()}"
        await client.xgroup_create(key, "c", id="0", mkstream=True)
        latencies, received = [], 0
        expected = count if count else int(rate * seconds)

        async def consume():
            nonlocal received
            while received < expected:
                answer = await reader.xreadgroup("c", "one", {key: ">"}, count=1000, block=1000)
                if not answer:
                    continue
                now = time.monotonic_ns()
                entries = answer[0][1]
                for _, fields in entries:
                    latencies.append(now - int.from_bytes(fields[b"d"][:16], "big"))
                received += len(entries)
                await reader.xack(key, "c", *[entry_id for entry_id, _ in entries])

        consumer = asyncio.create_task(consume())
        start = time.monotonic()
        if count:
            for offset in range(0, count, 1000):
                pipe = client.pipeline(transaction=False)
                for _ in range(min(1000, count - offset)):
                    pipe.xadd(key, {"d": stamp() + PAYLOAD})
                await pipe.execute()
        else:
            await paced(lambda: client.xadd(key, {"d": stamp() + PAYLOAD}), rate, seconds)
        await consumer
        elapsed = time.monotonic() - start
        await client.delete(key)
        await client.aclose()
        await reader.aclose()
        return expected / elapsed, latencies

    throughput, _ = await one(args.count, 0, 0)
    _, latencies = await one(0, args.rate, args.seconds)
    return throughput, latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("system", choices=["nats", "redis"])
    parser.add_argument("--url", default="nats://127.0.0.1:4222")
    parser.add_argument("--port", type=int, default=6379)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--rate", type=float, default=20_000)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    throughput, latencies = asyncio.run(nats_run(args) if args.system == "nats" else redis_run(args))
    print(json.dumps({"system": args.system, "throughput": throughput, "latency_ms": percentiles(latencies)}))


if __name__ == "__main__":
    main()
