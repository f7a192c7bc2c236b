-- Assessment and decisions (participation.Assessment, assessment.go):
-- criteria published before assessment, officials' scores, each proposal's
-- place in the assessment state machine, the document's "you said / we did"
-- per section and the survey's "what we take from this".

-- Criteria a process's proposals are assessed against; name and
-- description take translations (entity "criterion").
CREATE TABLE criteria (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    process_id  BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    weight      REAL NOT NULL,
    scale_min   INTEGER NOT NULL,
    scale_max   INTEGER NOT NULL,
    staff_id    BIGINT NOT NULL DEFAULT 0,
    updated_at  DATETIME NOT NULL,
    CHECK (scale_min < scale_max)
);
CREATE INDEX criteria_process ON criteria (process_id, position);

-- One assessor's score of one proposal on one criterion, with a note.
CREATE TABLE assessment_scores (
    proposal_id  BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES criteria (id) ON DELETE CASCADE,
    staff_id     BIGINT NOT NULL,
    score        INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    scored_at    DATETIME NOT NULL,
    PRIMARY KEY (proposal_id, criterion_id, staff_id)
);
CREATE INDEX assessment_scores_criterion ON assessment_scores (criterion_id);

-- Where a proposal stands; no row: submitted. The outbox holds every change
-- (proposal.decided), the staff audit log who made it.
CREATE TABLE proposal_decisions (
    proposal_id BIGINT PRIMARY KEY REFERENCES proposals (id) ON DELETE CASCADE,
    process_id  BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    state       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    staff_id    BIGINT NOT NULL DEFAULT 0,
    decided_at  DATETIME NOT NULL
);
CREATE INDEX proposal_decisions_process ON proposal_decisions (process_id, state);

-- "You said / we did" on a section of a document version, linked to the
-- section of the new version that answers it (0: none).
CREATE TABLE section_responses (
    section_id     BIGINT PRIMARY KEY REFERENCES sections (id) ON DELETE CASCADE,
    component_id   BIGINT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    new_section_id BIGINT NOT NULL DEFAULT 0,
    changed        TEXT NOT NULL DEFAULT '',
    why            TEXT NOT NULL DEFAULT '',
    staff_id       BIGINT NOT NULL DEFAULT 0,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX section_responses_component ON section_responses (component_id);

-- "What we take from this" per survey question (page 0) or page
-- (question_id 0).
CREATE TABLE survey_takeaways (
    component_id BIGINT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    page         INTEGER NOT NULL DEFAULT 0,
    question_id  BIGINT NOT NULL DEFAULT 0,
    text         TEXT NOT NULL,
    staff_id     BIGINT NOT NULL DEFAULT 0,
    updated_at   DATETIME NOT NULL,
    PRIMARY KEY (component_id, page, question_id)
);
