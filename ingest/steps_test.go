package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/warehouse"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func ev(seq int64, typ participation.EventType, entity, participant int64, payload any) participation.Event {
	b, _ := json.Marshal(payload)
	return participation.Event{Seq: seq, Type: typ, ProcessID: 1, ComponentID: 2, EntityID: entity, ParticipantID: participant, RegionCode: "047", OccurredAt: t0.Add(time.Duration(seq) * time.Second), Payload: b}
}

func TestValidateDropsWithReason(t *testing.T) {
	links := strings.Repeat("see https://spam.example ", 9)
	cases := []struct {
		name string
		e    participation.Event
		want string
	}{
		{"comment", ev(1, participation.EvCommentCreated, 5, 3, map[string]any{"target_kind": "proposal", "target_id": 4, "body": "More trees"}), ""},
		{"visit strips query", ev(2, participation.EvVisit, 0, 0, map[string]any{"visitor_hash": "ab", "path": "/p/x?email=a@b.c", "device": "mobile"}), ""},
		{"unknown type", ev(3, "made.up", 1, 1, map[string]any{}), warehouse.ReasonInvalid},
		{"broken JSON", participation.Event{Seq: 4, Type: participation.EvCommentVoted, EntityID: 1, OccurredAt: t0, Payload: json.RawMessage(`{"vote":`)}, warehouse.ReasonInvalid},
		{"bad vote", ev(5, participation.EvCommentVoted, 5, 3, map[string]any{"vote": "maybe"}), warehouse.ReasonInvalid},
		{"empty comment", ev(6, participation.EvCommentCreated, 5, 3, map[string]any{"target_kind": "proposal", "body": "  "}), warehouse.ReasonInvalid},
		{"no time", participation.Event{Seq: 7, Type: participation.EvSupportAdded, EntityID: 1}, warehouse.ReasonInvalid},
		{"bot visit", ev(8, participation.EvVisit, 0, 0, map[string]any{"visitor_hash": "ab", "path": "/", "device": "bot"}), warehouse.ReasonSpam},
		{"link farm", ev(9, participation.EvCommentCreated, 5, 3, map[string]any{"target_kind": "proposal", "body": links}), warehouse.ReasonSpam},
		{"registration with a value", ev(10, participation.EvRegistration, 0, 3, map[string]any{"fields": []string{"a@b.c"}}), warehouse.ReasonInvalid},
		{"empty payload support", participation.Event{Seq: 11, Type: participation.EvSupportAdded, EntityID: 4, OccurredAt: t0}, ""},
		{"alert rule", ev(12, participation.EvAlertRuleAdded, 3, 0, map[string]any{"kind": "inputs_below", "threshold": 5, "window_hours": 24}), ""},
		{"alert rule of no kind", ev(13, participation.EvAlertRuleAdded, 3, 0, map[string]any{"kind": "whenever"}), warehouse.ReasonInvalid},
		{"alert rule deleted without id", ev(14, participation.EvAlertRuleDeleted, 0, 0, map[string]any{}), warehouse.ReasonInvalid},
		{"panel published", ev(15, participation.EvPanelPublished, 0, 0, map[string]any{"panel": "inputs", "position": 1}), ""},
		{"panel without a name", ev(16, participation.EvPanelUnpublished, 0, 0, map[string]any{"panel": ""}), warehouse.ReasonInvalid},
		{"theme rename", ev(17, participation.EvThemeEdited, 9, 0, map[string]any{"scope": "process", "kind": "rename", "theme_id": 2, "label": "Water"}), ""},
		{"theme rename without a name", ev(18, participation.EvThemeEdited, 9, 0, map[string]any{"scope": "process", "kind": "rename", "theme_id": 2}), warehouse.ReasonInvalid},
		{"decision without process", participation.Event{Seq: 19, Type: participation.EvCampaignCountingSet, OccurredAt: t0, Payload: json.RawMessage(`{"count_once":true}`)}, warehouse.ReasonInvalid},
		{"counting", ev(20, participation.EvCampaignCountingSet, 0, 0, map[string]any{"count_once": true}), ""},
		{"phase opened", ev(21, participation.EvPhaseOpened, 7, 0, map[string]any{"phase_id": 7, "name": "Ideas"}), ""},
		{"phase closed", ev(22, participation.EvPhaseClosed, 7, 0, map[string]any{"phase_id": 7, "name": "Ideas"}), ""},
		{"phase change of another phase", ev(23, participation.EvPhaseClosed, 7, 0, map[string]any{"phase_id": 8}), warehouse.ReasonInvalid},
		{"official answer", ev(24, participation.EvOfficialAnswer, 31, 0, map[string]any{"parent_id": 30, "staff_id": 3}), ""},
		{"official answer to no comment", ev(25, participation.EvOfficialAnswer, 31, 0, map[string]any{"staff_id": 3}), warehouse.ReasonInvalid},
	}
	for _, c := range cases {
		p, err := Validate(c.e)
		got := ""
		if err != nil {
			got = err.(*dropError).reason
		}
		if got != c.want {
			t.Errorf("%s: reason %q, want %q (%v)", c.name, got, c.want, err)
		}
		if v, ok := p.(visitPayload); ok && strings.Contains(v.Path, "email") {
			t.Errorf("%s: query string kept in %q", c.name, v.Path)
		}
	}
}

