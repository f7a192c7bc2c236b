package ingest_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/warehouse"
)

// decide makes officials' decisions through the store, between citizens'
// actions: rules added and one deleted, panels published, one taken off and
// put back, theme edits, the counting switched twice.
func decide(t testing.TB, w *world, rng *rand.Rand) {
	t.Helper()
	ctx, s := w.ctx, w.s
	r1 := must(s.AddAlertRule(ctx, participation.AlertRule{ProcessID: w.open, Kind: participation.AlertInputsBelow, Threshold: 40, WindowHours: 12, StaffID: 3}))(t)
	w.act(t, rng, 20)
	must(s.AddAlertRule(ctx, participation.AlertRule{ProcessID: w.open, Kind: participation.AlertRegionRateBelow, Threshold: 0.25, StaffID: 3}))(t)
	must(s.AddAlertRule(ctx, participation.AlertRule{ProcessID: w.reg, Kind: participation.AlertInputsBelow, Threshold: 5, StaffID: 4}))(t)
	must(s.PublishPanel(ctx, w.open, "inputs", 3))(t)
	must(s.PublishPanel(ctx, w.open, "region-map", 3))(t)
	w.act(t, rng, 20)
	if _, _, err := s.DeleteAlertRule(ctx, w.open, r1.ID, 3); err != nil {
		t.Fatal(err)
	}
	must(s.UnpublishPanel(ctx, w.open, "inputs", 3))(t)
	must(s.PublishPanel(ctx, w.reg, "participants", 4))(t)
	must(s.PublishPanel(ctx, w.open, "inputs", 3))(t)
	must(s.AddThemeEdit(ctx, participation.ThemeEdit{ProcessID: w.open, Scope: "process", Kind: participation.ThemeRename, ThemeID: 2, Label: "Water", StaffID: 3}))(t)
	w.act(t, rng, 20)
	must(s.AddThemeEdit(ctx, participation.ThemeEdit{ProcessID: w.open, Scope: "component", ScopeID: w.doc, Kind: participation.ThemeMerge, ThemeID: 5, OtherID: 6, StaffID: 3}))(t)
	must(s.AddThemeEdit(ctx, participation.ThemeEdit{ProcessID: w.open, Scope: "process", Kind: participation.ThemeSplit, ThemeID: 3, StaffID: 3}))(t)
	if _, _, err := s.SetCampaignCounting(ctx, participation.CampaignCounting{ProcessID: w.open, CountOnce: true, StaffID: 3}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SetCampaignCounting(ctx, participation.CampaignCounting{ProcessID: w.reg, CountOnce: true, StaffID: 4}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SetCampaignCounting(ctx, participation.CampaignCounting{ProcessID: w.reg, CountOnce: false, StaffID: 4}); err != nil {
		t.Fatal(err)
	}
	advanceProposals(t, w, rng)
	askAndAnswer(t, w, rng)
	w.act(t, rng, 20)
}

// askAndAnswer has citizens ask three questions on the document's sections
// and the institution answer the first (once more, through a reply to it)
// and a plain comment: the answers of any comment reach the warehouse, the
// questions left open are what "share answered" counts against.
func askAndAnswer(t testing.TB, w *world, rng *rand.Rand) []int64 {
	t.Helper()
	var qs []int64
	for i := range 3 {
		p := w.people[rng.IntN(len(w.people))]
		qs = append(qs, must(w.s.CreateComment(w.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: w.sections[i%len(w.sections)],
			ParticipantID: p.ID, Kind: participation.CommentQuestion, Body: fmt.Sprintf("Question %d: when will the boreholes be drilled?", i)}))(t))
	}
	must(w.s.AnswerAsInstitution(w.ctx, qs[0], 3, "In the next financial year."))(t)
	reply := must(w.s.CreateComment(w.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: w.sections[0], ParentID: &qs[0],
		ParticipantID: w.people[0].ID, Body: "Which wards first?"}))(t)
	must(w.s.AnswerAsInstitution(w.ctx, reply, 4, "The dry wards first."))(t)
	if len(w.comments) > 0 {
		must(w.s.AnswerAsInstitution(w.ctx, w.comments[rng.IntN(len(w.comments))], 3, "Thank you, noted."))(t)
	}
	return qs
}

