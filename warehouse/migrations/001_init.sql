-- The warehouse schema. Facts are append-only and keyed by the outbox
-- sequence (seq) of the event they came from, so a rebuild from the outbox
-- reproduces them row for row. No table holds a name, email, phone or IP:
-- participants appear only as the ingester's keyed pseudonym.

-- One row: where the ingester stands in the outbox, updated in the same
-- transaction as the facts of each batch (exactly once). events counts
-- every event consumed, accepted or dropped, so lag = outbox count - events.
CREATE TABLE checkpoint (
    tx         BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    events     BIGINT NOT NULL,
    batches    BIGINT NOT NULL
);
INSERT INTO checkpoint VALUES (0, 0, 0, 0);

-- Every accepted event, whatever its type: the ledger that tests compare
-- with the store and that duplicate detection is loaded from.
CREATE TABLE events (
    seq          BIGINT NOT NULL,
    tx           BIGINT NOT NULL,
    type         VARCHAR NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    entity_id    BIGINT NOT NULL,
    participant  VARCHAR NOT NULL,
    region_code  VARCHAR NOT NULL,
    occurred_at  TIMESTAMP NOT NULL
);

CREATE TABLE proposals (
    seq          BIGINT NOT NULL,
    proposal_id  BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    participant  VARCHAR NOT NULL,
    region_code  VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    description  VARCHAR NOT NULL,
    budget_minor BIGINT NOT NULL,
    tags         VARCHAR[] NOT NULL,
    lat          DOUBLE,
    lng          DOUBLE,
    occurred_at  TIMESTAMP NOT NULL
);

CREATE TABLE comments (
    seq           BIGINT NOT NULL,
    comment_id    BIGINT NOT NULL,
    process_id    BIGINT NOT NULL,
    component_id  BIGINT NOT NULL,
    target_kind   VARCHAR NOT NULL,
    target_id     BIGINT NOT NULL,
    parent_id     BIGINT,
    kind          VARCHAR NOT NULL,
    body          VARCHAR NOT NULL,
    proposed_text VARCHAR NOT NULL,
    participant   VARCHAR NOT NULL,
    region_code   VARCHAR NOT NULL,
    occurred_at   TIMESTAMP NOT NULL
);

-- A vote row records the new vote and the one it replaced ('' if none), so
-- current tallies are sums of +1 for vote and -1 for previous.
CREATE TABLE votes (
    seq          BIGINT NOT NULL,
    comment_id   BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    participant  VARCHAR NOT NULL,
    region_code  VARCHAR NOT NULL,
    vote         VARCHAR NOT NULL,
    previous     VARCHAR NOT NULL,
    occurred_at  TIMESTAMP NOT NULL
);

-- delta is +1 for a support, -1 for its withdrawal.
CREATE TABLE supports (
    seq          BIGINT NOT NULL,
    proposal_id  BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    participant  VARCHAR NOT NULL,
    region_code  VARCHAR NOT NULL,
    delta        TINYINT NOT NULL,
    occurred_at  TIMESTAMP NOT NULL
);

-- One row per saved survey page; survey_responses (a view) folds them.
CREATE TABLE survey_pages (
    seq          BIGINT NOT NULL,
    response_id  BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    participant  VARCHAR NOT NULL,
    region_code  VARCHAR NOT NULL,
    page         INTEGER NOT NULL,
    completed    BOOLEAN NOT NULL,
    started_at   TIMESTAMP,
    occurred_at  TIMESTAMP NOT NULL
);

