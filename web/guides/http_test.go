package guides

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
	"github.com/civicpulse/civicpulse/web/workspace"
)

type fixture struct {
	*staffwebtest.Fixture
	g *Guides
}

// newFixture serves the site with the staff area, the workspace and the
// guides, as serve does.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	fx := &fixture{}
	fx.Fixture = staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), func(f *staffwebtest.Fixture) func(*mux.Router, web.Registrar) {
		ws, err := workspace.New(workspace.Config{Store: f.Store, Audit: f.Staff, Guard: f.Area.Guard, AssetURL: f.Server.AssetURL})
		if err != nil {
			t.Fatal(err)
		}
		ws.Attach(f.Server, f.Area)
		if fx.g, err = New(Options{}); err != nil {
			t.Fatal(err)
		}
		fx.g.Attach(f.Server)
		return func(*mux.Router, web.Registrar) {}
	})
	return fx
}

func (fx *fixture) signedIn(t *testing.T, who string) *staffwebtest.Client {
	t.Helper()
	c := fx.Client(t)
	if p := c.SignIn(fx.People[who].Email, staffwebtest.Password, ""); p.Status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", who, p.Status)
	}
	return c
}

var (
	h1RE   = regexp.MustCompile(`<h1>([^<]*)</h1>`)
	tocRE  = regexp.MustCompile(`<nav class="toc"[^>]*>.*?</nav>`)
	langRE = regexp.MustCompile(`<html lang="([a-z]+)"`)
)

// wantPage checks that p is slug's page in lang: its title, its table of
// contents with every "##" heading, its stylesheet and no catalogue key.
func (fx *fixture) wantPage(t *testing.T, p staffwebtest.Page, lang string, a Audience, slug string) {
	t.Helper()
	where := fmt.Sprintf("%s %s/%s", lang, a, slug)
	if p.Status != http.StatusOK {
		t.Fatalf("%s: %d\n%s", where, p.Status, p.Body)
	}
	pg := fx.g.pages[pageKey{lang, a, slug}]
	if m := langRE.FindStringSubmatch(p.Body); m == nil || m[1] != lang {
		t.Errorf("%s: page language %v", where, m)
	}
	if m := h1RE.FindStringSubmatch(p.Body); m == nil || html.UnescapeString(m[1]) != pg.Title {
		t.Errorf("%s: title %v, want %q", where, m, pg.Title)
	}
	toc := tocRE.FindString(strings.ReplaceAll(p.Body, "\n", " "))
	for _, h := range pg.TOC {
		if !strings.Contains(toc, `href="#`+h.ID+`"`) || !strings.Contains(p.Body, `id="`+h.ID+`"`) {
			t.Errorf("%s: the table of contents or the page lacks #%s", where, h.ID)
		}
	}
	if len(pg.TOC) < 2 {
		t.Errorf("%s: only %d sections", where, len(pg.TOC))
	}
	if !strings.Contains(p.Body, `href="/static/`) || !strings.Contains(p.Body, "app.css") {
		t.Errorf("%s: not in the site's layout (no stylesheet)", where)
	}
	if m := regexp.MustCompile(`>[^<]*\b((?:guide|manual|nav|lang|site)\.[a-z_]+)\b`).FindStringSubmatch(p.Body); m != nil {
		t.Errorf("%s: shows the catalogue key %q", where, m[1])
	}
	if got := p.Header.Get("Content-Language"); got != lang {
		t.Errorf("%s: Content-Language %q", where, got)
	}
}

// TestGuidePagesOverHTTP opens every page of both audiences in English and
// Kiswahili over a real server: the citizens' guide for anyone, the manual
// for a signed-in staff member of the least role.
func TestGuidePagesOverHTTP(t *testing.T) {
	fx := newFixture(t)
	anon := fx.Client(t)
	staff := fx.signedIn(t, "analyst")
	for _, lang := range []string{"en", "sw"} {
		for _, a := range Audiences {
			c := anon
			if a == Staff {
				c = staff
			}
			for _, slug := range fx.g.Slugs(lang, a) {
				path := a.Base() + "/" + slug
				if slug == Index {
					path = a.Base()
				}
				p := c.Get(path + "?lang=" + lang)
				fx.wantPage(t, p, lang, a, slug)
				// The menu lists the audience's other pages, in this language.
				for _, other := range wantPages[a] {
					if other != slug && other != Index && !strings.Contains(p.Body, `href="`+a.Base()+"/"+other+`"`) {
						t.Errorf("%s %s: the menu lacks %s", lang, path, other)
					}
				}
			}
		}
	}
}

