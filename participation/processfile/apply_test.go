package processfile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/processfile"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// now is inside the fixture's participation phase.
var now = time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC)

func open(t *testing.T, b sqldbtest.Backend) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), b.URL, sqlstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fresh is a second, empty store on the same kind of database.
func fresh(t *testing.T, b sqldbtest.Backend) *sqlstore.Store {
	t.Helper()
	if b.Name == "sqlite" {
		return open(t, sqldbtest.Backend{Name: b.Name, URL: sqldbtest.NewSQLiteURL(t)})
	}
	return open(t, sqldbtest.Backend{Name: b.Name, URL: sqldbtest.NewPostgresURL(t)})
}

func setup(t *testing.T, s *sqlstore.Store) processfile.Store {
	t.Helper()
	var v any = s
	st, ok := v.(processfile.Store)
	if !ok {
		t.Fatal("sqlstore.Store lacks the set-up API")
	}
	return st
}

func decodeFile(t *testing.T, data []byte) processfile.File {
	t.Helper()
	f, err := processfile.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return f
}

func fixtureFile(t *testing.T) processfile.File {
	t.Helper()
	data, err := os.ReadFile("testdata/county-budget.json")
	if err != nil {
		t.Fatal(err)
	}
	return decodeFile(t, data)
}

func export(t *testing.T, s processfile.Store, id int64) []byte {
	t.Helper()
	f, err := processfile.Export(context.Background(), s, id)
	if err != nil {
		t.Fatalf("export %d: %v", id, err)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkSchema(t, b)
	return b
}

// checkSchema validates an exported document with the served schema.
func checkSchema(t *testing.T, doc []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := jsonschema.UnmarshalJSON(bytes.NewReader(processfile.Schema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("process-file.json", sch); err != nil {
		t.Fatal(err)
	}
	compiled, err := c.Compile("process-file.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := compiled.Validate(inst); err != nil {
		t.Fatalf("an exported file does not match the schema: %v\n%s", err, doc)
	}
}

func apply(t *testing.T, s processfile.Store, f processfile.File) (int64, bool) {
	t.Helper()
	id, changed, err := processfile.Apply(context.Background(), s, f)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return id, changed
}

func outboxCount(t *testing.T, s *sqlstore.Store) int64 {
	t.Helper()
	n, err := s.Outbox().Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// sameJSON compares two exports field for field, reporting the first line
// that differs.
func sameJSON(t *testing.T, what string, a, b []byte) {
	t.Helper()
	if bytes.Equal(a, b) {
		return
	}
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			t.Fatalf("%s differ at line %d:\n  %s\n  %s", what, i+1, la[i], lb[i])
		}
	}
	t.Fatalf("%s differ in length: %d and %d lines", what, len(la), len(lb))
}

// TestRoundTrip: a file applied to one store, exported, and applied to a
// fresh store gives the same process field for field; and the export says
// what the file said.
func TestRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		a, z := open(t, b), fresh(t, b)
		in := fixtureFile(t)
		id, changed := apply(t, setup(t, a), in)
		if !changed || id == 0 {
			t.Fatalf("first apply: id %d changed %v", id, changed)
		}
		first := export(t, setup(t, a), id)
		p, err := a.GetProcess(context.Background(), id, false)
		if err != nil || p.State != participation.StateDraft || p.Slug != in.Process.Slug {
			t.Fatalf("created process %+v, %v", p, err)
		}

		id2, changed := apply(t, setup(t, z), decodeFile(t, first))
		if !changed {
			t.Fatal("applying to an empty store changed nothing")
		}
		second := export(t, setup(t, z), id2)
		sameJSON(t, "the two stores' exports", first, second)

		// The export is the file that was applied (keys named as Export
		// names them; the fixture already uses other keys, so compare
		// through a re-decode of both).
		got := decodeFile(t, first)
		if got.Process.Translations["sw"]["privacy_notice"] == "" || got.Components[2].Survey.Questions[1].ShowIf == nil ||
			got.Components[0].Proposals == nil || got.Components[0].Proposals.SupportThreshold != 50 ||
			got.Components[1].Document.Sections[1].Translations["sw"]["heading"] != "Mapato" ||
			got.Phases[0].Translations["sw"]["name"] != "Ushiriki" || len(got.Phases[0].Opens) != 3 ||
			got.RegionSet.Regions[2].ParentCode != "W2" || got.Process.FieldReasons["email"] == "" ||
			got.Process.DataAgreement == nil || got.Process.DataAgreement.RetentionDays != 180 || got.Process.Translations["sw"]["agreement_purpose"] == "" {
			t.Errorf("the export lost part of the file:\n%s", first)
		}
		if _, changed := apply(t, setup(t, a), got); changed {
			t.Error("applying a process's own export changed it")
		}
		if p, _ := a.GetProcess(context.Background(), id, false); p.PrivacyNotice == nil || p.PrivacyNotice.LawfulBasis != participation.BasisPublicTask ||
			len(p.PrivacyNotice.Fields) != 2 || p.PrivacyNotice.Fields[1].Reason != "To weigh input by ward." {
			t.Errorf("the applied agreement %+v", p.PrivacyNotice)
		}
		// New terms alone make the next version.
		got.Process.DataAgreement.RetentionDays = 365
		if _, changed := apply(t, setup(t, a), got); !changed {
			t.Error("new agreement terms changed nothing")
		}
		if p, _ := a.GetProcess(context.Background(), id, false); p.PrivacyNotice == nil || p.PrivacyNotice.Version != 2 || p.PrivacyNotice.RetentionDays != 365 {
			t.Errorf("after new terms: %+v", p.PrivacyNotice)
		}
	})
}

