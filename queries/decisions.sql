-- Officials' decisions, as the dashboards read what they stand on.

-- name: insight-theme-state
-- A theme of the process as officials see it before they edit it: the
-- audit log's "before" of a theme edit.
SELECT theme_id, label, merged_into
FROM themes
WHERE process_id = $process AND theme_id = $theme
LIMIT 1;
