package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/internal/browsertest"
)

// asMainEnv makes the test binary run this package's main: a subprocess of
// it with CIVICPULSE_TEST_AS_MAIN=1 and arguments "serve …" is the
// civicpulse binary itself, so the journey tests the real command line
// without a second build.
const asMainEnv = "CIVICPULSE_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// civicpulseCmd is `civicpulse args…` on the data folder dir, with SQLite
// (no DATABASE_URL) and no configuration from the caller's environment.
func civicpulseCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DATABASE_URL=") && !strings.HasPrefix(kv, "CIVICPULSE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, asMainEnv+"=1", "CIVICPULSE_DATA="+dir)
	return cmd
}

// startServe runs `civicpulse serve` on a free port with its whole wiring
// (store, River job queue, ingester, staff area, workspace) and waits until
// it answers. Its log goes to serve.log in dir and is shown if the test
// fails; it gets SIGTERM when the test ends.
// createAdmin makes an administrator with `civicpulse admin create`, as the
// README says, the password read from the file the environment names.
func createAdmin(t *testing.T, dir, email, password string) {
	t.Helper()
	pwFile := filepath.Join(dir, "admin-password")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := civicpulseCmd(dir, "admin", "create", "--email", email, "--role", "admin")
	cmd.Env = append(cmd.Env, "CIVICPULSE_ADMIN_PASSWORD_FILE="+pwFile)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("civicpulse admin create: %v\n%s", err, out)
	}
}

func startServe(t *testing.T, dir string, extra ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logPath := filepath.Join(dir, "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := civicpulseCmd(dir, append([]string{"serve", "--addr", addr}, extra...)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); logFile.Close() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("serve log (last 6000 bytes):\n%s", tail(b, 6000))
		}
	})
	url := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-done:
			b, _ := os.ReadFile(logPath)
			t.Fatalf("civicpulse serve exited before answering (%v):\n%s", err, tail(b, 4000))
		default:
		}
		if resp, err := http.Get(url + "/staff/sign-in"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("civicpulse serve did not answer on %s within 60 s", url)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// tab is one person's browser: its own browser context (cookies), so the
// admin, the official and the citizen never share a session.
type tab struct {
	t    *testing.T
	who  string
	ctx  context.Context
	base string
	step string // what the person is doing, for the failure message
	// prefix names the screenshots (default "journey").
	prefix string
}

func newTab(t *testing.T, browser context.Context, who, base string) *tab {
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("%s: no browser tab: %v", who, err)
	}
	return &tab{t: t, who: who, ctx: ctx, base: base}
}

// stepTimeout bounds each browser action, so that a broken page fails its
// step with a screenshot instead of hanging until the test's deadline.
const stepTimeout = 20 * time.Second

func (b *tab) bounded() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// fail ends the test at the current step, with a screenshot of the page
// (testdata/artifacts/journey-FAILED-….png), its address and its text.
func (b *tab) fail(format string, args ...any) {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + (document.body ? document.body.innerText.slice(0, 3000) : "")`))
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		browsertest.Artifact(b.t, "journey-FAILED-"+b.who+".png", png)
	}
	b.t.Fatalf("%s, step %q: %s\npage: %s", b.who, b.step, msg, where)
}

// open loads a page and wants 200.
func (b *tab) open(path string) {
	b.t.Helper()
	ctx, cancel := b.bounded()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.fail("open %s: %v", path, err)
	}
	if resp.Status != http.StatusOK {
		b.fail("open %s: status %d", path, resp.Status)
	}
}

// fill sets the named fields of the form (a CSS selector) as a person
// typing and ticking would: text fields and selects take the value,
// checkboxes and radios are ticked when their value is listed (a bool
// ticks a lone checkbox). Every field must exist.
func (b *tab) fill(form string, values map[string]any) {
	b.t.Helper()
	js, err := json.Marshal(values)
	if err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := b.bounded()
	defer cancel()
	missing, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
	const form = document.querySelector(%q);
	if (!form) return "no form " + %q;
	const values = %s;
	for (const [name, v] of Object.entries(values)) {
		const el = form.elements.namedItem(name);
		if (!el) return "no field " + name;
		const list = (el instanceof RadioNodeList) ? [...el] : [el];
		for (const e of list) {
			if (e.type === "checkbox" || e.type === "radio") {
				e.checked = typeof v === "boolean" ? v : [].concat(v).map(String).includes(e.value);
			} else {
				e.value = String(v);
			}
			e.dispatchEvent(new Event("input", {bubbles: true}));
			e.dispatchEvent(new Event("change", {bubbles: true}));
		}
	}
	return "";
})()`, form, form, js)))
	if err != nil || missing != "" {
		b.fail("fill %s: %s %v", form, missing, err)
	}
}

