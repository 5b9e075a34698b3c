import SQLite

/// The lawyer service's tables. Names stay here; events carry opaque ids, codes and days. The CHECK
/// lists are written out as they were when the migration shipped; a new value needs a new migration.
enum LawyerSchema {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("lawyer-v1") { db in
            try db.execute(sql: """
                CREATE TABLE firm (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
                    region TEXT NOT NULL,
                    registered_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE lawyer (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL CHECK (length(name) > 0),
                    licence TEXT NOT NULL UNIQUE CHECK (length(licence) = 17),
                    firm_id TEXT NOT NULL REFERENCES firm(id),
                    duty INTEGER NOT NULL DEFAULT 0 CHECK (duty IN (0, 1)),
                    capacity INTEGER NOT NULL DEFAULT 0 CHECK (capacity BETWEEN 0 AND 100),
                    available INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
                    registered_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE firm_visit (
                    id TEXT PRIMARY KEY,
                    firm_id TEXT NOT NULL REFERENCES firm(id),
                    visited_on TEXT NOT NULL,
                    procuratorate TEXT NOT NULL,
                    notes TEXT NOT NULL
                ) STRICT;

                CREATE TABLE opinion (
                    id TEXT PRIMARY KEY,
                    lawyer_id TEXT NOT NULL REFERENCES lawyer(id),
                    topic TEXT NOT NULL CHECK (topic IN ('practice-rights', 'integrity')),
                    content TEXT NOT NULL,
                    received_on TEXT NOT NULL,
                    response TEXT,
                    responded_by TEXT,
                    responded_on TEXT
                ) STRICT;

                CREATE TABLE complaint (
                    id TEXT PRIMARY KEY,
                    lawyer_id TEXT NOT NULL REFERENCES lawyer(id),
                    kind TEXT NOT NULL CHECK (kind IN ('file-review', 'meeting', 'investigation-evidence', 'other')),
                    description TEXT NOT NULL,
                    received_on TEXT NOT NULL,
                    due_on TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('received', 'assigned', 'handled')),
                    assigned_to TEXT,
                    outcome TEXT,
                    handled_on TEXT,
                    on_time INTEGER CHECK (on_time IN (0, 1)),
                    overdue_emitted INTEGER NOT NULL DEFAULT 0
                ) STRICT;

                CREATE TABLE file_review (
                    id TEXT PRIMARY KEY,
                    lawyer_id TEXT NOT NULL REFERENCES lawyer(id),
                    case_number TEXT NOT NULL,
                    partner_region TEXT,
                    partner_procuratorate TEXT,
                    requested_on TEXT NOT NULL,
                    due_on TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('requested', 'arranged', 'refused')),
                    arranged_on TEXT,
                    on_time INTEGER CHECK (on_time IN (0, 1)),
                    refusal_reason TEXT CHECK (refusal_reason IN ('sealed-juvenile-record')),
                    overdue_emitted INTEGER NOT NULL DEFAULT 0,
                    CHECK ((partner_region IS NULL) = (partner_procuratorate IS NULL))
                ) STRICT;

                CREATE TABLE meeting (
                    id TEXT PRIMARY KEY,
                    held_on TEXT NOT NULL,
                    parties TEXT NOT NULL,
                    summary TEXT NOT NULL
                ) STRICT;

                CREATE TABLE task (
                    id TEXT PRIMARY KEY,
                    meeting_id TEXT REFERENCES meeting(id),
                    item TEXT NOT NULL CHECK (length(item) > 0),
                    department TEXT NOT NULL,
                    deadline TEXT NOT NULL,
                    measure TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'in-progress', 'done', 'dropped')),
                    drop_reason TEXT,
                    done_on TEXT,
                    last_follow_up TEXT,
                    escalate_on TEXT NOT NULL,
                    escalated_for TEXT,
                    escalate_to TEXT NOT NULL,
                    escalate_every_days INTEGER NOT NULL CHECK (escalate_every_days BETWEEN 1 AND 365),
                    escalations INTEGER NOT NULL DEFAULT 0,
                    CHECK (status <> 'dropped' OR drop_reason IS NOT NULL)
                ) STRICT;

                CREATE TABLE milestone (
                    id TEXT PRIMARY KEY,
                    task_id TEXT NOT NULL REFERENCES task(id),
                    title TEXT NOT NULL,
                    due_on TEXT NOT NULL,
                    done_on TEXT,
                    overdue_emitted INTEGER NOT NULL DEFAULT 0
                ) STRICT;

                CREATE TABLE follow_up (
                    id INTEGER PRIMARY KEY,
                    task_id TEXT NOT NULL REFERENCES task(id),
                    note TEXT NOT NULL,
                    noted_on TEXT NOT NULL
                ) STRICT;

                CREATE TABLE duty_assignment (
                    id TEXT PRIMARY KEY,
                    lawyer_id TEXT NOT NULL REFERENCES lawyer(id),
                    source_service TEXT NOT NULL,
                    source_ref TEXT NOT NULL,
                    case_ref TEXT,
                    assigned_at TEXT NOT NULL,
                    closed_at TEXT,
                    UNIQUE (source_service, source_ref)
                ) STRICT;
                CREATE INDEX duty_assignment_open ON duty_assignment(lawyer_id) WHERE closed_at IS NULL;
                """)
        }
        // The day each task and milestone came into being, so that a step on it (done, followed up)
        // cannot be dated before it. A meeting's tasks exist from the meeting's day; the others, and
        // the milestones, from the day (China Standard Time) of the event that announced them. A row
        // the log has no event for keeps NULL: its steps are bounded by today only, as before.
        migrator.registerMigration("lawyer-v2") { db in
            try db.execute(sql: """
                ALTER TABLE task ADD COLUMN created_on TEXT;
                ALTER TABLE milestone ADD COLUMN added_on TEXT;
                CREATE TEMP TABLE announced (type TEXT, record TEXT, day TEXT, PRIMARY KEY (record, type)) WITHOUT ROWID;
                INSERT INTO announced
                    SELECT json_extract(envelope, '$.type'),
                           coalesce(json_extract(envelope, '$.data.milestone_id'), json_extract(envelope, '$.data.task_id')),
                           min(date(json_extract(envelope, '$.time'), '+8 hours'))
                    FROM event_log
                    WHERE json_extract(envelope, '$.type') IN ('lawyer.task.created', 'lawyer.milestone.added')
                    GROUP BY 1, 2;
                UPDATE task SET created_on = coalesce(
                    (SELECT held_on FROM meeting WHERE meeting.id = task.meeting_id),
                    (SELECT day FROM announced WHERE type = 'lawyer.task.created' AND record = task.id));
                UPDATE milestone SET added_on = (SELECT day FROM announced WHERE type = 'lawyer.milestone.added' AND record = milestone.id);
                DROP TABLE announced;
                """)
        }
    }
}
