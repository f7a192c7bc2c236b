package dashweb_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// jobEditor stands in for the insights job (a test double of the job, not
// of storage): it checks an edit against the themes table the way the job
// does (unknown theme: dashboards.ErrNotFound; a split of fewer than two
// texts: dashboards.ErrInvalid), and applies what theme_edits holds (which
// the ingester wrote from the store's outbox) to the themes table with SQL.
type jobEditor struct{ db *sql.DB }

func (e *jobEditor) CheckThemeEdit(ctx context.Context, process int64, x dashboards.ThemeEdit) (dashboards.Scope, error) {
	var s dashboards.Scope
	err := e.db.QueryRowContext(ctx, `SELECT scope, scope_id FROM themes WHERE process_id = ? AND theme_id = ?`, process, x.Theme).Scan(&s.Kind, &s.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("%w: no theme %d", dashboards.ErrNotFound, x.Theme)
	}
	if err != nil {
		return s, err
	}
	if x.Kind == dashboards.ThemeSplit {
		var n int64
		if err := e.db.QueryRowContext(ctx, `SELECT count(*) FROM theme_members WHERE process_id = ? AND theme_id = ?`, process, x.Theme).Scan(&n); err != nil {
			return s, err
		}
		if n < 2 {
			return s, fmt.Errorf("insights: %w: a theme of %d text cannot be split", dashboards.ErrInvalid, n)
		}
	}
	return s, nil
}

