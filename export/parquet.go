package export

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeParquet has DuckDB write each table itself: the statement runs
// inside COPY, and the file's path is a bound parameter, never spliced into
// the SQL.
func (e *Exporter) writeParquet(ctx context.Context, process int64, dir string) ([]File, error) {
	var files []File
	for _, t := range Tables {
		path := filepath.Join(dir, t.Name+".parquet")
		tmp := path + ".tmp"
		q := "COPY (" + strings.TrimSuffix(e.q.Get(t.Query), ";") + ") TO $path (FORMAT parquet)"
		res, err := e.db.ExecContext(ctx, q, sql.Named("process", process), sql.Named("path", tmp))
		if err != nil {
			os.Remove(tmp)
			return files, fmt.Errorf("export: unable to write %s: %w", path, err)
		}
		if err := replace(tmp, path); err != nil {
			return files, err
		}
		n, _ := res.RowsAffected()
		files = append(files, File{Path: path, Table: t.Name, Rows: n})
	}
	return files, nil
}
