package dashweb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// auditOf returns the one audit entry of action on process, with its
// before and after decoded.
func auditOf(t *testing.T, fx *staffwebtest.Fixture, process int64, action string) (staff.Record, map[string]any, map[string]any) {
	t.Helper()
	recs, _, err := fx.Staff.ListAudit(context.Background(), staff.AuditFilter{ProcessID: process, Action: action})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("%d audit entries of %s, want 1", len(recs), action)
	}
	decode := func(raw json.RawMessage) map[string]any {
		m := map[string]any{}
		if len(raw) > 0 && string(raw) != "null" && raw[0] == '{' {
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatalf("%s: %v in %s", action, err, raw)
			}
		}
		return m
	}
	return recs[0], decode(recs[0].Before), decode(recs[0].After)
}

// Officials' decisions made through the dashboards' forms are store writes:
// the store holds them (with the official's id), the audit log has each
// with its before and after, and the page the official lands on shows them
// from the warehouse (form → store → outbox → ingest → warehouse → page).
// The delete-rule form works without JavaScript; a rule already gone, a
// form without a rule, another process's official and an analyst are
// refused.
func TestDecisionsThroughTheForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		var st stack
		fx := staffwebtest.New(t, b.URL, fullStack(t, 0, &st))
		seedInsights(t, fx, &st)
		p := fx.ProcessA
		base := fmt.Sprintf("/staff/p/%d", p)
		monitor := base + "/dashboards/monitor"
		officialID := fx.People["official"].ID

		official := fx.Client(t)
		official.SetCookie("cp_staff", fx.SignIn(t, "official").Token)
		tok := official.Token(monitor)
		if page := official.Get(monitor); !page.Has(">No alert rule yet.<") {
			t.Fatalf("monitor lists rules before any was set:\n%s", page.Body)
		}

		// An alert rule.
		if res := official.Post(base+"/alerts", tok, url.Values{"kind": {"inputs_below"}, "threshold": {"40"}, "window_hours": {"12"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("add alert: %d %s", res.Status, res.Body)
		}
		rules, err := fx.Store.AlertRules(ctx, p)
		if err != nil || len(rules) != 1 || rules[0].Threshold != 40 || rules[0].WindowHours != 12 || rules[0].StaffID != officialID {
			t.Fatalf("store's rules = %+v, %v", rules, err)
		}
		rule := rules[0].ID
		rec, before, after := auditOf(t, fx, p, "alert_rule.add")
		if rec.ActorID != officialID || rec.Target != fmt.Sprintf("alert_rule:%d", rule) || len(before) != 0 ||
			after["threshold"] != 40.0 || after["window_hours"] != 12.0 || after["kind"] != "inputs_below" {
			t.Errorf("audit of the rule: %+v before %v after %v", rec, before, after)
		}
		page := official.Get(monitor)
		delForm := fmt.Sprintf(`<form method="post" action="%s/alerts/delete">`, base)
		if !page.Has(delForm) || !page.Has(fmt.Sprintf(`name="rule" value="%d"`, rule)) || !page.Has("Fewer than 40 inputs in 12 hours") ||
			!page.Has(`name="csrf_token"`) {
			t.Errorf("the monitor does not list the rule with its delete form:\n%s", page.Body)
		}
		// In Kiswahili (another browser: ?lang= sticks as a cookie).
		swc := fx.Client(t)
		swc.SetCookie("cp_staff", fx.SignIn(t, "official").Token)
		if sw := swc.Get(monitor + "?lang=sw"); !sw.Has("Michango chini ya 40 katika saa 12") || !sw.Has(">Futa</button>") {
			t.Errorf("the rule in Kiswahili:\n%s", sw.Body)
		}

		// A panel published, then withdrawn.
		if res := official.Post(base+"/publish", tok, url.Values{"panel": {"inputs"}, "publish": {"1"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", res.Status, res.Body)
		}
		if pubs, err := fx.Store.PublishedPanels(ctx, p); err != nil || len(pubs) != 1 || pubs[0].Panel != "inputs" {
			t.Errorf("store's panels = %+v, %v", pubs, err)
		}
		if pub := fx.Client(t).Get(fmt.Sprintf("/results/%d", p)); pub.Status != 200 || !pub.Has("panel-inputs") {
			t.Errorf("the published panel is not on the public page: %d", pub.Status)
		}
		_, before, after = auditOf(t, fx, p, "panel.publish")
		if before["published"] != false || after["published"] != true || after["panel"] != "inputs" {
			t.Errorf("audit of publish: before %v after %v", before, after)
		}
		if res := official.Post(base+"/publish", tok, url.Values{"panel": {"inputs"}, "publish": {"0"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("withdraw: %d %s", res.Status, res.Body)
		}
		if pubs, _ := fx.Store.PublishedPanels(ctx, p); len(pubs) != 0 {
			t.Errorf("withdrawn panel still in the store: %+v", pubs)
		}
		if pub := fx.Client(t).Get(fmt.Sprintf("/results/%d/panels/inputs", p)); pub.Status != http.StatusNotFound {
			t.Errorf("a withdrawn panel answers %d on the public page", pub.Status)
		}
		if _, before, after = auditOf(t, fx, p, "panel.unpublish"); before["published"] != true || after["published"] != false {
			t.Errorf("audit of withdraw: before %v after %v", before, after)
		}

		// A theme renamed and the campaign counting switched.
		insights := base + "/dashboards/insights"
		if res := official.Post(base+"/themes/rename", tok, url.Values{"theme": {fmt.Sprint(thWater)}, "label": {"Clean water"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("rename: %d %s", res.Status, res.Body)
		}
		edits, err := fx.Store.ThemeEdits(ctx, p)
		if err != nil || len(edits) != 1 || edits[0].Label != "Clean water" || edits[0].ThemeID != thWater || edits[0].StaffID != officialID {
			t.Errorf("store's theme edits = %+v, %v", edits, err)
		}
		if !official.Get(insights + "/panels/themes").Has("Clean water") {
			t.Error("the renamed theme is not shown under its new name")
		}
		rec, _, after = auditOf(t, fx, p, "theme.rename")
		var was []map[string]any
		if err := json.Unmarshal(rec.Before, &was); err != nil || len(was) != 1 || was[0]["label"] != "water supply" ||
			after["label"] != "Clean water" || after["theme_id"] != float64(thWater) {
			t.Errorf("audit of the rename: before %s (%v) after %v", rec.Before, err, after)
		}
		if res := official.Post(base+"/campaign-counting", tok, url.Values{"count_once": {"1"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("counting: %d %s", res.Status, res.Body)
		}
		if c, err := fx.Store.CampaignCounting(ctx, p); err != nil || !c.CountOnce {
			t.Errorf("store's counting = %+v, %v", c, err)
		}
		if _, before, after = auditOf(t, fx, p, "campaign_counting.set"); before["count_once"] != false || after["count_once"] != true {
			t.Errorf("audit of the counting: before %v after %v", before, after)
		}
		var once bool
		if err := st.wh.Read().QueryRow(`SELECT count_once FROM campaign_counting WHERE process_id = ?`, p).Scan(&once); err != nil || !once {
			t.Errorf("the warehouse's counting = %t, %v", once, err)
		}

		// Deleting the rule: others are refused first.
		for _, c := range []struct {
			who  string
			want int
		}{{"official_b", http.StatusNotFound}, {"analyst", http.StatusForbidden}, {"moderator", http.StatusForbidden}} {
			other := fx.Client(t)
			other.SetCookie("cp_staff", fx.SignIn(t, c.who).Token)
			if res := other.Post(base+"/alerts/delete", other.Token("/staff/sign-in"), url.Values{"rule": {fmt.Sprint(rule)}}); res.Status != c.want {
				t.Errorf("%s deletes A's rule: %d, want %d", c.who, res.Status, c.want)
			}
		}
		if res := official.Post(base+"/alerts/delete", "", url.Values{"rule": {fmt.Sprint(rule)}}); res.Status != http.StatusForbidden {
			t.Errorf("delete without a CSRF token: %d", res.Status)
		}
		if rules, _ := fx.Store.AlertRules(ctx, p); len(rules) != 1 {
			t.Fatalf("a refused delete removed the rule: %+v", rules)
		}
		if res := official.Post(base+"/alerts/delete", tok, url.Values{}); res.Status != http.StatusUnprocessableEntity || !res.Has("Choose an alert rule to delete.") {
			t.Errorf("delete without a rule: %d %q", res.Status, res.Body)
		}
		res := official.Post(base+"/alerts/delete", tok, url.Values{"rule": {fmt.Sprint(rule)}})
		if res.Status != http.StatusSeeOther || res.Location() != monitor {
			t.Fatalf("delete: %d → %q %s", res.Status, res.Location(), res.Body)
		}
		if rules, _ := fx.Store.AlertRules(ctx, p); len(rules) != 0 {
			t.Errorf("the deleted rule is still in the store: %+v", rules)
		}
		rec, before, after = auditOf(t, fx, p, "alert_rule.delete")
		if rec.ActorID != officialID || before["id"] != float64(rule) || before["threshold"] != 40.0 || len(after) != 0 {
			t.Errorf("audit of the delete: %+v before %v after %v", rec, before, after)
		}
		if page := official.Get(monitor); page.Has(delForm) || !page.Has("No alert rule yet.") {
			t.Errorf("the monitor still lists the deleted rule:\n%s", page.Body)
		}
		var n int
		if err := st.wh.Read().QueryRow(`SELECT count(*) FROM dash_alert_rules WHERE process_id = ?`, p).Scan(&n); err != nil || n != 0 {
			t.Errorf("the warehouse keeps %d rules (%v)", n, err)
		}
		again := official.Post(base+"/alerts/delete?lang=sw", tok, url.Values{"rule": {fmt.Sprint(rule)}})
		if again.Status != http.StatusNotFound || !strings.Contains(again.Body, "Kanuni hii ya tahadhari haipo tena") {
			t.Errorf("deleting it again: %d %q", again.Status, again.Body)
		}
		if recs, _, _ := fx.Staff.ListAudit(ctx, staff.AuditFilter{ProcessID: p, Action: "alert_rule.delete"}); len(recs) != 1 {
			t.Errorf("%d delete entries after a refused second delete", len(recs))
		}

		if res := official.Post(base+"/alerts", tok, url.Values{"kind": {"inputs_below"}, "threshold": {"many"}}); res.Status != http.StatusUnprocessableEntity ||
			!res.Has("Kiwango lazima kiwe nambari.") {
			t.Errorf("a threshold that is not a number, in Kiswahili: %d %q", res.Status, res.Body)
		}
		// A refusal of the store's own checks, in the viewer's language.
		bad := official.Post(base+"/alerts?lang=sw", tok, url.Values{"kind": {"whenever"}, "threshold": {"1"}})
		if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "Uamuzi haukuhifadhiwa") || !strings.Contains(bad.Body, "kind: Hili si mojawapo ya machaguo.") {
			t.Errorf("a rule of no kind: %d %q", bad.Status, bad.Body)
		}
	})
}

// The dashboards' catalogue, which the decision forms share: English and Kiswahili have the same keys
// with the same verbs, and every key the template and handlers use is in it.
func TestDecisionCatalogues(t *testing.T) {
	load := func(lang string) map[string]string {
		raw, err := fs.ReadFile(dashboards.Catalog(), lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	en, sw := load("en"), load("sw")
	verbs := regexp.MustCompile(`%[vdsq]`)
	for k, v := range en {
		s, ok := sw[k]
		if !ok {
			t.Errorf("sw lacks %s", k)
		} else if strings.Join(verbs.FindAllString(v, -1), "") != strings.Join(verbs.FindAllString(s, -1), "") {
			t.Errorf("%s: verbs differ between en and sw", k)
		}
	}
	for k := range sw {
		if _, ok := en[k]; !ok {
			t.Errorf("en lacks %s", k)
		}
	}
	used := map[string]bool{}
	for glob, re := range map[string]*regexp.Regexp{
		"templates/*.html": regexp.MustCompile(`\.L\.T "([a-z_.]+)"`),
		"*.go":             regexp.MustCompile(`refuse\([^"]*"([a-z_.]+)"|T\("([a-z_.]+)"`),
	} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			raw, _ := os.ReadFile(f)
			for _, m := range re.FindAllStringSubmatch(string(raw), -1) {
				for _, k := range m[1:] {
					if k != "" && !strings.HasSuffix(k, ".") { // a prefix the code completes
						used[k] = true
					}
				}
			}
		}
	}
	if len(used) < 8 {
		t.Fatalf("found only %d keys in use: the patterns no longer match", len(used))
	}
	for k := range used {
		if _, ok := en[k]; !ok {
			t.Errorf("key %s is used but not in the catalogue", k)
		}
	}
}
