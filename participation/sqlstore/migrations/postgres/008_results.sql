-- "What we heard, what we did" (participation.Results, results.go): the
-- officials' summary and next steps of a process, in each of its languages,
-- edited as one report and published as a whole (published_at set).
CREATE TABLE results_reports (
    process_id   BIGINT PRIMARY KEY REFERENCES processes (id) ON DELETE CASCADE,
    summary      TEXT NOT NULL DEFAULT '{}', -- JSON {"lang": "text"}
    next_steps   TEXT NOT NULL DEFAULT '[]', -- JSON [{"due": "YYYY-MM-DD", "text": {"lang": "text"}}]
    published_at TIMESTAMPTZ,
    staff_id     BIGINT NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL
);
