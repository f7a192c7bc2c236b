-- Inquiries ("Ask the team", participation.Inquiries, inquiries.go): a
-- citizen's question to a process's team, its place in the team's inbox
-- (status, assignee), the answer, and the FAQ entry the team may publish
-- from it in words of their own. email is personal data: erasure blanks it.
CREATE TABLE inquiries (
    id             BIGSERIAL PRIMARY KEY,
    process_id     BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    question       TEXT NOT NULL,
    email          TEXT NOT NULL DEFAULT '',
    lang           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'new',
    assignee_id    BIGINT NOT NULL DEFAULT 0,
    answer         TEXT NOT NULL DEFAULT '',
    answered_by    BIGINT NOT NULL DEFAULT 0,
    answered_at    TIMESTAMPTZ,
    faq            BOOLEAN NOT NULL DEFAULT FALSE,
    faq_question   TEXT NOT NULL DEFAULT '',
    faq_answer     TEXT NOT NULL DEFAULT '',
    hidden         BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason  TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
-- The inbox: a process's inquiries by status, newest first.
CREATE INDEX inquiries_inbox ON inquiries (process_id, status, created_at);
CREATE INDEX inquiries_participant ON inquiries (participant_id);
