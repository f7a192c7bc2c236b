-- Text insights: themes, campaigns (form letters) and opinion groups,
-- written by the jobs of package insights from the facts above, and read by
-- the dashboards. Results are derived (a job can always recompute them);
-- theme_edits is what officials decided, and theme ids stay stable across
-- re-clustering so that those decisions keep applying. A rebuild copies all
-- of these tables (see CopyOtherTablesFrom).
--
-- A scope is the set of texts a theme model covers: 'process' (scope_id 0,
-- every text of the process), 'component' (a proposals, document or survey
-- component), 'section' (the comments on one document section) or
-- 'question' (the answers to one open survey question).
--
-- A text is (entity_kind, entity_id, question_id) as in text_features:
-- a proposal, a comment, or an answer (entity_id = response_id).

-- Every text of the site with what the panels break it down by; hidden
-- ones (latest moderation decision) are left out. For a text written more
-- than once (a survey page saved again), the newest row wins.
CREATE VIEW text_items AS
WITH hidden AS (
    SELECT entity_kind, entity_id FROM (
        SELECT entity_kind, entity_id, status,
               row_number() OVER (PARTITION BY entity_kind, entity_id ORDER BY seq DESC) AS rn
        FROM moderation) WHERE rn = 1 AND status = 'hidden'
), items AS (
    SELECT seq, 'proposal' AS entity_kind, proposal_id AS entity_id, 0::BIGINT AS question_id,
           process_id, component_id, 0::BIGINT AS section_id,
           trim(title || chr(10) || description, ' ' || chr(9) || chr(10) || chr(13)) AS body, participant, region_code, occurred_at
    FROM proposals
    UNION ALL
    SELECT seq, 'comment', comment_id, 0::BIGINT, process_id, component_id,
           CASE WHEN target_kind = 'section' THEN target_id ELSE 0 END::BIGINT,
           trim(body || chr(10) || proposed_text, ' ' || chr(9) || chr(10) || chr(13)), participant, region_code, occurred_at
    FROM comments
    UNION ALL
    SELECT seq, 'answer', response_id, question_id, process_id, component_id, 0::BIGINT,
           text, participant, region_code, occurred_at
    FROM survey_answers WHERE text IS NOT NULL AND text <> ''
)
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY entity_kind, entity_id, question_id ORDER BY seq DESC) AS rn
    FROM items)
WHERE rn = 1
  AND (entity_kind, entity_id) NOT IN (SELECT entity_kind, entity_id FROM hidden);

-- One fit of a theme model for a scope. The newest run of a scope is the
-- current one; model holds what Assign needs (vocabulary, idf, basis,
-- centroids) so that new texts are placed without re-fitting.
CREATE TABLE theme_runs (
    run_id      BIGINT NOT NULL,
    process_id  BIGINT NOT NULL,
    scope       VARCHAR NOT NULL,
    scope_id    BIGINT NOT NULL,
    texts       BIGINT NOT NULL,   -- texts fitted
    k           INTEGER NOT NULL,  -- themes found before officials' edits
    silhouette  DOUBLE NOT NULL,
    fitted_seq  BIGINT NOT NULL,   -- newest text_features seq in the fit
    fitted_at   TIMESTAMP NOT NULL,
    model       BLOB
);

-- The themes of a scope as shown: after the current run and the officials'
-- edits. theme_id is stable: a re-clustered theme takes the id of the old
-- theme it overlaps most. parent_id is the theme a split came from (0 if
-- none); merged_into is set on a theme folded into another (it keeps its id
-- so that the edit can be applied again after the next run).
CREATE TABLE themes (
    process_id  BIGINT NOT NULL,
    scope       VARCHAR NOT NULL,
    scope_id    BIGINT NOT NULL,
    theme_id    BIGINT NOT NULL,
    run_id      BIGINT NOT NULL,
    label       VARCHAR NOT NULL,  -- the official's name if renamed, else the terms joined
    terms       VARCHAR[] NOT NULL, -- most distinctive terms (class-based TF-IDF)
    renamed     BOOLEAN NOT NULL,
    parent_id   BIGINT NOT NULL,
    merged_into BIGINT NOT NULL,   -- 0 unless folded into another theme
    size        BIGINT NOT NULL    -- members now, assigned ones included
);

-- Which theme each text of a scope belongs to. rep is the rank among the
-- theme's representative comments (1 = nearest its centre), 0 for others;
-- how is 'fit' for texts of the run, 'assign' for texts placed as they
-- arrived after it.
CREATE TABLE theme_members (
    process_id  BIGINT NOT NULL,
    scope       VARCHAR NOT NULL,
    scope_id    BIGINT NOT NULL,
    entity_kind VARCHAR NOT NULL,
    entity_id   BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    theme_id    BIGINT NOT NULL,
    rep         INTEGER NOT NULL,
    how         VARCHAR NOT NULL,
    seq         BIGINT NOT NULL    -- the text_features seq of the text
);

