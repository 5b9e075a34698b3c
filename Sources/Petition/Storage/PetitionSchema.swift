import BanshiKit
import SQLite

/// The petition service's tables. Petitioners' and beneficiaries' personal data stays here: events
/// carry ids and codes.
///
/// The CHECK lists come from the `Vocabulary` enums as they were when the migration shipped; a new
/// value needs a new migration, never an edit of this one.
enum PetitionSchema {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("petition-v1") { db in
            try db.execute(sql: """
                CREATE TABLE procuratorate (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL CHECK (length(name) > 0),
                    level TEXT NOT NULL CHECK (level IN ('city', 'district'))
                ) STRICT;

                CREATE TABLE guideline (
                    id TEXT PRIMARY KEY,
                    category TEXT NOT NULL CHECK (category IN ('complaint', 'criminal-appeal', 'civil-administrative-appeal', 'state-compensation', 'judicial-aid', 'legal-consultation', 'case-progress')),
                    title TEXT NOT NULL,
                    current_version INTEGER NOT NULL CHECK (current_version >= 1),
                    updated_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE guideline_version (
                    guideline_id TEXT NOT NULL REFERENCES guideline(id),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    title TEXT NOT NULL,
                    category TEXT NOT NULL CHECK (category IN ('complaint', 'criminal-appeal', 'civil-administrative-appeal', 'state-compensation', 'judicial-aid', 'legal-consultation', 'case-progress')),
                    keywords TEXT NOT NULL,
                    body TEXT NOT NULL,
                    source_file TEXT NOT NULL,
                    imported_at TEXT NOT NULL,
                    PRIMARY KEY (guideline_id, version)
                ) STRICT;

                -- The current version of each guideline, indexed by trigrams for Chinese substring search.
                CREATE VIRTUAL TABLE guideline_search USING fts5(
                    guideline_id UNINDEXED, title, keywords, body, tokenize = 'trigram'
                );

                CREATE TABLE inquiry (
                    id TEXT PRIMARY KEY,
                    channel TEXT NOT NULL CHECK (channel IN ('web', 'phone', 'window')),
                    question TEXT NOT NULL CHECK (length(question) > 0),
                    contact TEXT,
                    received_at TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
                    suggested TEXT NOT NULL,
                    answer TEXT,
                    answered_by TEXT,
                    answered_at TEXT,
                    closed_at TEXT
                ) STRICT;
                CREATE INDEX inquiry_status ON inquiry(status, received_at);

                CREATE TABLE petition (
                    id TEXT PRIMARY KEY,
                    petitioner_name TEXT NOT NULL CHECK (length(petitioner_name) > 0),
                    contact TEXT,
                    category TEXT NOT NULL CHECK (category IN ('complaint', 'criminal-appeal', 'civil-administrative-appeal', 'state-compensation', 'judicial-aid', 'legal-consultation', 'case-progress')),
                    summary TEXT NOT NULL,
                    procuratorate_id TEXT NOT NULL REFERENCES procuratorate(id),
                    received_at TEXT NOT NULL,
                    received_on TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('received', 'acknowledged', 'in-progress', 'concluded')),
                    procedural_due TEXT NOT NULL,
                    procedural_replied_at TEXT,
                    procedural_overdue_emitted INTEGER NOT NULL DEFAULT 0,
                    result_due TEXT NOT NULL,
                    result_replied_at TEXT,
                    result_overdue_emitted INTEGER NOT NULL DEFAULT 0,
                    follow_up_due TEXT,
                    follow_up_overdue_emitted_for TEXT,
                    concluded_at TEXT
                ) STRICT;
                CREATE INDEX petition_status ON petition(status, received_on);

                CREATE TABLE petition_action (
                    id INTEGER PRIMARY KEY,
                    petition_id TEXT NOT NULL REFERENCES petition(id),
                    kind TEXT NOT NULL CHECK (kind IN ('procedural', 'progress', 'result', 'follow-up')),
                    content TEXT NOT NULL,
                    at TEXT NOT NULL,
                    on_time INTEGER NOT NULL CHECK (on_time IN (0, 1))
                ) STRICT;
                CREATE INDEX petition_action_petition ON petition_action(petition_id, id);

                CREATE TABLE aid_case (
                    id TEXT PRIMARY KEY,
                    origin TEXT NOT NULL CHECK (origin IN ('application', 'ex-officio')),
                    source_service TEXT,
                    source_ref TEXT,
                    beneficiary_name TEXT,
                    beneficiary_ref TEXT,
                    category TEXT NOT NULL CHECK (category IN ('poverty-household', 'veteran', 'minor', 'disabled', 'petitioner')),
                    procuratorate_id TEXT NOT NULL REFERENCES procuratorate(id),
                    petition_id TEXT REFERENCES petition(id),
                    situation TEXT NOT NULL,
                    correlation_id TEXT,
                    opened_at TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('review', 'approved', 'rejected', 'paid')),
                    amount REAL CHECK (amount > 0),
                    cap REAL,
                    wage_year INTEGER,
                    exceeds_cap INTEGER NOT NULL DEFAULT 0 CHECK (exceeds_cap IN (0, 1)),
                    exceed_reason TEXT,
                    decision_reason TEXT,
                    decided_at TEXT,
                    paid_at TEXT,
                    UNIQUE (source_service, source_ref),
                    CHECK ((source_service IS NULL) = (source_ref IS NULL)),
                    CHECK (origin = 'ex-officio' OR source_service IS NULL),
                    CHECK (beneficiary_name IS NOT NULL OR beneficiary_ref IS NOT NULL),
                    CHECK (status NOT IN ('approved', 'paid') OR amount IS NOT NULL),
                    CHECK (exceeds_cap = 0 OR (category = 'minor' AND exceed_reason IS NOT NULL))
                ) STRICT;
                CREATE INDEX aid_case_decided ON aid_case(procuratorate_id, decided_at);

                CREATE TABLE aid_referral (
                    id TEXT PRIMARY KEY,
                    aid_id TEXT NOT NULL REFERENCES aid_case(id),
                    agency TEXT NOT NULL CHECK (agency IN ('civil-affairs', 'education', 'health', 'human-resources-social-security')),
                    need TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('referred', 'accepted', 'resolved', 'declined')),
                    referred_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX aid_referral_aid ON aid_referral(aid_id);
                """)
        }
        // A petition's receipt (a letter that arrived last week) is the domain's time; the service's own
        // time of recording stands beside it.
        migrator.registerMigration("petition-v2") { db in
            try db.execute(sql: """
                ALTER TABLE petition ADD COLUMN recorded_at TEXT;
                UPDATE petition SET recorded_at = received_at;
                """)
        }
    }
}