// TestManualNeedsStaffSignIn: an anonymous visitor or a citizen is sent to
// the staff sign-in page and comes back to the page after signing in.
func TestManualNeedsStaffSignIn(t *testing.T) {
	fx := newFixture(t)
	for _, path := range []string{"/staff/manual", "/staff/manual/moderation", "/staff/manual/no-such-page"} {
		c := fx.Client(t)
		p := c.Get(path)
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/staff/sign-in") {
			t.Fatalf("anonymous %s: %d to %q", path, p.Status, p.Location())
		}
		if strings.Contains(p.Body, "<h1>") || strings.Contains(p.Body, "Officials") {
			t.Errorf("anonymous %s: the answer shows the manual", path)
		}
		c.Bearer = fx.Citizen // a citizen's credential is no staff session
		if p := c.Get(path); p.Status != http.StatusSeeOther {
			t.Errorf("citizen %s: %d", path, p.Status)
		}
	}
	c := fx.Client(t)
	p := c.Get("/staff/manual/moderation")
	if want := "/staff/sign-in?next=%2Fstaff%2Fmanual%2Fmoderation"; p.Location() != want {
		t.Errorf("sign-in link %q, want %q", p.Location(), want)
	}
	for _, who := range []string{"analyst", "moderator", "official", "admin"} {
		if p := fx.signedIn(t, who).Get("/staff/manual/moderation"); p.Status != http.StatusOK {
			t.Errorf("%s: %d", who, p.Status)
		}
	}
	// The citizens' guide needs nobody.
	if p := fx.Client(t).Get("/guide/your-data"); p.Status != http.StatusOK {
		t.Errorf("/guide/your-data: %d", p.Status)
	}
}

// TestUnknownPageIsNotFoundInTheReadersLanguage: an unknown slug is a 404
// page in the language asked for by ?lang=, the cookie or Accept-Language,
// listing the pages that do exist.
func TestUnknownPageIsNotFoundInTheReadersLanguage(t *testing.T) {
	fx := newFixture(t)
	want := func(p staffwebtest.Page, lang, title string, a Audience) {
		t.Helper()
		if p.Status != http.StatusNotFound {
			t.Fatalf("status %d", p.Status)
		}
		if m := langRE.FindStringSubmatch(p.Body); m == nil || m[1] != lang {
			t.Errorf("404 page language %v, want %s", m, lang)
		}
		if !strings.Contains(p.Body, "<h1>"+html.EscapeString(title)+"</h1>") {
			t.Errorf("404 page lacks %q:\n%s", title, p.Body)
		}
		if !strings.Contains(p.Body, `href="`+a.Base()+`/your-data"`) && !strings.Contains(p.Body, `href="`+a.Base()+`/moderation"`) {
			t.Errorf("404 page does not list the pages")
		}
	}
	sw := fx.g.i18n.For("sw")
	en := fx.g.i18n.For("en")
	if sw.T("guide.not_found") == en.T("guide.not_found") {
		t.Fatal("the Kiswahili 404 title is the English one")
	}
	// Accept-Language alone.
	req, _ := http.NewRequest(http.MethodGet, fx.URL+"/guide/no-such-page", nil)
	req.Header.Set("Accept-Language", "sw-KE,sw;q=0.9,en;q=0.5")
	want(fx.Client(t).Do(req), "sw", sw.T("guide.not_found"), Citizens)
	// ?lang= then the cookie it leaves.
	c := fx.Client(t)
	want(c.Get("/guide/hakuna?lang=sw"), "sw", sw.T("guide.not_found"), Citizens)
	want(c.Get("/guide/still-nothing"), "sw", sw.T("guide.not_found"), Citizens)
	fx.wantPage(t, c.Get("/guide/your-data"), "sw", Citizens, "your-data")
	want(c.Get("/guide/none?lang=en"), "en", en.T("guide.not_found"), Citizens)
	// The manual, for staff.
	st := fx.signedIn(t, "moderator")
	want(st.Get("/staff/manual/no-such-page?lang=sw"), "sw", sw.T("guide.not_found"), Staff)
	// A slug the route does not accept is the site's own 404.
	if p := fx.Client(t).Get("/guide/Not_A_Slug"); p.Status != http.StatusNotFound {
		t.Errorf("/guide/Not_A_Slug: %d", p.Status)
	}
}