// TestApplyTwice: the second apply of the same file writes nothing.
func TestApplyTwice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		s := open(t, b)
		f := fixtureFile(t)
		id, _ := apply(t, setup(t, s), f)
		before, events := export(t, setup(t, s), id), outboxCount(t, s)
		id2, changed := apply(t, setup(t, s), fixtureFile(t))
		if changed || id2 != id {
			t.Fatalf("second apply: id %d (first %d), changed %v", id2, id, changed)
		}
		if n := outboxCount(t, s); n != events {
			t.Errorf("second apply wrote %d outbox events", n-events)
		}
		sameJSON(t, "exports before and after the second apply", before, export(t, setup(t, s), id))
	})
}

// TestApplyUpdates changes every part of an applied process through a file
// and checks the store then exports exactly the new file.
func TestApplyUpdates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		s := open(t, b)
		st := setup(t, s)
		id, _ := apply(t, st, fixtureFile(t))
		f := decodeFile(t, export(t, st, id))

		f.Process.Title = "County budget 2027/28: the second round"
		f.Process.FaceToFace = append(f.Process.FaceToFace, "SMS poll")
		f.Process.PrivacyNotice = "A new notice."
		delete(f.Process.Translations["sw"], "summary")
		f.Process.Translations["sw"]["objective"] = "Kupanga miradi."
		f.RegionSet.Regions[0].Population = 41000
		// Swap the survey and the document, drop the proposals component.
		f.Components = []processfile.Component{f.Components[2], f.Components[1]}
		f.Components[0].Survey.Questions = append(f.Components[0].Survey.Questions, processfile.Question{
			Page: 2, Type: participation.QSingle, Prompt: "Would you come to a baraza?", Options: []string{"Yes", "No"},
			Translations: processfile.Texts{"sw": {"prompt": "Je, ungehudhuria baraza?"}}})
		f.Components[1].Document.Sections[2].Body = "Health, water and roads come first."
		f.Components[1].Proposals = nil
		// Both phases move a week later: a naive update order would make
		// them overlap on the way.
		week := 7 * 24 * time.Hour
		for i := range f.Phases {
			f.Phases[i].StartsAt, f.Phases[i].EndsAt = f.Phases[i].StartsAt.Add(week), f.Phases[i].EndsAt.Add(week)
			f.Phases[i].Opens = []string{f.Components[0].Key}
		}
		f.Phases = append(f.Phases, processfile.Phase{Name: "Report", StartsAt: f.Phases[1].EndsAt, EndsAt: f.Phases[1].EndsAt.Add(week)})
		f.Process.EndsAt = f.Phases[2].EndsAt
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		f = decodeFile(t, want)

		events := outboxCount(t, s)
		id2, changed := apply(t, st, f)
		if !changed || id2 != id {
			t.Fatalf("update: id %d (was %d), changed %v", id2, id, changed)
		}
		if outboxCount(t, s) == events {
			t.Error("an update wrote no outbox event")
		}
		got := export(t, st, id)
		// Export names keys by kind and position; so does the edited file
		// once exported again from a fresh store.
		z := setup(t, fresh(t, b))
		zid, _ := apply(t, z, f)
		sameJSON(t, "the updated process and the file applied to a fresh store", got, export(t, z, zid))
		var back processfile.File
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		if back.Process.Title != f.Process.Title || len(back.Components) != 2 || back.Components[0].Kind != participation.KindSurvey ||
			len(back.Components[0].Survey.Questions) != 7 || len(back.Phases) != 3 || back.Process.PrivacyNotice != "A new notice." ||
			back.Process.Translations["sw"]["summary"] != "" || back.RegionSet.Regions[0].Population != 41000 {
			t.Errorf("the update did not take:\n%s", got)
		}
		if _, changed := apply(t, st, f); changed {
			t.Error("applying the update a second time changed the process")
		}
	})
}

