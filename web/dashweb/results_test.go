package dashweb_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/warehouse"
)

// documentSite serves process 1 with a document whose first heading
// carries its own number ("1. Economic outlook") and proposals with
// budgets, six people each, so that the public page shows the numbers.
func documentSite(t *testing.T) (string, *dashboards.Dashboards) {
	t.Helper()
	now := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	start := now.Add(-72 * time.Hour)
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{{ProcessID: 1, Slug: "a", Title: "Bajeti 2027", TimeZone: "Africa/Nairobi", RegionSetID: 1, Currency: "KES", Published: true, StartsAt: &start,
			Components: []warehouse.ComponentDim{{ComponentID: 10, Kind: "proposals", Position: 1, Title: "Mawazo"}, {ComponentID: 20, Kind: "document", Position: 2, Title: "Rasimu"}}}},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "01", Name: "Mombasa", Population: 1000}, {Code: "02", Name: "Kwale", Population: 1000}}}},
		Documents: []warehouse.DocumentDim{{ComponentID: 20, Sections: []warehouse.SectionDim{
			{SectionID: 900, Version: 1, Position: 1, Heading: "1. Economic outlook"}, {SectionID: 901, Version: 1, Position: 2, Heading: "Health"}}}},
	}}
	seq := int64(0)
	for i := range 6 {
		who, at := fmt.Sprintf("p%d", i), start.Add(time.Duration(i+1)*time.Hour)
		for _, section := range []int64{900, 901} {
			seq++
			b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "comment.created", ProcessID: 1, ComponentID: 20, EntityID: 300 + seq, Participant: who, RegionCode: "01", OccurredAt: at})
			b.Comments = append(b.Comments, warehouse.Comment{Seq: seq, CommentID: 300 + seq, ProcessID: 1, ComponentID: 20, TargetKind: "section", TargetID: section, Kind: "comment",
				Body: "Maji kwanza", Participant: who, RegionCode: "01", OccurredAt: at})
		}
		seq++
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "proposal.created", ProcessID: 1, ComponentID: 10, EntityID: 100 + seq, Participant: who, RegionCode: "01", OccurredAt: at})
		b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: seq, ProposalID: 100 + seq, ProcessID: 1, ComponentID: 10, Participant: who, RegionCode: "01",
			Title: fmt.Sprintf("Kisima %d", i), BudgetMinor: 2_500_000_00, Tags: []string{"maji"}, OccurredAt: at})
	}
	b.To, b.Consumed = warehouse.Cursor{Seq: seq}, seq
	srv, wh, d := serveBatch(t, b, now)
	publish(t, wh, 1, "document-sections", "proposal-budget-regions", "proposal-ranking")
	return srv.URL, d
}

