import SQLite

/// The reporting service's tables: the whole event history, the facts indicators are computed from,
/// and the state of a rebuild.
enum ReportingSchema {
    /// The page size of reporting's database file: 16 KiB rather than SQLite's 4 KiB. A history row
    /// with its envelope is about 500 bytes, so a 4 KiB leaf held about 7 and a new one began every
    /// few inserts, each a frame in the log and a page the checkpoint copies again; with 16 KiB
    /// pages the history is copied about 30% faster in SQLite alone and a catch-up runs 12–21%
    /// faster (docs/benchmarks.md, fifteenth set). The programs keep 4 KiB: their commits are a
    /// command's few rows, and every commit writes whole pages to the log. A file made before keeps
    /// its 4 KiB pages (docs/operations.md says how to convert one).
    static let pageSize = 16_384

    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("reporting-v1") { db in
            try db.execute(sql: """
                -- Every event of every followed service, once: (source, seq) is the source's log position.
                CREATE TABLE history (
                    n INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    seq INTEGER NOT NULL CHECK (seq >= 1),
                    id TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    subject TEXT,
                    time TEXT NOT NULL,
                    correlation_id TEXT NOT NULL,
                    causation_id TEXT,
                    envelope TEXT NOT NULL,
                    UNIQUE (source, seq)
                ) STRICT;
                CREATE INDEX history_type ON history(type, time);
                CREATE INDEX history_time ON history(time);
                CREATE INDEX history_subject ON history(subject);
                CREATE INDEX history_correlation ON history(correlation_id, time);

                -- What indicators count: per indicator, period ("2026", or "*" for every year) and entity,
                -- whether the entity counts and whether it meets the indicator. Applying a fact twice
                -- changes nothing (flags only rise), so live events and a rebuild can interleave.
                CREATE TABLE indicator_fact (
                    indicator TEXT NOT NULL,
                    period TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    counted INTEGER NOT NULL DEFAULT 0 CHECK (counted IN (0, 1)),
                    met INTEGER NOT NULL DEFAULT 0 CHECK (met IN (0, 1)),
                    PRIMARY KEY (indicator, period, entity)
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE rebuild_state (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    total INTEGER NOT NULL,
                    done INTEGER NOT NULL,
                    last_n INTEGER NOT NULL
                ) STRICT;
                """)
        }
        // Facts by day, not by year (a December report counts December), and a rate's open cases kept
        // apart as pending: the facts are derived again from the history by a rebuild that the
        // service drives at start (RebuildDriver), so reports say a rebuild is in progress meanwhile.
        migrator.registerMigration("reporting-v2") { db in
            try db.execute(sql: """
                ALTER TABLE indicator_fact ADD COLUMN settled INTEGER NOT NULL DEFAULT 1 CHECK (settled IN (0, 1));
                DELETE FROM indicator_fact;
                INSERT INTO rebuild_state (id, started_at, finished_at, total, done, last_n)
                VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL, (SELECT COUNT(*) FROM history), 0, 0)
                ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL, total = excluded.total, done = 0, last_n = 0;
                """)
        }
        // The history without its index on the event id: no query reads by id, and (source, seq)
        // already holds each event once. That index was a seventh B-tree to update for every event,
        // on a 36-character key: a catch-up runs about 7% faster without it (docs/benchmarks.md).
        // SQLite cannot drop a UNIQUE constraint, so the table is copied, once, keeping every row
        // and its `n` (a rebuild's position): at start, 13.5 s for a million events (docs/operations.md).
        migrator.registerMigration("reporting-v3") { db in
            try db.execute(sql: """
                CREATE TABLE history_v3 (
                    n INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    seq INTEGER NOT NULL CHECK (seq >= 1),
                    id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    subject TEXT,
                    time TEXT NOT NULL,
                    correlation_id TEXT NOT NULL,
                    causation_id TEXT,
                    envelope TEXT NOT NULL,
                    UNIQUE (source, seq)
                ) STRICT;
                INSERT INTO history_v3 (n, source, seq, id, type, subject, time, correlation_id, causation_id, envelope)
                SELECT n, source, seq, id, type, subject, time, correlation_id, causation_id, envelope FROM history ORDER BY n;
                DROP TABLE history;
                ALTER TABLE history_v3 RENAME TO history;
                CREATE INDEX history_type ON history(type, time);
                CREATE INDEX history_time ON history(time);
                CREATE INDEX history_subject ON history(subject);
                CREATE INDEX history_correlation ON history(correlation_id, time);
                """)
        }
        // The history without its index on (type, time): no query can use it. A listing filters on a
        // type prefix, `substr(type, 1, length(?)) = ?`, which no index serves, in time order (by
        // `history_time`); reports read the indicator facts. Every stored event still paid for a
        // B-tree insert: a catch-up runs about 9% faster without it (docs/benchmarks.md). Dropping an
        // index copies nothing: its pages go to the free list, for the next events to reuse.
        migrator.registerMigration("reporting-v4") { db in
            try db.execute(sql: "DROP INDEX history_type")
        }
    }
}