// TestApplyRefusedByStore: a file the store refuses half-way (it would
// delete a component that has contributions) leaves the process as it was.
func TestApplyRefusedByStore(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		s := open(t, b)
		st := setup(t, s)
		f := fixtureFile(t)
		f.Process.Mode, f.Process.PersonalFields, f.Process.FieldReasons = participation.ModeOpen, nil, nil
		// One language, so that publishing needs no translations.
		f.Process.Languages, f.Process.Translations = []string{"en"}, nil
		for i := range f.Components {
			c := &f.Components[i]
			c.Translations = nil
			if c.Document != nil {
				for j := range c.Document.Sections {
					c.Document.Sections[j].Translations = nil
				}
			}
			if c.Survey != nil {
				for j := range c.Survey.Questions {
					c.Survey.Questions[j].Translations = nil
				}
			}
		}
		for i := range f.Phases {
			f.Phases[i].Translations = nil
		}
		id, _ := apply(t, st, f)
		for _, to := range []participation.State{participation.StatePreview, participation.StatePublished} {
			if err := st.Transition(ctx, id, to, ""); err != nil {
				t.Fatalf("→ %s: %v", to, err)
			}
		}
		p, err := s.GetProcess(ctx, id, false)
		if err != nil {
			t.Fatal(err)
		}
		citizen, err := s.CreateParticipant(ctx, "W1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateProposal(ctx, participation.Proposal{ProcessID: id, ComponentID: p.Components[0].ID,
			ParticipantID: citizen.ID, Title: "A borehole in Kilimani", Description: "Water for the market and the school."}); err != nil {
			t.Fatalf("proposal: %v", err)
		}
		before, events := export(t, st, id), outboxCount(t, s)

		g := decodeFile(t, before)
		g.Process.Title = "A title that must not stick"
		g.Components = g.Components[1:]
		for i := range g.Phases {
			g.Phases[i].Opens = nil
		}
		_, _, err = processfile.Apply(ctx, st, g)
		if participation.ErrorCode(err) != participation.CodeConflict {
			var ve participation.ValidationErrors
			if !errors.As(err, &ve) {
				t.Fatalf("deleting a component with a proposal: err = %v, want a conflict", err)
			}
		}
		sameJSON(t, "the process before and after a refused file", before, export(t, st, id))
		if n := outboxCount(t, s); n != events {
			t.Errorf("a refused file wrote %d outbox events", n-events)
		}
	})
}
