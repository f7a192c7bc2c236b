package dashweb_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// sheetRows opens a downloaded workbook and returns its first sheet.
func sheetRows(t *testing.T, body string) [][]string {
	t.Helper()
	wb, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer wb.Close()
	rows, err := wb.GetRows(wb.GetSheetList()[0], excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// The workbook download serves the panel's figures with the filters of
// the page, beside the CSV one; another process's staff get 404.
func TestPanelXLSXDownload(t *testing.T) {
	srv, _, _ := site(t)
	const panel = "/dashboards/proposals/panels/proposal-ranking"
	resp, err := http.Get(srv.URL + "/staff/p/1" + panel + "/xlsx?region=01")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != dashboards.XLSXType ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="proposal-ranking-1.xlsx"` {
		t.Fatalf("xlsx: %d %v", resp.StatusCode, resp.Header)
	}
	rows := sheetRows(t, body.String())
	_, csvBody := get(t, srv.URL+"/staff/p/1"+panel+"/csv?region=01")
	want, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || !slices.EqualFunc(rows, want, slices.Equal[[]string]) {
		t.Errorf("workbook rows = %q, want the CSV's %q", rows, want)
	}
	if code, _ := get(t, srv.URL+"/staff/p/2"+panel+"/xlsx"); code != http.StatusNotFound {
		t.Errorf("process 2: %d, want 404", code)
	}
	if code, _ := get(t, srv.URL+"/staff/p/1/dashboards/proposals/panels/nope/xlsx"); code != http.StatusNotFound {
		t.Errorf("unknown panel: %d, want 404", code)
	}
	_, frag := get(t, srv.URL+"/staff/p/1"+panel+"?region=01")
	if !strings.Contains(frag, `href="/staff/p/1`+panel+`/xlsx?region=01" download>Download XLSX</a>`) {
		t.Errorf("no XLSX link beside the CSV one:\n%s", frag)
	}
}

// Through the real staff guard: the analyst of process A downloads A's
// panels as workbooks; B's official gets 404 on them.
func TestXLSXThroughTheStaffGuard(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		fx := staffwebtest.New(t, b.URL, fullStack(t, 200*time.Millisecond))
		path := fmt.Sprintf("/staff/p/%d/dashboards/proposals/panels/proposal-ranking/xlsx", fx.ProcessA)
		c := fx.Client(t)
		c.SetCookie("cp_staff", fx.SignIn(t, "analyst").Token)
		p := c.Get(path)
		if p.Status != http.StatusOK || p.Header.Get("Content-Type") != dashboards.XLSXType || !strings.HasPrefix(p.Header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("analyst: %d %v", p.Status, p.Header)
		}
		if rows := sheetRows(t, p.Body); len(rows) == 0 || !slices.Equal(rows[0], []string{"Proposal", "Region", "Budget (KES)", "Supports", "Supporters"}) {
			t.Errorf("analyst's workbook = %q", rows)
		}
		other := fx.Client(t)
		other.SetCookie("cp_staff", fx.SignIn(t, "official_b").Token)
		if p := other.Get(path); p.Status != http.StatusNotFound {
			t.Errorf("official_b on A's workbook: %d, want 404", p.Status)
		}
		if p := fx.Client(t).Get(path); p.Status == http.StatusOK {
			t.Errorf("anonymous caller got the workbook")
		}
	})
}
