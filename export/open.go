package export

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// ErrWarehouseBusy means another process holds the warehouse file. DuckDB
// lets one process write a file, and readers in other processes only when
// no process writes it, so an export beside a running serve cannot open it.
var ErrWarehouseBusy = errors.New("export: the warehouse is in use by another process: stop civicpulse serve (or ingest) first, or download the complete export from the process's staff page (/staff/p/ID/export.zip)")

// OpenReadOnly opens the warehouse file at path for reading only, without
// migrating it: an export must never change the file it reads.
func OpenReadOnly(path string) (*sql.DB, error) {
	if strings.ContainsRune(path, '?') {
		// The driver reads what follows a '?' as options.
		return nil, fmt.Errorf("export: the warehouse path %q has a '?'; move the data folder", path)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("export: no warehouse at %s (run civicpulse ingest first): %w", path, err)
	}
	connector, err := duckdb.NewConnector(path+"?access_mode=READ_ONLY", nil)
	if err != nil {
		if strings.Contains(err.Error(), "lock") {
			return nil, fmt.Errorf("%w (%v)", ErrWarehouseBusy, err)
		}
		return nil, fmt.Errorf("export: unable to open %s: %w", path, err)
	}
	return sql.OpenDB(connector), nil
}
