package sqlstore_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// eventAt returns the outbox event with sequence seq.
func (x *fx) eventAt(seq int64) participation.Event {
	x.t.Helper()
	for _, e := range x.events() {
		if e.Seq == seq {
			return e
		}
	}
	x.t.Fatalf("no event with seq %d", seq)
	return participation.Event{}
}

func TestAlertRulesAddListDelete(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		w1 := must(x.s.AddAlertRule(x.ctx, participation.AlertRule{ProcessID: x.proc, Kind: participation.AlertInputsBelow, Threshold: 50, StaffID: 7}))(t)
		w2 := must(x.s.AddAlertRule(x.ctx, participation.AlertRule{ProcessID: x.proc, Kind: participation.AlertRegionRateBelow, Threshold: 0.5, StaffID: 7}))(t)
		if w1.ID == 0 || w2.ID <= w1.ID || w1.Seq == 0 || w2.Seq <= w1.Seq {
			t.Fatalf("written %+v then %+v: want growing ids and seqs", w1, w2)
		}
		e := x.eventAt(w1.Seq)
		if e.Type != participation.EvAlertRuleAdded || e.ProcessID != x.proc || e.EntityID != w1.ID {
			t.Fatalf("event %+v", e)
		}
		// The default window is stored and carried, not left to the reader.
		sameJSON(t, e.Payload, `{"kind":"inputs_below","threshold":50,"window_hours":24,"staff_id":7}`)

		rules := must(x.s.AlertRules(x.ctx, x.proc))(t)
		if len(rules) != 2 || rules[0].ID != w1.ID || rules[0].WindowHours != 24 || rules[0].StaffID != 7 || !rules[0].CreatedAt.Equal(now) ||
			rules[1].Kind != participation.AlertRegionRateBelow || rules[1].Threshold != 0.5 {
			t.Fatalf("rules %+v", rules)
		}

		before, wd, err := x.s.DeleteAlertRule(x.ctx, x.proc, w1.ID, 9)
		ok(t, err)
		if before.ID != w1.ID || before.Kind != participation.AlertInputsBelow || before.Threshold != 50 {
			t.Fatalf("deleted %+v", before)
		}
		d := x.eventAt(wd.Seq)
		if d.Type != participation.EvAlertRuleDeleted || d.EntityID != w1.ID || d.ProcessID != x.proc {
			t.Fatalf("delete event %+v", d)
		}
		rules = must(x.s.AlertRules(x.ctx, 0))(t)
		if len(rules) != 1 || rules[0].ID != w2.ID {
			t.Fatalf("after delete: %+v", rules)
		}
		// Deleting again, or another process's rule: not found, no event.
		other := must(x.s.CreateProcess(x.ctx, process("other", x.rs, participation.ModeOpen)))(t)
		n := x.count()
		_, _, err = x.s.DeleteAlertRule(x.ctx, x.proc, w1.ID, 9)
		wantCode(t, err, participation.CodeNotFound)
		_, _, err = x.s.DeleteAlertRule(x.ctx, other, w2.ID, 9)
		wantCode(t, err, participation.CodeNotFound)
		if x.count() != n {
			t.Fatal("a refused delete wrote an event")
		}
		// A new rule never takes a deleted rule's id (the warehouse and the
		// audit log name rules by id).
		ok(t, func() error { _, _, err := x.s.DeleteAlertRule(x.ctx, x.proc, w2.ID, 9); return err }())
		w3 := must(x.s.AddAlertRule(x.ctx, participation.AlertRule{ProcessID: x.proc, Kind: participation.AlertInputsBelow, Threshold: 1}))(t)
		if w3.ID <= w2.ID {
			t.Fatalf("new rule %d reuses an id (last was %d)", w3.ID, w2.ID)
		}
	})
}

func TestAlertRulesRefuseBadInput(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		n := x.count()
		_, err := x.s.AddAlertRule(x.ctx, participation.AlertRule{ProcessID: x.proc, Kind: "sometimes", Threshold: 1})
		wantField(t, err, "kind", "err.bad_choice")
		_, err = x.s.AddAlertRule(x.ctx, participation.AlertRule{ProcessID: x.proc, Kind: participation.AlertInputsBelow, Threshold: -1})
		wantField(t, err, "threshold", "err.negative")
		_, err = x.s.AddAlertRule(x.ctx, participation.AlertRule{ProcessID: x.proc, Kind: participation.AlertInputsBelow, Threshold: math.NaN()})
		wantField(t, err, "threshold", "err.negative")
		_, err = x.s.AddAlertRule(x.ctx, participation.AlertRule{ProcessID: x.proc, Kind: participation.AlertInputsBelow, Threshold: 1, WindowHours: participation.MaxAlertWindowHours + 1})
		wantField(t, err, "window_hours", "err.out_of_range")
		_, err = x.s.AddAlertRule(x.ctx, participation.AlertRule{ProcessID: 9999, Kind: participation.AlertInputsBelow, Threshold: 1})
		wantCode(t, err, participation.CodeNotFound)
		if x.count() != n {
			t.Fatal("a refused rule wrote an event")
		}
		if rules := must(x.s.AlertRules(x.ctx, 0))(t); len(rules) != 0 {
			t.Fatalf("refused rules were stored: %+v", rules)
		}
	})
}

