-- reporting-v1
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
CREATE INDEX history_correlation ON history(correlation_id, time);
CREATE INDEX history_subject ON history(subject);
CREATE INDEX history_time ON history(time);
CREATE INDEX history_type ON history(type, time);
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
-- reporting-v2
CREATE TABLE indicator_fact (
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    entity TEXT NOT NULL,
    counted INTEGER NOT NULL DEFAULT 0 CHECK (counted IN (0, 1)),
    met INTEGER NOT NULL DEFAULT 0 CHECK (met IN (0, 1)), settled INTEGER NOT NULL DEFAULT 1 CHECK (settled IN (0, 1)),
    PRIMARY KEY (indicator, period, entity)
) STRICT, WITHOUT ROWID;
-- reporting-v3
CREATE TABLE "history" (
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
-- reporting-v4
DROP history_type;
