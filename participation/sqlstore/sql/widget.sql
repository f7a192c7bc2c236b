-- The widget's allow-list of framing origins (widget.go).

-- name: list-widget-origins
SELECT origin FROM widget_origins WHERE process_id = ? ORDER BY origin

-- name: clear-widget-origins
DELETE FROM widget_origins WHERE process_id = ?

-- name: insert-widget-origin
INSERT INTO widget_origins (process_id, origin) VALUES (?, ?)
