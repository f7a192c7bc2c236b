package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/browsertest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// TestBrowserWorkspaceJourney is an official's first consultation, end to
// end, in headless Chromium against the real `civicpulse serve` (a
// subprocess of this test binary: store on SQLite in a temp folder, River
// job queue, ingester, staff area, workspace):
//
//  1. `civicpulse admin create` makes an administrator, who signs in through
//     the form, creates the county's first process and invites an official
//     on it;
//  2. the official accepts the invitation, signs in through the form,
//     creates the new consultation (an official of any process may) and
//     sets it up: strategy, proposals, a document, a survey with
//     four question types, a region set from a CSV and a GeoJSON, two phases
//     (the first ending about a minute after the test starts), the Kiswahili
//     translation; previews it on the citizen pages and publishes it;
//  3. a citizen (another browser context, no staff cookie) in Kiswahili
//     submits a proposal, comments on a document section and answers the
//     survey;
//  4. the first phase closes at its date by itself: the job queue applies
//     the boundary (the store's phase changes, the outbox event, the staff
//     phases page) and the citizen page stops taking proposals.
//
// Every step is screenshotted at phone (375×812) and desktop (1280×900)
// width into testdata/artifacts/journey-NN-step-{phone,desktop}.png at the
// module root (git-ignored); a failing step saves
// journey-FAILED-<person>.png and names the step.
func TestBrowserWorkspaceJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("the journey waits for a phase to close (about a minute)")
	}
	start := time.Now()
	// Screenshots of an earlier run would pass for this one's.
	old, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "artifacts", "journey-*.png"))
	for _, f := range old {
		os.Remove(f)
	}
	browser := browsertest.NewWithin(t, 150*time.Second)
	dir := t.TempDir()

	// The administrator, from the command line as the README says.
	const adminEmail, adminPassword = "admin@western.example", "a long admin password 42"
	createAdmin(t, dir, adminEmail, adminPassword)
	base := startServe(t, dir)
	t.Logf("civicpulse serve is up after %s", time.Since(start).Round(time.Millisecond))

	n := 0
	shot := func(b *tab, name string) { n++; b.shot(n, name) }

	// --- 1. the administrator --------------------------------------------
	admin := newTab(t, browser, "admin", base)
	admin.step = "sign in"
	signIn(admin, adminEmail, adminPassword)
	shot(admin, "admin-home")

	// The administrator sets up the county's first process and invites an
	// official on it; the official then opens the new consultation
	// themselves (an official of any process may create one).
	admin.step = "create the county's first process"
	admin.open("/staff/processes/new")
	admin.fill(`form[action="/staff/processes"]`, map[string]any{
		"title": "Western county engagement office", "slug": "western-office", "languages": "en", "time_zone": "Africa/Nairobi"})
	shot(admin, "new-process")
	admin.submit(`form[action="/staff/processes"]`)
	first := idIn(admin, `^/staff/processes/(\d+)/strategy`)

	admin.step = "invite the official"
	const officialEmail, officialPassword = "wanjiru@western.example", "an official's own password 7"
	admin.open("/staff/admin/users")
	admin.fill(`form[action="/staff/admin/users/invite"]`, map[string]any{
		"email": officialEmail, fmt.Sprintf("role_%d", first): "official"})
	admin.submit(`form[action="/staff/admin/users/invite"]`)
	link := admin.eval(`(document.querySelector("code.link") || {}).innerText || ""`)
	if !strings.Contains(link, "/staff/invite?token=") {
		admin.fail("no invitation link on the page: %q", link)
	}
	shot(admin, "invitation")

	// --- 2. the official ---------------------------------------------------
	official := newTab(t, browser, "official", base)
	official.step = "accept the invitation"
	official.open(link[strings.Index(link, "/staff/invite"):])
	official.fill(`form[action="/staff/invite"]`, map[string]any{
		"name": "Wanjiru Otieno", "password": officialPassword, "confirm": officialPassword})
	official.submit(`form[action="/staff/invite"]`)
	official.has("Your account is ready")
	official.step = "sign in"
	signIn(official, officialEmail, officialPassword)
	official.has("Western county engagement office", "Official", "New process")
	shot(official, "official-home")

	official.step = "create the process"
	official.open("/staff/processes/new")
	const slug = "western-budget-2027"
	official.fill(`form[action="/staff/processes"]`, map[string]any{
		"title": "Western wards budget 2027", "slug": slug, "languages": "en, sw", "time_zone": "Africa/Nairobi"})
	official.submit(`form[action="/staff/processes"]`)
	pid := idIn(official, `^/staff/processes/(\d+)/strategy`)
	P := fmt.Sprintf("/staff/processes/%d", pid)

	official.step = "strategy"
	official.open(P + "/strategy")
	official.fill(`form[action="`+P+`/strategy"]`, map[string]any{
		"summary":               "Tell the county how to spend the ward development fund.",
		"objective":             "Choose the projects the ward development fund pays for in 2027.",
		"level":                 "consult",
		"sector":                "Public finance",
		"budget":                "120000000",
		"currency":              "KES",
		"responsible_officials": "Wanjiru Otieno, budget office",
		"target_participants":   "2000",
		"expected_outcome":      "A ranked list of projects that the county assembly votes on.",
		"feedback_method":       "The county publishes its decision on each proposal within 30 days.",
		"face_to_face":          "Ward barazas\nMarket-day stands",
	})
	official.submit(`form[action="` + P + `/strategy"]`)
	shot(official, "strategy")

	official.step = "add the three tools"
	components := map[string]int64{}
	for _, c := range []struct{ kind, title, desc string }{
		{"proposals", "Project ideas", "Propose a project for your ward."},
		{"document", "Draft budget policy", "Comment on the draft, section by section."},
		{"survey", "Priorities survey", "Four questions, five minutes."},
	} {
		official.open(P + "/setup")
		official.fill(`form[action="`+P+`/components"]`, map[string]any{"kind": c.kind, "title": c.title, "description": c.desc})
		official.submit(`form[action="` + P + `/components"]`)
		components[c.kind] = idIn(official, `^`+P+`/components/(\d+)`)
	}
	C := func(kind string) string { return fmt.Sprintf("%s/components/%d", P, components[kind]) }

	official.step = "proposal settings"
	official.open(C("proposals"))
	official.fill(`form[action="`+C("proposals")+`"]`, map[string]any{
		"budget": true, "max_budget": "5000000", "support_limit": "3", "support_threshold": "50"})
	official.submit(`form[action="` + C("proposals") + `"]`)
	shot(official, "proposals-settings")

	official.step = "document"
	official.open(C("document"))
	official.fill(`form[action="`+C("document")+`/document/import"]`, map[string]any{
		"title":    "Draft ward budget policy 2027",
		"markdown": "# Roads\n\nEvery ward gets at least two kilometres of graded road.\n\n# Water\n\nBoreholes come before new offices.\n",
	})
	official.submit(`form[action="` + C("document") + `/document/import"]`)
	official.has("Version 1, 2 sections")
	shot(official, "document")

	official.step = "survey"
	official.open(C("survey"))
	for _, q := range []map[string]any{
		{"type": "single", "prompt": "Which sector matters most to you?", "required": true, "page": "1", "options": "Water\nRoads\nHealth"},
		{"type": "multi", "prompt": "Which services do you use every week?", "help": "Choose up to two.", "page": "1", "max_choices": "2", "options": "Market\nClinic\nSchool"},
		{"type": "likert", "prompt": "The county listens to residents.", "page": "1"},
		{"type": "text", "prompt": "What else should the county know?", "page": "1"},
	} {
		official.fill(`form[action="`+C("survey")+`/questions"]`, q)
		official.submit(`form[action="` + C("survey") + `/questions"]`)
	}
	if got := official.eval(`String(document.querySelectorAll("#questions ol.ws-list > li").length)`); got != "4" {
		official.fail("the survey has %s questions, want 4", got)
	}
	shot(official, "survey")

	official.step = "region set"
	official.open(P + "/regions")
	official.fill(`form[action="`+P+`/regions/upload"]`, map[string]any{
		"name": "Western Kenya counties", "source": "KNBS 2019 census; geoBoundaries KEN-ADM1"})
	official.upload("#f-csv", "western.csv")
	official.upload("#f-geojson", "western.geojson")
	official.submit(`form[action="` + P + `/regions/upload"]`)
	official.has("Western Kenya counties")
	shot(official, "regions")

	// The first phase ends about a minute after the test started, and
	// late enough for the steps before it (translation, publication, the
	// citizen's three submissions) on a slow machine.
	official.step = "phases"
	zoneLoc, err := time.LoadLocation("Africa/Nairobi")
	if err != nil {
		zoneLoc = time.UTC // the server falls back to UTC too
	}
	now := time.Now()
	end1 := start.Add(60 * time.Second)
	if min := now.Add(40 * time.Second); end1.Before(min) {
		end1 = min
	}
	end1 = end1.Truncate(time.Second).Add(time.Second)
	const dt = "2006-01-02T15:04:05"
	official.open(P + "/phases")
	official.fill(`form[action="`+P+`/phases"]`, map[string]any{
		"name": "Ideas and comments", "description": "Propose projects, comment on the draft and answer the survey.",
		"starts_at": now.Add(-time.Hour).In(zoneLoc).Format(dt), "ends_at": end1.In(zoneLoc).Format(dt),
		"open_components": []string{itoa64(components["proposals"]), itoa64(components["document"]), itoa64(components["survey"])},
	})
	official.submit(`form[action="` + P + `/phases"]`)
	official.fill(`form[action="`+P+`/phases"]`, map[string]any{
		"name": "Survey week", "description": "Only the survey stays open.",
		"starts_at": end1.In(zoneLoc).Format(dt), "ends_at": end1.Add(7 * 24 * time.Hour).In(zoneLoc).Format(dt),
		"open_components": []string{itoa64(components["survey"])},
	})
	official.submit(`form[action="` + P + `/phases"]`)
	phase1 := int64(0)
	if ids := regexp.MustCompile(`phase-(\d+)`).FindAllStringSubmatch(official.eval(`[...document.querySelectorAll("section[id^=phase-]")].map(s => s.id).join(" ")`), -1); len(ids) == 2 {
		phase1, _ = strconv.ParseInt(ids[0][1], 10, 64)
	} else {
		official.fail("the phases page lists %d phases, want 2", len(ids))
	}
	t.Logf("phase 1 (%d) ends at %s, %s after the start", phase1, end1.Format(time.TimeOnly), end1.Sub(start).Round(time.Second))
	shot(official, "phases")

	official.step = "Kiswahili"
	official.open(P + "/translations/sw")
	official.fillTranslations()
	official.submit(`form[action="` + P + `/translations/sw"]`)
	official.has("Every text is translated")
	shot(official, "translations-sw")

	official.step = "preview"
	official.open(P + "/setup")
	if problems := official.eval(`(document.querySelector("#h-problems") || {parentElement: {innerText: ""}}).parentElement.innerText`); problems != "" {
		official.fail("the process cannot be published yet: %s", problems)
	}
	official.submit(`form[action="` + P + `/state"]:has(input[value=preview])`)
	shot(official, "setup-in-preview")
	official.open("/p/" + slug)
	official.has("only staff of this process can see this page", "Western wards budget 2027", "Ideas and comments")
	shot(official, "preview-citizen-page")
	official.open("/p/" + slug + "?lang=sw")
	official.has("Bajeti ya kata za magharibi 2027", "Mawazo na maoni")
	shot(official, "preview-citizen-page-sw")
	official.open("/p/" + slug + "?lang=en") // the language choice is the site's, staff pages included

	official.step = "publish"
	official.open(P + "/setup")
	official.submit(`form[action="` + P + `/state"]:has(input[value=published])`)
	official.has("Published")
	shot(official, "published")
	if time.Now().After(end1.Add(-15 * time.Second)) {
		t.Fatalf("publishing took until %s, too close to the first phase's end (%s) for the citizen's steps", time.Now().Format(time.TimeOnly), end1.Format(time.TimeOnly))
	}

	// --- 3. a citizen, in Kiswahili ------------------------------------------
	citizen := newTab(t, browser, "citizen", base)
	citizen.step = "process page in Kiswahili"
	citizen.open("/p/" + slug + "?lang=sw")
	if lang := citizen.eval(`document.documentElement.lang`); lang != "sw" {
		citizen.fail("the page's language is %q, want sw", lang)
	}
	citizen.has("Bajeti ya kata za magharibi 2027", "Mawazo na maoni", "Sasa", "Mawazo ya miradi")
	if strings.Contains(citizen.text(), "only staff of this process") {
		citizen.fail("the citizen sees the staff preview banner")
	}
	shot(citizen, "citizen-process-sw")

	citizen.step = "proposal"
	cp := fmt.Sprintf("/p/%s/c/%d", slug, components["proposals"])
	citizen.open(cp + "/new")
	citizen.has("Chapisha pendekezo", "Busia") // the Kiswahili button, the process's own regions
	citizen.fill(`form[action="`+cp+`/proposals"]`, map[string]any{
		"title":       "Kisima cha maji soko la Busia",
		"description": "Soko la Busia halina maji safi. Kisima kimoja kingewasaidia wafanyabiashara na wateja wao.",
		"budget":      "450000", "region_code": "40",
	})
	shot(citizen, "citizen-proposal-form")
	citizen.submit(`form[action="` + cp + `/proposals"]`)
	citizen.has("Kisima cha maji soko la Busia")
	shot(citizen, "citizen-proposal")

	citizen.step = "comment on a section"
	citizen.open(fmt.Sprintf("/p/%s/c/%d", slug, components["document"]))
	citizen.has("Barabara", "Toa maoni kuhusu sehemu hii", "Rasimu ya sera ya bajeti ya kata 2027")
	section := citizen.eval(`document.querySelector("section.section").id`)
	const comment = "Barabara za vijijini zipewe kipaumbele kabla ya za mjini."
	citizen.eval(`document.querySelector("#` + section + ` details").open = true, ""`)
	// The section's comments sit in a vote form; the comment form is the one
	// that posts to …/comments.
	commentForm := "#" + section + ` form[action$="/comments"]`
	citizen.fill(commentForm, map[string]any{"body": comment})
	citizen.clickAndWait(commentForm+" button[type=submit]",
		fmt.Sprintf(`(document.querySelector("#%s .comment-list") || {innerText: ""}).innerText.includes(%q)`, section, comment))
	shot(citizen, "citizen-comment")

	citizen.step = "survey"
	citizen.open(fmt.Sprintf("/p/%s/c/%d", slug, components["survey"]))
	citizen.has("Ni sekta gani iliyo muhimu zaidi kwako?", "Zahanati", "Tuma majibu yangu")
	citizen.eval(`(() => {
	const qs = document.querySelectorAll("#survey fieldset.question");
	qs[0].querySelectorAll("input")[0].checked = true;               // Maji
	qs[1].querySelectorAll("input")[1].checked = true;               // Zahanati
	qs[1].querySelectorAll("input")[2].checked = true;               // Shule
	qs[2].querySelector("input[value='4']").checked = true;          // agree
	qs[3].querySelector("textarea").value = "Tunahitaji taa za barabarani sokoni.";
	return "";
})()`)
	shot(citizen, "citizen-survey-form")
	citizen.clickAndWait("#survey form button[type=submit]", `!!document.querySelector("#survey .thanks")`)
	citizen.has("Asante!")
	shot(citizen, "citizen-survey-done")
	t.Logf("the citizen was done %s before the first phase's end", time.Until(end1).Round(time.Second))

	// --- 4. the first phase closes by itself -----------------------------------
	store, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(dir, "civicpulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	citizen.step = "the first phase closes at its date"
	deadline := end1.Add(30 * time.Second)
	var closed *participation.PhaseChange
	for closed == nil {
		changes, err := store.PhaseChanges(context.Background(), pid)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range changes {
			if c.PhaseID == phase1 && c.Kind == participation.BoundaryClose {
				closed = &changes[i]
			}
		}
		if closed == nil && time.Now().After(deadline) {
			citizen.fail("the job queue did not close phase 1 within 30 s of its end (%s); applied: %+v", end1.Format(time.TimeOnly), changes)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !closed.At.Equal(end1) || closed.AppliedAt.Before(end1) || closed.AppliedAt.After(end1.Add(15*time.Second)) {
		t.Errorf("phase 1 closed at %s, applied at %s; want its end %s, applied within 15 s after it", closed.At, closed.AppliedAt, end1)
	}
	t.Logf("phase 1 close applied %d ms after its time", closed.AppliedAt.Sub(closed.At).Milliseconds())
	evs, err := store.Outbox().Read(context.Background(), participation.Cursor{}, 100000)
	if err != nil {
		t.Fatal(err)
	}
	closedEvents := 0
	for _, e := range evs {
		if e.Type == participation.EvPhaseClosed && e.EntityID == phase1 {
			closedEvents++
		}
	}
	if closedEvents != 1 {
		t.Errorf("%d phase.closed events for phase 1, want 1", closedEvents)
	}

	citizen.open(cp + "/new?lang=sw")
	citizen.has("Sehemu hii haipokei michango kwa sasa")
	shot(citizen, "citizen-proposals-closed")
	citizen.open("/p/" + slug)
	citizen.has("Wiki ya utafiti")
	shot(citizen, "citizen-process-phase-2")

	official.step = "the phases page shows the close"
	official.open(P + "/phases")
	applied := official.eval(fmt.Sprintf(`(document.querySelector("#applied-%d") || {innerText: ""}).innerText`, phase1))
	m := regexp.MustCompile(`Closed (\S+ \S+) by the schedule`).FindStringSubmatch(applied)
	if m == nil {
		official.fail("phase 1 does not say when it closed: %q", applied)
	}
	if at, err := time.ParseInLocation("2006-01-02 15:04:05", m[1], zoneLoc); err != nil || at.Before(end1) || at.After(end1.Add(15*time.Second)) {
		official.fail("phase 1 says it closed at %s, want within 15 s after %s (%v)", m[1], end1.In(zoneLoc).Format(time.DateTime), err)
	}
	shot(official, "phases-after-close")
	t.Logf("journey done in %s", time.Since(start).Round(time.Second))
}

// signIn signs in through the staff sign-in form.
func signIn(b *tab, email, password string) {
	b.t.Helper()
	b.open("/staff/sign-in")
	b.fill(`form[action="/staff/sign-in"]`, map[string]any{"email": email, "password": password})
	b.submit(`form[action="/staff/sign-in"]`)
	if loc := b.location(); loc != "/staff" {
		b.fail("after signing in the browser is at %s, not /staff", loc)
	}
}

// idIn reads an id from the tab's address.
func idIn(b *tab, pattern string) int64 {
	b.t.Helper()
	loc := b.location()
	m := regexp.MustCompile(pattern).FindStringSubmatch(loc)
	if m == nil {
		b.fail("the address %s is not %s", loc, pattern)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
