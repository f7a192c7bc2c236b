-- The origins that may frame a process's widget (participation.WidgetOrigins,
-- widget.go): the public widget page names them in its frame-ancestors
-- directive; a process without rows frames nowhere.
CREATE TABLE widget_origins (
    process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    origin     TEXT NOT NULL,
    PRIMARY KEY (process_id, origin)
);
