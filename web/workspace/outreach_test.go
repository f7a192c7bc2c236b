package workspace_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/warehouse"
	"github.com/civicpulse/civicpulse/web/outreach/outreachtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
	"github.com/civicpulse/civicpulse/web/webtest"
	"github.com/civicpulse/civicpulse/web/workspace"
)

// kit is the workspace over a real warehouse: the store's outbox is
// ingested on demand (catchUp), the dashboards read the warehouse, and the
// kit reads the dashboards.
type kit struct {
	*fixture
	dash    *dashboards.Dashboards
	catchUp func(t *testing.T)
}

const kitBase = "https://engage.county.example"

func newKit(t *testing.T, dsn string) *kit { return newKitAt(t, dsn, kitBase) }

// newKitAt prints links on base ("": the address the official came by).
func newKitAt(t *testing.T, dsn, base string) *kit {
	ctx := context.Background()
	wh, err := warehouse.Open(t.TempDir() + "/warehouse.duckdb")
	must(t, err)
	t.Cleanup(func() { wh.Close() })
	d, err := dashboards.New(ctx, wh.Read(), func() time.Time { return webtest.Now })
	must(t, err)
	k := &kit{dash: d}
	k.fixture = newFixture(t, dsn, func(c *workspace.Config) { c.Channels = d; c.BaseURL = base })
	ing, err := ingest.New(k.Store, wh, ingest.Options{Key: bytes.Repeat([]byte{9}, 32), Workers: 1})
	must(t, err)
	k.catchUp = func(t *testing.T) { t.Helper(); must(t, ing.CatchUp(ctx)) }
	return k
}

// citizen opens path with a phone's user agent (a bot's visit is not
// counted); each agent is another daily visitor.
func citizen(k *kit, t *testing.T, agent int, path string) staffwebtest.Page {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, k.URL+path, nil)
	req.Header.Set("User-Agent", fmt.Sprintf("Mozilla/5.0 (Linux; Android 14; Phone %d) Mobile Safari/537.36", agent))
	return k.Client(t).Do(req)
}

var kitRow = regexp.MustCompile(`(?s)<tr id="link-(\d+)">.*?data-col="visitors">([^<]*)<.*?data-col="engaged">([^<]*)<.*?data-col="started">([^<]*)<`)

// kitFigures reads each link's visitors, engaged and started from the page.
func kitFigures(t *testing.T, body string) map[int64][3]string {
	out := map[int64][3]string{}
	for _, m := range kitRow.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out[id] = [3]string{m[2], m[3], m[4]}
	}
	return out
}

