import BanshiKit
import SQLite

/// The enterprise service's tables. A contact's name and phone stay here; events carry the credit
/// code (public register data) and opaque ids only. The CHECK lists are written out as they were when
/// the migration shipped; a new vocabulary value needs a new migration.
enum EnterpriseSchema {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("enterprise-v1") { db in
            try db.execute(sql: """
                CREATE TABLE enterprise (
                    id TEXT PRIMARY KEY CHECK (length(id) = 18),
                    name TEXT NOT NULL CHECK (length(name) > 0),
                    registered_address TEXT NOT NULL,
                    industry TEXT NOT NULL,
                    size TEXT NOT NULL CHECK (size IN ('large', 'medium', 'small', 'micro')),
                    contact_name TEXT,
                    contact_phone TEXT,
                    check_interval_days INTEGER CHECK (check_interval_days BETWEEN 1 AND 3650),
                    next_check_due TEXT NOT NULL,
                    check_overdue_emitted_for TEXT,
                    registered_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE enterprise_case (
                    id TEXT PRIMARY KEY,
                    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
                    case_number TEXT NOT NULL CHECK (length(case_number) > 0),
                    role TEXT NOT NULL CHECK (role IN ('suspect', 'victim', 'related')),
                    procuratorate TEXT NOT NULL,
                    handled_on TEXT NOT NULL CHECK (handled_on >= '2016-01-01'),
                    UNIQUE (enterprise_id, case_number)
                ) STRICT;

                CREATE TABLE visit (
                    id TEXT PRIMARY KEY,
                    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
                    visited_on TEXT NOT NULL,
                    procuratorate TEXT NOT NULL,
                    prosecutors TEXT NOT NULL,
                    met TEXT NOT NULL,
                    pain_points TEXT NOT NULL,
                    follow_up TEXT,
                    recorded_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX visit_enterprise ON visit(enterprise_id, visited_on);

                CREATE TABLE consultation (
                    id TEXT PRIMARY KEY,
                    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
                    kind TEXT NOT NULL CHECK (kind IN ('legal-consultation', 'countermeasure-suggestion')),
                    given_on TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE opinion_card (
                    id TEXT PRIMARY KEY,
                    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
                    category TEXT NOT NULL,
                    suggestion TEXT NOT NULL CHECK (length(suggestion) > 0),
                    collected_on TEXT NOT NULL,
                    answer_due TEXT NOT NULL CHECK (answer_due >= collected_on),
                    answered_on TEXT,
                    answered_by TEXT,
                    answer TEXT,
                    on_time INTEGER CHECK (on_time IN (0, 1)),
                    overdue_emitted INTEGER NOT NULL DEFAULT 0,
                    CHECK ((answered_on IS NULL) = (answer IS NULL))
                ) STRICT;
                CREATE INDEX opinion_card_due ON opinion_card(answer_due) WHERE answered_on IS NULL AND overdue_emitted = 0;

                CREATE TABLE compliance_program (
                    id TEXT PRIMARY KEY,
                    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
                    case_number TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'supervised', 'passed', 'failed', 'decided')),
                    proposed_on TEXT NOT NULL,
                    accepted_on TEXT,
                    supervisor TEXT,
                    supervision_starts TEXT,
                    supervision_ends TEXT CHECK (supervision_ends >= supervision_starts),
                    supervision_due_emitted INTEGER NOT NULL DEFAULT 0,
                    assessed_on TEXT,
                    assessment TEXT,
                    decision TEXT CHECK (decision IN ('non-prosecution', 'lighter-sentencing-proposal', 'prosecution')),
                    decided_on TEXT,
                    CHECK (decision IS NULL OR status = 'decided')
                ) STRICT;

                CREATE TABLE health_check (
                    id TEXT PRIMARY KEY,
                    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
                    performed_on TEXT NOT NULL,
                    due_on TEXT NOT NULL,
                    findings TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX health_check_enterprise ON health_check(enterprise_id, performed_on);

                CREATE TABLE risk_notice (
                    id TEXT PRIMARY KEY,
                    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
                    status TEXT NOT NULL CHECK (status IN ('proposed', 'issued', 'responded')),
                    risk TEXT NOT NULL,
                    measures TEXT,
                    flag_id TEXT,
                    issued_on TEXT,
                    response TEXT,
                    responded_on TEXT,
                    CHECK (status = 'proposed' OR (issued_on IS NOT NULL AND measures IS NOT NULL))
                ) STRICT;

                CREATE TABLE risk_flag (
                    id TEXT PRIMARY KEY,
                    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
                    source_service TEXT NOT NULL,
                    source_ref TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    raised_at TEXT NOT NULL,
                    UNIQUE (source_service, source_ref)
                ) STRICT;

                CREATE TABLE outreach (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('white-paper', 'typical-case', 'brochure', 'symposium')),
                    title TEXT NOT NULL,
                    held_on TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
                    attendees INTEGER CHECK (attendees >= 0),
                    recorded_at TEXT NOT NULL
                ) STRICT;

                -- An enterprise's timeline is its events, straight from the event log.
                CREATE INDEX event_log_enterprise ON event_log(json_extract(envelope, '$.data.enterprise_id'))
                    WHERE json_extract(envelope, '$.data.enterprise_id') IS NOT NULL;
                """)
        }
        // An enterprise's timeline is keyed as each event is appended (EventTimeline), not by an index
        // on the log's JSON, which SQLite parsed twice for every event appended.
        migrator.registerMigration("enterprise-v2") { db in
            try EventTimeline.adopt(db, member: "enterprise_id", replacing: "event_log_enterprise")
        }
    }
}
