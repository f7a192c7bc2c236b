package workspace

import (
	"testing"
	"time"
)

// A phase set to the second (the browser journey ends its first phase a
// minute after it starts) survives the form: it is read with its seconds
// and shown with them, and a time on the minute stays as officials type it.
func TestPhaseTimeToTheSecond(t *testing.T) {
	tz := time.FixedZone("EAT", 3*3600)
	for _, c := range []struct{ in, shown string }{
		{"2027-03-01T09:30", "2027-03-01T09:30"},
		{"2027-03-01T09:30:45", "2027-03-01T09:30:45"},
		{"2027-03-01T09:30:00", "2027-03-01T09:30"},
	} {
		got, err := parsePhaseTime(c.in, tz)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if s := formatPhaseTime(got); s != c.shown {
			t.Errorf("%s is shown as %s, want %s", c.in, s, c.shown)
		}
	}
	for _, bad := range []string{"", "2027-03-01", "2027-03-01 09:30", "2027-03-01T09:30:61"} {
		if _, err := parsePhaseTime(bad, tz); err == nil {
			t.Errorf("%q was accepted as a phase time", bad)
		}
	}
}
