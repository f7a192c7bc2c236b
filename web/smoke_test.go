package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/civicpulse/civicpulse/web/webtest"
)

func TestPagesRender(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		for _, path := range []string{
			"/", "/p/budget-2026",
			fmt.Sprintf("/p/budget-2026/c/%d", fx.Proposals),
			fmt.Sprintf("/p/budget-2026/c/%d/new", fx.Proposals),
			fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal),
			fmt.Sprintf("/p/budget-2026/c/%d", fx.Document),
			fmt.Sprintf("/p/budget-2026/c/%d", fx.Survey),
			"/p/youth-fund/register", "/p/youth-fund/verify", "/me",
			"/p/budget-2026?lang=sw",
		} {
			p := b.get(path)
			want(t, p.Status, http.StatusOK, p.Body)
		}
	})
}