// submit clicks the form's submit button and waits for the page the post
// lands on (after its redirect); it wants that page to answer 200.
func (b *tab) submit(form string) {
	b.t.Helper()
	ctx, cancel := b.bounded()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(form+` button[type=submit]`)))
	if err != nil {
		b.fail("submit %s: %v", form, err)
	}
	if resp.Status != http.StatusOK {
		b.fail("submit %s: the answer is %d, not 200", form, resp.Status)
	}
}

// clickAndWait clicks a button whose form htmx posts in place (no page
// load) and polls until the script is true.
func (b *tab) clickAndWait(button, until string) {
	b.t.Helper()
	ctx, cancel := b.bounded()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(button))); err != nil {
		b.fail("click %s: %v", button, err)
	}
	b.waitFor(until, 10*time.Second)
}

// upload sets a file input to a file of testdata/journey.
func (b *tab) upload(input, file string) {
	b.t.Helper()
	abs, err := filepath.Abs(filepath.Join("testdata", "journey", file))
	if err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := b.bounded()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(input), []string{abs})); err != nil {
		b.fail("upload %s into %s: %v", file, input, err)
	}
}

// eval runs a script on the page and returns its string result.
func (b *tab) eval(js string) string {
	b.t.Helper()
	ctx, cancel := b.bounded()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.fail("script %s: %v", js, err)
	}
	return s
}

func (b *tab) location() string { return b.eval(`location.pathname + location.search`) }

// text is the visible text of the page's main part.
func (b *tab) text() string {
	return b.eval(`(document.querySelector("main") || document.body).innerText`)
}

// has wants every one of the texts on the page.
func (b *tab) has(texts ...string) {
	b.t.Helper()
	body := b.text()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			b.fail("the page does not show %q", s)
		}
	}
}

// waitFor polls a script until it is true, within d.
func (b *tab) waitFor(js string, d time.Duration) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, d+5*time.Second)
	defer cancel()
	ok, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(d), chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil || !ok {
		b.fail("waited %s for %s: %v", d, js, err)
	}
}

// Screenshot viewports: a phone (375×812) and a desktop (1280×900).
var viewports = []struct {
	name string
	w, h int64
}{{"phone", 375, 812}, {"desktop", 1280, 900}}

// shot saves the page at phone and desktop width as
// testdata/artifacts/journey-NN-name-{phone,desktop}.png (the module's
// artefact folder, git-ignored) and leaves the tab at desktop width.
func (b *tab) shot(n int, name string) {
	b.t.Helper()
	for _, vp := range viewports {
		ctx, cancel := b.bounded()
		png, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
			if _, err := chromedp.EmulateViewport(vp.w, vp.h)(ctx, tg); err != nil {
				return nil, err
			}
			return chromedp.FullScreenshot(100)(ctx, tg)
		})
		cancel()
		if err != nil {
			b.fail("screenshot %s at %s: %v", name, vp.name, err)
		}
		prefix := b.prefix
		if prefix == "" {
			prefix = "journey"
		}
		browsertest.Artifact(b.t, fmt.Sprintf("%s-%02d-%s-%s.png", prefix, n, name, vp.name), png)
	}
	// Overflow sideways at phone width is the commonest break; name it.
	ctx, cancel := b.bounded()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 812)); err != nil {
		b.fail("phone viewport: %v", err)
	}
	wide, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		b.fail("desktop viewport: %v", err)
	}
	if wide > 375+1 {
		b.t.Errorf("%s: %s is %d px wide at phone width (375): it scrolls sideways", b.who, name, wide)
	}
}

