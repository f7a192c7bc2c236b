package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"
)

// writeXLSX writes one workbook, one sheet per table, through excelize's
// stream writer so that a large process does not sit in memory cell by cell.
func (e *Exporter) writeXLSX(ctx context.Context, process int64, dir string) (_ []File, err error) {
	path := filepath.Join(dir, fmt.Sprintf("process-%d.xlsx", process))
	wb := excelize.NewFile()
	defer wb.Close()
	st, err := newSheetStyles(wb)
	if err != nil {
		return nil, err
	}
	var total int64
	for i, t := range Tables {
		if i == 0 {
			err = wb.SetSheetName("Sheet1", t.Name)
		} else {
			_, err = wb.NewSheet(t.Name)
		}
		if err != nil {
			return nil, fmt.Errorf("export: unable to add sheet %s: %w", t.Name, err)
		}
		n, err := e.sheet(ctx, wb, st, t, process)
		if err != nil {
			return nil, err
		}
		total += n
	}
	tmp := path + ".tmp"
	if err := save(wb, tmp); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("export: unable to write %s: %w", path, err)
	}
	if err := replace(tmp, path); err != nil {
		return nil, err
	}
	return []File{{Path: path, Rows: total}}, nil
}

// save writes through a file of ours: SaveAs refuses a name that does not
// end in .xlsx, such as the temporary one.
func save(wb *excelize.File, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := wb.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// sheetStyles are the workbook's styles: a bold header, and a date-time
// format so that times are dates a spreadsheet can sort and compute with.
type sheetStyles struct {
	header, when int
}

func newSheetStyles(wb *excelize.File) (sheetStyles, error) {
	var s sheetStyles
	var err error
	if s.header, err = wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return s, fmt.Errorf("export: unable to make the header style: %w", err)
	}
	format := "yyyy-mm-dd hh:mm:ss"
	if s.when, err = wb.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
		return s, fmt.Errorf("export: unable to make the date style: %w", err)
	}
	return s, nil
}

// sheetRows is the most data rows a sheet holds: a spreadsheet's
// 1,048,576 rows, the header aside. A table past it goes on in further
// sheets (proposals, proposals_2, …), each with the header. A variable so
// that a test can split a small table.
var sheetRows = excelize.TotalRows - 1

// sheet writes a table into its sheet, already added to the workbook, and
// into further ones once it passes sheetRows.
func (e *Exporter) sheet(ctx context.Context, wb *excelize.File, st sheetStyles, t Table, process int64) (int64, error) {
	rows, err := e.query(ctx, t, process)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, fmt.Errorf("export: unable to read %s: %w", t.Name, err)
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: st.header, Value: c}
	}
	name := t.Name
	part := 1
	var sw *excelize.StreamWriter
	open := func() error {
		if part > 1 {
			name = fmt.Sprintf("%s_%d", t.Name, part)
			if _, err := wb.NewSheet(name); err != nil {
				return fmt.Errorf("export: unable to add sheet %s: %w", name, err)
			}
		}
		var err error
		if sw, err = wb.NewStreamWriter(name); err != nil {
			return fmt.Errorf("export: unable to write sheet %s: %w", name, err)
		}
		if err := sw.SetRow("A1", head, excelize.RowOpts{}); err != nil {
			return fmt.Errorf("export: unable to write sheet %s: %w", name, err)
		}
		return nil
	}
	if err := open(); err != nil {
		return 0, err
	}
	vals, ptrs := scanTargets(len(cols))
	var n int64
	inSheet := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("export: unable to read %s: %w", t.Name, err)
		}
		if inSheet == sheetRows {
			if err := sw.Flush(); err != nil {
				return n, fmt.Errorf("export: unable to write sheet %s: %w", name, err)
			}
			part++
			if err := open(); err != nil {
				return n, err
			}
			inSheet = 0
		}
		row := make([]any, len(vals))
		for i, v := range vals {
			row[i] = xlsxValue(v, st)
		}
		cell, _ := excelize.CoordinatesToCellName(1, inSheet+2)
		if err := sw.SetRow(cell, row); err != nil {
			return n, fmt.Errorf("export: unable to write sheet %s row %d: %w", name, inSheet+2, err)
		}
		n++
		inSheet++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("export: unable to read %s: %w", t.Name, err)
	}
	if err := sw.Flush(); err != nil {
		return n, fmt.Errorf("export: unable to write sheet %s: %w", name, err)
	}
	return n, nil
}

// xlsxValue keeps numbers as numbers and times as dates. Text is written
// as a string cell, which a spreadsheet never evaluates, so it needs no
// formula guard.
func xlsxValue(v any, st sheetStyles) any {
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		return excelize.Cell{StyleID: st.when, Value: x.UTC()}
	case []byte:
		return string(x)
	case string, bool, int64, int32, int16, int8, uint64, uint32, float64, float32:
		return x
	}
	return fmt.Sprint(v)
}
