package dashweb_test

import (
	"archive/zip"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web/dashweb"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// The Parquet snapshot comes from the running warehouse to those who may
// export, on both stores: the analyst of A gets a zip of Parquet files
// that DuckDB reads back with every proposal and comment, audited; the
// moderator (no export permission) gets 403, B's official 404, an
// anonymous caller nothing.
func TestParquetSnapshotFromTheBrowser(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		var st stack
		fx := staffwebtest.New(t, b.URL, fullStack(t, 0, &st))
		path := dashweb.ParquetPath(fx.ProcessA)
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
		dir := t.TempDir()
		seen := map[string]bool{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o600); err != nil {
				t.Fatal(err)
			}
			seen[f.Name] = true
		}
		if !seen["dictionary.csv"] {
			t.Errorf("no data dictionary in %v", seen)
		}
		ctx := context.Background()
		for file, q := range map[string]string{
			"proposals.parquet": `SELECT count(DISTINCT proposal_id) FROM proposals WHERE process_id = ?`,
			"comments.parquet":  `SELECT count(DISTINCT comment_id) FROM comments WHERE process_id = ?`,
		} {
			var want, got int
			if err := st.wh.Read().QueryRowContext(ctx, q, fx.ProcessA).Scan(&want); err != nil {
				t.Fatal(err)
			}
			if err := st.wh.Read().QueryRowContext(ctx, `SELECT count(*) FROM read_parquet(?)`, filepath.Join(dir, file)).Scan(&got); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if got != want || want == 0 {
				t.Errorf("%s: %d rows, want the warehouse's %d (and some)", file, got, want)
			}
		}
		if recs, _, err := fx.Staff.ListAudit(ctx, staff.AuditFilter{ProcessID: fx.ProcessA, Action: "export.download"}); err != nil || len(recs) != 1 ||
			recs[0].ActorID != fx.People["analyst"].ID || recs[0].Target != "export.parquet.zip" {
			t.Errorf("audit of the download = %v, %v; want one entry by the analyst", recs, err)
		}
		for who, want := range map[string]int{"moderator": http.StatusForbidden, "official_b": http.StatusNotFound} {
			o := fx.Client(t)
			o.SetCookie("cp_staff", fx.SignIn(t, who).Token)
			if p := o.Get(path); p.Status != want {
				t.Errorf("%s on A's snapshot: %d, want %d", who, p.Status, want)
			}
		}
		if p := fx.Client(t).Get(path); p.Status == http.StatusOK {
			t.Errorf("anonymous caller got the snapshot")
		}
	})
}
