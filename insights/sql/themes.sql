-- name: themes-fingerprint
-- What a process's themes depend on: its visible texts and the officials'
-- edits. An unchanged fingerprint means a pass has nothing to do. Edits
-- count by the sum of their ids, not the newest: on Postgres two officials'
-- edits can reach the warehouse out of id order.
SELECT (SELECT coalesce(sum(edit_id), 0)::BIGINT FROM theme_edits WHERE process_id = ?),
       count(*), coalesce(sum(seq), 0)::BIGINT
FROM text_items WHERE process_id = ?;

-- name: themes-texts
-- The visible texts of a process with the stems the ingester stored for
-- that version of the text, oldest first (fits are reproducible).
SELECT t.entity_kind, t.entity_id, t.question_id, t.seq, t.component_id, t.section_id,
       t.body, array_to_string(f.stems, ' ')
FROM text_items t
JOIN text_features f
  ON f.entity_kind = t.entity_kind AND f.entity_id = t.entity_id
 AND f.question_id = t.question_id AND f.seq = t.seq
WHERE t.process_id = ?
ORDER BY t.seq, t.entity_kind, t.entity_id, t.question_id;

-- name: themes-current-runs
-- The newest run of every scope of a process.
SELECT scope, scope_id, max(run_id) FROM theme_runs WHERE process_id = ?
GROUP BY scope, scope_id;

-- name: themes-run-model
SELECT model FROM theme_runs WHERE run_id = ?;

-- name: themes-max-run
SELECT coalesce(max(run_id), 0) FROM theme_runs;

-- name: themes-max-theme-id
-- Ids named by edits count too, so an id an official acted on is never
-- given to an unrelated theme.
SELECT greatest(
    (SELECT coalesce(max(theme_id), 0) FROM themes WHERE process_id = ?),
    (SELECT coalesce(max(greatest(theme_id, other_id)), 0) FROM theme_edits WHERE process_id = ?));

-- name: themes-scope-themes
SELECT theme_id, label, array_to_string(terms, ' '), renamed, parent_id, merged_into, size
FROM themes WHERE process_id = ? AND scope = ? AND scope_id = ?;

-- name: themes-scope-members
SELECT entity_kind, entity_id, question_id, theme_id, rep, how, seq
FROM theme_members WHERE process_id = ? AND scope = ? AND scope_id = ?;

-- name: themes-edits
SELECT edit_id, scope, scope_id, kind, theme_id, other_id, label
FROM theme_edits WHERE process_id = ? ORDER BY edit_id;

-- name: themes-find-theme
SELECT scope, scope_id, parent_id, merged_into, size,
       EXISTS (SELECT 1 FROM themes c WHERE c.process_id = t.process_id AND c.parent_id = t.theme_id)
FROM themes t WHERE process_id = ? AND theme_id = ?;

-- name: themes-insert-run
INSERT INTO theme_runs (run_id, process_id, scope, scope_id, texts, k, silhouette, fitted_seq, fitted_at, model)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: themes-drop-old-models
-- Only the current run's model assigns; older runs stay as a record.
UPDATE theme_runs SET model = NULL
WHERE process_id = ? AND scope = ? AND scope_id = ? AND run_id <> ? AND model IS NOT NULL;

-- name: themes-delete-themes
DELETE FROM themes WHERE process_id = ? AND scope = ? AND scope_id = ?;

-- name: themes-delete-members
DELETE FROM theme_members WHERE process_id = ? AND scope = ? AND scope_id = ?;
