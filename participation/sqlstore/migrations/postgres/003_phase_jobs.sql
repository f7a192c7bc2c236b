-- Phase boundaries the job queue has applied (issue 10). One row per phase
-- and kind: the primary key is what makes AdvancePhases apply a boundary
-- once however many servers run it at the same time.
CREATE TABLE phase_boundaries_applied (
    phase_id   BIGINT NOT NULL REFERENCES phases (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('open', 'close')),
    process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    at         TIMESTAMPTZ NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (phase_id, kind)
);
CREATE INDEX phase_boundaries_applied_process ON phase_boundaries_applied (process_id);
