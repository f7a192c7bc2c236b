-- Phase boundaries (issue 10): the start ("open") and end ("close") of every
-- phase of a published process, and which of them AdvancePhases applied.
-- A close sorts before an open at the same instant, so that back-to-back
-- phases hand over in order.

-- name: upcoming-phase-boundaries
SELECT b.process_id, b.phase_id, b.kind, b.at FROM (
    SELECT ph.process_id, ph.id AS phase_id, 'open' AS kind, ph.starts_at AS at
    FROM phases ph JOIN processes p ON p.id = ph.process_id
    WHERE p.published AND ph.starts_at >= ?
    UNION ALL
    SELECT ph.process_id, ph.id AS phase_id, 'close' AS kind, ph.ends_at AS at
    FROM phases ph JOIN processes p ON p.id = ph.process_id
    WHERE p.published AND ph.ends_at >= ?
) b
WHERE NOT EXISTS (SELECT 1 FROM phase_boundaries_applied a WHERE a.phase_id = b.phase_id AND a.kind = b.kind)
ORDER BY b.at, b.kind, b.phase_id
LIMIT ?

-- name: pending-phase-boundaries
SELECT b.process_id, b.phase_id, b.kind, b.at FROM (
    SELECT ph.process_id, ph.id AS phase_id, 'open' AS kind, ph.starts_at AS at
    FROM phases ph JOIN processes p ON p.id = ph.process_id
    WHERE p.published AND p.id = ?
    UNION ALL
    SELECT ph.process_id, ph.id AS phase_id, 'close' AS kind, ph.ends_at AS at
    FROM phases ph JOIN processes p ON p.id = ph.process_id
    WHERE p.published AND p.id = ?
) b
WHERE NOT EXISTS (SELECT 1 FROM phase_boundaries_applied a WHERE a.phase_id = b.phase_id AND a.kind = b.kind)
ORDER BY b.at, b.kind, b.phase_id

-- The boundaries due at a time, with the phase's name for the event and
-- whether no other phase of the process ends later (the close of the last
-- phase closes the process).
-- name: due-phase-boundaries
SELECT b.process_id, b.phase_id, b.kind, b.at, b.name, b.last FROM (
    SELECT ph.process_id, ph.id AS phase_id, 'open' AS kind, ph.starts_at AS at, ph.name, 0 AS last
    FROM phases ph JOIN processes p ON p.id = ph.process_id
    WHERE p.published AND ph.starts_at <= ?
    UNION ALL
    SELECT ph.process_id, ph.id AS phase_id, 'close' AS kind, ph.ends_at AS at, ph.name,
        CASE WHEN EXISTS (SELECT 1 FROM phases o WHERE o.process_id = ph.process_id AND o.ends_at > ph.ends_at)
            THEN 0 ELSE 1 END AS last
    FROM phases ph JOIN processes p ON p.id = ph.process_id
    WHERE p.published AND ph.ends_at <= ?
) b
WHERE NOT EXISTS (SELECT 1 FROM phase_boundaries_applied a WHERE a.phase_id = b.phase_id AND a.kind = b.kind)
ORDER BY b.at, b.kind, b.phase_id

-- Inserts nothing when another caller applied the boundary first: that
-- caller writes its event, this one does not.
-- name: insert-phase-boundary-applied
INSERT INTO phase_boundaries_applied (phase_id, kind, process_id, at, applied_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (phase_id, kind) DO NOTHING

-- name: applied-phase-boundaries
SELECT a.process_id, a.phase_id, a.kind, a.at, a.applied_at
FROM phase_boundaries_applied a
WHERE a.process_id = ?
ORDER BY a.at, a.kind, a.phase_id
