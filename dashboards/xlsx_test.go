package dashboards

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func openXLSX(t *testing.T, r *Result) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wb.Close() })
	return wb
}

// The survey panel has one part per question: the workbook holds each on a
// sheet of its own, with the cells of the CSV download, and numbers as
// numbers.
func TestXLSXHoldsTheCSVCells(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "survey-questions", Filter{})
	if len(r.Parts) < 2 {
		t.Fatalf("parts = %d", len(r.Parts))
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(&buf)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wb := openXLSX(t, r)
	sheets := wb.GetSheetList()
	var fromSheets [][]string
	for i, s := range sheets {
		// WriteCSV puts each part's title on a row before its table.
		if i > 0 || len(r.Table.Columns) == 0 {
			fromSheets = append(fromSheets, []string{r.Parts[i-boolInt(len(r.Table.Columns) > 0)].Title})
		}
		rows, err := wb.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		fromSheets = append(fromSheets, rows...)
	}
	if !slices.EqualFunc(recs, fromSheets, sameCells) {
		t.Errorf("workbook differs from the CSV:\ncsv  %q\nxlsx %q", recs, fromSheets)
	}
	if len(sheets) != len(r.Parts)+boolInt(len(r.Table.Columns) > 0) {
		t.Errorf("sheets = %q for %d parts", sheets, len(r.Parts))
	}
	typ, err := wb.GetCellType(sheets[len(sheets)-1], "B2")
	if err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("a count is stored as text (type %v, %v)", typ, err)
	}
}

// sameCells compares rows cell by cell; numbers to 15 significant digits,
// as many as a spreadsheet keeps.
func sameCells(a, b []string) bool {
	return slices.EqualFunc(a, b, func(x, y string) bool {
		if x == y {
			return true
		}
		fx, err1 := strconv.ParseFloat(x, 64)
		fy, err2 := strconv.ParseFloat(y, 64)
		return err1 == nil && err2 == nil && math.Abs(fx-fy) <= 1e-14*math.Max(math.Abs(fx), math.Abs(fy))
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestXLSXCellsAndSheetNames(t *testing.T) {
	part := func(title string) *Result {
		return &Result{Title: title, Table: Table{Columns: []Column{{Label: "Answer"}, {Label: "n", Kind: Count}}, Rows: [][]Cell{{{Text: "x"}, {Num: 7}}}}}
	}
	long := "What should the county do first about roads/water? [pick one]"
	r := &Result{
		Title: "Overview",
		Table: Table{
			Columns: []Column{{Label: "Region"}, {Label: "Inputs", Kind: Count}, {Label: "Rate", Kind: Number}},
			Rows: [][]Cell{
				{{Text: "=HYPERLINK(\"http://x\")"}, {Num: 12}, {Num: 0.125}},
				{{Text: "Kwale"}, {Num: 3, Suppressed: true}, {Null: true}},
			},
		},
		Parts: []*Result{part(long), part(long), part("")},
	}
	wb := openXLSX(t, r)
	want := []string{"Overview", "What should the county do first", "What should the county do f (2)", "Table"}
	if got := wb.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}
	rows, err := wb.GetRows("Overview", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	wantRows := [][]string{{"Region", "Inputs", "Rate"}, {`=HYPERLINK("http://x")`, "12", "0.125"}, {"Kwale", "<5"}}
	if !slices.EqualFunc(rows, wantRows, slices.Equal[[]string]) {
		t.Errorf("rows = %q, want %q", rows, wantRows)
	}
	if f, _ := wb.GetCellFormula("Overview", "A2"); f != "" {
		t.Errorf("participant text became a formula: %q", f)
	}
	for cell, text := range map[string]bool{"B2": false, "C2": false, "B3": true, "A2": true} {
		typ, _ := wb.GetCellType("Overview", cell)
		isText := typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString
		if isText != text {
			t.Errorf("%s: type %v, want text %v", cell, typ, text)
		}
	}
	id, _ := wb.GetCellStyle("Overview", "B1")
	if s, err := wb.GetStyle(id); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header not bold: %+v %v", s, err)
	}
	if id, _ := wb.GetCellStyle("Overview", "B2"); id != 0 {
		if s, _ := wb.GetStyle(id); s.Font != nil && s.Font.Bold {
			t.Error("a data cell is bold")
		}
	}
	// An empty result still makes a workbook a spreadsheet can open.
	empty := openXLSX(t, &Result{Title: "Nothing yet"})
	if got := empty.GetSheetList(); !slices.Equal(got, []string{"Nothing yet"}) || !strings.HasPrefix(XLSXType, "application/vnd.openxmlformats") {
		t.Errorf("empty result sheets = %q", got)
	}
}

// A money column reads in the workbook as on the page ("KES 1,500") while
// its cells stay numbers a spreadsheet sums.
func TestXLSXMoneyReadsAsOnThePage(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "proposal-budget-regions", Filter{})
	j := col(t, r.Table, "Budget asked")
	wb := openXLSX(t, r)
	sheet := wb.GetSheetList()[0]
	cell, _ := excelize.CoordinatesToCellName(j+1, 2)
	shown, err := wb.GetCellValue(sheet, cell)
	if err != nil || shown != r.Table.Format(0, j) || shown != "KES 1,500" {
		t.Errorf("money cell shows %q (%v); the page shows %q", shown, err, r.Table.Format(0, j))
	}
	raw, _ := wb.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if typ, _ := wb.GetCellType(sheet, cell); raw != "1500" || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("money cell raw %q type %v, want the number 1500", raw, typ)
	}
	head, _ := excelize.CoordinatesToCellName(j+1, 1)
	if h, _ := wb.GetCellValue(sheet, head); h != "Budget asked (KES)" {
		t.Errorf("money header = %q", h)
	}
}