// TestOutreachKitLinkFiguresEqualTheChannelsPanel: an official makes two
// campaign links through the form (refusals keep what was typed, in the
// official's language, with the right status; the write is audited);
// citizens come through them; the kit's figures for each link are the
// channels panel's row for its campaign, and the expected counts.
func TestOutreachKitLinkFiguresEqualTheChannelsPanel(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		k := newKit(t, b.URL)
		P := fmt.Sprintf("/staff/processes/%d/outreach", k.ProcessA)
		off := k.browser(t, "official")
		if pg := off.open(P); !pg.Has(`id="campaign-links"`) && !pg.Has("No campaign link yet.") {
			t.Fatalf("kit page\n%s", pg.Body)
		}

		// Refused: nothing typed; then Kiswahili messages.
		pg := off.submit(P, P+"/links", url.Values{"channel": {""}, "campaign": {"Bajeti week"}})
		wantRefused(t, pg, http.StatusUnprocessableEntity, "required", "an empty channel")
		if !pg.Has(`value="Bajeti week"`) {
			t.Error("the refused form lost the campaign typed")
		}
		pg = off.submit(P+"?lang=sw", P+"/links?lang=sw", url.Values{"channel": {"«»"}, "campaign": {"Bajeti week"}})
		wantRefused(t, pg, http.StatusUnprocessableEntity, "Tumia angalau herufi moja", "a channel without letters, in Kiswahili")

		made := map[string]int64{}
		for _, ch := range []string{"Radio Citizen", "WhatsApp"} {
			pg := off.submit(P+"?lang=en", P+"/links", url.Values{"channel": {ch}, "campaign": {"Bajeti week"}})
			wantRedirect(t, pg, P+"?done=link_made#link-", "make the "+ch+" link")
			made[ch], _ = strconv.ParseInt(pg.Location()[strings.LastIndex(pg.Location(), "-")+1:], 10, 64)
		}
		pg = off.submit(P, P+"/links", url.Values{"channel": {"radio citizen"}, "campaign": {"bajeti WEEK"}})
		wantRefused(t, pg, http.StatusConflict, "already has a link for this channel", "the same link twice")

		audited := 0
		for _, rec := range k.audited(t, k.ProcessA) {
			if rec.Action == "outreach.link.create" && rec.Target == fmt.Sprintf("campaign_link:%d", made["WhatsApp"]) && strings.Contains(string(rec.After), "bajeti-week-whatsapp") {
				audited++
			}
		}
		if audited != 1 {
			t.Errorf("the WhatsApp link's audit records: %d, want 1", audited)
		}

		links, err := k.Store.CampaignLinks(k.ctx, k.ProcessA)
		must(t, err)
		code := map[int64]string{}
		for _, l := range links {
			code[l.ID] = l.Code
		}
		open := k.process(t, k.ProcessA)
		follow := func(agent int, id int64) {
			t.Helper()
			pg := citizen(k, t, agent, "/c/"+code[id])
			if pg.Status != http.StatusFound || !strings.HasPrefix(pg.Location(), "/p/"+open.Slug+"?") {
				t.Fatalf("the link %d: %d → %q", id, pg.Status, pg.Location())
			}
			if pg := citizen(k, t, agent, pg.Location()); pg.Status != http.StatusOK {
				t.Fatalf("the process page after the link: %d", pg.Status)
			}
		}
		// Three phones come by radio; one goes on to the ideas and opens
		// the form. One comes by WhatsApp, one comes by neither.
		for agent := 1; agent <= 3; agent++ {
			follow(agent, made["Radio Citizen"])
		}
		for _, path := range []string{fmt.Sprintf("/p/%s/c/%d", open.Slug, k.Proposals), fmt.Sprintf("/p/%s/c/%d/new", open.Slug, k.Proposals)} {
			if pg := citizen(k, t, 1, path); pg.Status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, pg.Status)
			}
		}
		follow(4, made["WhatsApp"])
		citizen(k, t, 5, "/p/"+open.Slug)
		k.catchUp(t)

		panel, err := k.dash.ProcessChannels(k.ctx, k.ProcessA)
		must(t, err)
		row := map[string]dashboards.ChannelCount{}
		for _, c := range panel {
			row[c.Channel] = c
		}
		page := kitFigures(t, off.open(P).Body)
		for ch, want := range map[string][3]int64{"Radio Citizen": {3, 1, 1}, "WhatsApp": {1, 0, 0}} {
			id := made[ch]
			l, err := k.Store.CampaignLink(k.ctx, k.ProcessA, id)
			must(t, err)
			c := row[dashboards.CampaignChannel(l.UTMCampaign)]
			if got := [3]int64{c.Visitors, c.Engaged, c.Started}; got != want {
				t.Errorf("%s: the channels panel counts %v, want %v (panel %+v)", ch, got, want, panel)
			}
			if got, want := page[id], [3]string{fmt.Sprint(c.Visitors), fmt.Sprint(c.Engaged), fmt.Sprint(c.Started)}; got != want {
				t.Errorf("%s: the kit shows %v, the channels panel %v", ch, got, want)
			}
		}
		// The panel as the monitor shows it holds the same row.
		res, err := k.dash.Run(k.ctx, dashboards.FindPanel("channels"), dashboards.Filter{Process: k.ProcessA})
		must(t, err)
		found := false
		for _, r := range res.Table.Rows {
			if r[0].Text == "campaign: bajeti-week-radio-citizen" {
				found = r[1].Num == 3 && r[2].Num == 1
			}
		}
		if !found {
			t.Errorf("the monitor's channels panel lacks the radio row with 3 visitors, 1 engaged: %+v", res.Table.Rows)
		}
	})
}