// advanceProposals moves some proposals one step along the assessment state
// machine (the last choice where there are several), with a reason.
func advanceProposals(t testing.TB, w *world, rng *rand.Rand) {
	t.Helper()
	for i, p := range w.proposals {
		if i >= 6 {
			break
		}
		d := must(w.s.Decision(w.ctx, p))(t)
		next := participation.NextAssessmentStates(d.State)
		if len(next) == 0 {
			continue
		}
		to := next[(i+rng.IntN(2))%len(next)]
		must(w.s.Decide(w.ctx, p, d.State, to, fmt.Sprintf("reason %d for %s", i, to), 3))(t)
	}
}

// storeDecisions is the store's decisions as the warehouse tables would
// hold them, one sorted line per row.
func storeDecisions(t testing.TB, w *world) map[string][]string {
	t.Helper()
	ctx, s := context.Background(), w.s
	out := map[string][]string{}
	for _, sec := range w.sections {
		for _, c := range must(s.ListComments(ctx, participation.TargetSection, sec))(t) {
			for _, r := range c.Replies {
				if r.Official {
					out["official_answers"] = append(out["official_answers"], fmt.Sprintf("%d %d %d", r.ID, c.ID, r.ProcessID))
				}
			}
		}
	}
	for _, r := range must(s.AlertRules(ctx, 0))(t) {
		out["dash_alert_rules"] = append(out["dash_alert_rules"], fmt.Sprintf("%d %d %s %.2f %d", r.ID, r.ProcessID, r.Kind, r.Threshold, r.WindowHours))
	}
	ps := must(s.ListProcesses(ctx, false))(t)
	for _, p := range ps {
		for _, pp := range must(s.PublishedPanels(ctx, p.ID))(t) {
			out["dash_published"] = append(out["dash_published"], fmt.Sprintf("%d %s %d", pp.ProcessID, pp.Panel, pp.Position))
		}
		c := must(s.CampaignCounting(ctx, p.ID))(t)
		if !c.SetAt.IsZero() {
			out["campaign_counting"] = append(out["campaign_counting"], fmt.Sprintf("%d %t", c.ProcessID, c.CountOnce))
		}
	}
	for _, p := range ps {
		for _, d := range must(s.ProposalDecisions(ctx, p.ID))(t) {
			out["proposal_decisions"] = append(out["proposal_decisions"], fmt.Sprintf("%d %d %s %s", d.ProposalID, d.ProcessID, d.State, d.Reason))
		}
	}
	for _, e := range must(s.ThemeEdits(ctx, 0))(t) {
		out["theme_edits"] = append(out["theme_edits"], fmt.Sprintf("%d %d %s %d %s %d %d %s %d", e.ID, e.ProcessID, e.Scope, e.ScopeID, e.Kind, e.ThemeID, e.OtherID, e.Label, e.StaffID))
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out
}

// warehouseDecisions reads the same lines from a warehouse's tables
// (schema "main" or an attached one).
func warehouseDecisions(t testing.TB, wh *warehouse.Warehouse, schema string) map[string][]string {
	t.Helper()
	queries := map[string]string{
		"dash_alert_rules":   `SELECT format('{} {} {} {:.2f} {}', rule_id, process_id, kind, threshold, window_hours) FROM %s.dash_alert_rules`,
		"dash_published":     `SELECT format('{} {} {}', process_id, panel, position) FROM %s.dash_published`,
		"campaign_counting":  `SELECT format('{} {}', process_id, count_once) FROM %s.campaign_counting`,
		"proposal_decisions": `SELECT format('{} {} {} {}', proposal_id, process_id, state, reason) FROM %s.proposal_decisions`,
		"theme_edits":        `SELECT format('{} {} {} {} {} {} {} {} {}', edit_id, process_id, scope, scope_id, kind, theme_id, other_id, label, staff_id) FROM %s.theme_edits`,
		"official_answers":   `SELECT format('{} {} {}', answer_id, parent_id, process_id) FROM %s.official_answers`,
	}
	out := map[string][]string{}
	for table, q := range queries {
		rows, err := wh.Read().Query(fmt.Sprintf(q, schema))
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], line)
		}
		rows.Close()
		sort.Strings(out[table])
	}
	return out
}

