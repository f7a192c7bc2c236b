-- Officials' dashboard decisions (decisions.go, migration 004_decisions.sql).

-- name: insert-decision-event
-- insert-event that returns the event's sequence, which the writer waits
-- for the warehouse to reach. The payload's type comes from the column
-- (JSONB on Postgres, TEXT on SQLite).
INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
RETURNING seq

-- name: insert-alert-rule
INSERT INTO alert_rules (process_id, kind, threshold, window_hours, staff_id, created_at)
VALUES (?, ?, ?, ?, ?, ?)
RETURNING id

-- name: get-alert-rule
SELECT id, process_id, kind, threshold, window_hours, staff_id, created_at
FROM alert_rules WHERE process_id = ? AND id = ?

-- name: delete-alert-rule
DELETE FROM alert_rules WHERE process_id = ? AND id = ?

-- name: list-alert-rules
SELECT id, process_id, kind, threshold, window_hours, staff_id, created_at
FROM alert_rules WHERE (? = 0 OR process_id = ?) ORDER BY id

-- name: get-panel-publication
SELECT process_id, panel, position, staff_id, published_at
FROM panel_publications WHERE process_id = ? AND panel = ?

-- name: insert-panel-publication
-- Last on the page.
INSERT INTO panel_publications (process_id, panel, position, staff_id, published_at)
SELECT ?, ?, coalesce(max(position), 0) + 1, ?, ?
FROM panel_publications WHERE process_id = ?
RETURNING position

-- name: delete-panel-publication
DELETE FROM panel_publications WHERE process_id = ? AND panel = ?

-- name: list-panel-publications
SELECT process_id, panel, position, staff_id, published_at
FROM panel_publications WHERE process_id = ? ORDER BY position, panel

-- name: insert-theme-edit
INSERT INTO theme_edits (process_id, scope, scope_id, kind, theme_id, other_id, label, staff_id, made_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id

-- name: list-theme-edits
SELECT id, process_id, scope, scope_id, kind, theme_id, other_id, label, staff_id, made_at
FROM theme_edits WHERE (? = 0 OR process_id = ?) ORDER BY id

-- name: get-campaign-counting
SELECT process_id, count_once, staff_id, set_at FROM campaign_counting WHERE process_id = ?

-- name: set-campaign-counting
INSERT INTO campaign_counting (process_id, count_once, staff_id, set_at) VALUES (?, ?, ?, ?)
ON CONFLICT (process_id) DO UPDATE SET count_once = excluded.count_once, staff_id = excluded.staff_id, set_at = excluded.set_at
