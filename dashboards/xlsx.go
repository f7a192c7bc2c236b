package dashboards

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// XLSXType is the MIME type of a workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// WriteXLSX writes a result as a workbook: its table on the first sheet and
// each part's on a sheet of its own, with the cells of WriteCSV. Numbers
// stay numbers; a count suppressed on a public page is the text "<5".
// Participant text goes into string cells, which a spreadsheet never
// evaluates, so it needs no formula guard here.
func WriteXLSX(w io.Writer, r *Result) error {
	wb := excelize.NewFile()
	defer wb.Close()
	bold, err := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("dashboards: unable to make the header style: %w", err)
	}
	// A money column's cells stay numbers but read as the pages do
	// ("KES 1,500": the currency, grouped, no cents); one style per
	// currency.
	money := map[string]int{}
	names := sheetNames{}
	first := true
	add := func(title string, t *Table) error {
		name := names.next(title)
		if first {
			first = false
			if err := wb.SetSheetName("Sheet1", name); err != nil {
				return fmt.Errorf("dashboards: unable to name sheet %q: %w", name, err)
			}
		} else if _, err := wb.NewSheet(name); err != nil {
			return fmt.Errorf("dashboards: unable to add sheet %q: %w", name, err)
		}
		return writeSheet(wb, name, bold, t, money)
	}
	if len(r.Table.Columns) > 0 || len(r.Parts) == 0 {
		if err := add(r.Title, &r.Table); err != nil {
			return err
		}
	}
	for _, p := range r.Parts {
		if err := add(p.Title, &p.Table); err != nil {
			return err
		}
	}
	if _, err := wb.WriteTo(w); err != nil {
		return fmt.Errorf("dashboards: unable to write the workbook: %w", err)
	}
	return nil
}

func writeSheet(wb *excelize.File, sheet string, bold int, t *Table, money map[string]int) error {
	styles := make([]int, len(t.Columns))
	for j, c := range t.Columns {
		if c.Kind != Money {
			continue
		}
		id, ok := money[c.Unit]
		if !ok {
			format := "#,##0"
			if c.Unit != "" {
				format = `"` + strings.ReplaceAll(c.Unit, `"`, "") + ` "#,##0`
			}
			var err error
			if id, err = wb.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
				return fmt.Errorf("dashboards: unable to make the money style: %w", err)
			}
			money[c.Unit] = id
		}
		styles[j] = id
	}
	sw, err := wb.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("dashboards: unable to write sheet %q: %w", sheet, err)
	}
	head := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = excelize.Cell{StyleID: bold, Value: c.Header()}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("dashboards: unable to write sheet %q: %w", sheet, err)
	}
	for i, row := range t.Rows {
		vals := make([]any, len(t.Columns))
		for j := range t.Columns {
			vals[j] = xlsxCell(row[j], t.Columns[j].Kind)
			if n, ok := vals[j].(float64); ok && styles[j] != 0 {
				vals[j] = excelize.Cell{StyleID: styles[j], Value: n}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return fmt.Errorf("dashboards: unable to write sheet %q: %w", sheet, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("dashboards: unable to write sheet %q: %w", sheet, err)
	}
	return nil
}

// xlsxCell follows WriteCSV's order: suppressed, then text, then null,
// then the number.
func xlsxCell(c Cell, kind ColumnKind) any {
	switch {
	case c.Secondary:
		return SecondaryMark
	case c.Suppressed:
		return "<5"
	case c.Text != "" || kind == Text:
		return c.Text
	case c.Null:
		return nil
	}
	return c.Num
}

// sheetNames makes titles into sheet names Excel accepts: at most 31
// characters, none of : \ / ? * [ ], not blank, and unique regardless of
// case (two survey questions may share a prompt's first words).
type sheetNames map[string]bool

func (s sheetNames) next(title string) string {
	base := strings.Map(func(r rune) rune {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			return ' '
		}
		if r < 0x20 {
			return ' '
		}
		return r
	}, title)
	base = strings.Trim(strings.TrimSpace(base), "'")
	if base == "" {
		base = "Table"
	}
	name := truncate(base, 31)
	for i := 2; s[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = truncate(base, 31-len(suffix)) + suffix
	}
	s[strings.ToLower(name)] = true
	return name
}

// truncate cuts s to at most n characters (runes: Excel counts characters).
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n]))
}
