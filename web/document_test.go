package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// seeded is a comment the test wrote, with what orders it.
type seeded struct {
	id    int64
	at    time.Time
	votes int
}

// seedComments writes n top-level comments on a section in one batch (two
// at a time share a timestamp, so the id must break the tie), and gives the
// first voted of them 1–7 votes from different participants. It returns
// every top-level comment of the section, the fixture's included.
func seedComments(t *testing.T, fx *webtest.Fixture, section int64, n, voted int) []seeded {
	t.Helper()
	ctx := context.Background()
	author, err := fx.Store.CreateParticipant(ctx, "022")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	var out []seeded
	err = fx.Store.Batch(ctx, func(tx participation.Store) error {
		for i := range n {
			at := start.Add(time.Duration(i/2) * time.Minute)
			id, err := tx.CreateComment(participation.AsOf(ctx, at), participation.Comment{ProcessID: fx.Open.ID, ComponentID: fx.Document,
				TargetKind: participation.TargetSection, TargetID: section, ParticipantID: author.ID, Kind: participation.CommentPlain,
				Body: fmt.Sprintf("Seeded comment number %d on the revenue section.", i)})
			if err != nil {
				return err
			}
			out = append(out, seeded{id: id, at: at})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var voters []int64
	for range 7 {
		p, err := fx.Store.CreateParticipant(ctx, "047")
		if err != nil {
			t.Fatal(err)
		}
		voters = append(voters, p.ID)
	}
	for i := range voted {
		k := i%7 + 1
		for _, v := range voters[:k] {
			if err := fx.Store.VoteComment(ctx, out[i].id, v, participation.VoteAgree); err != nil {
				t.Fatal(err)
			}
		}
		out[i].votes = k
	}
	fixture, err := fx.Store.GetComment(ctx, fx.SectionComm)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, seeded{id: fixture.ID, at: fixture.CreatedAt})
}

func newestFirst(a, b seeded) int {
	if c := b.at.Compare(a.at); c != 0 {
		return c
	}
	return int(b.id - a.id)
}

func mostVotedFirst(a, b seeded) int {
	if a.votes != b.votes {
		return b.votes - a.votes
	}
	return newestFirst(a, b)
}

var (
	commentIDRE = regexp.MustCompile(`<li class="comment kind-[a-z]+" id="comment-(\d+)"`)
	moreRE      = regexp.MustCompile(`<li class="more" id="more-(\d+)"><a href="([^"]+)" hx-get="([^"]+)"`)
)

// shownIDs lists the top-level comments a page or fragment shows, in order.
func shownIDs(body string) []int64 {
	var ids []int64
	for _, m := range commentIDRE.FindAllStringSubmatch(body, -1) {
		var id int64
		fmt.Sscan(m[1], &id)
		ids = append(ids, id)
	}
	return ids
}

func ids(cs []seeded) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.id
	}
	return out
}

// sectionHTML cuts one section out of a document page.
func sectionHTML(t *testing.T, body string, section int64) string {
	t.Helper()
	start := strings.Index(body, fmt.Sprintf(`<section class="section card" id="section-%d"`, section))
	if start < 0 {
		t.Fatalf("no section %d in the page", section)
	}
	end := strings.Index(body[start:], "</section>")
	return body[start : start+end]
}

// moreLink returns the "more comments" link of a section's html ("" if none).
func moreLink(t *testing.T, body string) string {
	t.Helper()
	m := moreRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	if m[2] != m[3] {
		t.Fatalf("the link and its hx-get differ: %q, %q", m[2], m[3])
	}
	return html.UnescapeString(m[2])
}

// perPage is the page of comments a section shows (web.commentsPerPage).
const perPage = 15

