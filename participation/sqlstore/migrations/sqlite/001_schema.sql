-- The participation schema, the SQLite twin of postgres/001_schema.sql.
-- Times are DATETIME written in UTC in the driver's sqlite format, so date
-- functions parse them. List fields of a process (officials, languages,
-- personal fields) are JSON text: they are read and written whole.

CREATE TABLE region_sets (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT ''
);

CREATE TABLE regions (
    region_set_id BIGINT NOT NULL REFERENCES region_sets (id) ON DELETE CASCADE,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    population    BIGINT NOT NULL DEFAULT 0,
    position      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region_set_id, code)
);

CREATE TABLE processes (
    id                  INTEGER PRIMARY KEY,
    slug                TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    summary             TEXT NOT NULL DEFAULT '',
    objective           TEXT NOT NULL DEFAULT '',
    level               TEXT NOT NULL,
    sector              TEXT NOT NULL DEFAULT '',
    scope               TEXT NOT NULL,
    budget_minor        BIGINT NOT NULL DEFAULT 0,
    currency            TEXT NOT NULL DEFAULT '',
    starts_at           DATETIME NOT NULL,
    ends_at             DATETIME NOT NULL,
    officials           TEXT NOT NULL DEFAULT '[]',
    expected_outcome    TEXT NOT NULL DEFAULT '',
    feedback_method     TEXT NOT NULL DEFAULT '',
    languages           TEXT NOT NULL DEFAULT '[]',
    time_zone           TEXT NOT NULL DEFAULT 'UTC',
    mode                TEXT NOT NULL,
    personal_fields     TEXT NOT NULL DEFAULT '[]',
    region_set_id       BIGINT REFERENCES region_sets (id),
    target_participants INTEGER NOT NULL DEFAULT 0,
    published           INTEGER NOT NULL DEFAULT 0,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL
);

CREATE TABLE privacy_notices (
    process_id   BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    published_at DATETIME NOT NULL,
    PRIMARY KEY (process_id, version)
);

