package dashweb_test

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/civicpulse/civicpulse/warehouse"
)

// manyProposals serves process 1 with n proposals, the first titled as a
// formula, the second with a comma, a newline and Kiswahili/Unicode text.
func manyProposals(t *testing.T, n int) string {
	t.Helper()
	now := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	start := now.Add(-72 * time.Hour)
	b := &warehouse.Batch{Consumed: int64(n), To: warehouse.Cursor{Seq: int64(n)}, Dimensions: warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{{ProcessID: 1, Slug: "a", Title: "Process A", TimeZone: "UTC", RegionSetID: 1, StartsAt: &start,
			Components: []warehouse.ComponentDim{{ComponentID: 10, Kind: "proposals", Title: "Ideas"}}}},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "01", Name: "Mombasa", Population: 1000}}}},
	}}
	for i := int64(1); i <= int64(n); i++ {
		at := start.Add(time.Duration(i) * time.Minute)
		title := fmt.Sprintf("Idea %02d", i)
		switch i {
		case 1:
			title = `=HYPERLINK("http://evil.example","x")`
		case 2:
			title = "Maji safi, kwa wote\nmstari wa pili — ñ 水"
		}
		who := "p" + strconv.FormatInt(i, 10)
		b.Events = append(b.Events, warehouse.Event{Seq: i, Type: "proposal.created", ProcessID: 1, ComponentID: 10, EntityID: 100 + i, Participant: who, RegionCode: "01", OccurredAt: at})
		b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: i, ProposalID: 100 + i, ProcessID: 1, ComponentID: 10, Participant: who, RegionCode: "01", Title: title, OccurredAt: at})
	}
	srv, _, _ := serveBatch(t, b, now)
	return srv.URL
}

// The ranking shows 20 proposals on the page and says so, with the link
// to the whole list; its CSV and XLSX downloads carry all 25, with the
// formula kept from running in either.
func TestPanelDownloadsCarryEveryRow(t *testing.T) {
	base := manyProposals(t, 25)
	const panel = "/staff/p/1/dashboards/proposals/panels/proposal-ranking"
	code, frag := get(t, base+panel)
	if code != 200 || strings.Count(frag, "<tr>") != 21 {
		t.Fatalf("fragment: %d, %d rows, want the header and 20", code, strings.Count(frag, "<tr>")-1)
	}
	if !strings.Contains(frag, `Showing 20 of 25. <a href="`+panel+`/csv?" download>Download all</a>`) {
		t.Errorf("the shortened table does not say so:\n%s", frag)
	}
	if _, sw := get(t, base+panel+"?lang=sw"); !strings.Contains(sw, "Inaonyesha 20 kati ya 25.") || !strings.Contains(sw, ">Pakua zote</a>") {
		t.Errorf("no Kiswahili note:\n%s", sw)
	}

	_, body := get(t, base+panel+"/csv")
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 26 {
		t.Fatalf("CSV has %d data rows, want 25", len(recs)-1)
	}
	titles := map[string]bool{}
	for _, r := range recs[1:] {
		titles[r[0]] = true
	}
	if !titles[`'=HYPERLINK("http://evil.example","x")`] || !titles["Maji safi, kwa wote\nmstari wa pili — ñ 水"] || !titles["Idea 25"] {
		t.Errorf("CSV titles = %v", titles)
	}

	_, xbody := get(t, base+panel+"/xlsx")
	wb, err := excelize.OpenReader(strings.NewReader(xbody))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sheet := wb.GetSheetList()[0]
	rows, err := wb.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 26 {
		t.Fatalf("workbook has %d data rows, want 25", len(rows)-1)
	}
	found := false
	for i, r := range rows {
		if r[0] != `=HYPERLINK("http://evil.example","x")` {
			continue
		}
		found = true
		// A text cell is never evaluated: the workbook's guard is the
		// cell's type, not a quote that would change the text.
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if f, _ := wb.GetCellFormula(sheet, cell); f != "" {
			t.Errorf("%s holds the formula %q", cell, f)
		}
		if typ, _ := wb.GetCellType(sheet, cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("%s is of type %v, want a string cell", cell, typ)
		}
	}
	if !found {
		t.Errorf("the formula-looking title is not in the workbook: %q", rows)
	}
}
