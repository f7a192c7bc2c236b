package dashboards

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

func TestChangesNameTheTouchedPanels(t *testing.T) {
	w, d := fixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := d.Changes(ctx, w, Monitor, fxProcess)
	at := time.Date(2024, 3, 3, 20, 0, 0, 0, time.UTC)
	b := &warehouse.Batch{Consumed: 1, To: warehouse.Cursor{Seq: 10000},
		Events: []warehouse.Event{{Seq: 10000, Type: "visit", ProcessID: fxProcess, OccurredAt: at}}}
	if err := w.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	got := <-ch
	want := []string{"participants", "regions", "funnel", "channels", "visit-length", "devices", "alerts"}
	if !slices.Equal(got, want) {
		t.Errorf("a visit changes %v, want %v", got, want)
	}
	// Another process's batch changes nothing here: the next message is
	// the proposal of process 1.
	w.Write(ctx, &warehouse.Batch{Consumed: 1, To: warehouse.Cursor{Seq: 10001}, Events: []warehouse.Event{{Seq: 10001, Type: "proposal.created", ProcessID: fxOther, Participant: "x", OccurredAt: at}}})
	w.Write(ctx, &warehouse.Batch{Consumed: 1, To: warehouse.Cursor{Seq: 10002}, Events: []warehouse.Event{{Seq: 10002, Type: "proposal.created", ProcessID: fxProcess, Participant: "y", RegionCode: "A", OccurredAt: at}}})
	got = <-ch
	if !slices.Contains(got, "inputs") || slices.Contains(got, "devices") {
		t.Errorf("a proposal changes %v", got)
	}
}
