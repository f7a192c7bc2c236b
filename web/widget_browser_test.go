package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/internal/browsertest"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestBrowserWidgetFramedOnlyOnAllowedSites: an institution's page on
// another origin frames the widget. While that origin is on the process's
// allow-list, Chromium loads the card into the frame; once it is not (only
// another site listed, or none), Chromium refuses the frame, which keeps no
// card and shows its error document. Both servers speak https (the
// allow-list takes nothing else); the browser accepts their test
// certificates.
func TestBrowserWidgetFramedOnlyOnAllowedSites(t *testing.T) {
	ctx := browsertest.NewWithin(t, 90*time.Second, chromedp.IgnoreCertErrors)
	fx := webtest.New(t, sqliteURL(t))
	site := httptest.NewTLSServer(fx.Server) // civicpulse, on https
	t.Cleanup(site.Close)
	widget := site.URL + "/p/" + fx.Open.Slug + "/widget"
	county := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>County</title></head><body><h1>County news</h1>
<iframe id="card" src="%s" title="Take part" width="340" height="260"></iframe></body></html>`, widget)
	}))
	t.Cleanup(county.Close)
	if strings.TrimPrefix(county.URL, "https://") == strings.TrimPrefix(site.URL, "https://") {
		t.Fatal("the two servers share an origin")
	}

	// frame loads the county's page and returns the frame's document URL
	// and the card's title as the frame's document shows it ("" for none).
	frame := func(name string) (string, string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(county.URL), chromedp.WaitReady(chromedp.CSS("iframe#card"))); err != nil {
			t.Fatal(err)
		}
		var url string
		// The load event waits for the frame, but its document may be
		// swapped for the error page just after: poll a moment.
		for range 20 {
			res, err := chromedp.Call(ctx, cdppage.GetFrameTree, cdp.Empty{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.FrameTree.ChildFrames) == 1 {
				url = res.FrameTree.ChildFrames[0].Frame.URL
				if url != "" && url != "about:blank" {
					break
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
		iframes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("iframe#card"), chromedp.Populate(-1, true)))
		if err != nil {
			t.Fatal(err)
		}
		cards, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll("#civicpulse-widget h1"), chromedp.FromNode(iframes[0]), chromedp.AtLeast(0)))
		if err != nil {
			t.Fatal(err)
		}
		title := ""
		if len(cards) == 1 {
			tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			title, _ = chromedp.Run(tctx, chromedp.TextContent(chromedp.CSS("#civicpulse-widget h1"), chromedp.FromNode(iframes[0])))
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err == nil {
			browsertest.Artifact(t, "widget-"+name+".png", png)
		}
		return url, title
	}

	if _, _, err := fx.Store.SetWidgetOrigins(context.Background(), fx.Open.ID, 0, []string{county.URL}); err != nil {
		t.Fatal(err)
	}
	if url, title := frame("allowed"); url != widget || title != fx.Open.Title {
		t.Fatalf("the county is on the list: the frame holds %q with the card %q, want %q with %q", url, title, widget, fx.Open.Title)
	}

	for name, origins := range map[string][]string{"another-site": {"https://www.county.go.ke"}, "no-site": nil} {
		if _, _, err := fx.Store.SetWidgetOrigins(context.Background(), fx.Open.ID, 0, origins); err != nil {
			t.Fatal(err)
		}
		url, title := frame(name)
		if title != "" || url == widget || !(strings.HasPrefix(url, "chrome-error:") || url == "about:blank" || url == "") {
			t.Errorf("%s: the county's frame holds %q with the card %q, want it refused", name, url, title)
		}
	}
}
