package dashboards

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

// visitFixture: daily visitors of process 1 (UTC), hand-counted below. The
// earliest page view of visitor "a" arrives in a later batch than the rest
// of its day: it must move a's channel, device and length.
func visitFixture(t *testing.T) *Dashboards {
	t.Helper()
	w, err := warehouse.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(day, h, m int) time.Time { return time.Date(2024, 3, day, h, m, 0, 0, time.UTC) }
	seq := int64(0)
	batch := func(b *warehouse.Batch, vs ...warehouse.Visit) *warehouse.Batch {
		for _, v := range vs {
			seq++
			v.Seq, v.ProcessID = seq, 1
			if v.Path == "" {
				v.Path = "/p/x"
			}
			b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "visit", ProcessID: 1, OccurredAt: v.OccurredAt})
			b.Visits = append(b.Visits, v)
		}
		b.To, b.Consumed = warehouse.Cursor{Seq: seq}, int64(len(b.Events))
		return b
	}
	first := batch(&warehouse.Batch{Dimensions: warehouse.Dimensions{Processes: []warehouse.ProcessDim{{ProcessID: 1, Slug: "x", Title: "X", TimeZone: "UTC", StartsAt: &start,
		Components: []warehouse.ComponentDim{{ComponentID: 10, Kind: "proposals", Position: 1, Title: "Ideas"}}}}}},
		warehouse.Visit{VisitorHash: "a", ComponentID: 10, Path: "/p/x/c/10", Device: "mobile", OccurredAt: at(1, 10, 3)},
		warehouse.Visit{VisitorHash: "a", ComponentID: 10, Path: "/p/x/c/10/new", Device: "mobile", OccurredAt: at(1, 10, 6)},
		warehouse.Visit{VisitorHash: "b", Referrer: "news.example", Device: "desktop", OccurredAt: at(1, 11, 0)},
		warehouse.Visit{VisitorHash: "d", Device: "desktop", OccurredAt: time.Date(2024, 2, 28, 9, 0, 0, 0, time.UTC)}, // before the range
	)
	seq0 := seq
	first.Events = append(first.Events,
		warehouse.Event{Seq: seq0 + 100, Type: "proposal.created", ProcessID: 1, ComponentID: 10, EntityID: 1, Participant: "p1", RegionCode: "01", OccurredAt: at(1, 12, 0)},
		warehouse.Event{Seq: seq0 + 101, Type: "support.added", ProcessID: 1, ComponentID: 10, EntityID: 1, Participant: "p2", RegionCode: "01", OccurredAt: at(2, 12, 0)})
	first.Consumed += 2
	second := batch(&warehouse.Batch{},
		warehouse.Visit{VisitorHash: "a", UTMCampaign: "radio", Device: "mobile", OccurredAt: at(1, 9, 50)}, // late: a's first view
		warehouse.Visit{VisitorHash: "b", ComponentID: 10, Path: "/p/x/c/10", Device: "desktop", OccurredAt: at(2, 9, 0)},
		warehouse.Visit{VisitorHash: "b", ComponentID: 10, Path: "/p/x/c/10", Device: "desktop", OccurredAt: at(2, 9, 2)},
		warehouse.Visit{VisitorHash: "c", Device: "tablet", OccurredAt: at(3, 12, 0)},
		warehouse.Visit{VisitorHash: "c", Device: "tablet", OccurredAt: at(3, 13, 30)},
		warehouse.Visit{VisitorHash: "e", Device: "mobile", OccurredAt: at(3, 23, 0)},
		warehouse.Visit{VisitorHash: "e", Device: "mobile", OccurredAt: at(4, 0, 30)}, // another day: another daily visitor, out of range
	)
	second.To = warehouse.Cursor{Seq: seq0 + 200}
	for _, b := range []*warehouse.Batch{first, second} {
		if err := w.Write(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	d, err := New(context.Background(), w.Read(), func() time.Time { return at(4, 0, 0) })
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func runVisits(t *testing.T, d *Dashboards, panel string, component int64) *Result {
	t.Helper()
	r, err := d.Run(context.Background(), FindPanel(panel), Filter{Process: 1, Component: component,
		From: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// In range (Mar 1-3): a (Mar 1, 09:50-10:06, radio, mobile, engaged,
// opened a form), b (Mar 1, 11:00, news.example, desktop), b (Mar 2,
// 09:00-09:02, direct, desktop, engaged), c (Mar 3, 12:00-13:30, direct,
// tablet), e (Mar 3, 23:00, direct, mobile).
func TestVisitorPanelsHandCounted(t *testing.T) {
	d := visitFixture(t)

	f := runVisits(t, d, "funnel", 0)
	if got := nums(t, f.Table, "People"); !slices.Equal(got, []float64{5, 2, 1}) {
		t.Errorf("funnel visitors, participants, contributors = %v, want [5 2 1]", got)
	}

	ch := runVisits(t, d, "channels", 0)
	if got := ch.Table.labels(0); !slices.Equal(got, []string{"direct", "campaign: radio", "site: news.example"}) {
		t.Errorf("channels = %v", got)
	}
	for label, want := range map[string][]float64{"Visitors": {3, 1, 1}, "Engaged": {1, 1, 0}, "Opened a form": {0, 1, 0}} {
		if got := nums(t, ch.Table, label); !slices.Equal(got, want) {
			t.Errorf("channels %s = %v, want %v", label, got, want)
		}
	}

	dev := runVisits(t, d, "devices", 0)
	if got := dev.Table.labels(0); !slices.Equal(got, []string{"desktop", "mobile", "tablet"}) {
		t.Errorf("devices = %v", got)
	}
	if got := nums(t, dev.Table, "Visitors"); !slices.Equal(got, []float64{2, 2, 1}) {
		t.Errorf("visitors per device = %v", got)
	}

	// a 16 min, b 0, b 2 min, c 90 min, e 0.
	vl := runVisits(t, d, "visit-length", 0)
	if got := nums(t, vl.Table, "Visitors"); !slices.Equal(got, []float64{2, 1, 0, 1, 1}) {
		t.Errorf("length bands = %v, want [2 1 0 1 1]", got)
	}

	// In component 10 only a (10:03-10:06, direct, opened a form) and b on
	// Mar 2 (09:00-09:02) count, each a 1-5 min visit.
	if got := nums(t, runVisits(t, d, "funnel", 10).Table, "People"); got[0] != 2 {
		t.Errorf("component 10 visitors = %v, want 2", got[0])
	}
	c10 := runVisits(t, d, "channels", 10)
	if got := c10.Table.labels(0); !slices.Equal(got, []string{"direct"}) || !slices.Equal(nums(t, c10.Table, "Opened a form"), []float64{1}) {
		t.Errorf("component 10 channels = %v %v", got, nums(t, c10.Table, "Opened a form"))
	}
	if got := nums(t, runVisits(t, d, "visit-length", 10).Table, "Visitors"); !slices.Equal(got, []float64{0, 2, 0, 0, 0}) {
		t.Errorf("component 10 length bands = %v", got)
	}
}