func TestPanelPublications(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		a := must(x.s.PublishPanel(x.ctx, x.proc, "inputs", 3))(t)
		b := must(x.s.PublishPanel(x.ctx, x.proc, "region-map", 3))(t)
		if a.Seq == 0 || b.Seq <= a.Seq {
			t.Fatalf("written %+v, %+v", a, b)
		}
		sameJSON(t, x.eventAt(b.Seq).Payload, `{"panel":"region-map","position":2,"staff_id":3}`)
		// Publishing again changes nothing and writes nothing.
		n := x.count()
		if again := must(x.s.PublishPanel(x.ctx, x.proc, "inputs", 3))(t); again.Seq != 0 || x.count() != n {
			t.Fatalf("republishing wrote %+v", again)
		}
		ps := must(x.s.PublishedPanels(x.ctx, x.proc))(t)
		if len(ps) != 2 || ps[0].Panel != "inputs" || ps[0].Position != 1 || ps[1].Panel != "region-map" || ps[1].Position != 2 || !ps[0].PublishedAt.Equal(now) {
			t.Fatalf("published %+v", ps)
		}
		u := must(x.s.UnpublishPanel(x.ctx, x.proc, "inputs", 4))(t)
		e := x.eventAt(u.Seq)
		if e.Type != participation.EvPanelUnpublished || e.ProcessID != x.proc {
			t.Fatalf("unpublish event %+v", e)
		}
		sameJSON(t, e.Payload, `{"panel":"inputs","staff_id":4}`)
		n = x.count()
		if none := must(x.s.UnpublishPanel(x.ctx, x.proc, "inputs", 4))(t); none.Seq != 0 || x.count() != n {
			t.Fatalf("unpublishing an unpublished panel wrote %+v", none)
		}
		// Published again, it goes last.
		must(x.s.PublishPanel(x.ctx, x.proc, "inputs", 3))(t)
		ps = must(x.s.PublishedPanels(x.ctx, x.proc))(t)
		if len(ps) != 2 || ps[0].Panel != "region-map" || ps[1].Panel != "inputs" || ps[1].Position != 3 {
			t.Fatalf("republished %+v", ps)
		}
		_, err := x.s.PublishPanel(x.ctx, x.proc, "", 3)
		wantField(t, err, "panel", "err.required")
		_, err = x.s.PublishPanel(x.ctx, x.proc, "<script>", 3)
		wantField(t, err, "panel", "err.bad_choice")
		_, err = x.s.PublishPanel(x.ctx, 9999, "inputs", 3)
		wantCode(t, err, participation.CodeNotFound)
	})
}

func TestThemeEdits(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		r := must(x.s.AddThemeEdit(x.ctx, participation.ThemeEdit{ProcessID: x.proc, Scope: "process", Kind: participation.ThemeRename,
			ThemeID: 4, Label: "  Water and sanitation ", OtherID: 99, StaffID: 5}))(t)
		m := must(x.s.AddThemeEdit(x.ctx, participation.ThemeEdit{ProcessID: x.proc, Scope: "component", ScopeID: x.doc, Kind: participation.ThemeMerge,
			ThemeID: 6, OtherID: 7, Label: "ignored", StaffID: 5}))(t)
		s := must(x.s.AddThemeEdit(x.ctx, participation.ThemeEdit{ProcessID: x.proc, Scope: "process", Kind: participation.ThemeSplit, ThemeID: 8, StaffID: 5}))(t)
		if r.ID == 0 || m.ID <= r.ID || s.ID <= m.ID {
			t.Fatalf("ids %d %d %d", r.ID, m.ID, s.ID)
		}
		e := x.eventAt(r.Seq)
		if e.Type != participation.EvThemeEdited || e.EntityID != r.ID {
			t.Fatalf("event %+v", e)
		}
		sameJSON(t, e.Payload, `{"scope":"process","scope_id":0,"kind":"rename","theme_id":4,"other_id":0,"label":"Water and sanitation","staff_id":5}`)
		sameJSON(t, x.eventAt(m.Seq).Payload, `{"scope":"component","scope_id":`+strconv.FormatInt(x.doc, 10)+`,"kind":"merge","theme_id":6,"other_id":7,"label":"","staff_id":5}`)
		edits := must(x.s.ThemeEdits(x.ctx, x.proc))(t)
		if len(edits) != 3 || edits[0].Label != "Water and sanitation" || edits[1].OtherID != 7 || edits[2].Kind != participation.ThemeSplit || !edits[0].MadeAt.Equal(now) {
			t.Fatalf("edits %+v", edits)
		}

		n := x.count()
		for _, c := range []struct {
			e     participation.ThemeEdit
			field string
			key   string
		}{
			{participation.ThemeEdit{ProcessID: x.proc, Scope: "process", Kind: participation.ThemeRename, ThemeID: 4, Label: "  "}, "label", "err.required"},
			{participation.ThemeEdit{ProcessID: x.proc, Scope: "process", Kind: participation.ThemeRename, ThemeID: 4, Label: string(make([]rune, 81))}, "label", "err.too_long"},
			{participation.ThemeEdit{ProcessID: x.proc, Scope: "process", Kind: participation.ThemeRename, ThemeID: 4, Label: "two\nlines"}, "label", "err.bad_choice"},
			{participation.ThemeEdit{ProcessID: x.proc, Scope: "process", Kind: participation.ThemeMerge, ThemeID: 4, OtherID: 4}, "other_id", "err.bad_choice"},
			{participation.ThemeEdit{ProcessID: x.proc, Scope: "process", Kind: "delete", ThemeID: 4}, "kind", "err.bad_choice"},
			{participation.ThemeEdit{ProcessID: x.proc, Scope: "everything", Kind: participation.ThemeSplit, ThemeID: 4}, "scope", "err.bad_choice"},
			{participation.ThemeEdit{ProcessID: x.proc, Scope: "process", Kind: participation.ThemeSplit}, "theme_id", "err.required"},
		} {
			_, err := x.s.AddThemeEdit(x.ctx, c.e)
			wantField(t, err, c.field, c.key)
		}
		_, err := x.s.AddThemeEdit(x.ctx, participation.ThemeEdit{ProcessID: 9999, Scope: "process", Kind: participation.ThemeSplit, ThemeID: 4})
		wantCode(t, err, participation.CodeNotFound)
		if x.count() != n || len(must(x.s.ThemeEdits(x.ctx, 0))(t)) != 3 {
			t.Fatal("a refused edit left something behind")
		}
	})
}

