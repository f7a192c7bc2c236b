package peakheap

import "testing"

func TestMeasureSeesTheHeapTheFunctionHolds(t *testing.T) {
	var keep []byte
	took, peak := Measure(func() {
		keep = make([]byte, 64<<20)
		for i := range keep {
			keep[i] = 1
		}
	})
	if took <= 0 || peak < 64<<20 {
		t.Errorf("took %v, peak %d bytes; want the 64 MiB held at the end", took, peak)
	}
	_ = keep[0]
}
