package dashboards

import (
	"net/url"
	"testing"
)

// FuzzParseFilter: any query string a shared link can carry reads as a
// filter without panicking, nothing negative or over-long gets through,
// and the filter survives the link it writes (parse → Values → parse).
func FuzzParseFilter(f *testing.F) {
	for _, q := range []string{
		"region=01",
		"theme=7",
		"from=2026-03-01&to=2026-03-31&region=001&bucket=day&component=4",
		"phase=2&question=9&question2=11&bucket=hour",
		"scope=section:900", "scope=question:12", "scope=component:3&section=5",
		"from=9999-12-31&to=9999-12-31", "from=yesterday&component=-3&bucket=week",
		"region=" + url.QueryEscape("Taita–Taveta"),
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return // net/http drops a malformed pair the same way
		}
		got := ParseFilter(3, v)
		if got.Process != 3 || len(got.Region) > 32 {
			t.Fatalf("%q: %+v", q, got)
		}
		for _, n := range []int64{got.Phase, got.Component, got.Question, got.Question2, got.Section, got.Theme} {
			if n < 0 {
				t.Fatalf("%q: a negative id got through: %+v", q, got)
			}
		}
		if got.Bucket != "" && got.Bucket != "hour" && got.Bucket != "day" {
			t.Fatalf("%q: bucket %q", q, got.Bucket)
		}
		if !got.To.IsZero() && got.To.Hour() != 0 {
			t.Fatalf("%q: to is not a day boundary: %v", q, got.To)
		}
		back := ParseFilter(3, got.Values())
		if back != got {
			t.Fatalf("%q: through its own link the filter changed:\n%+v\n%+v", q, got, back)
		}
	})
}