func TestCampaignCounting(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		c := must(x.s.CampaignCounting(x.ctx, x.proc))(t)
		if c.CountOnce || !c.SetAt.IsZero() || c.ProcessID != x.proc {
			t.Fatalf("never set: %+v", c)
		}
		// Setting the default explicitly is a decision too: it is recorded.
		before, w, err := x.s.SetCampaignCounting(x.ctx, participation.CampaignCounting{ProcessID: x.proc, CountOnce: false, StaffID: 2})
		ok(t, err)
		if w.Seq == 0 || !before.SetAt.IsZero() {
			t.Fatalf("first set: %+v, before %+v", w, before)
		}
		before, w, err = x.s.SetCampaignCounting(x.ctx, participation.CampaignCounting{ProcessID: x.proc, CountOnce: true, StaffID: 2})
		ok(t, err)
		if before.CountOnce || before.SetAt.IsZero() {
			t.Fatalf("before %+v", before)
		}
		e := x.eventAt(w.Seq)
		if e.Type != participation.EvCampaignCountingSet || e.ProcessID != x.proc {
			t.Fatalf("event %+v", e)
		}
		sameJSON(t, e.Payload, `{"count_once":true,"staff_id":2}`)
		if c := must(x.s.CampaignCounting(x.ctx, x.proc))(t); !c.CountOnce || c.StaffID != 2 || !c.SetAt.Equal(now) {
			t.Fatalf("after set: %+v", c)
		}
		n := x.count()
		if _, again, err := x.s.SetCampaignCounting(x.ctx, participation.CampaignCounting{ProcessID: x.proc, CountOnce: true, StaffID: 2}); err != nil || again.Seq != 0 || x.count() != n {
			t.Fatalf("the same choice again wrote %+v (%v)", again, err)
		}
		_, _, err = x.s.SetCampaignCounting(x.ctx, participation.CampaignCounting{ProcessID: 9999, CountOnce: true})
		wantCode(t, err, participation.CodeNotFound)
	})
}

// Decisions inside a Batch commit with it, or not at all.
func TestDecisionsRollBackWithTheirBatch(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		n := x.count()
		err := x.s.Batch(x.ctx, func(tx participation.Store) error {
			if _, err := tx.AddAlertRule(x.ctx, participation.AlertRule{ProcessID: x.proc, Kind: participation.AlertInputsBelow, Threshold: 3}); err != nil {
				return err
			}
			if _, err := tx.PublishPanel(x.ctx, x.proc, "inputs", 1); err != nil {
				return err
			}
			return participation.Errorf(participation.CodeConflict, "", "err.conflict", "changed my mind")
		})
		wantCode(t, err, participation.CodeConflict)
		if x.count() != n || len(must(x.s.AlertRules(x.ctx, x.proc))(t)) != 0 || len(must(x.s.PublishedPanels(x.ctx, x.proc))(t)) != 0 {
			t.Fatal("a rolled-back batch left decisions behind")
		}
	})
}
