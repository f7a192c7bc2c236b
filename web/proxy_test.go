package web_test

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// postFrom creates an anonymous participant with the given
// X-Forwarded-For header and returns the status.
func postFrom(t *testing.T, base string, xff ...string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/participants", nil)
	for _, x := range xff {
		req.Header.Add("X-Forwarded-For", x)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// burst posts until the limit answers 429 and returns how many passed.
func burst(t *testing.T, base string, xff ...string) int {
	t.Helper()
	for n := 0; n < 50; n++ {
		if postFrom(t, base, xff...) == http.StatusTooManyRequests {
			return n
		}
	}
	return 50
}

// TestForwardedForOnlyFromTrustedProxies: without a trusted proxy a client
// cannot escape its address's write limit by sending X-Forwarded-For;
// behind one (the test client's loopback stands for the load balancer)
// each citizen behind it has their own limit, and a forged hop to the left
// of the proxy's own is not believed.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	fx := webtest.New(t, sqliteURL(t), webtest.WithRateLimits(1, 1000))
	first := burst(t, fx.URL, "203.0.113.1")
	if first == 0 || first == 50 {
		t.Fatalf("the limit let %d writes through", first)
	}
	if got := postFrom(t, fx.URL, "203.0.113.99"); got != http.StatusTooManyRequests {
		t.Fatalf("a forged X-Forwarded-For escaped the limit: %d", got)
	}

	behind := webtest.New(t, sqliteURL(t), webtest.WithRateLimits(1, 1000), webtest.WithConfig(func(c *web.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}
	}))
	a := burst(t, behind.URL, "198.51.100.7")
	if got := postFrom(t, behind.URL, "198.51.100.8"); got == http.StatusTooManyRequests {
		t.Fatal("behind the proxy, a second citizen shares the first one's limit")
	}
	// Through two trusted proxies (10.0.0.5 appended by the inner one),
	// the citizen is still 198.51.100.7: spent.
	if got := postFrom(t, behind.URL, "198.51.100.7, 10.0.0.5"); got != http.StatusTooManyRequests {
		t.Fatalf("a citizen behind two proxies got a fresh limit: %d (after %d)", got, a)
	}
	// A client that writes its own X-Forwarded-For to the proxy gets it
	// appended to: the forged left part is not believed.
	if got := postFrom(t, behind.URL, "192.0.2.55, 198.51.100.7"); got != http.StatusTooManyRequests {
		t.Fatalf("a forged left hop escaped the limit: %d", got)
	}
	if got := postFrom(t, behind.URL, "not-an-address"); got == 0 {
		t.Fatal("no answer")
	}
}
