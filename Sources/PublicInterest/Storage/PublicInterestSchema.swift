import SQLite

/// The public-interest service's tables. The CHECK lists are written out as they were when the
/// migration shipped; a new vocabulary value needs a new migration.
enum PublicInterestSchema {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("public-interest-v1") { db in
            try db.execute(sql: """
                CREATE TABLE site (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('water', 'food')),
                    name TEXT NOT NULL CHECK (length(name) > 0),
                    district TEXT NOT NULL,
                    water_body TEXT CHECK (water_body IN ('river', 'lake', 'reservoir')),
                    target_class TEXT CHECK (target_class IN ('I', 'II', 'III', 'IV', 'V')),
                    food_place TEXT CHECK (food_place IN ('market', 'supermarket', 'shop', 'canteen')),
                    school_canteen INTEGER NOT NULL DEFAULT 0 CHECK (school_canteen IN (0, 1)),
                    serves_minors INTEGER NOT NULL DEFAULT 0 CHECK (serves_minors IN (0, 1)),
                    operator_credit_code TEXT CHECK (length(operator_credit_code) = 18),
                    registered_at TEXT NOT NULL,
                    CHECK ((kind = 'water') = (water_body IS NOT NULL AND target_class IS NOT NULL)),
                    CHECK ((kind = 'food') = (food_place IS NOT NULL))
                ) STRICT;

                CREATE TABLE sample (
                    id TEXT PRIMARY KEY,
                    site_id TEXT NOT NULL REFERENCES site(id),
                    kind TEXT NOT NULL CHECK (kind IN ('water', 'food')),
                    sampled_on TEXT NOT NULL,
                    nh3n REAL CHECK (nh3n >= 0),
                    tp REAL CHECK (tp >= 0),
                    cod REAL CHECK (cod >= 0),
                    item TEXT,
                    category TEXT,
                    substance TEXT,
                    value REAL CHECK (value >= 0),
                    water_class TEXT,
                    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
                    exceedance REAL,
                    standard TEXT NOT NULL,
                    import_id TEXT,
                    recorded_at TEXT NOT NULL,
                    CHECK (kind = 'food' OR (nh3n IS NOT NULL AND tp IS NOT NULL AND cod IS NOT NULL)),
                    CHECK (kind = 'water' OR (item IS NOT NULL AND category IS NOT NULL AND substance IS NOT NULL AND value IS NOT NULL))
                ) STRICT;
                CREATE INDEX sample_site ON sample(site_id, sampled_on);

                CREATE TABLE lead (
                    id TEXT PRIMARY KEY,
                    sample_id TEXT NOT NULL UNIQUE REFERENCES sample(id),
                    site_id TEXT NOT NULL REFERENCES site(id),
                    severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
                    status TEXT NOT NULL CHECK (status IN ('open', 'case')),
                    opened_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE case_file (
                    id TEXT PRIMARY KEY,
                    lead_id TEXT NOT NULL UNIQUE REFERENCES lead(id),
                    kind TEXT NOT NULL CHECK (kind IN ('administrative', 'civil')),
                    stage TEXT NOT NULL CHECK (stage IN ('consultation', 'suggestion', 'litigation', 'announcement', 'suit', 'closed')),
                    agency TEXT,
                    opened_on TEXT NOT NULL,
                    suggestion_issued_on TEXT,
                    urgent INTEGER CHECK (urgent IN (0, 1)),
                    suggestion_due TEXT,
                    suggestion_overdue_emitted INTEGER NOT NULL DEFAULT 0,
                    replied_on TEXT,
                    agency_acted INTEGER CHECK (agency_acted IN (0, 1)),
                    announced_on TEXT,
                    announcement_ends TEXT,
                    announcement_emitted INTEGER NOT NULL DEFAULT 0,
                    litigated_on TEXT,
                    closed_on TEXT,
                    outcome TEXT
                ) STRICT;

                CREATE TABLE follow_up_visit (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES case_file(id),
                    sample_id TEXT NOT NULL REFERENCES sample(id),
                    visited_on TEXT NOT NULL,
                    note TEXT NOT NULL
                ) STRICT;

                CREATE TABLE evidence (
                    id TEXT PRIMARY KEY,
                    lead_id TEXT NOT NULL REFERENCES lead(id),
                    kind TEXT NOT NULL CHECK (kind IN ('drone-footage', 'vr-replica', 'photo', 'lab-report')),
                    file TEXT NOT NULL,
                    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                    bytes INTEGER NOT NULL,
                    taken_at TEXT NOT NULL,
                    place TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    registered_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE custody (
                    id INTEGER PRIMARY KEY,
                    evidence_id TEXT NOT NULL REFERENCES evidence(id),
                    from_holder TEXT NOT NULL,
                    to_holder TEXT NOT NULL,
                    handed_at TEXT NOT NULL,
                    note TEXT
                ) STRICT;
                """)
        }
    }
}
