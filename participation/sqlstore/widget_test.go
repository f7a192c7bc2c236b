package sqlstore_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// The widget's allow-list: origins are normalised and stored with one
// event; a bad origin refuses the whole list and writes nothing; a new list
// replaces the old; an empty one clears it; another process keeps its own.
func TestWidgetOrigins(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		if l := must(x.s.WidgetOrigins(x.ctx, x.proc))(t); len(l) != 0 {
			t.Fatalf("a new process frames in %v", l)
		}
		got, w, err := x.s.SetWidgetOrigins(x.ctx, x.proc, 7, []string{"https://WWW.County.go.ke/", "https://www.county.go.ke", "https://news.county.go.ke:8443"})
		ok(t, err)
		want := []string{"https://news.county.go.ke:8443", "https://www.county.go.ke"}
		if !slices.Equal(got, want) || w.Seq == 0 {
			t.Fatalf("stored %v written %+v", got, w)
		}
		e := x.last(participation.EvWidgetOriginsSet)
		var pl struct {
			StaffID int64    `json:"staff_id"`
			Origins []string `json:"origins"`
		}
		ok(t, json.Unmarshal(e.Payload, &pl))
		if e.Seq != w.Seq || e.ProcessID != x.proc || pl.StaffID != 7 || !slices.Equal(pl.Origins, want) {
			t.Fatalf("event %+v payload %+v", e, pl)
		}
		if l := must(x.s.WidgetOrigins(x.ctx, x.proc))(t); !slices.Equal(l, want) {
			t.Fatalf("read back %v", l)
		}

		n := x.count()
		for _, bad := range []string{"http://www.county.go.ke", "https://*.county.go.ke", "https://www.county.go.ke/news", "www.county.go.ke",
			"https://user@www.county.go.ke", "https://www.county.go.ke?x=1", "https://a'b.go.ke", "'none'", "https://x.go.ke;script-src"} {
			_, _, err := x.s.SetWidgetOrigins(x.ctx, x.proc, 7, []string{"https://ok.go.ke", bad})
			wantField(t, err, "origins", "err.widget_origin")
		}
		if x.count() != n {
			t.Fatal("a refused list wrote an event")
		}
		if l := must(x.s.WidgetOrigins(x.ctx, x.proc))(t); !slices.Equal(l, want) {
			t.Fatalf("a refused list changed the stored one: %v", l)
		}
		_, _, err = x.s.SetWidgetOrigins(x.ctx, 9999, 7, []string{"https://ok.go.ke"})
		wantCode(t, err, participation.CodeNotFound)

		other := must(x.s.CreateProcess(x.ctx, process("other-2026", x.rs, participation.ModeOpen)))(t)
		_, _, err = x.s.SetWidgetOrigins(x.ctx, other, 7, []string{"https://other.go.ke"})
		ok(t, err)
		_, _, err = x.s.SetWidgetOrigins(x.ctx, x.proc, 7, []string{"https://www.county.go.ke"})
		ok(t, err)
		if l := must(x.s.WidgetOrigins(x.ctx, x.proc))(t); !slices.Equal(l, []string{"https://www.county.go.ke"}) {
			t.Fatalf("replaced list %v", l)
		}
		_, _, err = x.s.SetWidgetOrigins(x.ctx, x.proc, 7, nil)
		ok(t, err)
		if l := must(x.s.WidgetOrigins(x.ctx, x.proc))(t); len(l) != 0 {
			t.Fatalf("cleared list %v", l)
		}
		if l := must(x.s.WidgetOrigins(x.ctx, other))(t); !slices.Equal(l, []string{"https://other.go.ke"}) {
			t.Fatalf("the other process's list %v", l)
		}
	})
}