// publish puts panels on a process's results page as the ingester does
// when an official's decision reaches the warehouse (the forms' path
// through the store is TestDecisionsThroughTheForms).
func publish(t *testing.T, wh *warehouse.Warehouse, process int64, panels ...string) {
	t.Helper()
	b := &warehouse.Batch{}
	for i, name := range panels {
		b.Decisions = append(b.Decisions, warehouse.Decision{Seq: int64(900000 + i), Op: warehouse.PublishPanel, ProcessID: process, Panel: name, At: time.Now()})
	}
	if err := wh.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// englishTexts are the dashboards' English catalogue texts cut at their
// arguments (those long enough not to be a word of the data), with the
// Kiswahili catalogue's texts, which a page may carry, left out.
func englishTexts(t *testing.T) []string {
	t.Helper()
	read := func(lang string) map[string]string {
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
	en, sw := read("en"), read("sw")
	verbs := regexp.MustCompile(`%(\[\d\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)
	var out []string
	for k, s := range en {
		if s == sw[k] {
			continue
		}
		for _, frag := range verbs.Split(s, -1) {
			if frag = strings.TrimSpace(frag); len(frag) >= 8 && strings.Contains(frag, " ") {
				out = append(out, frag)
			}
		}
	}
	return out
}

// The public results page under ?lang=sw: lang="sw", Kiswahili text and
// nothing the English catalogue says, section headings numbered once,
// regions by name, money in the process's currency as on every page.
func TestPublicResultsInKiswahili(t *testing.T) {
	url, _ := documentSite(t)
	code, page := get(t, url+"/results/1?lang=sw")
	if code != http.StatusOK {
		t.Fatalf("results: %d", code)
	}
	// The charts' options hold plain numbers (a chart formats its own
	// axes); the text a reader reads is the rest.
	text := html.UnescapeString(regexp.MustCompile(`data-option="[^"]*"`).ReplaceAllString(page, ""))
	for _, want := range []string{`<html lang="sw">`, "Matokeo", "Sehemu kwa muhtasari", "Jedwali", "1. Economic outlook", "2. Health",
		"Bajeti iliyoombwa kwa kila eneo", "KES 15,000,000", "Mombasa", "ili kuwalinda washiriki"} {
		if !strings.Contains(text, want) {
			t.Errorf("results in Kiswahili lack %q", want)
		}
	}
	for _, bad := range []string{"1. 1.", `<html lang="en">`, ">01<", "15000000", "Loading"} {
		if strings.Contains(text, bad) {
			t.Errorf("results in Kiswahili show %q", bad)
		}
	}
	for _, en := range englishTexts(t) {
		if strings.Contains(text, en) {
			t.Errorf("results in Kiswahili say %q", en)
		}
	}
	// The page leads back to the process and offers the other language.
	for _, want := range []string{`<a href="/p/a">Ukurasa wa mchakato</a>`, `<a href="?lang=en" lang="en" hreflang="en">English</a>`, `aria-current="true">Kiswahili</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("results in Kiswahili lack %s", want)
		}
	}
	// The English page reads in English, same headings.
	if _, en := get(t, url+"/results/1?lang=en"); !strings.Contains(en, `<html lang="en">`) || !strings.Contains(en, "Sections at a glance") || strings.Contains(en, "1. 1.") {
		t.Errorf("results in English:\n%s", en)
	}
	// A panel fragment alone, as htmx loads it, in the same language.
	if code, frag := get(t, url+"/results/1/panels/document-sections?lang=sw"); code != 200 || !strings.Contains(frag, "Jedwali") || strings.Contains(frag, ">Table<") {
		t.Errorf("results fragment in Kiswahili: %d\n%s", code, frag)
	}
}

// A staff CSV's header row is the table's column labels in the viewer's
// language; a money column names its currency there.
func TestCSVHeadersInTheViewersLanguage(t *testing.T) {
	url, _ := documentSite(t)
	for _, c := range []struct {
		path, lang string
		want       []string
	}{
		{"document/panels/document-sections/csv", "sw", []string{"Sehemu", "Maoni", "Marekebisho", "Maswali", "Wanaokubali", "Wasiokubali"}},
		{"document/panels/document-sections/csv", "en", []string{"Section", "Comments", "Amendments", "Questions", "Agree", "Disagree"}},
		{"proposals/panels/proposal-budget-regions/csv", "sw", []string{"Eneo", "Mapendekezo", "Waandishi", "Bajeti iliyoombwa (KES)"}},
	} {
		code, body := get(t, fmt.Sprintf("%s/staff/p/1/dashboards/%s?lang=%s", url, c.path, c.lang))
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if code != 200 || err != nil || len(recs) < 2 {
			t.Fatalf("%s %s: %d %v\n%s", c.path, c.lang, code, err, body)
		}
		if strings.Join(recs[0], "|") != strings.Join(c.want, "|") {
			t.Errorf("%s in %s: header %q, want %q", c.path, c.lang, recs[0], c.want)
		}
		if c.path == "document/panels/document-sections/csv" && recs[1][0] != "1. Economic outlook" {
			t.Errorf("first section in the CSV = %q", recs[1][0])
		}
	}
}

// The publish form names the panels by their titles, in the viewer's
// language, and sends their names.
func TestPublishFormNamesPanels(t *testing.T) {
	url, _ := documentSite(t)
	_, page := get(t, url+"/staff/p/1/dashboards/document?lang=sw")
	if !strings.Contains(page, `<option value="document-sections">Sehemu kwa muhtasari</option>`) || strings.Contains(page, "<option>document-sections</option>") {
		t.Errorf("publish form:\n%s", page)
	}
	// A table with no rows says so instead of showing bare headings.
	if _, frag := get(t, url+"/staff/p/1/dashboards/document/panels/section-comments?lang=sw"); !strings.Contains(frag, "Bado hakuna cha kuonyesha.") || strings.Contains(frag, "<table") {
		t.Errorf("section comments of no section:\n%s", frag)
	}
}