-- One row per answer, and per chosen option for multi and ranking questions
-- (rank is the option's place for ranking, 1 = first).
CREATE TABLE survey_answers (
    seq          BIGINT NOT NULL,
    response_id  BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    participant  VARCHAR NOT NULL,
    region_code  VARCHAR NOT NULL,
    question_id  BIGINT NOT NULL,
    choice       INTEGER,
    rank         INTEGER,
    number       DOUBLE,
    text         VARCHAR,
    occurred_at  TIMESTAMP NOT NULL
);

CREATE TABLE visits (
    seq          BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    visitor_hash VARCHAR NOT NULL,
    path         VARCHAR NOT NULL,
    referrer     VARCHAR NOT NULL,
    utm_source   VARCHAR NOT NULL,
    utm_medium   VARCHAR NOT NULL,
    utm_campaign VARCHAR NOT NULL,
    device       VARCHAR NOT NULL,
    occurred_at  TIMESTAMP NOT NULL
);

-- fields names what the process asked for ("email"), never the values.
CREATE TABLE registrations (
    seq          BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    participant  VARCHAR NOT NULL,
    region_code  VARCHAR NOT NULL,
    fields       VARCHAR[] NOT NULL,
    occurred_at  TIMESTAMP NOT NULL
);

CREATE TABLE consents (
    seq            BIGINT NOT NULL,
    process_id     BIGINT NOT NULL,
    participant    VARCHAR NOT NULL,
    region_code    VARCHAR NOT NULL,
    notice_version INTEGER NOT NULL,
    purpose        VARCHAR NOT NULL,
    given          BOOLEAN NOT NULL,
    occurred_at    TIMESTAMP NOT NULL
);

-- Moderation decisions, appended; the latest per entity wins.
CREATE TABLE moderation (
    seq          BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    entity_kind  VARCHAR NOT NULL,
    entity_id    BIGINT NOT NULL,
    status       VARCHAR NOT NULL,
    occurred_at  TIMESTAMP NOT NULL
);

-- Text features of every proposal, comment and open answer. entity_kind is
-- proposal, comment or answer; an answer is (response_id, question_id).
CREATE TABLE text_features (
    seq          BIGINT NOT NULL,
    entity_kind  VARCHAR NOT NULL,
    entity_id    BIGINT NOT NULL,
    question_id  BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    lang         VARCHAR NOT NULL,
    tokens       INTEGER NOT NULL,
    stems        VARCHAR[] NOT NULL,
    keywords     VARCHAR[] NOT NULL,
    hash         UBIGINT NOT NULL,
    minhash      UINTEGER[] NOT NULL,
    places       VARCHAR[] NOT NULL
);

-- Events the ingester refused, with why (invalid, duplicate, spam).
CREATE TABLE dropped (
    seq         BIGINT NOT NULL,
    tx          BIGINT NOT NULL,
    type        VARCHAR NOT NULL,
    process_id  BIGINT NOT NULL,
    reason      VARCHAR NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);

-- The first time each participant did each kind of thing in each place:
-- distinct participants per bucket are the first-seen rows that fall in it,
-- and a running sum gives distinct participants to date.
CREATE TABLE participant_first_seen (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    kind         VARCHAR NOT NULL,
    region_code  VARCHAR NOT NULL,
    participant  VARCHAR NOT NULL,
    first_at     TIMESTAMP NOT NULL
);

-- Incremental rollups, updated with every batch in its transaction.
-- grain is minute, hour or day; bucket is its start in UTC; kind is the
-- event type. One row per key: the writer appends keys it has not seen and
-- adds to the others, joining on key_id, a 64-bit hash of the key columns
-- (no index: DuckDB's ON CONFLICT, or a join on the six key columns, costs
-- more than the rest of a batch together).
CREATE TABLE rollup (
    key_id           UBIGINT NOT NULL,
    grain            VARCHAR NOT NULL,
    bucket           TIMESTAMP NOT NULL,
    process_id       BIGINT NOT NULL,
    component_id     BIGINT NOT NULL,
    kind             VARCHAR NOT NULL,
    region_code      VARCHAR NOT NULL,
    events           BIGINT NOT NULL,
    new_participants BIGINT NOT NULL
);

-- Dimensions, replaced whole for a process/component when it changes.
CREATE TABLE dim_processes (
    process_id          BIGINT NOT NULL,
    slug                VARCHAR NOT NULL,
    title               VARCHAR NOT NULL,
    level               VARCHAR NOT NULL,
    sector              VARCHAR NOT NULL,
    scope               VARCHAR NOT NULL,
    mode                VARCHAR NOT NULL,
    time_zone           VARCHAR NOT NULL,
    region_set_id       BIGINT NOT NULL,
    target_participants INTEGER NOT NULL,
    budget_minor        BIGINT NOT NULL,
    currency            VARCHAR NOT NULL,
    published           BOOLEAN NOT NULL,
    starts_at           TIMESTAMP,
    ends_at             TIMESTAMP
);

CREATE TABLE dim_phases (
    phase_id        BIGINT NOT NULL,
    process_id      BIGINT NOT NULL,
    position        INTEGER NOT NULL,
    name            VARCHAR NOT NULL,
    starts_at       TIMESTAMP,
    ends_at         TIMESTAMP,
    open_components BIGINT[] NOT NULL
);

CREATE TABLE dim_components (
    component_id BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    kind         VARCHAR NOT NULL,
    position     INTEGER NOT NULL,
    title        VARCHAR NOT NULL
);

CREATE TABLE dim_regions (
    region_set_id BIGINT NOT NULL,
    code          VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    population    BIGINT NOT NULL
);

CREATE TABLE dim_sections (
    section_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    version      INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    heading      VARCHAR NOT NULL
);

CREATE TABLE dim_questions (
    question_id  BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    page         INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    type         VARCHAR NOT NULL,
    prompt       VARCHAR NOT NULL,
    required     BOOLEAN NOT NULL,
    options      VARCHAR[] NOT NULL,
    max_choices  INTEGER NOT NULL,
    min_value    DOUBLE,
    max_value    DOUBLE
);

-- A response as dashboards see it: when it started, how far it got, and
-- whether it was completed (drop-off = started but not completed).
CREATE VIEW survey_responses AS
SELECT response_id,
       any_value(process_id)            AS process_id,
       any_value(component_id)          AS component_id,
       any_value(participant)           AS participant,
       any_value(region_code)           AS region_code,
       coalesce(min(started_at), min(occurred_at)) AS started_at,
       max(page)                        AS last_page,
       max(occurred_at) FILTER (WHERE completed) AS completed_at
FROM survey_pages
GROUP BY response_id;