func sameDecisions(t testing.TB, what string, got, want map[string][]string) {
	t.Helper()
	for _, table := range warehouse.DecisionTables {
		g, w := strings.Join(got[table], "\n"), strings.Join(want[table], "\n")
		if g != w {
			t.Errorf("%s: %s holds\n%s\nwant\n%s", what, table, g, w)
		}
		if len(want[table]) == 0 {
			t.Errorf("%s: no %s to compare: the test proves nothing", what, table)
		}
	}
}

// The officials' decisions are derived state: the ingester writes them from
// the outbox exactly once, a rebuild on a fresh file reproduces them row for
// row, and a lost warehouse file loses none.
func TestDecisionsAreRebuiltFromTheOutbox(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		s := openStore(t, b.URL, &clock{})
		w := newWorld(t, s)
		rng := rand.New(rand.NewPCG(11, 12))
		dir := t.TempDir()
		incPath, rebPath := filepath.Join(dir, "inc.duckdb"), filepath.Join(dir, "rebuilt.duckdb")
		wh := openWarehouse(t, incPath)
		defer func() { wh.Close() }()

		// Small batches, ingested between decisions: an add and its delete
		// land in different batches here, in one batch in the rebuild.
		w.act(t, rng, 30)
		decide(t, w, rng)
		for _, size := range []int{3, 7} {
			if err := newIngester(t, s, wh, ingest.Options{BatchSize: size}).CatchUp(context.Background()); err != nil {
				t.Fatal(err)
			}
			decide(t, w, rng)
		}
		if err := newIngester(t, s, wh, ingest.Options{BatchSize: 5}).CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		checkComplete(t, s, wh)
		want := storeDecisions(t, w)
		sameDecisions(t, "incremental", warehouseDecisions(t, wh, "main"), want)
		// Exactly once: a second catch-up from the same checkpoint adds nothing.
		if err := newIngester(t, s, wh, ingest.Options{BatchSize: 5}).CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		sameDecisions(t, "caught up again", warehouseDecisions(t, wh, "main"), want)

		// A fresh file rebuilt from the outbox, all in one batch.
		if err := ingest.Rebuild(context.Background(), s, rebPath, ingest.Options{Key: testKey, BatchSize: 1000}); err != nil {
			t.Fatal(err)
		}
		// Rebuilding over it again neither doubles nor loses a decision.
		if err := ingest.Rebuild(context.Background(), s, rebPath, ingest.Options{Key: testKey, BatchSize: 1000}); err != nil {
			t.Fatal(err)
		}
		if _, err := wh.Read().Exec(fmt.Sprintf(`ATTACH '%s' AS rebuilt (READ_ONLY)`, rebPath)); err != nil {
			t.Fatal(err)
		}
		for _, tb := range warehouse.DecisionTables {
			diff := queryInt(t, wh, fmt.Sprintf(`SELECT count(*) FROM (
				(SELECT * FROM main.%[1]s EXCEPT ALL SELECT * FROM rebuilt.%[1]s)
				UNION ALL
				(SELECT * FROM rebuilt.%[1]s EXCEPT ALL SELECT * FROM main.%[1]s))`, tb))
			if n := queryInt(t, wh, "SELECT count(*) FROM "+tb); diff != 0 || n == 0 {
				t.Errorf("%s: %d of %d rows differ between incremental and rebuilt", tb, diff, n)
			}
		}
		sameDecisions(t, "rebuilt", warehouseDecisions(t, wh, "rebuilt"), want)
		if _, err := wh.Read().Exec(`DETACH rebuilt`); err != nil {
			t.Fatal(err)
		}

		// The warehouse file is lost: the ingester's first start on a new
		// one has every decision back.
		if err := wh.Close(); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{incPath, incPath + ".wal"} {
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
		wh = openWarehouse(t, incPath)
		if n := queryInt(t, wh, `SELECT count(*) FROM dash_alert_rules`); n != 0 {
			t.Fatalf("a new warehouse file starts with %d alert rules", n)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := newIngester(t, s, wh, ingest.Options{BatchSize: 100}).CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		sameDecisions(t, "after losing the file", warehouseDecisions(t, wh, "main"), want)
	})
}
