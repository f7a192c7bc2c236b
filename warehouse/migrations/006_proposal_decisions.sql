-- Each proposal's place in the assessment state machine, from the outbox's
-- proposal.decided events (participation/assessment.go): the current state
-- and public reason, when it last changed, and when it was first decided
-- (left under assessment for selected, not selected, needs more study…),
-- which the feedback-loop figures measure from. Derived state: a rebuild
-- from the outbox reproduces it (DecisionTables).
CREATE TABLE proposal_decisions (
    proposal_id      BIGINT PRIMARY KEY,
    process_id       BIGINT NOT NULL,
    state            VARCHAR NOT NULL,
    reason           VARCHAR NOT NULL,
    decided_at       TIMESTAMP NOT NULL,
    first_decided_at TIMESTAMP
);