-- Officials' decisions on themes, applied in edit_id order after every run:
-- 'rename' (theme_id, label), 'merge' (theme_id folded into other_id),
-- 'split' (theme_id split in two; the children get new stable ids).
-- staff_id is the account that made the edit (no name or e-mail here).
CREATE TABLE theme_edits (
    edit_id     BIGINT NOT NULL,
    process_id  BIGINT NOT NULL,
    scope       VARCHAR NOT NULL,
    scope_id    BIGINT NOT NULL,
    kind        VARCHAR NOT NULL,
    theme_id    BIGINT NOT NULL,
    other_id    BIGINT NOT NULL,
    label       VARCHAR NOT NULL,
    staff_id    BIGINT NOT NULL,
    made_at     TIMESTAMP NOT NULL
);

-- Form-letter campaigns found in a process's texts, largest first.
-- campaign_id is stable across runs the same way theme ids are.
CREATE TABLE campaigns (
    process_id    BIGINT NOT NULL,
    campaign_id   BIGINT NOT NULL,
    template      VARCHAR NOT NULL,  -- the medoid copy's text
    template_kind VARCHAR NOT NULL,  -- the medoid's entity_kind, entity_id, question_id
    template_id   BIGINT NOT NULL,
    template_qid  BIGINT NOT NULL,
    copies        BIGINT NOT NULL,
    exact         BIGINT NOT NULL,   -- verbatim (normalised) copies
    first_seen    TIMESTAMP NOT NULL,
    last_seen     TIMESTAMP NOT NULL,
    peak_per_hour BIGINT NOT NULL,
    regions       VARCHAR NOT NULL,  -- JSON: [{"region":"KE-047","copies":12}, …], most first
    detected_at   TIMESTAMP NOT NULL
);

CREATE TABLE campaign_members (
    process_id  BIGINT NOT NULL,
    campaign_id BIGINT NOT NULL,
    entity_kind VARCHAR NOT NULL,
    entity_id   BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    is_template BOOLEAN NOT NULL
);

-- Whether the process's panels count a campaign once (its template stands
-- for all its copies) or every copy; the official's choice. No row: every copy.
CREATE TABLE campaign_counting (
    process_id BIGINT NOT NULL,
    count_once BOOLEAN NOT NULL,
    set_at     TIMESTAMP NOT NULL
);

-- Opinion groups of a conversation: the votes on a document component's
-- comments, or the supports on a proposals component's proposals.
CREATE TABLE opinion_runs (
    run_id       BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    participants BIGINT NOT NULL,  -- with at least one vote
    clustered    BIGINT NOT NULL,  -- with enough votes to be placed in a group
    items        BIGINT NOT NULL,  -- comments (or proposals) voted on
    k            INTEGER NOT NULL,
    silhouette   DOUBLE NOT NULL,
    votes_seq    BIGINT NOT NULL,  -- newest vote/support seq included
    run_at       TIMESTAMP NOT NULL
);

-- group_id -1: too few votes to be grouped. participant is the warehouse
-- pseudonym (never shown on a page).
CREATE TABLE opinion_participants (
    run_id       BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    participant  VARCHAR NOT NULL,
    x            DOUBLE NOT NULL,
    y            DOUBLE NOT NULL,
    votes        INTEGER NOT NULL,
    group_id     INTEGER NOT NULL
);

CREATE TABLE opinion_groups (
    run_id       BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    group_id     INTEGER NOT NULL,
    members      BIGINT NOT NULL,
    x            DOUBLE NOT NULL,
    y            DOUBLE NOT NULL
);

-- Representative comments per group (Pol.is repness), best first.
-- entity_kind is 'comment' (document) or 'proposal' (supports).
CREATE TABLE opinion_repness (
    run_id        BIGINT NOT NULL,
    process_id    BIGINT NOT NULL,
    component_id  BIGINT NOT NULL,
    group_id      INTEGER NOT NULL,
    rank          INTEGER NOT NULL,
    entity_kind   VARCHAR NOT NULL,
    entity_id     BIGINT NOT NULL,
    repful_for    VARCHAR NOT NULL,  -- agree or disagree
    n_success     BIGINT NOT NULL,
    n_trials      BIGINT NOT NULL,
    p_success     DOUBLE NOT NULL,
    repness       DOUBLE NOT NULL,
    repness_test  DOUBLE NOT NULL
);

-- Consensus: kind 'agree' / 'disagree' (most participants agree or
-- disagree) or 'group-informed' (product over groups of the agreement
-- probability), best first.
CREATE TABLE opinion_consensus (
    run_id       BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    kind         VARCHAR NOT NULL,
    rank         INTEGER NOT NULL,
    entity_kind  VARCHAR NOT NULL,
    entity_id    BIGINT NOT NULL,
    score        DOUBLE NOT NULL
);