func TestDocumentCommentPages(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		sec := fx.Sections[0]
		all := seedComments(t, fx, sec, 2000, 40)
		newest := slices.SortedFunc(slices.Values(all), newestFirst)
		voted := slices.SortedFunc(slices.Values(all), mostVotedFirst)
		b := newBrowser(t, fx)
		docPath := fmt.Sprintf("/p/budget-2026/c/%d", fx.Document)

		// The first view: a page of comments, newest first, light enough for a phone.
		page := b.get(docPath)
		want(t, page.Status, http.StatusOK, page.Body)
		t.Logf("document page with %d comments in a section: %d bytes, %d forms", len(all), len(page.Body), strings.Count(page.Body, "<form"))
		if len(page.Body) >= 150_000 {
			t.Fatalf("document page weighs %d bytes with %d comments in a section, want under 150 KB", len(page.Body), len(all))
		}
		if n := strings.Count(page.Body, "<form"); n > 2*len(fx.Sections) {
			t.Fatalf("%d forms on the page, want at most two per section", n)
		}
		first := sectionHTML(t, page.Body, sec)
		if got := shownIDs(first); !slices.Equal(got, ids(newest[:perPage])) {
			t.Fatalf("first page shows %v, want the %d newest %v", got, perPage, ids(newest[:perPage]))
		}
		if !strings.Contains(first, "Comments 1–15 of 2001") || !strings.Contains(first, "Comments (2001)") {
			t.Fatal("the section does not say which comments it shows of how many")
		}

		// Without JavaScript the "more" link opens the page with the next ones.
		next := moreLink(t, first)
		if next == "" || !strings.Contains(next, fmt.Sprintf("section=%d", sec)) || !strings.HasSuffix(next, fmt.Sprintf("#section-%d", sec)) {
			t.Fatalf("more link %q", next)
		}
		page2 := b.get(strings.TrimPrefix(next, fx.URL))
		want(t, page2.Status, http.StatusOK, page2.Body)
		second := sectionHTML(t, page2.Body, sec)
		if got := shownIDs(second); !slices.Equal(got, ids(newest[perPage:2*perPage])) {
			t.Fatalf("page 2 shows %v, want %v", got, ids(newest[perPage:2*perPage]))
		}
		if !strings.Contains(second, "Comments 16–30 of 2001") || !strings.Contains(second, "Previous comments") {
			t.Fatal("page 2 does not say where it is or lead back")
		}
		if other := sectionHTML(t, page2.Body, fx.Sections[1]); !strings.Contains(other, "No comments yet") {
			t.Fatal("the other section changed with this section's page")
		}

		// With htmx every page, followed link by link, gives every comment
		// once, in order, for both orders.
		for _, o := range []struct {
			name, query string
			want        []seeded
		}{{"newest", "", newest}, {"votes", "?order=votes", voted}} {
			start := sectionHTML(t, b.get(docPath+o.query).Body, sec)
			got := shownIDs(start)
			link := moreLink(t, start)
			for pages := 1; link != ""; pages++ {
				if pages > 200 {
					t.Fatalf("%s: more than 200 pages", o.name)
				}
				frag := b.get(strings.SplitN(link, "#", 2)[0], "HX-Request", "true")
				want(t, frag.Status, http.StatusOK, frag.Body)
				if strings.Contains(frag.Body, "<html") || !strings.Contains(frag.Body, "data-focus") || !strings.Contains(frag.Body, "data-announce=\"Comments ") {
					t.Fatalf("%s: the htmx answer is not a page of comments marked for focus:\n%.2000s", o.name, frag.Body)
				}
				if !slices.Contains(frag.Header.Values("Vary"), "HX-Request") {
					t.Fatalf("%s: fragment without Vary: HX-Request", o.name)
				}
				got = append(got, shownIDs(frag.Body)...)
				link = moreLink(t, frag.Body)
			}
			if !slices.Equal(got, ids(o.want)) {
				t.Fatalf("%s: pages give %d comments, want %d in order", o.name, len(got), len(o.want))
			}
		}

		// The sort choice: most votes first, and the links keep it.
		byVotes := b.get(docPath + "?order=votes")
		vs := sectionHTML(t, byVotes.Body, sec)
		if !strings.Contains(vs, `<strong aria-current="true">Most votes first</strong>`) || !strings.Contains(moreLink(t, vs), "order=votes") {
			t.Fatal("the chosen order is not shown or not kept in the more link")
		}
		// Kiswahili.
		sw := b.get(docPath + "?lang=sw")
		if s := sectionHTML(t, sw.Body, sec); !strings.Contains(s, "Maoni zaidi") || !strings.Contains(s, "Mapya kwanza") || !strings.Contains(s, "Maoni 1–15 kati ya 2001") {
			t.Fatal("the comment pager is not in Kiswahili")
		}
		b.get(docPath + "?lang=en")

		// Voting through the section's one form, without JavaScript, from
		// page 2: back to page 2 at the comment, the vote shown as mine.
		tok := b.token(docPath)
		target := newest[20].id
		votes := fmt.Sprintf("/p/budget-2026/sections/%d/votes", sec)
		p := b.post(votes, tok, url.Values{"vote": {fmt.Sprintf("%d:agree", target)}, "section": {fmt.Sprint(sec)}, "page": {"2"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if loc := p.Header.Get("Location"); loc != fmt.Sprintf("%s?page=2&section=%d#comment-%d", docPath, sec, target) {
			t.Fatalf("vote redirect %q", loc)
		}
		back := sectionHTML(t, b.get(fmt.Sprintf("%s?page=2&section=%d", docPath, sec)).Body, sec)
		if !strings.Contains(back, fmt.Sprintf(`value="%d:agree" aria-pressed="true"`, target)) || !strings.Contains(back, "Your vote: Agree") {
			t.Fatal("my vote is not shown on page 2")
		}
		// With htmx: the comment's buttons come back, aimed at that comment.
		p = b.post(votes, tok, url.Values{"vote": {fmt.Sprintf("%d:disagree", target)}}, "HX-Request", "true")
		want(t, p.Status, http.StatusOK, p.Body)
		if p.Header.Get("HX-Retarget") != fmt.Sprintf("#votes-%d", target) || p.Header.Get("HX-Reswap") != "outerHTML" ||
			!p.has(fmt.Sprintf(`id="votes-%d"`, target)) || !p.has("Your vote: Disagree") || !p.has("data-focus") {
			t.Fatalf("htmx vote answer (retarget %q):\n%s", p.Header.Get("HX-Retarget"), p.Body)
		}
		// A vote that cannot be read, and one through another document's section.
		p = b.post(votes, tok, url.Values{"vote": {"agree"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("This vote could not be read") {
			t.Fatalf("unreadable vote not explained:\n%s", p.Body)
		}
		p = b.post(votes, tok, url.Values{"vote": {fmt.Sprintf("%d:maybe", target)}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		p = b.post("/p/budget-2026/sections/999999/votes", tok, url.Values{"vote": {fmt.Sprintf("%d:pass", target)}})
		want(t, p.Status, http.StatusNotFound, p.Body)
		// A fragment for a section that is not this document's.
		want(t, b.get(docPath+"?section=999999&page=2", "HX-Request", "true").Status, http.StatusNotFound, nil)
		// A link to one comment opens the page that shows it, a reply's too.
		deep := newest[35].id
		p = b.get(fmt.Sprintf("%s?comment=%d", docPath, deep))
		want(t, p.Status, http.StatusFound, p.Body)
		if loc := p.Header.Get("Location"); loc != fmt.Sprintf("%s?page=3&section=%d#comment-%d", docPath, sec, deep) {
			t.Fatalf("link to comment %d goes to %q", deep, loc)
		}
		author, err := fx.Store.CreateParticipant(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		reply, err := fx.Store.CreateComment(context.Background(), participation.Comment{ProcessID: fx.Open.ID, ComponentID: fx.Document,
			TargetKind: participation.TargetSection, TargetID: sec, ParentID: &deep, ParticipantID: author.ID, Body: "A reply deep in the list."})
		if err != nil {
			t.Fatal(err)
		}
		p = b.get(fmt.Sprintf("%s?comment=%d", docPath, reply))
		if loc := p.Header.Get("Location"); loc != fmt.Sprintf("%s?page=3&section=%d&replies=%d#comment-%d", docPath, sec, deep, reply) {
			t.Fatalf("link to reply goes to %q", loc)
		}
		if pg := b.get(strings.TrimPrefix(p.Header.Get("Location"), fx.URL)); !pg.has(fmt.Sprintf(`id="comment-%d"`, reply)) {
			t.Fatal("the page a reply's link opens does not show it")
		}
		want(t, b.get(fmt.Sprintf("%s?comment=%d", docPath, fx.Comment)).Status, http.StatusNotFound, nil) // a proposal's comment
		want(t, b.get(docPath+"?comment=nope").Status, http.StatusNotFound, nil)
		// A comment shows its first replies and a link to all of them.
		top := newest[0].id
		var replies []int64
		for i := range 5 {
			id, err := fx.Store.CreateComment(context.Background(), participation.Comment{ProcessID: fx.Open.ID, ComponentID: fx.Document,
				TargetKind: participation.TargetSection, TargetID: sec, ParentID: &top, ParticipantID: author.ID, Body: fmt.Sprintf("Reply %d to the newest.", i)})
			if err != nil {
				t.Fatal(err)
			}
			replies = append(replies, id)
		}
		thread := between(t, sectionHTML(t, b.get(docPath).Body, sec), fmt.Sprintf(`id="comment-%d"`, top), `<li class="comment kind`)
		if strings.Count(thread, `class="comment reply"`) != 3 || !strings.Contains(thread, "Show 2 more replies") {
			t.Fatalf("the replies are not cut at three with a link to the rest:\n%s", thread)
		}
		rest := regexp.MustCompile(`<li class="more"><a href="([^"]+)">Show 2 more replies`).FindStringSubmatch(thread)
		if rest == nil || !strings.HasSuffix(html.UnescapeString(rest[1]), fmt.Sprintf("replies=%d#comment-%d", top, replies[3])) {
			t.Fatalf("link to all replies: %v", rest)
		}
		thread = between(t, sectionHTML(t, b.get(strings.SplitN(html.UnescapeString(rest[1]), "#", 2)[0]).Body, sec), fmt.Sprintf(`id="comment-%d"`, top), `<li class="comment kind`)
		if strings.Count(thread, `class="comment reply"`) != 5 || strings.Contains(thread, "more replies") {
			t.Fatal("the link does not show every reply")
		}
		p = b.get(fmt.Sprintf("%s?comment=%d", docPath, replies[4]))
		if loc := p.Header.Get("Location"); loc != fmt.Sprintf("%s?replies=%d#comment-%d", docPath, top, replies[4]) {
			t.Fatalf("link to a cut reply goes to %q", loc)
		}
		// A page past the end shows the last one.
		last := sectionHTML(t, b.get(fmt.Sprintf("%s?section=%d&page=500", docPath, sec)).Body, sec)
		if got := shownIDs(last); !slices.Equal(got, ids(newest[2000/perPage*perPage:])) || moreLink(t, last) != "" {
			t.Fatalf("page past the end shows %v", got)
		}
	})
}

func TestNumberedHeadings(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		ctx := context.Background()
		if _, err := fx.Store.PublishDocument(ctx, participation.Document{ComponentID: fx.Document, Title: "County Fiscal Strategy Paper 2026",
			Sections: []participation.Section{{Heading: "1. Revenue", Body: "Own-source revenue."}, {Heading: "Health", Body: "Two hospitals."}}}); err != nil {
			t.Fatal(err)
		}
		page := newBrowser(t, fx).get(fmt.Sprintf("/p/budget-2026/c/%d", fx.Document))
		want(t, page.Status, http.StatusOK, page.Body)
		if strings.Contains(page.Body, "1. 1. Revenue") || !strings.Contains(page.Body, ">1. Revenue</h2>") || !strings.Contains(page.Body, ">2. Health</h2>") {
			t.Fatal("section headings numbered twice or not at all")
		}
	})
}