CREATE TABLE components (
    id          INTEGER PRIMARY KEY,
    process_id  BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX components_process ON components (process_id, position);

CREATE TABLE phases (
    id          INTEGER PRIMARY KEY,
    process_id  BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL DEFAULT 0,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_at   DATETIME NOT NULL,
    ends_at     DATETIME NOT NULL
);
CREATE INDEX phases_process ON phases (process_id, position);

CREATE TABLE phase_components (
    phase_id     BIGINT NOT NULL REFERENCES phases (id) ON DELETE CASCADE,
    component_id BIGINT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    PRIMARY KEY (phase_id, component_id)
);
CREATE INDEX phase_components_component ON phase_components (component_id);

CREATE TABLE participants (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    token       TEXT NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);

CREATE TABLE proposals (
    id             INTEGER PRIMARY KEY,
    process_id     BIGINT NOT NULL REFERENCES processes (id),
    component_id   BIGINT NOT NULL REFERENCES components (id),
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    budget_minor   BIGINT NOT NULL DEFAULT 0,
    region_code    TEXT NOT NULL DEFAULT '',
    lat            REAL,
    lng            REAL,
    status         TEXT NOT NULL DEFAULT 'published',
    support_count  INTEGER NOT NULL DEFAULT 0,
    comment_count  INTEGER NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL
);
CREATE INDEX proposals_component ON proposals (component_id, created_at);
CREATE INDEX proposals_participant ON proposals (participant_id);

CREATE TABLE proposal_tags (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    tag         TEXT NOT NULL,
    PRIMARY KEY (proposal_id, tag)
);
CREATE INDEX proposal_tags_tag ON proposal_tags (tag);

CREATE TABLE proposal_images (
    id           INTEGER PRIMARY KEY,
    proposal_id  BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    data         BLOB NOT NULL,
    thumb        BLOB NOT NULL,
    UNIQUE (proposal_id, position)
);

CREATE TABLE supports (
    proposal_id    BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (proposal_id, participant_id)
);
CREATE INDEX supports_participant ON supports (participant_id);

CREATE TABLE follows (
    proposal_id    BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (proposal_id, participant_id)
);

CREATE TABLE documents (
    component_id BIGINT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    title        TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    PRIMARY KEY (component_id, version)
);

CREATE TABLE sections (
    id            INTEGER PRIMARY KEY,
    component_id  BIGINT NOT NULL,
    version       INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    heading       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    comment_count INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (component_id, version) REFERENCES documents (component_id, version) ON DELETE CASCADE,
    UNIQUE (component_id, version, position)
);

CREATE TABLE comments (
    id             INTEGER PRIMARY KEY,
    process_id     BIGINT NOT NULL REFERENCES processes (id),
    component_id   BIGINT NOT NULL REFERENCES components (id),
    target_kind    TEXT NOT NULL,
    target_id      BIGINT NOT NULL,
    parent_id      BIGINT REFERENCES comments (id),
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    kind           TEXT NOT NULL,
    body           TEXT NOT NULL,
    proposed_text  TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'published',
    agree          INTEGER NOT NULL DEFAULT 0,
    disagree       INTEGER NOT NULL DEFAULT 0,
    pass           INTEGER NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL
);
CREATE INDEX comments_target ON comments (target_kind, target_id, id);
CREATE INDEX comments_participant ON comments (participant_id);

CREATE TABLE comment_votes (
    comment_id     BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    vote           TEXT NOT NULL,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    PRIMARY KEY (comment_id, participant_id)
);
CREATE INDEX comment_votes_participant ON comment_votes (participant_id);

CREATE TABLE surveys (
    component_id BIGINT PRIMARY KEY REFERENCES components (id) ON DELETE CASCADE,
    pages        INTEGER NOT NULL
);

CREATE TABLE questions (
    id           INTEGER PRIMARY KEY,
    component_id BIGINT NOT NULL REFERENCES surveys (component_id) ON DELETE CASCADE,
    page         INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    type         TEXT NOT NULL,
    prompt       TEXT NOT NULL,
    help         TEXT NOT NULL DEFAULT '',
    required     INTEGER NOT NULL DEFAULT 0,
    options      TEXT NOT NULL DEFAULT '[]',
    max_choices  INTEGER NOT NULL DEFAULT 0,
    min_value    REAL,
    max_value    REAL
);
CREATE INDEX questions_component ON questions (component_id, page, position);

CREATE TABLE responses (
    id             INTEGER PRIMARY KEY,
    process_id     BIGINT NOT NULL REFERENCES processes (id),
    component_id   BIGINT NOT NULL REFERENCES components (id),
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    last_page      INTEGER NOT NULL DEFAULT 0,
    started_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    completed_at   DATETIME,
    UNIQUE (component_id, participant_id)
);
CREATE INDEX responses_participant ON responses (participant_id);

CREATE TABLE answers (
    response_id  BIGINT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id  BIGINT NOT NULL REFERENCES questions (id),
    choices      TEXT NOT NULL DEFAULT '[]',
    number_value REAL,
    text_value   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (response_id, question_id)
);

-- Personal data lives only in profiles (and the hashed secret in
-- verifications); erasing a participant deletes those rows and nothing else.
CREATE TABLE profiles (
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    process_id     BIGINT NOT NULL REFERENCES processes (id),
    name           TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    region_code    TEXT NOT NULL DEFAULT '',
    age_band       TEXT NOT NULL DEFAULT '',
    gender         TEXT NOT NULL DEFAULT '',
    verified_at    DATETIME,
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (participant_id, process_id)
);

CREATE TABLE consents (
    id             INTEGER PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    process_id     BIGINT NOT NULL REFERENCES processes (id),
    notice_version INTEGER NOT NULL,
    purpose        TEXT NOT NULL,
    given_at       DATETIME NOT NULL,
    withdrawn_at   DATETIME
);
CREATE INDEX consents_participant ON consents (participant_id, process_id);

CREATE TABLE verifications (
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    process_id     BIGINT NOT NULL REFERENCES processes (id),
    channel        TEXT NOT NULL,
    code_hash      TEXT NOT NULL,
    expires_at     DATETIME NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (participant_id, process_id)
);

-- The outbox. SQLite has one writer at a time, so commit order is sequence
-- order and tx is always 0. AUTOINCREMENT keeps a sequence from ever being
-- handed out twice, even after the newest rows are deleted.
CREATE TABLE outbox (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    tx             INTEGER NOT NULL DEFAULT 0,
    type           TEXT NOT NULL,
    process_id     BIGINT NOT NULL DEFAULT 0,
    component_id   BIGINT NOT NULL DEFAULT 0,
    entity_id      BIGINT NOT NULL DEFAULT 0,
    participant_id BIGINT NOT NULL DEFAULT 0,
    region_code    TEXT NOT NULL DEFAULT '',
    occurred_at    DATETIME NOT NULL,
    payload        TEXT NOT NULL
);
