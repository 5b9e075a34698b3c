// The peers' equivalent of banshi-bench's durable end to end and paced phases, one system at a time:
//
//     peers nats  URL  [--count N] [--rate R] [--seconds S]
//     peers redis PORT [--count N] [--rate R] [--seconds S]
//
// Prints one JSON line: `throughput`, messages/s from the first publish to the last consumed, with a
// publisher and a durable consumer running together (as Banshi's durable end to end), and
// `latency_ms`, p50/p99/p999 from publish to consumed at a steady `rate` (as Banshi's
// commit-to-applied). At the steady rate the publisher sends, a thousand times a second, the
// messages that have fallen due (20 at 20,000/s), as banshi-bench sends 1,000 commands of 20 events
// a second. Messages are 365 bytes, the size of a Banshi envelope, and start with the machine's
// monotonic clock in nanoseconds. The consumer runs on its own thread with its own connection.
//
// NATS JetStream: a file-backed stream; the publisher sends plain publishes into the stream's subject,
// flushed together per batch (the stream stores each one); a durable pull consumer fetches up to
// 1,000 at a time and acknowledges each batch by its last message (ack policy "all").
// Redis Streams: XADD pipelined per batch; a consumer group read with XREADGROUP (COUNT 1000, BLOCK
// 1000) and acknowledged with XACK.
//
// Built by scripts/peers.sh with the peers' own C clients from Debian (libnats, hiredis).
#include <hiredis/hiredis.h>
#include <nats/nats.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { messageSize = 365, fetchSize = 1000, burstBatch = 1000 };

