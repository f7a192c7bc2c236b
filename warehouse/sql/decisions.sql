-- Officials' decisions carried by the outbox (decisions.go).

-- name: decision-delete-alert-rule
DELETE FROM dash_alert_rules WHERE rule_id = ?;
-- name: decision-insert-alert-rule
INSERT INTO dash_alert_rules (rule_id, process_id, kind, threshold, window_hours, created_at) VALUES (?, ?, ?, ?, ?, ?);

-- name: decision-delete-panel
DELETE FROM dash_published WHERE process_id = ? AND panel = ?;
-- name: decision-insert-panel
INSERT INTO dash_published (process_id, panel, position, published_at) VALUES (?, ?, ?, ?);

-- name: decision-delete-theme-edit
DELETE FROM theme_edits WHERE edit_id = ?;
-- name: decision-insert-theme-edit
INSERT INTO theme_edits (edit_id, process_id, scope, scope_id, kind, theme_id, other_id, label, staff_id, made_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: decision-delete-counting
DELETE FROM campaign_counting WHERE process_id = ?;
-- name: decision-insert-counting
INSERT INTO campaign_counting (process_id, count_once, set_at) VALUES (?, ?, ?);

-- name: decision-upsert-proposal
-- The latest state wins; the first decision's time stays.
INSERT INTO proposal_decisions (proposal_id, process_id, state, reason, decided_at, first_decided_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (proposal_id) DO UPDATE SET state = excluded.state, reason = excluded.reason, decided_at = excluded.decided_at,
    first_decided_at = coalesce(proposal_decisions.first_decided_at, excluded.first_decided_at);

-- name: decision-delete-answer
DELETE FROM official_answers WHERE answer_id = ?;
-- name: decision-insert-answer
INSERT INTO official_answers (answer_id, parent_id, process_id, answered_at) VALUES (?, ?, ?, ?);
