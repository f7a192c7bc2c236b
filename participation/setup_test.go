package participation

import (
	"errors"
	"testing"
)

func TestCheckTransitionEveryPair(t *testing.T) {
	allowed := map[[2]State]bool{
		{StateDraft, StatePreview}:     true,
		{StatePreview, StateDraft}:     true,
		{StatePreview, StatePublished}: true,
		{StatePublished, StateClosed}:  true,
		{StateClosed, StateArchived}:   true,
	}
	states := append(append([]State{}, AllStates...), "", "bogus")
	for _, from := range states {
		for _, to := range states {
			err := CheckTransition(from, to)
			if allowed[[2]State{from, to}] {
				if err != nil {
					t.Errorf("%q→%q refused: %v", from, to, err)
				}
				continue
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeConflict || e.Key != "process.transition" {
				t.Errorf("%q→%q = %v, want a CodeConflict process.transition error", from, to, err)
				continue
			}
			if len(e.Args) != 2 || e.Args[0] != from || e.Args[1] != to {
				t.Errorf("%q→%q: args %v do not name both states", from, to, e.Args)
			}
		}
	}
}

func TestTextsGet(t *testing.T) {
	tx := NewTexts("en", []Translation{
		{Entity: EntityProcess, EntityID: 1, Field: "title", Lang: "sw", Text: "Bajeti"},
		{Entity: EntityQuestion, EntityID: 7, Field: "option.1", Lang: "sw", Text: "Ndiyo"},
	})
	cases := []struct {
		e            EntityKind
		id           int64
		field, lang  string
		want         string
		wantFallback bool
	}{
		{EntityProcess, 1, "title", "en", "Budget", false},
		{EntityProcess, 1, "title", "", "Budget", false},
		{EntityProcess, 1, "title", "sw", "Bajeti", false},
		{EntityProcess, 1, "summary", "sw", "Budget", true},
		{EntityProcess, 2, "title", "sw", "Budget", true},
		{EntityQuestion, 7, "option.1", "sw", "Ndiyo", false},
		{EntityPhase, 1, "title", "sw", "Budget", true},
	}
	for _, c := range cases {
		got, fb := tx.Get(c.e, c.id, c.field, c.lang, "Budget")
		if got != c.want || fb != c.wantFallback {
			t.Errorf("Get(%s,%d,%s,%s) = %q,%v; want %q,%v", c.e, c.id, c.field, c.lang, got, fb, c.want, c.wantFallback)
		}
	}
}