func (e *jobEditor) ApplyThemeEdits(ctx context.Context, process int64) error {
	rows, err := e.db.QueryContext(ctx, `SELECT kind, theme_id, other_id, label FROM theme_edits WHERE process_id = ? ORDER BY edit_id`, process)
	if err != nil {
		return err
	}
	type edit struct {
		kind         string
		theme, other int64
		label        string
	}
	var edits []edit
	for rows.Next() {
		var x edit
		if err := rows.Scan(&x.kind, &x.theme, &x.other, &x.label); err != nil {
			rows.Close()
			return err
		}
		edits = append(edits, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, x := range edits {
		switch x.kind {
		case dashboards.ThemeRename:
			_, err = e.db.ExecContext(ctx, `UPDATE themes SET label = ?, renamed = true WHERE process_id = ? AND theme_id = ?`, x.label, process, x.theme)
		case dashboards.ThemeMerge:
			_, err = e.db.ExecContext(ctx, `UPDATE themes SET merged_into = ? WHERE process_id = ? AND theme_id = ?`, x.other, process, x.theme)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Theme ids of seedInsights.
const (
	thRoads  = 1
	thWater  = 2
	thMerged = 3
	thTiny   = 4
	thMarket = 5
)

// seedInsights writes what the insights jobs would have found in process
// A: twelve more comments on the document's first section (as facts), four
// themes shown (roads 7 texts and 1 more merged into it, water 4, markets 2,
// footpaths 1), a campaign of four copies among the roads, and an opinion
// run on the document with two groups.
func seedInsights(t *testing.T, fx *staffwebtest.Fixture, st *stack) {
	t.Helper()
	db := st.wh.Read()
	p := fx.ProcessA
	bodies := []string{
		"The road to the market floods every rainy season", "Potholes on the main road damage our matatus",
		"Build footpaths along the highway for pupils", "Street lights on the bypass road please",
		"Please repair the roads now", "Please repair the roads now", "Please repair the roads now!", "please repair the roads now",
		"Piped water reaches our estate only twice a week", "The borehole near the school has been dry since May",
		"Water kiosks charge far too much per jerrican", "Fix the leaking water mains on Moi Avenue",
	}
	regions := []string{"001", "022", "047", "047", "022", "022", "022", "001", "047", "001", "047", "047"}
	for i, b := range bodies {
		at := webtest.Now.Add(-time.Duration(96-8*i) * time.Hour)
		execAll(t, db, `INSERT INTO comments VALUES (?, ?, ?, ?, 'section', ?, NULL, 'comment', ?, '', ?, ?, ?)`,
			int64(1_000_000+i), int64(900_001+i), p, fx.Document, fx.Sections[0], b, fmt.Sprintf("seeded-%d", i), regions[i], at)
	}
	execAll(t, db, `INSERT INTO themes VALUES
		(?, 'process', 0, 1, 1, 'road repairs', ['road', 'repair', 'pothole'], false, 0, 0, 9),
		(?, 'process', 0, 2, 1, 'water supply', ['water', 'borehole'], false, 0, 0, 6),
		(?, 'process', 0, 3, 1, 'street lights', ['light'], false, 0, 1, 1),
		(?, 'process', 0, 4, 1, 'footpaths', ['footpath'], false, 0, 0, 1),
		(?, 'process', 0, 5, 1, 'markets', ['market'], false, 0, 0, 2)`, p, p, p, p, p)
	member := func(kind string, id, theme int64, rep int) {
		execAll(t, db, `INSERT INTO theme_members VALUES (?, 'process', 0, ?, ?, 0, ?, ?, 'fit', 0)`, p, kind, id, theme, rep)
	}
	for i, theme := range []int64{thRoads, thRoads, thTiny, thMerged, thRoads, thRoads, thRoads, thRoads, thWater, thWater, thWater, thWater} {
		rep := 0
		if i == 0 || i == 1 || i == 8 {
			rep = 1 + i%2
		}
		member("comment", int64(900_001+i), theme, rep)
	}
	member("comment", fx.SectionComm, thRoads, 0)
	member("comment", fx.Comment, thMarket, 0)
	member("proposal", fx.Proposal, thMarket, 1)
	execAll(t, db, `INSERT INTO campaigns VALUES (?, 1, 'Please repair the roads now', 'comment', 900005, 0, 4, 2,
		TIMESTAMP '2026-03-07 01:30:00', TIMESTAMP '2026-03-08 01:30:00', 2, '[{"region":"022","copies":3},{"region":"001","copies":1}]', now())`, p)
	for i := range 4 {
		execAll(t, db, `INSERT INTO campaign_members VALUES (?, 1, 'comment', ?, 0, ?)`, p, int64(900_005+i), i == 0)
	}
	// Groups that only 22 of 30 seeded starts found: fragile.
	execAll(t, db, `INSERT INTO opinion_runs VALUES (1, ?, ?, 14, 13, 12, 2, 0.5, 0, now(), 30, 22, 0.64, 0.3)`, p, fx.Document)
	for i := range 14 {
		g, x, y := 0, -1.0-float64(i%4)*0.2, 0.5+float64(i%3)*0.2
		if i >= 8 {
			g, x, y = 1, 1.0+float64(i%3)*0.25, -0.4-float64(i%4)*0.15
		}
		if i == 13 {
			g, x, y = -1, 0.1, 0.05
		}
		execAll(t, db, `INSERT INTO opinion_participants VALUES (1, ?, ?, ?, ?, ?, 3, ?)`, p, fx.Document, fmt.Sprintf("pseudo-%d", i), x, y, g)
	}
	execAll(t, db, `INSERT INTO opinion_groups VALUES (1, ?, ?, 0, 8, -1.3, 0.7), (1, ?, ?, 1, 5, 1.2, -0.6)`, p, fx.Document, p, fx.Document)
	execAll(t, db, `INSERT INTO opinion_repness VALUES
		(1, ?, ?, 0, 1, 'comment', 900001, 'agree', 7, 8, 0.8, 2.0, 3.1),
		(1, ?, ?, 1, 1, 'comment', 900010, 'disagree', 3, 4, 0.7, 1.5, 2.0)`, p, fx.Document, p, fx.Document)
	execAll(t, db, `INSERT INTO opinion_consensus VALUES (1, ?, ?, 'agree', 1, 'comment', 900009, 0.92)`, p, fx.Document)
}

func execAll(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
}

// Officials rename, merge and split themes and choose how campaigns count
// through forms on the insights dashboard (CSRF token from the page); an
// analyst reads the panels but may change nothing; the public page shows
// the published panels suppressed, without forms, links or pseudonyms.
func TestInsightsEditsCountingAndPublicPage(t *testing.T) {
	var st stack
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 0, &st))
	seedInsights(t, fx, &st)
	base := fmt.Sprintf("/staff/p/%d", fx.ProcessA)
	page := base + "/dashboards/insights"

	official := fx.Client(t)
	if p := official.SignIn(fx.People["official"].Email, staffwebtest.Password, ""); p.Status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", p.Status)
	}
	p := official.Get(page)
	for _, want := range []string{"panel-themes", "panel-theme-detail", "panel-campaigns", "panel-opinion-map", `<option value="opinion-map">Opinion groups</option>`} {
		if p.Status != 200 || !p.Has(want) {
			t.Fatalf("insights page (status %d) lacks %s", p.Status, want)
		}
	}
	const fragile = "These groups are fragile: 22 of 30 starts agree on 2 groups (mean agreement 0.64); read them with care."
	if op := official.Get(page + "/panels/opinion-map"); op.Status != 200 || !op.Has(fragile) {
		t.Errorf("opinion map panel (status %d) lacks the stability line:\n%s", op.Status, op.Body)
	}
	themes := official.Get(page + "/panels/themes")
	drill := fmt.Sprintf(`hx-get="%s/panels/theme-detail?theme=%d" hx-target="#panel-theme-detail &gt; div"`, page, thRoads)
	if themes.Status != 200 || !themes.Has("road repairs") || !themes.Has(drill) || themes.Has("street lights") {
		t.Fatalf("themes panel (status %d) lacks the drill-down link or lists the merged theme:\n%s", themes.Status, themes.Body)
	}
	detail := official.Get(fmt.Sprintf("%s/panels/theme-detail?theme=%d", page, thRoads))
	for _, want := range []string{`action="` + base + `/themes/rename"`, `action="` + base + `/themes/merge"`, `action="` + base + `/themes/split"`,
		fmt.Sprintf(`<option value="%d">water supply</option>`, thWater), "The road to the market floods"} {
		if !detail.Has(want) {
			t.Fatalf("theme drill-down lacks %s:\n%s", want, detail.Body)
		}
	}

	tok := official.Token(page)
	post := func(c *staffwebtest.Client, tok, path string, form url.Values) staffwebtest.Page {
		return c.Post(base+path, tok, form)
	}
	res := post(official, tok, "/themes/rename", url.Values{"theme": {fmt.Sprint(thRoads)}, "label": {"Road safety"}, "back": {"region=047"}})
	if res.Status != http.StatusSeeOther || res.Location() != fmt.Sprintf("%s?region=047&theme=%d", page, thRoads) {
		t.Fatalf("rename: %d → %q %s", res.Status, res.Location(), res.Body)
	}
	if !official.Get(page + "/panels/themes").Has("Road safety") {
		t.Error("the renamed theme keeps its old label")
	}
	var staffID int64
	if err := st.wh.Read().QueryRow(`SELECT staff_id FROM theme_edits WHERE kind = 'rename' AND theme_id = ?`, thRoads).Scan(&staffID); err != nil || staffID != fx.People["official"].ID {
		t.Errorf("the edit is recorded for staff %d (%v), want the official %d", staffID, err, fx.People["official"].ID)
	}
	for _, c := range []struct {
		name, path string
		form       url.Values
		want       int
		says       string
	}{
		{"empty label", "/themes/rename", url.Values{"theme": {fmt.Sprint(thRoads)}, "label": {"   "}}, 422, "a theme needs a name"},
		{"label too long", "/themes/rename", url.Values{"theme": {fmt.Sprint(thRoads)}, "label": {strings.Repeat("x", 81)}}, 422, "at most 80"},
		{"unknown theme", "/themes/rename", url.Values{"theme": {"99"}, "label": {"x"}}, 404, ""},
		{"no theme", "/themes/split", url.Values{}, 422, "Choose a theme"},
		{"merge into itself", "/themes/merge", url.Values{"theme": {"2"}, "into": {"2"}}, 422, "into itself"},
		{"merge into unknown", "/themes/merge", url.Values{"theme": {"2"}, "into": {"99"}}, 422, "same list"},
		{"edit a merged theme", "/themes/rename", url.Values{"theme": {fmt.Sprint(thMerged)}, "label": {"x"}}, 422, "was merged into theme 1"},
		{"split refused by the job", "/themes/split", url.Values{"theme": {fmt.Sprint(thTiny)}}, 422, "cannot be split"},
		{"counting without a choice", "/campaign-counting", url.Values{"count_once": {"maybe"}}, 422, "how campaigns count"},
	} {
		res := post(official, tok, c.path, c.form)
		if res.Status != c.want || !strings.Contains(res.Body, c.says) {
			t.Errorf("%s: %d %q, want %d saying %q", c.name, res.Status, strings.TrimSpace(res.Body), c.want, c.says)
		}
	}
	if res := post(official, "", "/themes/split", url.Values{"theme": {fmt.Sprint(thWater)}}); res.Status != http.StatusForbidden {
		t.Errorf("split without a CSRF token: %d", res.Status)
	}
	res = post(official, tok, "/themes/merge", url.Values{"theme": {fmt.Sprint(thTiny)}, "into": {fmt.Sprint(thWater)}})
	if res.Status != http.StatusSeeOther || !strings.HasSuffix(res.Location(), fmt.Sprintf("?theme=%d", thWater)) {
		t.Fatalf("merge: %d → %q %s", res.Status, res.Location(), res.Body)
	}
	if official.Get(page + "/panels/themes").Has("footpaths") {
		t.Error("the merged theme is still listed")
	}
	if res := post(official, tok, "/themes/split", url.Values{"theme": {fmt.Sprint(thWater)}}); res.Status != http.StatusSeeOther {
		t.Errorf("split: %d %s", res.Status, res.Body)
	}

	// Count-once: road safety holds 7 texts and the merged theme's 1; three
	// of them are copies of the campaign's template.
	if !official.Get(page + "/panels/themes").Has("<td>8</td>") {
		t.Errorf("road safety should count 8 texts:\n%s", official.Get(page+"/panels/themes").Body)
	}
	camp := official.Get(page + "/panels/campaigns")
	if !camp.Has(`action="`+base+`/campaign-counting"`) || !camp.Has(`value="0" checked`) || !camp.Has("Please repair the roads now") {
		t.Fatalf("campaigns panel:\n%s", camp.Body)
	}
	if res := post(official, tok, "/campaign-counting", url.Values{"count_once": {"1"}}); res.Status != http.StatusSeeOther || res.Location() != page {
		t.Fatalf("count once: %d → %q", res.Status, res.Location())
	}
	if th := official.Get(page + "/panels/themes"); !th.Has("<td>5</td>") || th.Has("<td>8</td>") || !th.Has("Campaigns count once") {
		t.Errorf("themes counting campaigns once:\n%s", th.Body)
	}
	if !official.Get(page + "/panels/campaigns").Has(`value="1" checked`) {
		t.Error("the campaigns form does not show count-once as chosen")
	}

	analyst := fx.Client(t)
	analyst.SignIn(fx.People["analyst"].Email, staffwebtest.Password, "")
	if p := analyst.Get(page + "/panels/themes"); p.Status != 200 || !p.Has("Road safety") {
		t.Errorf("analyst reads the themes panel: %d", p.Status)
	}
	atok := analyst.Token(page)
	for _, c := range []struct {
		path string
		form url.Values
	}{
		{"/themes/rename", url.Values{"theme": {fmt.Sprint(thRoads)}, "label": {"Mine"}}},
		{"/themes/merge", url.Values{"theme": {fmt.Sprint(thWater)}, "into": {fmt.Sprint(thRoads)}}},
		{"/themes/split", url.Values{"theme": {fmt.Sprint(thWater)}}},
		{"/campaign-counting", url.Values{"count_once": {"0"}}},
	} {
		if res := post(analyst, atok, c.path, c.form); res.Status != http.StatusForbidden {
			t.Errorf("analyst %s: %d, want 403", c.path, res.Status)
		}
	}

	// The public page.
	for _, name := range []string{"themes", "campaigns", "opinion-map"} {
		if res := post(official, tok, "/publish", url.Values{"panel": {name}, "publish": {"1"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("publish %s: %d %s", name, res.Status, res.Body)
		}
	}
	anon := fx.Client(t)
	if pub := anon.Get(fmt.Sprintf("/results/%d", fx.ProcessA)); pub.Status != 200 || !pub.Has("panel-opinion-map") || !pub.Has("panel-themes") {
		t.Fatalf("public results page: %d", pub.Status)
	}
	for _, name := range []string{"themes", "campaigns", "opinion-map"} {
		pub := anon.Get(fmt.Sprintf("/results/%d/panels/%s", fx.ProcessA, name))
		if pub.Status != 200 || !pub.Has("&lt;5") {
			t.Errorf("public %s: %d, no suppressed cell:\n%s", name, pub.Status, pub.Body)
		}
		for _, leak := range []string{"csrf_token", "hx-get", "pseudo-", "seeded-", "<td>1</td>", "<td>2</td>", "<td>3</td>", "<td>4</td>"} {
			if pub.Has(leak) {
				t.Errorf("public %s shows %q:\n%s", name, leak, pub.Body)
			}
		}
	}
	op := anon.Get(fmt.Sprintf("/results/%d/panels/opinion-map", fx.ProcessA))
	if !op.Has("Group A: what sets it apart") || !op.Has("The road to the market floods") || !op.Has(`class="chart"`) || !op.Has(fragile) {
		t.Errorf("public opinion map lacks the groups' comments or the map:\n%s", op.Body)
	}
}