// TestOutreachKitPrintables: the QR code decodes to the printed link; the
// poster and the flyer hold the title and the dates in each language of
// the process; officials of another process get 404 for all of it.
func TestOutreachKitPrintables(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		fx := newFixture(t, b.URL, func(c *workspace.Config) { c.BaseURL = kitBase })
		p := fx.process(t, fx.ProcessA)
		must(t, fx.Store.SetTranslations(fx.ctx, p.ID, []participation.Translation{
			{Entity: participation.EntityProcess, EntityID: p.ID, Field: "title", Lang: "sw", Text: "Bajeti ya Kaunti 2026/27"}}))
		l, _, err := fx.Store.CreateCampaignLink(fx.ctx, participation.CampaignLink{ProcessID: p.ID, Channel: "Chief's baraza", Campaign: "Bajeti week"})
		must(t, err)
		L := fmt.Sprintf("/staff/processes/%d/outreach/links/%d", p.ID, l.ID)
		off := fx.browser(t, "official")
		short := kitBase + "/c/" + l.Code
		if pg := off.open(fmt.Sprintf("/staff/processes/%d", p.ID)); !pg.Has(fmt.Sprintf(`href="/staff/processes/%d/outreach"`, p.ID)) {
			t.Error("the staff process page does not link the outreach kit")
		}
		if kitPage := off.open(fmt.Sprintf("/staff/processes/%d/outreach", p.ID)); !kitPage.Has(`href="` + short + `"`) {
			t.Fatalf("the kit does not show %s", short)
		}

		qr := off.open(L + "/qr.png")
		if qr.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("QR content type %q", qr.Header.Get("Content-Type"))
		}
		if got, err := outreachtest.DecodeQR([]byte(qr.Body)); err != nil || got != short {
			t.Fatalf("the QR code decodes to %q (%v), want %q", got, err, short)
		}

		zone, _ := time.LoadLocation(p.TimeZone)
		from, to := p.StartsAt.In(zone), p.EndsAt.In(zone)
		enMonths := []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
		swMonths := []string{"", "Januari", "Februari", "Machi", "Aprili", "Mei", "Juni", "Julai", "Agosti", "Septemba", "Oktoba", "Novemba", "Desemba"}
		day := func(t time.Time, months []string) string {
			return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()], t.Year())
		}
		want := [][]string{
			{p.Title, day(from, enMonths) + " to " + day(to, enMonths), "How to take part", short},
			{"Bajeti ya Kaunti 2026/27", day(from, swMonths) + " hadi " + day(to, swMonths), "Jinsi ya kushiriki", short},
		}
		for _, file := range []string{"poster.pdf", "flyer.pdf"} {
			pdf := off.open(L + "/" + file)
			if pdf.Header.Get("Content-Type") != "application/pdf" {
				t.Fatalf("%s content type %q", file, pdf.Header.Get("Content-Type"))
			}
			pages, err := outreachtest.PageTexts([]byte(pdf.Body))
			must(t, err)
			if len(pages) != len(p.Languages) {
				t.Fatalf("%s: %d pages for the languages %v", file, len(pages), p.Languages)
			}
			for i, texts := range want {
				for _, s := range texts {
					if !strings.Contains(pages[i], s) {
						t.Errorf("%s page %d (%s) lacks %q:\n%s", file, i+1, p.Languages[i], s, pages[i])
					}
				}
			}
		}

		other := fx.browser(t, "official_b")
		for _, path := range []string{fmt.Sprintf("/staff/processes/%d/outreach", p.ID), L + "/qr.png", L + "/poster.pdf", L + "/flyer.pdf"} {
			if pg := other.Get(path); pg.Status != http.StatusNotFound {
				t.Errorf("GET %s as the official of another process: %d, want 404", path, pg.Status)
			}
		}
		// A link of process B through process A's path is not found either.
		lb, _, err := fx.Store.CreateCampaignLink(fx.ctx, participation.CampaignLink{ProcessID: fx.ProcessB, Channel: "sms", Campaign: "b"})
		must(t, err)
		if pg := off.Get(fmt.Sprintf("/staff/processes/%d/outreach/links/%d/qr.png", p.ID, lb.ID)); pg.Status != http.StatusNotFound {
			t.Errorf("process B's link under process A: %d, want 404", pg.Status)
		}
	})
}
