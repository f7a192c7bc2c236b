package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestMySubmissionsNamesAndSupports: "my submissions" names a survey by its
// title and lists the proposals the citizen supports, each with a way to
// withdraw the support that comes back to the list.
func TestMySubmissionsNamesAndSupports(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		sp := fmt.Sprintf("/p/budget-2026/c/%d", fx.Survey)
		tok := b.token(sp)
		q := func(name string) string { return fmt.Sprintf("question_%d", fx.Questions[name]) }
		p := b.post(sp+"/answers", tok, url.Values{"page": {"1"}, q("single"): {"1"}, q("likert"): {"4"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		proposal := fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal)
		p = b.post(proposal+"/support", tok, url.Values{"on": {"1"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)

		me := b.get("/me")
		want(t, me.Status, http.StatusOK, me.Body)
		surveys := between(t, me.Body, `id="h-my-surveys"`, "</section>")
		if !strings.Contains(surveys, ">Priorities survey</a>") || strings.Contains(surveys, "Survey ") || !strings.Contains(surveys, "in progress, 1 page saved") {
			t.Fatalf("the survey is not named by its title, or its progress is wrong:\n%s", surveys)
		}
		supports := between(t, me.Body, `id="h-my-supports"`, "</section>")
		for _, s := range []string{"Proposals I support (1)", `href="` + proposal + `">Borehole for Kiambu market</a>`, "1 support<",
			`action="` + proposal + `/support"`, `name="on" value="0"`, `name="csrf_token"`, "Withdraw my support"} {
			if !strings.Contains(supports, s) {
				t.Fatalf("supports list lacks %q:\n%s", s, supports)
			}
		}
		if sw := b.get("/me?lang=sw"); !strings.Contains(sw.Body, "Ondoa uungaji mkono wangu") || !strings.Contains(sw.Body, "Mwungaji mkono 1") ||
			!strings.Contains(sw.Body, "ukurasa 1 umehifadhiwa") {
			t.Fatal("my submissions is not in Kiswahili")
		}
		b.get("/?lang=en")

		// A comment on a document links to the page of comments showing it;
		// a hidden one is listed without a link that would lead nowhere.
		p = b.post(fmt.Sprintf("/p/budget-2026/sections/%d/comments", fx.Sections[1]), tok, url.Values{"body": {"Clinics need nurses first."}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		comments := between(t, b.get("/me").Body, `id="h-my-comments"`, "</section>")
		m := regexp.MustCompile(`href="(/p/budget-2026/c/\d+\?comment=(\d+))">Clinics need nurses first.</a>`).FindStringSubmatch(comments)
		if m == nil {
			t.Fatalf("the section comment has no link to its place:\n%s", comments)
		}
		if at := b.get(m[1]); at.Status != http.StatusFound || !strings.HasSuffix(at.Header.Get("Location"), "#comment-"+m[2]) {
			t.Fatalf("the comment link answers %d %q", at.Status, at.Header.Get("Location"))
		}
		var id int64
		fmt.Sscan(m[2], &id)
		if err := fx.Store.SetCommentStatus(context.Background(), id, participation.StatusHidden); err != nil {
			t.Fatal(err)
		}
		comments = between(t, b.get("/me").Body, `id="h-my-comments"`, "</section>")
		if strings.Contains(comments, "?comment="+m[2]) || !strings.Contains(comments, "Clinics need nurses first. <span class=\"meta\">(not shown publicly)</span>") {
			t.Fatalf("a hidden comment is linked or not explained:\n%s", comments)
		}

		// Withdraw from the list: back to the list, the proposal gone from it.
		p = b.post(proposal+"/support", b.token("/me"), url.Values{"on": {"0"}, "back": {"me"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if loc := p.Header.Get("Location"); loc != "/me#h-my-supports" {
			t.Fatalf("withdrawal from my submissions goes to %q", loc)
		}
		supports = between(t, b.get("/me").Body, `id="h-my-supports"`, "</section>")
		if strings.Contains(supports, "Borehole") || !strings.Contains(supports, "Proposals I support (0)") {
			t.Fatalf("withdrawn support still listed:\n%s", supports)
		}
		if d := b.get(proposal); !d.has("<strong>0 supports</strong>") {
			t.Fatal("the support was not withdrawn")
		}
	})
}

// between returns the text of body from the first from to the next to.
func between(t *testing.T, body, from, to string) string {
	t.Helper()
	i := strings.Index(body, from)
	if i < 0 {
		t.Fatalf("no %q in the page", from)
	}
	j := strings.Index(body[i:], to)
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// TestProposalListRefusesUnknownRegion: a region code the process does not
// have is refused with a message (and the list shows every region), instead
// of an empty list that does not say why.
func TestProposalListRefusesUnknownRegion(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		list := fmt.Sprintf("/p/budget-2026/c/%d", fx.Proposals)
		p := b.get(list + "?region=022")
		want(t, p.Status, http.StatusOK, p.Body)
		if !p.has("Borehole for Kiambu market") || !p.has(`<option value="022" selected>Kiambu</option>`) {
			t.Fatal("a known region does not filter")
		}
		p = b.get(list + "?region=zz")
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("There is no region “zz” in this process: showing all regions.") || !p.has(`aria-invalid="true"`) || !p.has("Borehole for Kiambu market") {
			t.Fatalf("unknown region not explained:\n%s", p.Body)
		}
		if p = b.get(list + "?region=zz&lang=sw"); !p.has("Hakuna eneo “zz” katika mchakato huu") {
			t.Fatal("unknown region message not in Kiswahili")
		}
	})
}

// TestProposalFormFollowsSettings: the new-proposal form asks only for what
// the component's settings allow, names the budget ceiling in whole
// shillings, and a budget above it is refused in those terms.
func TestProposalFormFollowsSettings(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		ctx := context.Background()
		c, err := fx.Store.GetComponent(ctx, fx.Proposals)
		if err != nil {
			t.Fatal(err)
		}
		c.Proposals = &participation.ProposalSettings{}
		if err := fx.Store.UpdateComponent(ctx, c); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, fx)
		form := fmt.Sprintf("/p/budget-2026/c/%d/new", fx.Proposals)
		p := b.get(form)
		want(t, p.Status, http.StatusOK, p.Body)
		for _, off := range []string{`name="budget"`, `name="images"`, `name="lat"`} {
			if p.has(off) {
				t.Errorf("the form asks for %s though the settings switch it off", off)
			}
		}
		c.Proposals = &participation.ProposalSettings{Budget: true, MaxBudgetMinor: 5_000_000_00, Pictures: true, MapPoint: true}
		if err := fx.Store.UpdateComponent(ctx, c); err != nil {
			t.Fatal(err)
		}
		p = b.get(form)
		for _, on := range []string{`name="budget"`, `name="images"`, `name="lat"`, "At most KES 5,000,000."} {
			if !p.has(on) {
				t.Errorf("the form lacks %s", on)
			}
		}
		p = b.post(fmt.Sprintf("/p/budget-2026/c/%d/proposals", fx.Proposals), b.token(form), url.Values{
			"title": {"A dam for Kitui"}, "description": {"Water for the dry season, for every ward."}, "budget": {"6,000,000"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("5,000,000") || !p.has(`value="6,000,000"`) {
			t.Errorf("a budget over the ceiling: the refusal does not name the ceiling in shillings or loses what was typed\n%s", p.Body)
		}
	})
}
