-- The Parquet snapshot served from the browser (snapshot.go). Proposals
-- and comments are written by DuckDB itself, from zip-proposals and
-- zip-comments inside COPY; a survey's wide rows are folded in Go (as for
-- the CSV zip), staged as a CSV in the snapshot's own folder and turned
-- into Parquet here with the types the data dictionary gives. Paths reach
-- DuckDB only as bound parameters.

-- name: parquet-survey
COPY (SELECT * FROM read_csv($source, header = true, auto_detect = true, types = $types, sample_size = 1))
TO $target (FORMAT parquet);

-- name: parquet-columns
-- The columns of a written file, checked against the data dictionary.
SELECT * FROM read_parquet($path) LIMIT 0;