static int64_t monotonicNanos(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void fail(const char *what, const char *detail) {
    fprintf(stderr, "peers: %s: %s\n", what, detail ? detail : "failed");
    exit(1);
}

/// A message: the stamp in its first 8 bytes (big-endian), then filler to 365 bytes.
static void stampMessage(char *message) {
    uint64_t stamp = (uint64_t)monotonicNanos();
    for (int i = 7; i >= 0; i--) {
        message[i] = (char)(stamp & 0xff);
        stamp >>= 8;
    }
}

static int64_t stampOf(const char *data, int length) {
    if (length < 8) fail("consumer", "a message shorter than its stamp");
    uint64_t stamp = 0;
    for (int i = 0; i < 8; i++) stamp = (stamp << 8) | (uint8_t)data[i];
    return (int64_t)stamp;
}

/// What one system is made of: its set-up, its consumer and its publisher's batch.
typedef struct System {
    void (*setup)(const char *address, const char *name);
    /// Connects, sets `ready`, and consumes until `expected` messages came, noting each one's latency.
    void (*consume)(const char *address, const char *name, int expected, int64_t *latencies, atomic_int *ready);
    void *(*connect)(const char *address);
    void (*publish)(void *connection, const char *name, int count);
    void (*disconnect)(void *connection);
} System;

// ---- NATS JetStream ----

static void natsCheck(natsStatus status, const char *what) {
    if (status != NATS_OK) fail(what, natsStatus_GetText(status));
}

static void *natsConnect(const char *url) {
    natsConnection *connection = NULL;
    natsCheck(natsConnection_ConnectTo(&connection, url), "nats connect");
    return connection;
}

static void natsSetup(const char *url, const char *name) {
    natsConnection *connection = natsConnect(url);
    jsCtx *js = NULL;
    natsCheck(natsConnection_JetStream(&js, connection, NULL), "jetstream");
    char subject[128];
    snprintf(subject, sizeof subject, "%s.x", name);
    const char *subjects[] = {subject};
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    config.Name = name;
    config.Subjects = subjects;
    config.SubjectsLen = 1;
    config.Storage = js_FileStorage;
    jsErrCode error = 0;
    natsCheck(js_AddStream(NULL, js, &config, NULL, &error), "add stream");
    jsCtx_Destroy(js);
    natsConnection_Destroy(connection);
}

static void natsConsume(const char *url, const char *name, int expected, int64_t *latencies, atomic_int *ready) {
    natsConnection *connection = natsConnect(url);
    jsCtx *js = NULL;
    natsCheck(natsConnection_JetStream(&js, connection, NULL), "jetstream");
    char subject[128];
    snprintf(subject, sizeof subject, "%s.x", name);
    jsSubOptions options;
    jsSubOptions_Init(&options);
    options.Config.AckPolicy = js_AckAll;
    natsSubscription *subscription = NULL;
    jsErrCode error = 0;
    natsCheck(js_PullSubscribe(&subscription, js, subject, "c", NULL, &options, &error), "pull subscribe");
    atomic_store(ready, 1);
    int received = 0;
    while (received < expected) {
        natsMsgList list = {0};
        natsStatus status = natsSubscription_Fetch(&list, subscription, fetchSize, 1000, &error);
        if (status == NATS_TIMEOUT) continue;
        natsCheck(status, "fetch");
        int64_t now = monotonicNanos();
        for (int i = 0; i < list.Count && received < expected; i++) {
            natsMsg *message = list.Msgs[i];
            latencies[received++] = now - stampOf(natsMsg_GetData(message), natsMsg_GetDataLength(message));
        }
        if (list.Count > 0) natsCheck(natsMsg_Ack(list.Msgs[list.Count - 1], NULL), "ack");
        natsMsgList_Destroy(&list);
    }
    natsSubscription_Destroy(subscription);
    jsCtx_Destroy(js);
    natsConnection_Destroy(connection);
}

static void natsPublish(void *connection, const char *name, int count) {
    char subject[128], message[messageSize];
    snprintf(subject, sizeof subject, "%s.x", name);
    memset(message, 'x', sizeof message);
    for (int i = 0; i < count; i++) {
        stampMessage(message);
        natsCheck(natsConnection_Publish(connection, subject, message, messageSize), "publish");
    }
    natsCheck(natsConnection_Flush(connection), "flush");
}

static void natsDisconnect(void *connection) { natsConnection_Destroy(connection); }

// ---- Redis Streams ----

static void *redisConnectTo(const char *port) {
    redisContext *context = redisConnect("127.0.0.1", atoi(port));
    if (context == NULL || context->err) fail("redis connect", context ? context->errstr : NULL);
    return context;
}

static redisReply *redisCheck(redisContext *context, redisReply *reply, const char *what) {
    if (reply == NULL) fail(what, context->errstr);
    if (reply->type == REDIS_REPLY_ERROR) fail(what, reply->str);
    return reply;
}

static void redisSetup(const char *port, const char *name) {
    redisContext *context = redisConnectTo(port);
    freeReplyObject(redisCheck(context, redisCommand(context, "XGROUP CREATE %s c 0 MKSTREAM", name), "xgroup create"));
    redisFree(context);
}

static void redisConsume(const char *port, const char *name, int expected, int64_t *latencies, atomic_int *ready) {
    redisContext *context = redisConnectTo(port);
    atomic_store(ready, 1);
    const char **arguments = malloc(sizeof(char *) * (3 + fetchSize));
    size_t *lengths = malloc(sizeof(size_t) * (3 + fetchSize));
    int received = 0;
    while (received < expected) {
        redisReply *reply = redisCheck(
            context, redisCommand(context, "XREADGROUP GROUP c one COUNT %d BLOCK 1000 STREAMS %s >", fetchSize, name), "xreadgroup");
        if (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0) {
            freeReplyObject(reply);
            continue;
        }
        int64_t now = monotonicNanos();
        redisReply *entries = reply->element[0]->element[1];
        arguments[0] = "XACK", arguments[1] = name, arguments[2] = "c";
        lengths[0] = 4, lengths[1] = strlen(name), lengths[2] = 1;
        for (size_t i = 0; i < entries->elements; i++) {
            redisReply *entry = entries->element[i];
            redisReply *value = entry->element[1]->element[1];
            if (received < expected) latencies[received++] = now - stampOf(value->str, (int)value->len);
            arguments[3 + i] = entry->element[0]->str;
            lengths[3 + i] = entry->element[0]->len;
        }
        freeReplyObject(redisCheck(context, redisCommandArgv(context, 3 + (int)entries->elements, arguments, lengths), "xack"));
        freeReplyObject(reply);
    }
    free(arguments);
    free(lengths);
    redisFree(context);
}

static void redisPublish(void *connection, const char *name, int count) {
    redisContext *context = connection;
    char message[messageSize];
    memset(message, 'x', sizeof message);
    for (int i = 0; i < count; i++) {
        stampMessage(message);
        if (redisAppendCommand(context, "XADD %s * d %b", name, message, (size_t)messageSize) != REDIS_OK) fail("xadd", context->errstr);
    }
    for (int i = 0; i < count; i++) {
        redisReply *reply = NULL;
        if (redisGetReply(context, (void **)&reply) != REDIS_OK) fail("xadd", context->errstr);
        freeReplyObject(redisCheck(context, reply, "xadd"));
    }
}

static void redisDisconnect(void *connection) { redisFree(connection); }

// ---- One run ----

typedef struct Consumer {
    const System *system;
    const char *address, *name;
    int expected;
    int64_t *latencies;
    atomic_int ready;
    int64_t finished;
} Consumer;

static void *consumerThread(void *argument) {
    Consumer *consumer = argument;
    consumer->system->consume(consumer->address, consumer->name, consumer->expected, consumer->latencies, &consumer->ready);
    consumer->finished = monotonicNanos();
    return NULL;
}

static int compareLatencies(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double percentile(const int64_t *sorted, int count, double fraction) {
    int index = (int)(count * fraction);
    return sorted[index < count ? index : count - 1] / 1e6;
}

/// Publishes `count` messages as fast as it can, or `rate` a second for `seconds` when `count` is 0,
/// while the consumer reads them. Returns messages/s end to end; fills `latencyMs` (p50, p99, p999).
static double oneRun(const System *system, const char *address, int count, double rate, double seconds, double latencyMs[3]) {
    static int runs = 0;
    char name[64];
    snprintf(name, sizeof name, "bench%lld%d", (long long)monotonicNanos(), runs++);
    system->setup(address, name);
    int expected = count ? count : (int)(rate * seconds);
    Consumer consumer = {.system = system, .address = address, .name = name, .expected = expected};
    consumer.latencies = malloc(sizeof(int64_t) * (size_t)expected);
    atomic_init(&consumer.ready, 0);
    pthread_t thread;
    if (pthread_create(&thread, NULL, consumerThread, &consumer) != 0) fail("consumer", "no thread");
    while (!atomic_load(&consumer.ready)) {
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
    void *connection = system->connect(address);
    int64_t start = monotonicNanos();
    if (count) {
        for (int sent = 0; sent < count; sent += burstBatch) system->publish(connection, name, count - sent < burstBatch ? count - sent : burstBatch);
    } else {
        // A thousand ticks a second; each sends what has fallen due by then.
        int sent = 0;
        for (int64_t tick = 0; sent < expected; tick++) {
            int64_t at = start + tick * 1000000;
            int64_t wait = at - monotonicNanos();
            if (wait > 0) {
                struct timespec pause = {wait / 1000000000, wait % 1000000000};
                nanosleep(&pause, NULL);
            }
            int due = (int)((double)(monotonicNanos() - start) / 1e9 * rate) + 1;
            if (due > expected) due = expected;
            if (due > sent) {
                system->publish(connection, name, due - sent);
                sent = due;
            }
        }
    }
    pthread_join(thread, NULL);
    system->disconnect(connection);
    qsort(consumer.latencies, (size_t)expected, sizeof(int64_t), compareLatencies);
    latencyMs[0] = percentile(consumer.latencies, expected, 0.5);
    latencyMs[1] = percentile(consumer.latencies, expected, 0.99);
    latencyMs[2] = percentile(consumer.latencies, expected, 0.999);
    free(consumer.latencies);
    return expected / ((consumer.finished - start) / 1e9);
}

static const System nats = {natsSetup, natsConsume, natsConnect, natsPublish, natsDisconnect};
static const System redis = {redisSetup, redisConsume, redisConnectTo, redisPublish, redisDisconnect};

int main(int argc, char **argv) {
    const char *usage = "usage: peers nats URL | peers redis PORT  [--count N] [--rate R] [--seconds S]";
    if (argc < 3) fail("arguments", usage);
    const System *system = strcmp(argv[1], "nats") == 0 ? &nats : strcmp(argv[1], "redis") == 0 ? &redis : NULL;
    if (system == NULL) fail("arguments", usage);
    int count = 200000;
    double rate = 20000, seconds = 10;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--count") == 0) count = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--rate") == 0) rate = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--seconds") == 0) seconds = atof(argv[i + 1]);
        else fail("arguments", usage);
    }
    if (count <= 0 || rate <= 0 || seconds <= 0 || (argc - 3) % 2 != 0) fail("arguments", usage);
    // The paced run first, on a fresh server, then the burst: banshi-bench runs its steady phase
    // before its burst too, so that no run's latency waits behind the other's writes.
    double unused[3], latency[3];
    oneRun(system, argv[2], 0, rate, seconds, latency);
    double throughput = oneRun(system, argv[2], count, 0, 0, unused);
    printf("{\"system\": \"%s\", \"throughput\": %.1f, \"latency_ms\": {\"p50\": %.3f, \"p99\": %.3f, \"p999\": %.3f}}\n", argv[1], throughput,
           latency[0], latency[1], latency[2]);
    return 0;
}