// sw holds the Kiswahili of every English content field the official
// writes, keyed by the English text the translations page shows beside
// each field.
var sw = map[string]string{
	"Draft ward budget policy 2027":                                      "Rasimu ya sera ya bajeti ya kata 2027",
	"Public finance":                                                     "Fedha za umma",
	"Western wards budget 2027":                                          "Bajeti ya kata za magharibi 2027",
	"Tell the county how to spend the ward development fund.":            "Iambie kaunti jinsi ya kutumia mfuko wa maendeleo wa kata.",
	"Choose the projects the ward development fund pays for in 2027.":    "Kuchagua miradi ambayo mfuko wa maendeleo wa kata utagharamia mwaka 2027.",
	"A ranked list of projects that the county assembly votes on.":       "Orodha ya miradi kwa mpangilio wa kipaumbele ambayo bunge la kaunti litaipigia kura.",
	"The county publishes its decision on each proposal within 30 days.": "Kaunti itachapisha uamuzi wake kuhusu kila pendekezo ndani ya siku 30.",
	"Ideas and comments":                                                 "Mawazo na maoni",
	"Propose projects, comment on the draft and answer the survey.":      "Pendekeza miradi, toa maoni kuhusu rasimu na ujibu utafiti.",
	"Survey week":                               "Wiki ya utafiti",
	"Only the survey stays open.":               "Utafiti pekee ndio unabaki wazi.",
	"Project ideas":                             "Mawazo ya miradi",
	"Propose a project for your ward.":          "Pendekeza mradi kwa ajili ya kata yako.",
	"Draft budget policy":                       "Rasimu ya sera ya bajeti",
	"Comment on the draft, section by section.": "Toa maoni kuhusu rasimu, sehemu kwa sehemu.",
	"Roads": "Barabara",
	"Every ward gets at least two kilometres of graded road.": "Kila kata itapata angalau kilomita mbili za barabara iliyosawazishwa.",
	"Water":                                 "Maji",
	"Boreholes come before new offices.":    "Visima vinatangulia ofisi mpya.",
	"Priorities survey":                     "Utafiti wa vipaumbele",
	"Four questions, five minutes.":         "Maswali manne, dakika tano.",
	"Which sector matters most to you?":     "Ni sekta gani iliyo muhimu zaidi kwako?",
	"Health":                                "Afya",
	"Which services do you use every week?": "Ni huduma zipi unazotumia kila wiki?",
	"Choose up to two.":                     "Chagua hadi mbili.",
	"Market":                                "Soko",
	"Clinic":                                "Zahanati",
	"School":                                "Shule",
	"The county listens to residents.":      "Kaunti inawasikiliza wakazi.",
	"What else should the county know?":     "Ni jambo gani lingine ambalo kaunti inapaswa kujua?",
}

// fillTranslations writes the Kiswahili of every field on the translations
// page; a field whose English it does not know fails the step, so a new
// content field shows up here.
func (b *tab) fillTranslations() {
	b.t.Helper()
	js, _ := json.Marshal(sw)
	missing := b.eval(fmt.Sprintf(`(() => {
	const sw = %s; const unknown = [];
	for (const field of document.querySelectorAll("main form .field")) {
		const base = field.querySelector(".ws-base"), area = field.querySelector("textarea");
		if (!base || !area) continue;
		const en = base.innerText.trim();
		if (!(en in sw)) { unknown.push(en); continue; }
		area.value = sw[en];
	}
	return unknown.join(" | ");
})()`, js))
	if missing != "" {
		b.fail("no Kiswahili for: %s", missing)
	}
}

// countCSPViolations makes every page the tab opens from now on count the
// Content-Security-Policy violations it reports (window.__csp), from before
// its first script runs.
func (b *tab) countCSPViolations() {
	b.t.Helper()
	const js = `window.__csp = []; document.addEventListener("securitypolicyviolation",
		e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || "")));`
	ctx, cancel := b.bounded()
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: js})
		return err
	}))
	if err != nil {
		b.fail("count CSP violations: %v", err)
	}
}

// hoverCharts moves the mouse across every drawn chart of the page, so
// that their tooltips show.
func (b *tab) hoverCharts() {
	b.t.Helper()
	b.waitFor(`[...document.querySelectorAll(".chart[data-option]")].every(el => el.querySelector("canvas"))`, 20*time.Second)
	n, _ := strconv.Atoi(b.eval(`String(document.querySelectorAll(".chart[data-option]").length)`))
	for i := 0; i < n; i++ {
		box := b.eval(fmt.Sprintf(`(() => { const el = document.querySelectorAll(".chart[data-option]")[%d]; el.scrollIntoView({block: "center"});
			const r = el.getBoundingClientRect(); return JSON.stringify([r.left, r.top, r.width, r.height]); })()`, i))
		var r [4]float64
		if err := json.Unmarshal([]byte(box), &r); err != nil {
			b.fail("chart box: %v", err)
		}
		ctx, cancel := b.bounded()
		for _, f := range []float64{0.3, 0.5, 0.7} {
			if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, r[0]+f*r[2], r[1]+f*r[3])); err != nil {
				cancel()
				b.fail("hover chart %d: %v", i, err)
			}
			time.Sleep(150 * time.Millisecond)
		}
		cancel()
	}
}
