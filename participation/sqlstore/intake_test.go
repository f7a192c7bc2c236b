package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/intakecsv"
)

// intakeFile has five good rows (one a repeat of an earlier external id),
// a text with commas, quotes, newlines and non-Latin script spread over
// lines 3–5, and a broken row on line 7.
const intakeFile = "external_id,text,received_at,channel,region,organisation,section\n" +
	"e-1,Please fix the Mombasa road,2026-02-01T09:30:00Z,email,001,,\n" +
	"e-2,\"Maji, barabara na \"\"shule\"\":\nmstari wa pili\nशुक्रिया — ✓\",2026-02-02 10:00,paper,Nairobi City,Kenya Roads Board,2\n" +
	"e-3,We support the boreholes,2026-02-03,portal,,kenya  roads board,\n" +
	"e-4,No date here,yesterday,email,,,\n" +
	"e-1,The same letter scanned twice,2026-02-01,paper,,,\n" +
	"e-5,Last one,2026-02-04T08:00:00+03:00,,030,,\n"

func (x *fx) importFile(file string, opt participation.IntakeOptions) participation.IntakeResult {
	x.t.Helper()
	r := must(intakecsv.NewReader(strings.NewReader(file)))(x.t)
	opt.ProcessID, opt.ComponentID = x.proc, x.doc
	return must(x.s.ImportComments(x.ctx, opt, r.Next))(x.t)
}

func TestImportCommentsLoadsGoodRowsAndReportsBrokenOnes(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		doc := x.document()
		before := x.count()
		res := x.importFile(intakeFile, participation.IntakeOptions{Chunk: 2})
		if res.Rows != 6 || res.Imported != 4 || res.Duplicates != 1 || res.Broken != 1 || res.Participants != 3 {
			t.Fatalf("result %+v, want 6 rows, 4 imported, 1 duplicate, 1 broken, 3 participants", res)
		}
		if p := res.Problems[0]; p.Line != 7 || p.Field != "received_at" {
			t.Fatalf("problem %+v, want line 7 received_at", p)
		}
		first := must(x.s.ListComments(x.ctx, participation.TargetSection, doc.Sections[0].ID))(t)
		second := must(x.s.ListComments(x.ctx, participation.TargetSection, doc.Sections[1].ID))(t)
		if len(first) != 3 || len(second) != 1 {
			t.Fatalf("%d and %d comments on the sections, want 3 and 1", len(first), len(second))
		}
		want := "Maji, barabara na \"shule\":\nmstari wa pili\nशुक्रिया — ✓"
		if second[0].Body != want {
			t.Fatalf("body %q, want %q", second[0].Body, want)
		}
		if got := must(x.s.GetDocument(x.ctx, x.doc))(t).Sections[0].CommentCount; got != 3 {
			t.Fatalf("section counts %d comments, want 3", got)
		}
		// The two letters of the Kenya Roads Board are one participant's.
		if first[1].ParticipantID != second[0].ParticipantID || first[0].ParticipantID == first[1].ParticipantID {
			t.Fatalf("participants %d, %d, %d: want the organisation's letters on one", first[0].ParticipantID, first[1].ParticipantID, second[0].ParticipantID)
		}
		var created []participation.Event
		joined := 0
		for _, e := range x.events()[before:] {
			switch e.Type {
			case participation.EvCommentCreated:
				created = append(created, e)
			case participation.EvParticipantJoined:
				joined++
			}
		}
		if len(created) != 4 || joined != 3 || x.count()-before != 7 {
			t.Fatalf("%d comment.created, %d participant.joined, %d events in all; want 4, 3, 7", len(created), joined, x.count()-before)
		}
		e := created[1]
		if e.RegionCode != "047" || !e.OccurredAt.Equal(time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC)) || e.ComponentID != x.doc {
			t.Fatalf("event %+v: want region 047, occurred when received, on the document", e)
		}
		p := payload(t, e)
		if p["body"] != want || p["channel"] != "paper" || p["target_kind"] != "section" || p["organisation"] != nil {
			t.Fatalf("payload %v", p)
		}
		if last := created[3]; !last.OccurredAt.Equal(time.Date(2026, 2, 4, 5, 0, 0, 0, time.UTC)) || last.RegionCode != "030" {
			t.Fatalf("last event %+v: want 05:00 UTC in 030", last)
		}

		// The same file again adds nothing.
		n := x.count()
		again := x.importFile(intakeFile, participation.IntakeOptions{})
		if again.Imported != 0 || again.Duplicates != 5 || again.Participants != 0 || x.count() != n {
			t.Fatalf("re-import %+v wrote %d events, want nothing", again, x.count()-n)
		}
	})
}

func TestImportCommentsStrictLoadsNothingFromABrokenFile(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		x.document()
		before := x.count()
		res := x.importFile(intakeFile, participation.IntakeOptions{Strict: true, Chunk: 2})
		if res.Imported != 0 || res.Broken != 1 || res.Problems[0].Line != 7 || x.count() != before {
			t.Fatalf("strict import %+v wrote %d events, want nothing and line 7", res, x.count()-before)
		}
		if c := must(x.s.ListComments(x.ctx, participation.TargetSection, x.document().Sections[0].ID))(t); len(c) != 0 {
			t.Fatalf("%d comments after a strict import of a broken file", len(c))
		}
		// Without the broken row it loads.
		good := strings.Replace(intakeFile, "e-4,No date here,yesterday,email,,,\n", "", 1)
		if res := x.importFile(good, participation.IntakeOptions{Strict: true}); res.Imported != 4 || res.Broken != 0 {
			t.Fatalf("strict import of a good file %+v", res)
		}
	})
}

func TestImportCommentsRefusesUnknownRegionsAndSections(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		x.document()
		file := "id,body,received_at,place,section\n" +
			"a,Fine,2026-02-01,mombasa,1\n" +
			"b,Nowhere,2026-02-01,Atlantis,1\n" +
			"c,Too far,2026-02-01,,3\n" +
			"d,\"unclosed\" quote\",2026-02-01,,1\n" +
			"e,Short row\n"
		res := x.importFile(file, participation.IntakeOptions{})
		if res.Imported != 1 || res.Broken != 4 {
			t.Fatalf("result %+v, want 1 imported, 4 broken", res)
		}
		lines := []int{}
		for _, p := range res.Problems {
			lines = append(lines, p.Line)
		}
		if lines[0] != 3 || lines[1] != 4 || lines[2] != 5 || lines[3] != 6 {
			t.Fatalf("problem lines %v, want 3 4 5 6 (%+v)", lines, res.Problems)
		}
		if _, err := x.s.ImportComments(x.ctx, participation.IntakeOptions{ProcessID: x.proc, ComponentID: x.props},
			must(intakecsv.NewReader(strings.NewReader(file)))(t).Next); code(err) != participation.CodeInvalid {
			t.Fatalf("import into a proposals component: %v", err)
		}
	})
}
