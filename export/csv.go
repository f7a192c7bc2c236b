package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/civicpulse/civicpulse/internal/csvcell"
)

// writeCSV writes one file per table.
func (e *Exporter) writeCSV(ctx context.Context, process int64, dir string) ([]File, error) {
	var files []File
	for _, t := range Tables {
		path := filepath.Join(dir, t.Name+".csv")
		n, err := e.csvFile(ctx, t, process, path)
		if err != nil {
			return files, err
		}
		files = append(files, File{Path: path, Table: t.Name, Rows: n})
	}
	return files, nil
}

func (e *Exporter) csvFile(ctx context.Context, t Table, process int64, path string) (n int64, err error) {
	rows, err := e.query(ctx, t, process)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return 0, fmt.Errorf("export: unable to create %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("export: unable to write %s: %w", path, cerr)
		}
		if err != nil {
			os.Remove(tmp)
			return
		}
		err = replace(tmp, path)
	}()
	w := csv.NewWriter(f)
	cols, err := rows.Columns()
	if err != nil {
		return 0, fmt.Errorf("export: unable to read %s: %w", t.Name, err)
	}
	if err := w.Write(cols); err != nil {
		return 0, fmt.Errorf("export: unable to write %s: %w", path, err)
	}
	vals, ptrs := scanTargets(len(cols))
	rec := make([]string, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("export: unable to read %s: %w", t.Name, err)
		}
		for i, v := range vals {
			rec[i] = csvValue(v)
		}
		if err := w.Write(rec); err != nil {
			return n, fmt.Errorf("export: unable to write %s: %w", path, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("export: unable to read %s: %w", t.Name, err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return n, fmt.Errorf("export: unable to write %s: %w", path, err)
	}
	return n, nil
}

func scanTargets(n int) ([]any, []any) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, ptrs
}

// csvValue formats a value the way a spreadsheet reads it back: numbers in
// full, times in UTC ISO 8601, NULL as an empty field.
func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return csvcell.Safe(x)
	case []byte:
		return csvcell.Safe(string(x))
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int8:
		return strconv.FormatInt(int64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05Z")
	}
	return csvcell.Safe(fmt.Sprint(v))
}
