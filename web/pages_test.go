package web_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// photoWithExif is a real JPEG carrying an EXIF block with a GPS-like
// string, as phones write them.
func photoWithExif(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	j := buf.Bytes()
	payload := append([]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00"), []byte("GPS -1.2921 36.8219 my-home")...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append(append(append([]byte{}, j[:2]...), seg...), payload...)
	return append(out, j[2:]...)
}

// events returns the outbox events of one type. On Postgres a committed
// event is readable only once every older transaction on the server has
// ended (other packages' tests share it), so it waits for the outbox to
// show all it counts.
func events(t *testing.T, fx *webtest.Fixture, typ participation.EventType) []participation.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var evs []participation.Event
	for {
		n, err := fx.Store.Outbox().Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if evs, err = fx.Store.Outbox().Read(ctx, participation.Cursor{}, 100000); err != nil {
			t.Fatal(err)
		}
		if int64(len(evs)) >= n {
			break
		}
		if err := fx.Store.Outbox().Wait(ctx, 100*time.Millisecond); err != nil {
			t.Fatalf("outbox never showed its %d events: %v", n, err)
		}
	}
	var out []participation.Event
	for _, e := range evs {
		if e.Type == typ || typ == "" {
			out = append(out, e)
		}
	}
	return out
}

func allEvents(t *testing.T, fx *webtest.Fixture) []participation.Event { return events(t, fx, "") }

