package web

import (
	"testing"
	"time"
)

func TestVisitorHashRotatesDaily(t *testing.T) {
	now := time.Date(2026, 3, 10, 23, 59, 0, 0, time.UTC)
	h := newVisitorHasher(func() time.Time { return now })
	a := h.hash("203.0.113.7", "Mozilla/5.0")
	if a != h.hash("203.0.113.7", "Mozilla/5.0") {
		t.Fatal("same visitor, same day, different hash")
	}
	if a == h.hash("203.0.113.8", "Mozilla/5.0") || a == h.hash("203.0.113.7", "Mozilla/6.0") {
		t.Fatal("different visitors share a hash")
	}
	now = now.Add(2 * time.Minute) // past UTC midnight
	if a == h.hash("203.0.113.7", "Mozilla/5.0") {
		t.Fatal("hash did not change at midnight: visitors are linkable across days")
	}
	// Another process (replica) has its own salt.
	other := newVisitorHasher(func() time.Time { return now })
	if other.hash("203.0.113.7", "Mozilla/5.0") == h.hash("203.0.113.7", "Mozilla/5.0") {
		t.Fatal("two processes share a salt")
	}
}

func TestDeviceClass(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148":                 "mobile",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile Safari": "mobile",
		"Opera/9.80 (J2ME/MIDP; Opera Mini/9.80) Presto/2.5.25":                                "mobile",
		"Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)":                                        "tablet",
		"Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 Safari/537.36":            "tablet",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari":       "desktop",
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)":             "bot",
		"Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0":                                 "bot",
		"curl/8.5.0": "bot",
		"":           "bot",
	} {
		if got := deviceClass(ua); got != want {
			t.Errorf("deviceClass(%q) = %s, want %s", ua, got, want)
		}
	}
}

func TestReferrerHost(t *testing.T) {
	for ref, want := range map[string]string{
		"https://www.google.com/search?q=my+name": "google.com",
		"https://m.facebook.com/story.php?id=1":   "m.facebook.com",
		"http://engage.example.org/p/budget":      "", // our own site
		"not a url at all":                        "",
		"":                                        "",
	} {
		if got := referrerHost(ref, "engage.example.org"); got != want {
			t.Errorf("referrerHost(%q) = %q, want %q", ref, got, want)
		}
	}
}

func TestMoney(t *testing.T) {
	for _, c := range []struct {
		minor int64
		want  string
	}{{0, "KES 0"}, {150000000, "KES 1,500,000"}, {123456, "KES 1,234.56"}, {-100000, "KES -1,000"}, {99, "KES 0.99"}} {
		if got := money(c.minor, "KES"); got != c.want {
			t.Errorf("money(%d) = %q, want %q", c.minor, got, c.want)
		}
	}
}

func TestLimiterBurstAndRefill(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	l := newLimiter(60, func() time.Time { return now }) // 1/s, burst 15
	for i := 0; i < 15; i++ {
		if d := l.take("a"); d != 0 {
			t.Fatalf("write %d refused within the burst", i)
		}
	}
	if d := l.take("a"); d <= 0 || d > time.Second {
		t.Fatalf("16th write: wait %v, want (0, 1s]", d)
	}
	if d := l.take("b"); d != 0 {
		t.Fatal("another key is limited by a's bucket")
	}
	now = now.Add(time.Second)
	if d := l.take("a"); d != 0 {
		t.Fatal("no token after a second")
	}
	// Idle buckets are forgotten.
	now = now.Add(5 * time.Minute)
	l.take("c")
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets kept, want 1", len(l.buckets))
	}
	if off := newLimiter(-1, nil); off.take("x") != 0 {
		t.Fatal("a disabled limiter refused")
	}
}
