import SQLite

/// The coordinator's tables: every routing decision (a delivery), every attempt, and the rule
/// switches set from `banshictl`.
enum CoordinatorSchema {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("coordinator-v1") { db in
            try db.execute(sql: """
                -- One row per (rule, event): the decision to route, and where its delivery stands. The id,
                -- "<rule>/<event id>", is also the command's request id, so the target applies it once.
                CREATE TABLE delivery (
                    id TEXT PRIMARY KEY,
                    rule_id TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    event_type TEXT NOT NULL,
                    source TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    correlation_id TEXT NOT NULL,
                    event TEXT NOT NULL,
                    target TEXT NOT NULL,
                    command TEXT NOT NULL,
                    args TEXT,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
                    problem TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    next_attempt_at TEXT NOT NULL,
                    last_error TEXT,
                    decided_at TEXT NOT NULL,
                    settled_at TEXT,
                    UNIQUE (rule_id, event_id),
                    CHECK (args IS NOT NULL OR problem IS NOT NULL)
                ) STRICT;
                CREATE INDEX delivery_due ON delivery(next_attempt_at) WHERE status = 'pending';
                CREATE INDEX delivery_correlation ON delivery(correlation_id);
                CREATE INDEX delivery_rule ON delivery(rule_id, status);

                CREATE TABLE delivery_attempt (
                    id INTEGER PRIMARY KEY,
                    delivery_id TEXT NOT NULL REFERENCES delivery(id),
                    number INTEGER NOT NULL CHECK (number >= 1),
                    at TEXT NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'dead')),
                    code TEXT,
                    message TEXT,
                    UNIQUE (delivery_id, number)
                ) STRICT;

                CREATE TABLE rule_switch (
                    rule_id TEXT PRIMARY KEY,
                    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                    changed_at TEXT NOT NULL
                ) STRICT;
                """)
        }
    }
}