func TestPseudonymiser(t *testing.T) {
	a := NewPseudonymiser(bytes.Repeat([]byte{1}, 32))
	b := NewPseudonymiser(bytes.Repeat([]byte{2}, 32))
	if a.Of(0) != "" {
		t.Fatal("no participant must have no pseudonym")
	}
	if a.Of(42) != a.Of(42) || a.Of(42) == a.Of(43) || a.Of(42) == b.Of(42) {
		t.Fatal("pseudonyms must be stable per key, distinct per id and per key")
	}
	if len(a.Of(42)) != 32 || strings.Contains(a.Of(42), "42") && a.Of(42) == "42" {
		t.Fatalf("pseudonym %q", a.Of(42))
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets", "pseudonym.key")
	k1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", fi.Mode(), err)
	}
	k2, err := LoadOrCreateKey(path)
	if err != nil || !bytes.Equal(k1, k2) || len(k1) != KeySize {
		t.Fatalf("second load gave another key (%v)", err)
	}
	os.WriteFile(path, []byte("short"), 0o600)
	if _, err := LoadOrCreateKey(path); err == nil {
		t.Fatal("a malformed key was accepted")
	}
}

// The pipeline alone, on events that need no store: each drop is counted
// once under its reason, a re-delivered event is a duplicate, and the kept
// ones become facts with text features.
func TestProcessCountsDropsByReason(t *testing.T) {
	wh, err := warehouse.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	in, err := New(nil, wh, Options{Key: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first := []participation.Event{
		ev(1, participation.EvCommentCreated, 5, 3, map[string]any{"target_kind": "proposal", "target_id": 4, "body": "Plant more trees along Moi Avenue"}),
		ev(2, participation.EvSupportAdded, 4, 3, nil),
		ev(3, participation.EvVisit, 0, 0, map[string]any{"visitor_hash": "ab", "path": "/", "device": "bot"}),
		ev(4, "made.up", 0, 0, nil),
	}
	if err := in.Process(ctx, first); err != nil {
		t.Fatal(err)
	}
	again := []participation.Event{first[1], ev(5, participation.EvSupportAdded, 4, 9, nil), ev(5, participation.EvSupportAdded, 4, 9, nil)}
	if err := in.Process(ctx, again); err != nil {
		t.Fatal(err)
	}
	counts, err := wh.DropCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, d := range counts {
		got[d.Reason] += d.N
	}
	want := map[string]int64{"duplicate": 2, "invalid": 1, "spam": 1}
	for r, n := range want {
		if got[r] != n {
			t.Errorf("drops[%s] = %d, want %d (all: %v)", r, got[r], n, got)
		}
	}
	if _, n := wh.Checkpoint(); n != 7 {
		t.Errorf("consumed %d events, want 7", n)
	}
	var supports, texts int
	wh.Read().QueryRow("SELECT count(*) FROM supports").Scan(&supports)
	wh.Read().QueryRow("SELECT count(*) FROM text_features WHERE len(stems) > 0 AND len(minhash) > 0").Scan(&texts)
	if supports != 2 || texts != 1 {
		t.Errorf("supports = %d, texts = %d; want 2, 1", supports, texts)
	}
}