func TestProposalsEndToEnd(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		newPath := fmt.Sprintf("/p/budget-2026/c/%d/new", fx.Proposals)
		tok := b.token(newPath)
		photo := photoWithExif(t, 640, 400)
		p := b.postMultipart(fmt.Sprintf("/p/budget-2026/c/%d/proposals", fx.Proposals), tok, url.Values{
			"title": {"Footbridge over Nairobi river"}, "description": {"Children cross the river on stones every morning."},
			"budget": {"1,250,000"}, "tags": {"roads, schools"}, "region_code": {"047"}, "lat": {"-1.28"}, "lng": {"36.82"},
		}, []upload{{"bridge.jpg", photo}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		loc := p.Header.Get("Location")
		if !strings.HasPrefix(loc, "/p/budget-2026/proposals/") {
			t.Fatalf("redirect to %q", loc)
		}
		page, posted := strings.CutSuffix(loc, "?posted=1")
		if !posted {
			t.Fatalf("redirect to %q: the author is not thanked", loc)
		}
		detail := b.get(loc)
		want(t, detail.Status, http.StatusOK, detail.Body)
		if !detail.has(`id="posted" tabindex="-1" autofocus`) || !detail.has("your proposal is published") {
			t.Error("the author is not thanked, with the focus on the thanks, after sending a proposal")
		}
		if other := newBrowser(t, fx).get(loc); other.has(`id="posted"`) {
			t.Error("someone other than the author is thanked for the proposal")
		}
		loc = page
		for _, s := range []string{"Footbridge over Nairobi river", "KES 1,250,000", "roads", loc + "/thumbs/1"} {
			if !detail.has(s) {
				t.Errorf("proposal page lacks %q", s)
			}
		}
		img := b.get(loc + "/images/1")
		want(t, img.Status, http.StatusOK, "")
		if img.Header.Get("Content-Type") != "image/jpeg" || strings.Contains(img.Body, "Exif") || strings.Contains(img.Body, "my-home") {
			t.Fatalf("served image %q still has metadata or wrong type", img.Header.Get("Content-Type"))
		}
		if _, err := jpeg.Decode(strings.NewReader(img.Body)); err != nil {
			t.Fatalf("served image does not decode: %v", err)
		}

		// Comment without JavaScript: post, redirect, see it.
		tok = b.token(loc)
		p = b.post(loc+"/comments", tok, url.Values{"body": {"Please add a railing for the children."}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		detail = b.get(loc)
		if !detail.has("Please add a railing for the children.") {
			t.Fatal("comment not shown after redirect")
		}
		// Comment with htmx: the comments block comes back, not a page.
		p = b.post(loc+"/comments", tok, url.Values{"body": {"Agree, and lights too."}}, "HX-Request", "true")
		want(t, p.Status, http.StatusOK, p.Body)
		if !p.has(`id="comments"`) || p.has("<html") || !p.has("Agree, and lights too.") {
			t.Fatalf("htmx answer is not the comments fragment:\n%s", p.Body)
		}
		// A reply to the existing comment of the fixture proposal.
		fixtureLoc := fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal)
		p = b.post(fixtureLoc+"/comments", tok, url.Values{"body": {"Count me in."}, "parent_id": {fmt.Sprint(fx.Comment)}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if d := b.get(fixtureLoc); !strings.Contains(d.Body, `class="comment reply"`) || !d.has("Count me in.") {
			t.Fatal("reply not shown under its comment")
		}

		// Support, a second support, withdrawal, follow.
		p = b.post(fixtureLoc+"/support", tok, url.Values{"on": {"1"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if d := b.get(fixtureLoc); !d.has("<strong>1 support</strong>") || !d.has("Withdraw my support") {
			t.Fatal("support not shown, or not in the singular")
		}
		if d := b.get(fixtureLoc + "?lang=sw"); !d.has("<strong>Mwungaji mkono 1</strong>") {
			t.Fatal("Kiswahili singular not shown")
		}
		b.get(fixtureLoc + "?lang=en") // the choice sticks in a cookie: back to English
		p = b.post(fixtureLoc+"/support", tok, url.Values{"on": {"1"}})
		want(t, p.Status, http.StatusConflict, p.Body)
		if !p.has("You already support this proposal") {
			t.Fatalf("second support message unclear:\n%s", p.Body)
		}
		p = b.post(fixtureLoc+"/support", tok, url.Values{"on": {"0"}}, "HX-Request", "true")
		want(t, p.Status, http.StatusOK, p.Body)
		if !p.has(`id="actions"`) || !p.has("0 supports<") {
			t.Fatalf("htmx unsupport fragment:\n%s", p.Body)
		}
		p = b.post(fixtureLoc+"/follow", tok, url.Values{"on": {"1"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if d := b.get(fixtureLoc); !d.has("Stop following") {
			t.Fatal("follow not shown")
		}

		// Filters and the citizen's own page.
		list := b.get(fmt.Sprintf("/p/budget-2026/c/%d?tag=roads", fx.Proposals))
		if !list.has("Footbridge over Nairobi river") || list.has("Borehole for Kiambu market") {
			t.Fatal("tag filter wrong")
		}
		list = b.get(fmt.Sprintf("/p/budget-2026/c/%d?q=borehole&order=supports", fx.Proposals))
		if list.has("Footbridge") || !list.has("Borehole for Kiambu market") {
			t.Fatal("text filter wrong")
		}
		me := b.get("/me")
		if !me.has("Footbridge over Nairobi river") || !me.has("Please add a railing") {
			t.Fatal("/me lacks the citizen's submissions")
		}
		if n := len(events(t, fx, participation.EvProposalCreated)); n != 2 {
			t.Fatalf("%d proposal.created events, want 2 (fixture + this one)", n)
		}
	})
}

func TestProposalBadInput(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		newPath := fmt.Sprintf("/p/budget-2026/c/%d/new", fx.Proposals)
		post := fmt.Sprintf("/p/budget-2026/c/%d/proposals", fx.Proposals)
		tok := b.token(newPath)
		desc := "A long enough description that must survive the error."

		// Missing title: 422, the description is still in the form.
		p := b.postMultipart(post, tok, url.Values{"title": {""}, "description": {desc}}, nil)
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has(desc) || !p.has("This is required.") || !p.has(`aria-invalid="true"`) {
			t.Fatalf("re-rendered form lost input or message:\n%s", p.Body)
		}
		// Too long title: message names the limit, the text is kept.
		long := strings.Repeat("x", 151)
		p = b.postMultipart(post, tok, url.Values{"title": {long}, "description": {desc}}, nil)
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has(long) || !p.has("at most 150 characters") {
			t.Fatal("too-long title not explained or not kept")
		}
		// A text file named .png: refused by content.
		p = b.postMultipart(post, tok, url.Values{"title": {"Clinic roof"}, "description": {desc}},
			[]upload{{"roof.png", []byte("this is plain text pretending to be a PNG picture")}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("roof.png is not a JPEG, PNG or WebP picture") || !p.has("Clinic roof") {
			t.Fatalf("lying upload not explained:\n%s", p.Body)
		}
		// A PNG header in front of garbage lies about its type too.
		p = b.postMultipart(post, tok, url.Values{"title": {"Clinic roof"}, "description": {desc}},
			[]upload{{"roof.png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 500)...)}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		// Too large: 413 with the limit, input kept.
		big := append(photoWithExif(t, 32, 32), bytes.Repeat([]byte{0}, 5<<20)...)
		p = b.postMultipart(post, tok, url.Values{"title": {"Clinic roof"}, "description": {desc}}, []upload{{"huge.jpg", big}})
		want(t, p.Status, http.StatusRequestEntityTooLarge, p.Body)
		if !p.has("huge.jpg is larger than 5 MB") || !p.has(desc) {
			t.Fatalf("too-large upload not explained:\n%s", p.Body)
		}
		// Six pictures.
		small := photoWithExif(t, 8, 8)
		six := []upload{{"1.jpg", small}, {"2.jpg", small}, {"3.jpg", small}, {"4.jpg", small}, {"5.jpg", small}, {"6.jpg", small}}
		p = b.postMultipart(post, tok, url.Values{"title": {"Clinic roof"}, "description": {desc}}, six)
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("At most 5 pictures") {
			t.Fatal("six pictures not explained")
		}
		// A body above the route's limit is cut off before parsing.
		huge := bytes.Repeat([]byte{0xFF}, 27<<20)
		p = b.postMultipart(post, tok, url.Values{"title": {"x"}}, []upload{{"a.jpg", huge}})
		want(t, p.Status, http.StatusRequestEntityTooLarge, p.Body)

		// CSRF: no token, then a forged one.
		p = b.postMultipart(post, "", url.Values{"title": {"Clinic roof"}, "description": {desc}}, nil)
		want(t, p.Status, http.StatusForbidden, p.Body)
		if !p.has("Your form expired or did not come from this site") {
			t.Fatalf("CSRF failure unclear:\n%s", p.Body)
		}
		forged := b.post(fmt.Sprintf("/p/budget-2026/proposals/%d/comments", fx.Proposal), "bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3OA==",
			url.Values{"body": {"Forged"}})
		want(t, forged.Status, http.StatusForbidden, forged.Body)
		// The same message in Kiswahili.
		b.get("/?lang=sw")
		p = b.post(fmt.Sprintf("/p/budget-2026/proposals/%d/comments", fx.Proposal), "", url.Values{"body": {"Bila tokeni"}})
		want(t, p.Status, http.StatusForbidden, p.Body)
		if !p.has("Fomu yako imepitwa na wakati") || !p.has(`lang="sw"`) {
			t.Fatalf("CSRF message not translated:\n%s", p.Body)
		}
		if n := len(events(t, fx, participation.EvProposalCreated)); n != 1 {
			t.Fatalf("%d proposals stored, want only the fixture's", n)
		}
	})
}

func TestClosedUnpublishedRegisteredAndUnknown(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		tok := b.token("/p/budget-2026/c/" + fmt.Sprint(fx.Proposals) + "/new")
		form := url.Values{"title": {"Water kiosk"}, "description": {"A kiosk near the school would save hours."}}

		// Closed phase: 409 with the reason.
		p := b.postMultipart(fmt.Sprintf("/p/water-2025/c/%d/proposals", fx.ClosedProps), tok, form, nil)
		want(t, p.Status, http.StatusConflict, p.Body)
		if !p.has("This is not open for contributions now.") {
			t.Fatalf("closed phase unclear:\n%s", p.Body)
		}
		if pg := b.get(fmt.Sprintf("/p/water-2025/c/%d", fx.ClosedProps)); !pg.has("not open for contributions right now") || pg.has("New proposal</a>") {
			t.Fatal("closed component page still invites proposals")
		}
		// Unpublished process: does not exist for citizens.
		want(t, b.get("/p/draft-plan").Status, http.StatusNotFound, nil)
		p = b.postMultipart(fmt.Sprintf("/p/draft-plan/c/%d/proposals", fx.DraftProps), tok, form, nil)
		want(t, p.Status, http.StatusNotFound, p.Body)
		if b.get("/").has("Spatial plan") {
			t.Fatal("draft listed on the home page")
		}
		// Registered-only process used anonymously: 403 and the way to register.
		p = b.postMultipart(fmt.Sprintf("/p/youth-fund/c/%d/proposals", fx.RegProposals), tok, form, nil)
		want(t, p.Status, http.StatusForbidden, p.Body)
		if !p.has("/p/youth-fund/register") {
			t.Fatalf("no way to register offered:\n%s", p.Body)
		}
		// Unknown ids.
		want(t, b.get("/p/budget-2026/proposals/999999").Status, http.StatusNotFound, nil)
		want(t, b.get("/p/budget-2026/c/999999").Status, http.StatusNotFound, nil)
		want(t, b.get("/p/no-such-process").Status, http.StatusNotFound, nil)
		p = b.post("/p/budget-2026/proposals/999999/comments", tok, url.Values{"body": {"Hello there"}})
		want(t, p.Status, http.StatusNotFound, p.Body)
		// A proposal seen through another process's address.
		want(t, b.get(fmt.Sprintf("/p/water-2025/proposals/%d", fx.Proposal)).Status, http.StatusNotFound, nil)
	})
}

func TestDocumentEndToEnd(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		docPath := fmt.Sprintf("/p/budget-2026/c/%d", fx.Document)
		tok := b.token(docPath)
		sec := fx.Sections[0]
		p := b.post(fmt.Sprintf("/p/budget-2026/sections/%d/comments", sec), tok, url.Values{
			"kind": {"amendment"}, "body": {"Fees should rise with inflation only."}, "proposed_text": {"Parking fees rise with inflation."}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		d := b.get(docPath)
		if !d.has("Parking fees rise with inflation.") || !d.has("Amendment") {
			t.Fatal("amendment not shown with its proposed text")
		}
		// Amendment without proposed text: 422, input kept in that section's form.
		p = b.post(fmt.Sprintf("/p/budget-2026/sections/%d/comments", sec), tok, url.Values{"kind": {"amendment"}, "body": {"Keep my words please"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("Keep my words please") {
			t.Fatal("section comment input lost")
		}
		// A question via htmx returns that section only.
		p = b.post(fmt.Sprintf("/p/budget-2026/sections/%d/comments", fx.Sections[1]), tok, url.Values{"kind": {"question"}, "body": {"Where will they be built?"}}, "HX-Request", "true")
		want(t, p.Status, http.StatusOK, p.Body)
		if !p.has(fmt.Sprintf(`id="section-%d"`, fx.Sections[1])) || p.has("<html") || !p.has("Where will they be built?") {
			t.Fatalf("htmx section fragment:\n%s", p.Body)
		}
		// Votes: agree, shown as mine; change to disagree via htmx.
		vote := fmt.Sprintf("/p/budget-2026/comments/%d/vote", fx.SectionComm)
		p = b.post(vote, tok, url.Values{"vote": {"agree"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if d := b.get(docPath); !d.has("Your vote: Agree") {
			t.Fatal("my vote not shown")
		}
		p = b.post(vote, tok, url.Values{"vote": {"disagree"}}, "HX-Request", "true")
		want(t, p.Status, http.StatusOK, p.Body)
		if !p.has("Your vote: Disagree") || p.has("<html") {
			t.Fatalf("htmx vote fragment:\n%s", p.Body)
		}
		// A vote that is not one of the three.
		p = b.post(vote, tok, url.Values{"vote": {"maybe"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		// Proposal comments take no votes.
		p = b.post(fmt.Sprintf("/p/budget-2026/comments/%d/vote", fx.Comment), tok, url.Values{"vote": {"agree"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if n := len(events(t, fx, participation.EvCommentVoted)); n != 2 {
			t.Fatalf("%d vote events, want 2", n)
		}
	})
}

func TestSurveyEndToEnd(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		sp := fmt.Sprintf("/p/budget-2026/c/%d", fx.Survey)
		post := sp + "/answers"
		q := func(name string) string { return fmt.Sprintf("question_%d", fx.Questions[name]) }
		tok := b.token(sp)
		first := b.get(sp)
		for _, s := range []string{`type="radio" name="` + q("single"), `type="checkbox" name="` + q("multi"), "Page 1 of 2", "Choose up to 2."} {
			if !first.has(s) {
				t.Fatalf("page 1 lacks %q", s)
			}
		}
		// Required questions missing: 422, the multi choice kept.
		p := b.post(post, tok, url.Values{"page": {"1"}, q("multi"): {"2"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !strings.Contains(p.Body, `name="`+q("multi")+`" value="2" checked`) || !p.has("This is required.") {
			t.Fatalf("survey errors or kept input missing:\n%s", p.Body)
		}
		// Too many choices.
		p = b.post(post, tok, url.Values{"page": {"1"}, q("single"): {"0"}, q("multi"): {"0", "1", "2"}, q("likert"): {"4"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		// Page 1 right: on to page 2.
		p = b.post(post, tok, url.Values{"page": {"1"}, q("single"): {"1"}, q("multi"): {"0", "3"}, q("likert"): {"4"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if loc := p.Header.Get("Location"); loc != sp+"?page=2" {
			t.Fatalf("next page redirect %q", loc)
		}
		// Coming back later resumes on page 2.
		resume := b.get(sp)
		if !resume.has("Page 2 of 2") || !resume.has(`name="`+q("ranking")+`_r0"`) {
			t.Fatal("survey did not resume on page 2")
		}
		// Going back shows the saved answers.
		if back := b.get(sp + "?page=1"); !strings.Contains(back.Body, `name="`+q("single")+`" value="1" checked`) {
			t.Fatal("saved answer not shown on page 1")
		}
		// Out of range number, incomplete ranking.
		p = b.post(post, tok, url.Values{"page": {"2"}, q("numeric"): {"500"}, q("ranking") + "_r0": {"2"}, q("text"): {"More buses"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("Must be between 0 and 300.") || !p.has("Rank all 3 options.") || !p.has("More buses") {
			t.Fatalf("page 2 errors:\n%s", p.Body)
		}
		// Not a number at all.
		p = b.post(post, tok, url.Values{"page": {"2"}, q("numeric"): {"ten"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		// Complete it.
		p = b.post(post, tok, url.Values{"page": {"2"}, q("numeric"): {"25"}, q("ranking") + "_r0": {"2"}, q("ranking") + "_r1": {"0"}, q("ranking") + "_r2": {"1"}, q("text"): {"More buses"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if done := b.get(sp); !done.has("Thank you!") {
			t.Fatal("no thank-you page")
		}
		// A completed response is final.
		p = b.post(post, tok, url.Values{"page": {"2"}, q("numeric"): {"30"}})
		want(t, p.Status, http.StatusConflict, p.Body)
		if !p.has("You have already completed this survey.") {
			t.Fatalf("second response message:\n%s", p.Body)
		}
		// A page that does not exist.
		p = b.post(post, tok, url.Values{"page": {"7"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if n := len(events(t, fx, participation.EvSurveyCompleted)); n != 1 {
			t.Fatalf("%d survey.completed events", n)
		}
	})
}

func TestRegistrationEndToEnd(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		reg := "/p/youth-fund/register"
		// The notice comes first, alone: no personal field before consent.
		page := b.get(reg)
		if !page.has("Version 1") || page.has(`name="name"`) || page.has(`name="email"`) {
			t.Fatalf("registration page before consent:\n%s", page.Body)
		}
		tok := b.token(reg)
		// No consent: nothing stored, the notice shown again with why.
		p := b.post(reg, tok, url.Values{"notice_version": {"1"}, "name": {"Achieng"}, "email": {"achieng@example.org"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("Please tick the box") || p.has(`name="email"`) {
			t.Fatal("missing consent not explained")
		}
		want(t, b.post("/p/youth-fund/consent", tok, url.Values{"notice_version": {"1"}, "consent": {"yes"}}).Status, http.StatusSeeOther, nil)
		page = b.get(reg)
		for _, s := range []string{`name="name"`, `name="email"`, `name="region"`} {
			if !page.has(s) {
				t.Fatalf("registration page after consent lacks %q", s)
			}
		}
		if page.has(`name="phone"`) || page.has(`name="gender"`) {
			t.Fatal("registration asks for fields the process does not")
		}
		// Bad email.
		p = b.post(reg, tok, url.Values{"consent": {"yes"}, "notice_version": {"1"}, "name": {"Achieng"}, "email": {"achieng-at-example"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("This is not an email address.") || !p.has("achieng-at-example") {
			t.Fatal("bad email not explained")
		}
		p = b.post(reg, tok, url.Values{"consent": {"yes"}, "notice_version": {"1"}, "name": {"Achieng"}, "email": {"achieng@example.org"}, "region": {"047"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		sent := fx.Sent()
		if len(sent) != 1 || sent[0].Channel != "email" || sent[0].To != "achieng@example.org" || !strings.HasPrefix(sent[0].Link, fx.URL+"/p/youth-fund/verify?token=") {
			t.Fatalf("verification message %+v", sent)
		}
		// The link only fills the form.
		linkPath := strings.TrimPrefix(sent[0].Link, fx.URL)
		v := b.get(linkPath)
		if !v.has(`value="` + sent[0].Secret + `"`) {
			t.Fatal("verification link does not fill the form")
		}
		p = b.post("/p/youth-fund/verify", tok, url.Values{"secret": {"wrong"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		p = b.post("/p/youth-fund/verify", tok, url.Values{"secret": {sent[0].Secret}})
		want(t, p.Status, http.StatusOK, p.Body)
		if !p.has("your registration is confirmed") {
			t.Fatal("no confirmation")
		}
		// Now the registered process takes this citizen's proposal.
		p = b.postMultipart(fmt.Sprintf("/p/youth-fund/c/%d/proposals", fx.RegProposals), tok,
			url.Values{"title": {"Tailoring co-op"}, "description": {"Ten tailors sharing machines and a shop."}}, nil)
		want(t, p.Status, http.StatusSeeOther, p.Body)
		// No personal data in any outbox event.
		for _, e := range allEvents(t, fx) {
			raw, _ := json.Marshal(e)
			if bytes.Contains(raw, []byte("achieng")) || bytes.Contains(raw, []byte("Achieng")) {
				t.Fatalf("personal data in event %s", raw)
			}
		}
	})
}
