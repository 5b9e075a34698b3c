#!/usr/bin/env python3
"""The peers' equivalent of banshi-bench's burst and steady phases, one system at a time.

    peers.py nats  --url nats://127.0.0.1:PORT --count N --rate R --seconds S
    peers.py redis --port PORT                 --count N --rate R --seconds S

Prints one JSON line: `throughput` (messages/s from the first publish to the last consumed, with the
publisher and a durable consumer running together, as Banshi's durable end to end) and `latency_ms`
(p50/p99/p999 from publish to consumed at a steady `rate`, as Banshi's commit-to-applied). Messages
are 365 bytes, the size of a Banshi envelope. The publisher and the consumer are two processes (one
Python process could not drive both), stamping with the machine's monotonic clock.
"""
import argparse
import asyncio
import json
import multiprocessing
import time

PAYLOAD = b"x" * 349  # + a 16-byte stamp = 365 bytes


def stamp() -> bytes:
    return time.monotonic_ns().to_bytes(16, "big")


def percentiles(values):
    values = sorted(values)
    pick = lambda f: values[min(len(values) - 1, int(len(values) * f))] / 1e6 if values else 0
    return {"p50": pick(0.5), "p99": pick(0.99), "p999": pick(0.999)}


async def paced(publish_batch, rate, seconds):
    """Sends `rate` messages a second for `seconds`, on schedule: each call of publish_batch(n) sends
    the n messages that have fallen due (more than one only when the driver fell behind)."""
    total = int(rate * seconds)
    start = time.monotonic()
    sent = 0
    while sent < total:
        due = min(total, int((time.monotonic() - start) * rate) + 1)
        if due > sent:
            await publish_batch(due - sent)
            sent = due
        await asyncio.sleep(max(0, start + sent / rate - time.monotonic()))


# NATS JetStream: a file-backed stream, a durable pull consumer that acknowledges each batch.

async def nats_setup(args, name):
    import nats
    from nats.js.api import StorageType, StreamConfig
    nc = await nats.connect(args.url)
    await nc.jetstream().add_stream(StreamConfig(name=name, subjects=[f"{name}.x"], storage=StorageType.FILE))
    await nc.close()


async def nats_consume(args, name, expected, ready):
    import nats
    from nats.js.api import AckPolicy, ConsumerConfig
    nc = await nats.connect(args.url)
    sub = await nc.jetstream().pull_subscribe(f"{name}.x", durable="c", config=ConsumerConfig(ack_policy=AckPolicy.ALL))
    ready.set()
    latencies, received = [], 0
    while received < expected:
        try:
            batch = await sub.fetch(1000, timeout=1)
        except nats.errors.TimeoutError:
            continue
        now = time.monotonic_ns()
        latencies += [now - int.from_bytes(msg.data[:16], "big") for msg in batch]
        received += len(batch)
        await batch[-1].ack()
    await nc.close()
    return latencies


async def nats_publish(args, name, count, rate, seconds):
    import nats
    nc = await nats.connect(args.url)

    async def publish_batch(n):
        # Plain publishes into the stream's subject, flushed together: the stream stores each one. A
        # JetStream publish awaits an acknowledgement per message, which this client cannot pipeline
        # fast enough to load the server.
        for _ in range(n):
            await nc.publish(f"{name}.x", stamp() + PAYLOAD)
        await nc.flush()

    await drive(publish_batch, count, rate, seconds)
    await nc.close()


# Redis Streams: XADD pipelined by the publisher, a consumer group read with XREADGROUP and XACK.

async def redis_setup(args, name):
    import redis.asyncio as redis
    client = redis.Redis(port=args.port)
    await client.xgroup_create(name, "c", id="0", mkstream=True)
    await client.aclose()


async def redis_consume(args, name, expected, ready):
    import redis.asyncio as redis
    reader = redis.Redis(port=args.port)
    ready.set()
    latencies, received = [], 0
    while received < expected:
        answer = await reader.xreadgroup("c", "one", {name: ">"}, count=1000, block=1000)
        if not answer:
            continue
        now = time.monotonic_ns()
        entries = answer[0][1]
        latencies += [now - int.from_bytes(fields[b"d"][:16], "big") for _, fields in entries]
        received += len(entries)
        await reader.xack(name, "c", *[entry_id for entry_id, _ in entries])
    await reader.aclose()
    return latencies


async def redis_publish(args, name, count, rate, seconds):
    import redis.asyncio as redis
    client = redis.Redis(port=args.port)

    async def publish_batch(n):
        pipe = client.pipeline(transaction=False)
        for _ in range(n):
            pipe.xadd(name, {"d": stamp() + PAYLOAD})
        await pipe.execute()

    await drive(publish_batch, count, rate, seconds)
    await client.aclose()


async def drive(publish_batch, count, rate, seconds):
    if count:
        for offset in range(0, count, 1000):
            await publish_batch(min(1000, count - offset))
    else:
        await paced(publish_batch, rate, seconds)


SYSTEMS = {"nats": (nats_setup, nats_consume, nats_publish), "redis": (redis_setup, redis_consume, redis_publish)}


def consumer_process(args, name, expected, ready, results):
    _, consume, _ = SYSTEMS[args.system]
    latencies = asyncio.run(consume(args, name, expected, ready))
    results.put({"finished": time.monotonic(), "latency_ms": percentiles(latencies)})


def one_run(args, count, rate, seconds):
    """Publishes `count` messages as fast as it can (or `rate` a second for `seconds`) while the
    consumer process reads them; returns (messages/s end to end, latency percentiles)."""
    setup, _, publish = SYSTEMS[args.system]
    name = f"bench{time.monotonic_ns()}"
    asyncio.run(setup(args, name))
    expected = count or int(rate * seconds)
    ready, results = multiprocessing.Event(), multiprocessing.Queue()
    consumer = multiprocessing.Process(target=consumer_process, args=(args, name, expected, ready, results))
    consumer.start()
    ready.wait(30)
    start = time.monotonic()
    asyncio.run(publish(args, name, count, rate, seconds))
    result = results.get(timeout=600)
    consumer.join()
    return expected / (result["finished"] - start), result["latency_ms"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("system", choices=sorted(SYSTEMS))
    parser.add_argument("--url", default="nats://127.0.0.1:4222")
    parser.add_argument("--port", type=int, default=6379)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--rate", type=float, default=20_000)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    throughput, _ = one_run(args, args.count, 0, 0)
    _, latency = one_run(args, 0, args.rate, args.seconds)
    print(json.dumps({"system": args.system, "throughput": throughput, "latency_ms": latency}))


if __name__ == "__main__":
    main()
