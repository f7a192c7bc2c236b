package dashweb_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web/dashweb"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// The complete export is served from the running warehouse's read pool to
// those who may export: the analyst of process A reads every proposal and
// comment the warehouse holds, with a dictionary; the moderator (no export
// permission) gets 403, B's official 404, an anonymous caller nothing.
func TestCompleteExportFromTheBrowser(t *testing.T) {
	var st stack
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 0, &st))
	path := dashweb.ExportPath(fx.ProcessA)
	c := fx.Client(t)
	c.SetCookie("cp_staff", fx.SignIn(t, "analyst").Token)
	p := c.Get(path)
	if p.Status != http.StatusOK || p.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(p.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("analyst: %d %v", p.Status, p.Header)
	}
	zr, err := zip.NewReader(strings.NewReader(p.Body), int64(len(p.Body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	files := map[string][][]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = rows
	}
	ctx := context.Background()
	for file, q := range map[string]string{
		"proposals.csv": `SELECT count(DISTINCT proposal_id) FROM proposals WHERE process_id = ?`,
		"comments.csv":  `SELECT count(DISTINCT comment_id) FROM comments WHERE process_id = ?`,
	} {
		var want int
		if err := st.wh.Read().QueryRowContext(ctx, q, fx.ProcessA).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if got := len(files[file]) - 1; got != want || want == 0 {
			t.Errorf("%s: %d rows, want the warehouse's %d (and some)", file, got, want)
		}
	}
	if len(files["dictionary.csv"]) < 2 {
		t.Errorf("no data dictionary: %v", files["dictionary.csv"])
	}
	var pseudonym string
	if err := st.wh.Read().QueryRowContext(ctx, `SELECT participant FROM proposals WHERE process_id = ? LIMIT 1`, fx.ProcessA).Scan(&pseudonym); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(p.Body, pseudonym) {
		t.Errorf("the export holds the pseudonym %s", pseudonym)
	}
	if recs, _, err := fx.Staff.ListAudit(ctx, staff.AuditFilter{ProcessID: fx.ProcessA, Action: "export.download"}); err != nil || len(recs) != 1 || recs[0].ActorID != fx.People["analyst"].ID {
		t.Errorf("audit of the download = %v, %v; want one entry by the analyst", recs, err)
	}

	for who, want := range map[string]int{"moderator": http.StatusForbidden, "official_b": http.StatusNotFound} {
		o := fx.Client(t)
		o.SetCookie("cp_staff", fx.SignIn(t, who).Token)
		if p := o.Get(path); p.Status != want {
			t.Errorf("%s on A's export: %d, want %d", who, p.Status, want)
		}
	}
	if p := fx.Client(t).Get(path); p.Status == http.StatusOK {
		t.Errorf("anonymous caller got the export")
	}
}
