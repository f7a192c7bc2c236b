package export_test

import (
	"context"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/export"
)

// countingWriter counts the zip's bytes and throws them away.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// The complete export streams: 300,000 comments (some 40 MB of text) go
// out while the Go heap grows by far less than the text, so memory does
// not follow the number of rows.
func TestZipMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("large export")
	}
	wh := fixture(t)
	const rows = 300_000
	if _, err := wh.Read().Exec(`INSERT INTO comments
		SELECT 10000 + i, 10000 + i, 1, 20, 'section', 200, NULL, 'plain',
		       'Comment number ' || i || ', with a little text to make it as long as comments are: ' || repeat('maji ', 12),
		       '', 'pz-bulk', '01', TIMESTAMP '2025-05-06 07:08:09'
		FROM range(?) t(i)`, rows); err != nil {
		t.Fatal(err)
	}
	ex, err := export.New(wh.Read())
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	var out countingWriter
	err = ex.WriteZip(context.Background(), io.Writer(&out), 1)
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	growth := int64(peak.Load()) - int64(base.HeapInuse)
	t.Logf("%d comments: zip %d bytes, heap grew by %d bytes at most", rows, out.n, growth)
	const text = rows * 130 // bytes of comment text
	if growth > text/3 {
		t.Errorf("heap grew by %d bytes for %d bytes of text: the export does not stream", growth, text)
	}
}
