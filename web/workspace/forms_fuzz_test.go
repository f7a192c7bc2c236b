package workspace

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// FuzzWorkspaceForms feeds the workspace's form readers (a survey
// question, an assessment criterion, a phase, the moderation queue's
// filter) any posted form. They must not panic; a field they did not mark
// wrong holds a value in its range, the store's own checks refuse what is
// left only as invalid input (a 422, never a 500), and a phase time reads
// back as it is shown.
func FuzzWorkspaceForms(f *testing.F) {
	b, err := loadCatalogue("en")
	if err != nil {
		f.Fatal(err)
	}
	ws := &Workspace{i18n: b}
	for _, q := range []string{
		"type=single&prompt=Which+ward%3F&options=Likoni%0AMvita%0ANyali&required=on&page=1",
		"type=multi&prompt=Priorities&options=Roads%0AWater&max_choices=2&show_if=1&show_if_choices=1%2C2",
		"type=numeric&prompt=Km&min=0&max=1e400&page=51",
		"name=Feasibility&description=Can+it+be+built&weight=0.5&scale_min=1&scale_max=5",
		"name=Consultation&starts_at=2026-03-01T09:30&ends_at=2026-03-31T17:00:45&open_components=3&open_components=x",
		"kind=comment&reason=spam&component=4&offset=20",
	} {
		f.Add(q)
	}
	eat := zone("Africa/Nairobi")
	p := participation.Process{ID: 1, TimeZone: "Africa/Nairobi", Components: []participation.Component{{ID: 3}, {ID: 4}}}
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		r := httptest.NewRequest("POST", "/staff/processes/1", nil)

		fq := newForm(v)
		var qu participation.Question
		ws.readQuestion(r, fq, &qu)
		if fq.Errors["page"] == "" && (qu.Page < 1 || qu.Page > 50) {
			t.Fatalf("%q: page %d accepted", q, qu.Page)
		}
		if fq.Errors["max_choices"] == "" && qu.MaxChoices < 0 {
			t.Fatalf("%q: max_choices %d accepted", q, qu.MaxChoices)
		}
		if len(fq.Errors) == 0 {
			qu.Position = 1
			sv := participation.Survey{Pages: qu.Page, Questions: []participation.Question{qu}}
			for _, e := range participation.ValidateSurvey(sv) {
				if e.Code != participation.CodeInvalid {
					t.Fatalf("%q: the store would refuse %+v with %v", q, qu, e)
				}
			}
		}

		var c participation.Criterion
		ws.readCriterion(r, newForm(v), &c)

		fp := newForm(v)
		var ph participation.Phase
		ws.readPhase(r, fp, p, &ph)
		if fp.Errors["open_components"] == "" {
			for _, id := range ph.OpenComponents {
				if id != 3 && id != 4 {
					t.Fatalf("%q: opens component %d, not the process's", q, id)
				}
			}
		}
		if len(fp.Errors) == 0 {
			if !ph.EndsAt.After(ph.StartsAt) {
				t.Fatalf("%q: a phase ending before it starts was accepted", q)
			}
			for _, e := range participation.ValidatePhase(ph) {
				if e.Code != participation.CodeInvalid {
					t.Fatalf("%q: %v", q, e)
				}
			}
		}
		for _, k := range []string{"starts_at", "ends_at"} {
			at, err := parsePhaseTime(v.Get(k), eat)
			if err != nil {
				continue
			}
			shown := formatPhaseTime(at.In(eat))
			back, err := parsePhaseTime(shown, eat)
			if err != nil || !back.Equal(at) {
				t.Fatalf("%q: %s shown as %q reads back as %v (%v)", q, at, shown, back, err)
			}
		}

		qf := queueFilter(v, 1)
		if qf.ProcessID != 1 {
			t.Fatalf("%q: %+v", q, qf)
		}
	})
}
