-- "What we heard, what we did" (results.go).

-- name: get-results-report
SELECT process_id, summary, next_steps, published_at, staff_id, updated_at
FROM results_reports WHERE process_id = ?

-- name: list-published-results
SELECT process_id FROM results_reports WHERE published_at IS NOT NULL

-- name: upsert-results-report
INSERT INTO results_reports (process_id, summary, next_steps, published_at, staff_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (process_id) DO UPDATE SET summary = excluded.summary, next_steps = excluded.next_steps,
    published_at = excluded.published_at, staff_id = excluded.staff_id, updated_at = excluded.updated_at
