-- lawyer-v1
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
CREATE TABLE firm (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    region TEXT NOT NULL,
    registered_at TEXT NOT NULL
) STRICT;
CREATE TABLE firm_visit (
    id TEXT PRIMARY KEY,
    firm_id TEXT NOT NULL REFERENCES firm(id),
    visited_on TEXT NOT NULL,
    procuratorate TEXT NOT NULL,
    notes TEXT NOT NULL
) STRICT;
CREATE TABLE follow_up (
    id INTEGER PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES task(id),
    note TEXT NOT NULL,
    noted_on TEXT NOT NULL
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
CREATE TABLE meeting (
    id TEXT PRIMARY KEY,
    held_on TEXT NOT NULL,
    parties TEXT NOT NULL,
    summary TEXT NOT NULL
) STRICT;
CREATE TABLE milestone (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES task(id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    overdue_emitted INTEGER NOT NULL DEFAULT 0
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
-- lawyer-v2
CREATE TABLE milestone (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES task(id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    overdue_emitted INTEGER NOT NULL DEFAULT 0
, added_on TEXT) STRICT;
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
    escalations INTEGER NOT NULL DEFAULT 0, created_on TEXT,
    CHECK (status <> 'dropped' OR drop_reason IS NOT NULL)
) STRICT;
