-- The institution's answers to citizens' comments, from the outbox's
-- comment.answered events (participation/moderation.go): which comment each
-- one answers (the top-level comment, a reply's answer included), so the
-- feedback-loop figures can count the questions answered. The answer's
-- text stays in the store and who wrote it with it: the warehouse needs
-- only that an answer exists and when. Derived state: a rebuild from the
-- outbox reproduces it (DecisionTables).
CREATE TABLE official_answers (
    answer_id   BIGINT PRIMARY KEY,
    parent_id   BIGINT NOT NULL,
    process_id  BIGINT NOT NULL,
    answered_at TIMESTAMP NOT NULL
);
