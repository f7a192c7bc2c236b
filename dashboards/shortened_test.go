package dashboards

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

// A section with more comments than the page lists: the page shows 200 and
// says how many there are; the full view (a download) has every one and
// nothing to say.
func TestSectionCommentsShortenedOnScreenOnly(t *testing.T) {
	w, d := fixture(t)
	cur, consumed := w.Checkpoint()
	seq := cur.Seq
	b := &warehouse.Batch{}
	at := time.Date(2024, 3, 2, 9, 0, 0, 0, time.UTC)
	const n = sectionCommentsShown + 50
	for i := int64(1); i <= n; i++ {
		seq++
		who := fmt.Sprintf("c%d", i)
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "comment.created", ProcessID: fxProcess, ComponentID: fxDocument, EntityID: 5000 + i, Participant: who, RegionCode: "B", OccurredAt: at})
		b.Comments = append(b.Comments, warehouse.Comment{Seq: seq, CommentID: 5000 + i, ProcessID: fxProcess, ComponentID: fxDocument, TargetKind: "section", TargetID: 901,
			Kind: "comment", Body: fmt.Sprintf("Water point %d", i), Participant: who, RegionCode: "B", OccurredAt: at})
	}
	b.To, b.Consumed = warehouse.Cursor{Seq: seq}, consumed+n
	if err := w.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	f := Filter{Process: fxProcess, Section: 901, From: fxFrom, To: fxTo}
	page := run(t, d, "section-comments", f)
	if len(page.Table.Rows) != sectionCommentsShown || page.Total != n {
		t.Errorf("page: %d rows of %d, want %d of %d", len(page.Table.Rows), page.Total, sectionCommentsShown, n)
	}
	if got := page.ShortNote(Messages("en")); got != "Showing 200 of 250." {
		t.Errorf("note = %q", got)
	}
	if got := page.ShortNote(Messages("sw")); got != "Inaonyesha 200 kati ya 250." {
		t.Errorf("Kiswahili note = %q", got)
	}
	proc, err := d.Process(context.Background(), fxProcess)
	if err != nil {
		t.Fatal(err)
	}
	v := d.Resolve(proc, f)
	v.Full = true
	full, err := d.RunView(context.Background(), FindPanel("section-comments"), v)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Table.Rows) != n || full.Total != 0 || full.ShortNote(nil) != "" {
		t.Errorf("download: %d rows (total %d, note %q), want all %d and no note", len(full.Table.Rows), full.Total, full.ShortNote(nil), n)
	}
}