// TestHelpLinksOpenTheirPage follows the "?" of workspace pages and the
// guide links of citizen pages on the running site.
func TestHelpLinksOpenTheirPage(t *testing.T) {
	fx := newFixture(t)
	official := fx.signedIn(t, "official")
	P := fmt.Sprintf("/staff/processes/%d", fx.ProcessA)
	linkRE := regexp.MustCompile(`class="help-link" href="(/staff/manual/[^"]+)"`)
	seen := 0
	for _, page := range []string{P + "/setup", P + "/strategy", P + "/participation", P + "/regions", P + "/phases",
		P + "/moderation", P + "/questions", P + "/inquiries", P + "/criteria", P + "/assessment", "/staff/processes/new",
		P + "/translations/sw", fmt.Sprintf("%s/components/%d", P, fx.Proposals)} {
		for _, lang := range []string{"en", "sw"} {
			p := official.Get(page + "?lang=" + lang)
			if p.Status != http.StatusOK {
				t.Fatalf("%s: %d", page, p.Status)
			}
			links := linkRE.FindAllStringSubmatch(p.Body, -1)
			if len(links) == 0 {
				t.Errorf("%s: no \"?\" link", page)
			}
			if !strings.Contains(p.Body, `href="/staff/manual"`) {
				t.Errorf("%s: the menu does not link the manual", page)
			}
			for _, m := range links {
				seen++
				target, anchor, _ := strings.Cut(html.UnescapeString(m[1]), "#")
				got := official.Get(target)
				if got.Status != http.StatusOK || (anchor != "" && !strings.Contains(got.Body, `id="`+anchor+`"`)) {
					t.Errorf("%s → %s: %d, anchor #%s found: %v", page, m[1], got.Status, anchor, strings.Contains(got.Body, `id="`+anchor+`"`))
				}
				if !strings.Contains(got.Body, `<html lang="`+lang+`"`) {
					t.Errorf("%s → %s: not in %s", page, m[1], lang)
				}
			}
		}
	}
	if seen < 20 {
		t.Errorf("followed only %d \"?\" links", seen)
	}
	if p := official.Get("/staff"); !strings.Contains(p.Body, `href="/staff/manual"`) {
		t.Errorf("the staff home does not link the manual")
	}
	anon := fx.Client(t)
	slug := fx.Open.Slug
	for page, guide := range map[string]string{
		"/p/" + slug: "/guide",
		fmt.Sprintf("/p/%s/c/%d/new", slug, fx.Proposals): "/guide/make-a-proposal",
		fmt.Sprintf("/p/%s/c/%d", slug, fx.Document):      "/guide/comment-on-a-section",
		fmt.Sprintf("/p/%s/c/%d", slug, fx.Survey):        "/guide/answer-a-survey",
	} {
		p := anon.Get(page + "?lang=sw")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, `href="`+guide+`"`) {
			t.Errorf("%s: %d, links %s: %v", page, p.Status, guide, strings.Contains(p.Body, `href="`+guide+`"`))
			continue
		}
		if g := anon.Get(guide); g.Status != http.StatusOK || !strings.Contains(g.Body, `<html lang="sw"`) {
			t.Errorf("%s → %s: %d", page, guide, g.Status)
		}
	}
}
