import BanshiKit
import SQLite

/// The children service's tables. Children's personal data lives here and nowhere else: events carry
/// the opaque ids only.
///
/// The CHECK lists are written out as they were when the migration shipped; a new vocabulary value
/// needs a new migration, never an edit of this one (the snapshot and vocabulary tests hold both).
enum ChildrenSchema {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("children-v1") { db in
            try db.execute(sql: """
                CREATE TABLE school (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL CHECK (length(name) > 0),
                    district TEXT NOT NULL,
                    for_migrant_children INTEGER NOT NULL CHECK (for_migrant_children IN (0, 1)),
                    registered_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE legal_education_session (
                    id TEXT PRIMARY KEY,
                    school_id TEXT NOT NULL REFERENCES school(id),
                    held_on TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    attendees INTEGER NOT NULL CHECK (attendees >= 0)
                ) STRICT;
                CREATE INDEX legal_education_session_school ON legal_education_session(school_id, held_on);

                CREATE TABLE child (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL CHECK (length(name) > 0),
                    birth_date TEXT NOT NULL,
                    id_number TEXT UNIQUE,
                    household_province TEXT NOT NULL,
                    migrant_status TEXT NOT NULL CHECK (migrant_status IN ('migrant', 'left-behind', 'local')),
                    school_id TEXT REFERENCES school(id),
                    address TEXT,
                    registered_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE guardian (
                    id INTEGER PRIMARY KEY,
                    child_id TEXT NOT NULL REFERENCES child(id),
                    name TEXT NOT NULL CHECK (length(name) > 0),
                    relation TEXT NOT NULL CHECK (relation IN ('father', 'mother', 'grandparent', 'other-relative', 'institution', 'other')),
                    phone TEXT
                ) STRICT;
                CREATE INDEX guardian_child ON guardian(child_id);

                CREATE TABLE offender_case (
                    id TEXT PRIMARY KEY,
                    child_id TEXT NOT NULL REFERENCES child(id),
                    offence_date TEXT NOT NULL,
                    crime_chapter INTEGER NOT NULL CHECK (crime_chapter BETWEEN 1 AND 10),
                    charge TEXT NOT NULL,
                    likely_sentence_months INTEGER NOT NULL CHECK (likely_sentence_months >= 0),
                    repentance INTEGER NOT NULL CHECK (repentance IN (0, 1)),
                    status TEXT NOT NULL CHECK (status IN ('registered', 'on-probation', 'revoked', 'not-prosecuted')),
                    decided_on TEXT,
                    probation_months INTEGER CHECK (probation_months BETWEEN 6 AND 12),
                    probation_ends TEXT,
                    probation_due_emitted INTEGER NOT NULL DEFAULT 0,
                    revocation_reason TEXT,
                    concluded_on TEXT,
                    registered_at TEXT NOT NULL,
                    CHECK ((status = 'registered') = (decided_on IS NULL))
                ) STRICT;
                CREATE INDEX offender_case_child ON offender_case(child_id);

                CREATE TABLE help_education_plan (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES offender_case(id),
                    measures TEXT NOT NULL,
                    partner_procuratorate TEXT,
                    starts_on TEXT NOT NULL,
                    ends_on TEXT NOT NULL CHECK (ends_on >= starts_on)
                ) STRICT;

                CREATE TABLE victim_case (
                    id TEXT PRIMARY KEY,
                    child_id TEXT NOT NULL REFERENCES child(id),
                    offence_type TEXT NOT NULL CHECK (offence_type IN ('sexual-assault', 'abuse', 'neglect', 'guardian-harm', 'injury', 'trafficking', 'other')),
                    registered_at TEXT NOT NULL,
                    intervention_due_at TEXT,
                    intervened_at TEXT,
                    intervention_overdue_emitted INTEGER NOT NULL DEFAULT 0,
                    aid_id TEXT,
                    aid_decision TEXT CHECK (aid_decision IN ('approved', 'rejected')),
                    aid_amount REAL,
                    aid_reason TEXT
                ) STRICT;
                CREATE INDEX victim_case_child ON victim_case(child_id);
                CREATE INDEX victim_case_intervention_due ON victim_case(intervention_due_at)
                    WHERE intervened_at IS NULL AND intervention_overdue_emitted = 0;

                CREATE TABLE abuse_referral (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL UNIQUE REFERENCES victim_case(id),
                    situation TEXT NOT NULL,
                    referred_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE legal_aid_request (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES victim_case(id),
                    requested_at TEXT NOT NULL,
                    lawyer_id TEXT,
                    assigned_at TEXT
                ) STRICT;
                CREATE INDEX legal_aid_request_case ON legal_aid_request(case_id);

                CREATE TABLE interview_centre (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    district TEXT NOT NULL,
                    opened_on TEXT NOT NULL
                ) STRICT;

                CREATE TABLE interview (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES victim_case(id),
                    centre_id TEXT NOT NULL REFERENCES interview_centre(id),
                    held_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE guardianship_measure (
                    id TEXT PRIMARY KEY,
                    child_id TEXT NOT NULL REFERENCES child(id),
                    kind TEXT NOT NULL CHECK (kind IN ('family-guidance', 'parental-education', 'supervise-order', 'revocation-petition')),
                    note TEXT NOT NULL,
                    issued_at TEXT NOT NULL,
                    follow_up_due TEXT,
                    outcome TEXT CHECK (outcome IN ('completed', 'complied', 'not-complied', 'granted', 'refused')),
                    concluded_at TEXT,
                    overdue_emitted INTEGER NOT NULL DEFAULT 0
                ) STRICT;
                CREATE INDEX guardianship_measure_child ON guardianship_measure(child_id);

                CREATE TABLE inspection (
                    id TEXT PRIMARY KEY,
                    venue_name TEXT NOT NULL,
                    venue_type TEXT NOT NULL CHECK (venue_type IN ('entertainment', 'internet-cafe', 'bar', 'hotel', 'school-canteen', 'shop', 'other')),
                    inspected_at TEXT NOT NULL,
                    origin_service TEXT,
                    origin_ref TEXT,
                    UNIQUE (origin_service, origin_ref)
                ) STRICT;

                CREATE TABLE finding (
                    id TEXT PRIMARY KEY,
                    inspection_id TEXT NOT NULL REFERENCES inspection(id),
                    kind TEXT NOT NULL CHECK (kind IN ('minors-admitted', 'tobacco-alcohol-sold', 'child-labour', 'unsafe-food', 'other'))
                ) STRICT;

                CREATE TABLE remedy (
                    id TEXT PRIMARY KEY,
                    finding_id TEXT NOT NULL REFERENCES finding(id),
                    kind TEXT NOT NULL CHECK (kind IN ('public-interest-action', 'procuratorial-suggestion', 'attention-letter')),
                    issued_at TEXT NOT NULL,
                    follow_up_due TEXT NOT NULL,
                    result TEXT CHECK (result IN ('rectified', 'not-rectified')),
                    followed_up_at TEXT,
                    overdue_emitted INTEGER NOT NULL DEFAULT 0
                ) STRICT;

                CREATE TABLE mandatory_report (
                    id TEXT PRIMARY KEY,
                    reporter TEXT NOT NULL,
                    sector TEXT NOT NULL CHECK (sector IN ('education', 'medical', 'hotel', 'social-work', 'community', 'other')),
                    situation TEXT NOT NULL,
                    received_at TEXT NOT NULL,
                    case_id TEXT NOT NULL REFERENCES victim_case(id)
                ) STRICT;

                CREATE TABLE barring_record (
                    id TEXT PRIMARY KEY,
                    id_number TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('sexual-assault', 'abuse', 'trafficking', 'violent-injury')),
                    court_reference TEXT NOT NULL,
                    UNIQUE (id_number, kind, court_reference)
                ) STRICT;
                CREATE INDEX barring_record_person ON barring_record(id_number);

                CREATE TABLE employment_inquiry (
                    id TEXT PRIMARY KEY,
                    employer TEXT NOT NULL,
                    candidate_id_number TEXT NOT NULL,
                    inquired_at TEXT NOT NULL,
                    hit INTEGER NOT NULL CHECK (hit IN (0, 1)),
                    must_not_hire INTEGER NOT NULL CHECK (must_not_hire = hit)
                ) STRICT;

                -- A child's timeline is the child's events, straight from the event log.
                CREATE INDEX event_log_child ON event_log(json_extract(envelope, '$.data.child_id'))
                    WHERE json_extract(envelope, '$.data.child_id') IS NOT NULL;
                """)
        }
        // A mandatory report is passed on to the police "at once": when, to which station, by whom, the
        // deadline for it, and the time the service recorded the report beside the time it came in.
        migrator.registerMigration("children-v2") { db in
            try db.execute(sql: """
                ALTER TABLE mandatory_report ADD COLUMN recorded_at TEXT;
                UPDATE mandatory_report SET recorded_at = received_at;
                ALTER TABLE mandatory_report ADD COLUMN pass_on_due_at TEXT;
                ALTER TABLE mandatory_report ADD COLUMN passed_on_at TEXT;
                ALTER TABLE mandatory_report ADD COLUMN police_station TEXT;
                ALTER TABLE mandatory_report ADD COLUMN passed_on_by TEXT;
                ALTER TABLE mandatory_report ADD COLUMN passed_on_recorded_at TEXT;
                ALTER TABLE mandatory_report ADD COLUMN pass_on_overdue_emitted INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX mandatory_report_pass_on ON mandatory_report(pass_on_due_at) WHERE passed_on_at IS NULL;
                """)
        }
        // A child's timeline is keyed as each event is appended (EventTimeline), not by an index on
        // the log's JSON, which SQLite parsed twice for every event appended.
        migrator.registerMigration("children-v3") { db in
            try EventTimeline.adopt(db, member: "child_id", replacing: "event_log_child")
        }
    }
}
