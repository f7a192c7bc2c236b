package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/demo"
	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/insights"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
)

// The theme forms show the message after dashboards.ErrInvalid: it must be
// the job's reason, and unknown themes must become a 404.
func TestEditErrorTranslatesTheJobsRefusals(t *testing.T) {
	bad := editError(fmt.Errorf("theme 7 has 3 texts, a split needs 4: %w", insights.ErrBadEdit))
	if !errors.Is(bad, dashboards.ErrInvalid) || bad.Error() != dashboards.ErrInvalid.Error()+": theme 7 has 3 texts, a split needs 4" {
		t.Errorf("bad edit = %v", bad)
	}
	gone := editError(fmt.Errorf("theme 9: %w", insights.ErrUnknownTheme))
	if !errors.Is(gone, dashboards.ErrNotFound) || errors.Is(gone, dashboards.ErrInvalid) {
		t.Errorf("unknown theme = %v", gone)
	}
	other := errors.New("disk full")
	if got := editError(other); got != other {
		t.Errorf("failure = %v, want it unchanged", got)
	}
	if editError(nil) != nil {
		t.Error("nil became an error")
	}
}

// The whole path of issue 6 on the demo: store → ingest → warehouse →
// insights jobs → the insights dashboard's panels.
func TestDemoInsightsEndToEnd(t *testing.T) {
	ctx := context.Background()
	p := newDemoPipeline(t, 600, filepath.Join(t.TempDir(), "w.duckdb"))
	defer p.Close()
	wh, jobs := p.wh, p.jobs
	d, err := dashboards.New(ctx, wh.Read(), nil)
	if err != nil {
		t.Fatal(err)
	}
	d.SetThemeEditor(themeEditor{jobs})
	procs, err := d.PublishedProcesses(ctx)
	if err != nil || len(procs) == 0 {
		t.Fatalf("processes = %v, %v", procs, err)
	}
	run := func(panel string, f dashboards.Filter) *dashboards.Result {
		t.Helper()
		f.Process = procs[0].ID
		r, err := d.Run(ctx, dashboards.FindPanel(panel), f)
		if err != nil {
			t.Fatalf("%s: %v", panel, err)
		}
		return r
	}

	themes := run("themes", dashboards.Filter{})
	if len(themes.Table.Rows) < 3 || len(themes.Themes) != len(themes.Table.Rows) {
		t.Fatalf("themes: %d rows, %d ids", len(themes.Table.Rows), len(themes.Themes))
	}
	first := themes.Themes[0].ID
	detail := run("theme-detail", dashboards.Filter{Theme: first})
	if len(detail.Table.Rows) == 0 {
		t.Error("the largest theme has no representative texts")
	}
	// An official's name for it, stored and carried by the outbox, shows
	// as soon as the warehouse has it.
	edit, scope, err := d.CheckThemeEdit(ctx, procs[0].ID, dashboards.ThemeEdit{Kind: dashboards.ThemeRename, Theme: first, Label: "Bursaries and school fees"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.store.AddThemeEdit(ctx, participation.ThemeEdit{ProcessID: procs[0].ID, Scope: scope.Kind, ScopeID: scope.ID,
		Kind: edit.Kind, ThemeID: edit.Theme, Label: edit.Label, StaffID: 1}); err != nil {
		t.Fatal(err)
	}
	if err := p.ing.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.ApplyThemeEdits(ctx, procs[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := run("themes", dashboards.Filter{}); !slices.ContainsFunc(got.Table.Rows, func(row []dashboards.Cell) bool { return row[0].Text == "Bursaries and school fees" }) {
		t.Error("the renamed theme is not listed under its new name")
	}

	// The demo plants a form-letter campaign against Section 5. Its copies
	// swap words in each slot ("oppose", "reject", …), and the campaign's
	// representative copy may be any of them, so only the fixed words of
	// the template are asked for.
	camps := run("campaigns", dashboards.Filter{})
	if len(camps.Table.Rows) == 0 || camps.Table.Rows[0][1].Num < 10 ||
		!strings.HasPrefix(camps.Table.Rows[0][0].Text, "I am writing to") || !strings.Contains(camps.Table.Rows[0][0].Text, "the proposal in Section 5 to") {
		t.Errorf("campaigns = %+v", camps.Table.Rows)
	}

	// Votes on the document's comments and supports on proposals make
	// opinion groups.
	opinions := run("opinion-map", dashboards.Filter{})
	var grouped int
	var walk func(r *dashboards.Result)
	walk = func(r *dashboards.Result) {
		if r.Chart != nil && r.Chart.Kind == "scatter" {
			grouped++
		}
		for _, p := range r.Parts {
			walk(p)
		}
	}
	walk(opinions)
	if grouped == 0 {
		t.Errorf("no opinion map drawn; warnings %q", opinions.Warnings)
	}
}

// demoPipeline is the demo's participation store, ingested into a warehouse
// and passed over once by the insights jobs, as serve would leave them.
type demoPipeline struct {
	store *sqlstore.Store
	wh    *warehouse.Warehouse
	ing   *ingest.Ingester
	jobs  *insights.Runner
}

func newDemoPipeline(t *testing.T, participants int, warehousePath string) *demoPipeline {
	t.Helper()
	return newDemoPipelineWith(t, demo.Options{Participants: participants}, warehousePath)
}

func newDemoPipelineWith(t *testing.T, opts demo.Options, warehousePath string) *demoPipeline {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, sqldbtest.NewSQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	p := &demoPipeline{store: store}
	if _, err := demo.Generate(ctx, store, opts); err != nil {
		store.Close()
		t.Fatal(err)
	}
	if p.wh, err = warehouse.Open(warehousePath); err != nil {
		store.Close()
		t.Fatal(err)
	}
	if p.ing, err = ingest.New(store, p.wh, ingest.Options{Key: []byte("0123456789abcdef0123456789abcdef")}); err != nil {
		p.Close()
		t.Fatal(err)
	}
	if err := p.ing.CatchUp(ctx); err != nil {
		p.Close()
		t.Fatal(err)
	}
	if p.jobs, err = insights.New(p.wh, insights.Options{}); err != nil {
		p.Close()
		t.Fatal(err)
	}
	if err := p.jobs.Pass(ctx); err != nil {
		p.Close()
		t.Fatal(err)
	}
	return p
}

func (p *demoPipeline) Close() {
	p.wh.Close()
	p.store.Close()
}

// `civicpulse ingest --once` leaves the insights up to date too, so that an
// export made after it has themes and campaigns.
func TestIngestOnceRunsTheInsights(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(data, "civicpulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(ctx, store, demo.Options{Participants: 300}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	t.Setenv("DATABASE_URL", "")
	if err := runIngest(ctx, []string{"--data", data, "--once"}); err != nil {
		t.Fatal(err)
	}
	wh, err := warehouse.Open(filepath.Join(data, "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	var themes, campaigns int
	if err := wh.Read().QueryRow(`SELECT (SELECT count(*) FROM themes), (SELECT count(*) FROM campaigns)`).Scan(&themes, &campaigns); err != nil {
		t.Fatal(err)
	}
	if themes == 0 || campaigns == 0 {
		t.Errorf("after ingest --once: %d themes, %d campaigns", themes, campaigns)
	}
}
