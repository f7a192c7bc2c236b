package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
)

func TestPreferences(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		f := open(t, b, nil, nil)
		ctx := context.Background()
		if p, err := f.svc.Preference(ctx, 42, notify.KindReply); err != nil || p != notify.Instant {
			t.Fatalf("default %q %v", p, err)
		}
		if err := f.svc.SetPreference(ctx, 42, notify.KindReply, notify.Daily); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetPreference(ctx, 42, notify.KindReply, notify.Never); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetPreference(ctx, 42, notify.KindResults, "weekly"); !errors.Is(err, notify.ErrInvalid) {
			t.Fatalf("weekly accepted: %v", err)
		}
		all, err := f.svc.Preferences(ctx, 42)
		if err != nil || len(all) != 1 || all[notify.KindReply] != notify.Never {
			t.Fatalf("%v %v", all, err)
		}
	})
}

// An unsubscribe token names one participant and kind; altering any part
// of it is refused and changes nothing.
func TestUnsubscribeToken(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		f := open(t, b, nil, nil)
		ctx := context.Background()
		tok := f.svc.UnsubscribeToken(7, notify.KindDecision)
		other := f.svc.UnsubscribeToken(8, notify.KindDecision)
		parts := strings.Split(tok, ".")
		for _, bad := range []string{
			"", "7.decision", parts[0] + "." + parts[1] + ".",
			"8.decision." + parts[2],  // another person
			"7.results." + parts[2],   // another kind
			"07.decision." + parts[2], // the same number, written otherwise
			parts[0] + "." + parts[1] + "." + strings.Split(other, ".")[2], // another's signature
			tok + "x", strings.ToUpper(tok),
		} {
			if _, _, err := f.svc.Unsubscribe(ctx, bad); !errors.Is(err, notify.ErrBadToken) {
				t.Errorf("token %q accepted: %v", bad, err)
			}
		}
		if all, _ := f.svc.Preferences(ctx, 8); len(all) != 0 {
			t.Fatalf("a refused token changed %v", all)
		}
		id, kind, err := f.svc.Unsubscribe(ctx, tok)
		if err != nil || id != 7 || kind != notify.KindDecision {
			t.Fatalf("%d %q %v", id, kind, err)
		}
		if p, _ := f.svc.Preference(ctx, 7, notify.KindDecision); p != notify.Never {
			t.Fatalf("after unsubscribe: %q", p)
		}
		if !strings.HasPrefix(f.svc.UnsubscribeURL(7, notify.KindDecision), "https://engage.county.example/unsubscribe?token=7.decision.") {
			t.Error(f.svc.UnsubscribeURL(7, notify.KindDecision))
		}
	})
}
