package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// fixedNow makes runs comparable: the period ends at this instant, a
// Thursday morning in Nairobi.
var fixedNow = time.Date(2027, 2, 18, 9, 30, 0, 0, time.UTC)

func open(t testing.TB, url string) *sqlstore.Store {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func freshURL(t testing.TB, b sqldbtest.Backend) string {
	if b.Name == "postgres" {
		return sqldbtest.NewPostgresURL(t)
	}
	return sqldbtest.NewSQLiteURL(t)
}

func generate(t testing.TB, st participation.Store, n int, seed uint64) Result {
	t.Helper()
	res, err := Generate(context.Background(), st, Options{Participants: n, Seed: seed, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	return res
}

// readAll reads the whole outbox. On Postgres, events become readable only
// once every older transaction on the server has ended (see the Outbox
// doc), and other tests' transactions may be running: wait for them.
func readAll(t testing.TB, st participation.Store) []participation.Event {
	t.Helper()
	ctx := context.Background()
	want, err := st.Outbox().Count(ctx)
	if err != nil {
		t.Fatalf("count outbox: %v", err)
	}
	var all []participation.Event
	var cur participation.Cursor
	deadline := time.Now().Add(3 * time.Minute)
	for int64(len(all)) < want {
		evs, err := st.Outbox().Read(ctx, cur, 5000)
		if err != nil {
			t.Fatalf("read outbox: %v", err)
		}
		if len(evs) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("outbox: read %d of %d events", len(all), want)
			}
			st.Outbox().Wait(ctx, 200*time.Millisecond)
			continue
		}
		all = append(all, evs...)
		cur = evs[len(evs)-1].Cursor()
	}
	return all
}

// comparable drops what the database assigns regardless of content
// (sequence, transaction id) and normalises the payload's JSON spacing.
func comparable(t testing.TB, evs []participation.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		var p any
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			t.Fatalf("event %d: payload is not JSON: %v", e.Seq, err)
		}
		pj, _ := json.Marshal(p)
		out[i] = fmt.Sprintf("%s p%d c%d e%d u%d r%s %s %s", e.Type, e.ProcessID, e.ComponentID, e.EntityID,
			e.ParticipantID, e.RegionCode, e.OccurredAt.UTC().Format(time.RFC3339Nano), pj)
	}
	return out
}

func TestDemo(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		st := open(t, b.URL)
		tr := &trace{group: map[int64]int{}, stance: map[int64]int8{}, sec: map[int64]int{}}
		res, err := Generate(ctx, st, Options{Participants: 200, Seed: 1, Now: func() time.Time { return fixedNow }, trace: tr})
		if err != nil {
			t.Fatal(err)
		}
		evs := readAll(t, st)
		t.Logf("%s: %d events, %+v", b.Name, len(evs), res)

		t.Run("counts", func(t *testing.T) { checkCounts(t, res, evs) })
		t.Run("processes", func(t *testing.T) { checkProcesses(t, ctx, st, res) })
		t.Run("time", func(t *testing.T) { checkTime(t, res, evs) })
		t.Run("no personal data", func(t *testing.T) { checkNoPersonalData(t, evs) })
		t.Run("survey", func(t *testing.T) { checkSurvey(t, ctx, st, res, evs) })
		t.Run("form letters", func(t *testing.T) { checkFormLetters(t, ctx, st, res) })
		t.Run("opinion groups", func(t *testing.T) { checkOpinionGroups(t, tr, evs) })
		t.Run("kenyan texts", func(t *testing.T) { checkTexts(t, res, evs) })

		t.Run("deterministic", func(t *testing.T) {
			again := open(t, freshURL(t, b))
			res2 := generate(t, again, 200, 1)
			res.Elapsed, res2.Elapsed = 0, 0
			if res != res2 {
				t.Errorf("results differ:\n%+v\n%+v", res, res2)
			}
			a, c := comparable(t, evs), comparable(t, readAll(t, again))
			if len(a) != len(c) {
				t.Fatalf("%d events, then %d", len(a), len(c))
			}
			for i := range a {
				if a[i] != c[i] {
					t.Fatalf("event %d differs:\n%s\n%s", i, a[i], c[i])
				}
			}
			other := open(t, freshURL(t, b))
			if res3 := generate(t, other, 200, 2); res3.Votes == res.Votes && res3.Visits == res.Visits {
				t.Errorf("another seed gave the same counts: %+v", res3)
			}
		})
	})
}

func countTypes(evs []participation.Event) map[participation.EventType]int {
	n := map[participation.EventType]int{}
	for _, e := range evs {
		n[e.Type]++
	}
	return n
}

func checkCounts(t *testing.T, res Result, evs []participation.Event) {
	n := countTypes(evs)
	want := map[participation.EventType]int{
		participation.EvParticipantJoined: res.Participants,
		participation.EvVisit:             int(res.Visits),
		participation.EvProposalCreated:   res.Proposals,
		participation.EvCommentCreated:    res.Comments,
		participation.EvCommentVoted:      res.Votes,
		participation.EvSupportAdded:      res.Supports,
		participation.EvSupportRemoved:    res.SupportsRevoked,
		participation.EvSurveyCompleted:   res.CompletedResponses,
	}
	for typ, w := range want {
		if n[typ] != w {
			t.Errorf("%s: %d events, result says %d", typ, n[typ], w)
		}
	}
	if res.Participants < 190 || res.Participants > 200 {
		t.Errorf("%d participants, want about 200", res.Participants)
	}
	// Far more visitors than participants, so the funnel makes sense.
	if res.Visitors < 4*int64(res.Participants) || res.Visits < 2*res.Visitors {
		t.Errorf("%d visitors and %d visits for %d participants", res.Visitors, res.Visits, res.Participants)
	}
	if res.Votes < res.Participants || res.Supports == 0 || res.Proposals == 0 || res.Replies == 0 ||
		res.Amendments+res.Questions == 0 || res.Registered == 0 || res.Responses <= res.CompletedResponses {
		t.Errorf("some kind of participation is missing or too rare: %+v", res)
	}
}

func checkProcesses(t *testing.T, ctx context.Context, st participation.Store, res Result) {
	ps, err := st.ListProcesses(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Errorf("%d published processes, want 2 (the draft stays hidden)", len(ps))
	}
	if _, err := st.GetProcessBySlug(ctx, draftSlug, true); !participation.IsNotFound(err) {
		t.Errorf("draft process visible to citizens: %v", err)
	}
	p, err := st.GetProcessBySlug(ctx, res.Slug, true)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title == "" || p.Summary == "" || p.Objective == "" || p.Sector == "" || p.ExpectedOutcome == "" ||
		p.FeedbackMethod == "" || len(p.Officials) == 0 || p.BudgetMinor <= 0 || p.Currency != "KES" ||
		p.Level != participation.LevelConsult || p.Scope != participation.ScopeNational || p.Mode != participation.ModeOpen ||
		p.TimeZone != "Africa/Nairobi" || !slices.Equal(p.Languages, []string{"en", "sw"}) || p.TargetParticipants <= 0 ||
		p.PrivacyNotice == nil || p.PrivacyNotice.Text == "" {
		t.Errorf("strategy incomplete: %+v", p)
	}
	kinds := map[participation.ComponentKind]int64{}
	for _, c := range p.Components {
		kinds[c.Kind] = c.ID
	}
	if kinds[participation.KindProposals] != res.ProposalsComponent || kinds[participation.KindDocument] != res.DocumentComponent ||
		kinds[participation.KindSurvey] != res.SurveyComponent {
		t.Errorf("components %v, result %+v", kinds, res)
	}
	// The three tools are open now (the end of the period) and were open
	// at its start.
	for _, at := range []time.Time{res.Start, res.End.Add(-time.Minute)} {
		open := map[int64]bool{}
		for _, ph := range p.Phases {
			if ph.IsOpenAt(at) {
				for _, c := range ph.OpenComponents {
					open[c] = true
				}
			}
		}
		if len(open) != 3 {
			t.Errorf("at %s open components %v, want all three", at, open)
		}
	}
	rs, err := st.GetRegionSet(ctx, p.RegionSetID)
	if err != nil {
		t.Fatal(err)
	}
	var pop int64
	for _, r := range rs.Regions {
		pop += r.Population
	}
	if len(rs.Regions) != 47 || pop != 47_564_296 {
		t.Errorf("region set: %d regions, population %d", len(rs.Regions), pop)
	}
	// The ready-made Kenya set carries its map, served like any set's.
	if geo, err := participation.NamedGeoJSON(rs); err != nil || !strings.Contains(string(geo), `"name":"Mombasa"`) {
		t.Errorf("the Kenya set's map (%v): %.200s", err, geo)
	}
	doc, err := st.GetDocument(ctx, res.DocumentComponent)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Sections) != 8 {
		t.Errorf("%d sections", len(doc.Sections))
	}
	sv, err := st.GetSurvey(ctx, res.SurveyComponent)
	if err != nil {
		t.Fatal(err)
	}
	types := map[participation.QuestionType]bool{}
	for _, q := range sv.Questions {
		types[q.Type] = true
	}
	if sv.Pages != 3 || len(sv.Questions) < 12 || len(types) != 6 {
		t.Errorf("survey: %d pages, %d questions, types %v", sv.Pages, len(sv.Questions), types)
	}
	reg, err := st.GetProcess(ctx, res.RegisteredProcessID, true)
	if err != nil {
		t.Fatal(err)
	}
	if reg.Mode != participation.ModeRegistered ||
		!slices.Equal(reg.PersonalFields, []participation.PersonalField{participation.FieldEmail, participation.FieldRegion}) {
		t.Errorf("registered process: mode %s, fields %v", reg.Mode, reg.PersonalFields)
	}
}

type visitPayload struct {
	Path        string `json:"path"`
	Referrer    string `json:"referrer"`
	UTMCampaign string `json:"utm_campaign"`
	Device      string `json:"device"`
}

func checkTime(t *testing.T, res Result, evs []participation.Event) {
	day0 := res.Start.In(nairobi)
	day0 = time.Date(day0.Year(), day0.Month(), day0.Day(), 0, 0, 0, 0, nairobi)
	dayOf := func(tm time.Time) int { return int(tm.Sub(day0) / day) }
	var byHour [24]int
	byDay := map[int]int{}
	campaignDays := map[string]map[int]int{}
	var visitsPerHour = map[time.Time]int{}
	devices := map[string]int{}
	for _, e := range evs {
		if e.Type == participation.EvProcessChanged || e.Type == participation.EvDocumentPublished || e.Type == participation.EvSurveyChanged {
			continue // set-up, before the period
		}
		if e.OccurredAt.Before(res.Start) || !e.OccurredAt.Before(res.End) {
			t.Fatalf("%s at %s outside %s–%s", e.Type, e.OccurredAt, res.Start, res.End)
		}
		byHour[e.OccurredAt.In(nairobi).Hour()]++
		byDay[dayOf(e.OccurredAt)]++
		if e.Type == participation.EvVisit {
			var v visitPayload
			if err := json.Unmarshal(e.Payload, &v); err != nil {
				t.Fatal(err)
			}
			devices[v.Device]++
			visitsPerHour[e.OccurredAt.Truncate(time.Hour)]++
			if v.UTMCampaign != "" {
				if campaignDays[v.UTMCampaign] == nil {
					campaignDays[v.UTMCampaign] = map[int]int{}
				}
				campaignDays[v.UTMCampaign][dayOf(e.OccurredAt)]++
			}
		}
	}
	// Every day of the four weeks has activity.
	for d := dayOf(res.Start); d < dayOf(res.End.Add(-time.Second)); d++ {
		if byDay[d] == 0 {
			t.Errorf("no activity on day %d", d)
		}
	}
	evening := byHour[19] + byHour[20] + byHour[21]
	night := byHour[2] + byHour[3] + byHour[4]
	if evening < 8*night {
		t.Errorf("evening %d vs night %d events: no daily rhythm", evening, night)
	}
	radio, sms := campaignDays["radio-week2"], campaignDays["sms-week3"]
	if len(radio) == 0 || len(sms) == 0 {
		t.Fatalf("campaign visits missing: %v", campaignDays)
	}
	for d := range radio {
		if d < 8 || d > 12 {
			t.Errorf("radio campaign visit on day %d", d)
		}
	}
	for d := range sms {
		if d < 16 || d > 20 {
			t.Errorf("SMS campaign visit on day %d", d)
		}
	}
	// The SMS blast is the busiest hour of the period.
	var peak time.Time
	for h, n := range visitsPerHour {
		if n > visitsPerHour[peak] || (n == visitsPerHour[peak] && h.Before(peak)) {
			peak = h
		}
	}
	if d, h := dayOf(peak), peak.In(nairobi).Hour(); d != 16 || h < 10 || h > 13 {
		t.Errorf("busiest hour is day %d %02d:00, want the SMS blast on day 16 from 10:00", d, h)
	}
	// The radio week is busier than the week before it.
	week := func(from int) (n int) {
		for d := from; d < from+4; d++ {
			n += byDay[d]
		}
		return n
	}
	if week(8) < week(4)*13/10 {
		t.Errorf("radio days 8–11: %d events, days 4–7: %d", week(8), week(4))
	}
	if devices["mobile"] < devices["desktop"] || devices["tablet"] == 0 || devices["desktop"] == 0 {
		t.Errorf("devices %v", devices)
	}
}

// personal collects every string value and key of a JSON document.
func personal(v any, keys, values *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			*keys = append(*keys, k)
			personal(e, keys, values)
		}
	case []any:
		for _, e := range x {
			personal(e, keys, values)
		}
	case string:
		*values = append(*values, x)
	}
}

func checkNoPersonalData(t *testing.T, evs []participation.Event) {
	var keys, values []string
	for _, e := range evs {
		var v any
		if err := json.Unmarshal(e.Payload, &v); err != nil {
			t.Fatal(err)
		}
		personal(v, &keys, &values)
	}
	for _, k := range keys {
		switch strings.ToLower(k) {
		case "email", "phone", "name", "token", "ip", "secret", "user_agent":
			t.Errorf("outbox payload has a %q field", k)
		}
	}
	for _, s := range values {
		if strings.Contains(s, "@example.org") || strings.Contains(s, "panel.member") {
			t.Errorf("outbox payload holds an email: %q", s)
		}
	}
	if len(values) == 0 {
		t.Fatal("no payload strings at all")
	}
}

type answered struct {
	Page    int `json:"page"`
	Answers []struct {
		QuestionID int64    `json:"question_id"`
		Choices    []int    `json:"choices"`
		Number     *float64 `json:"number"`
	} `json:"answers"`
}

func checkSurvey(t *testing.T, ctx context.Context, st participation.Store, res Result, evs []participation.Event) {
	sv, err := st.GetSurvey(ctx, res.SurveyComponent)
	if err != nil {
		t.Fatal(err)
	}
	id := func(i int) int64 { return sv.Questions[i].ID }
	pages := map[int]int{}
	var spent, listens []float64
	byResp := map[int64]map[int64]float64{}
	for _, e := range evs {
		if e.ComponentID != res.SurveyComponent || (e.Type != participation.EvSurveyAnswered && e.Type != participation.EvSurveyCompleted) {
			continue
		}
		var a answered
		if err := json.Unmarshal(e.Payload, &a); err != nil {
			t.Fatal(err)
		}
		pages[a.Page]++
		if byResp[e.EntityID] == nil {
			byResp[e.EntityID] = map[int64]float64{}
		}
		for _, ans := range a.Answers {
			if ans.Number != nil {
				byResp[e.EntityID][ans.QuestionID] = *ans.Number
			}
			if ans.QuestionID == id(qPriorities) && (len(ans.Choices) == 0 || len(ans.Choices) > 3) {
				t.Errorf("priorities %v: not 1 to 3 choices", ans.Choices)
			}
		}
	}
	// Drop-off per page: fewer reach each next page, some stop.
	if !(pages[1] > pages[2] && pages[2] > pages[3] && pages[3] > 0) {
		t.Errorf("responses per page %v: want drop-off", pages)
	}
	for _, r := range byResp {
		s, ok1 := r[id(qSpentWell)]
		l, ok2 := r[id(qListens)]
		if ok1 && ok2 {
			spent, listens = append(spent, s), append(listens, l)
		}
	}
	// Likert items driven by the same trust correlate.
	if c := correlation(spent, listens); c < 0.3 {
		t.Errorf("correlation of two trust items %.2f over %d responses, want ≥ 0.3", c, len(spent))
	}
}

func correlation(x, y []float64) float64 {
	n := float64(len(x))
	var sx, sy, sxx, syy, sxy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
		sxx += x[i] * x[i]
		syy += y[i] * y[i]
		sxy += x[i] * y[i]
	}
	return (n*sxy - sx*sy) / math.Sqrt((n*sxx-sx*sx)*(n*syy-sy*sy))
}

func checkFormLetters(t *testing.T, ctx context.Context, st participation.Store, res Result) {
	doc, err := st.GetDocument(ctx, res.DocumentComponent)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := st.ListComments(ctx, participation.TargetSection, doc.Sections[4].ID)
	if err != nil {
		t.Fatal(err)
	}
	copies, exact := 0, 0
	template := ""
	for _, c := range cs {
		if strings.Contains(c.Body, "mandatory retirement age for specialists") {
			copies++
			if template == "" {
				template = c.Body
			} else if c.Body == template {
				exact++
			}
		}
	}
	if copies != res.FormLetters || copies < 15 {
		t.Errorf("%d form-letter copies found, result says %d", copies, res.FormLetters)
	}
	if exact == copies-1 {
		t.Errorf("all %d copies identical: no word changes", copies)
	}
}

// checkOpinionGroups: people agree with comments that argue what their
// latent group favours and disagree with the others, which is what lets
// opinion-group analysis find the groups.
func checkOpinionGroups(t *testing.T, tr *trace, evs []participation.Event) {
	var n, agree [2]int // [misaligned, aligned]
	groups := map[int]int{}
	for _, e := range evs {
		if e.Type != participation.EvCommentVoted {
			continue
		}
		var v struct {
			Vote string `json:"vote"`
		}
		if err := json.Unmarshal(e.Payload, &v); err != nil {
			t.Fatal(err)
		}
		g, ok := tr.group[e.ParticipantID]
		st := tr.stance[e.EntityID]
		if !ok || st == 0 || v.Vote == string(participation.VotePass) {
			continue
		}
		groups[g]++
		pref := groupPref[g][tr.sec[e.EntityID]] * float64(st)
		if pref == 0 {
			continue
		}
		i := 0
		if pref > 0 {
			i = 1
		}
		n[i]++
		if v.Vote == string(participation.VoteAgree) {
			agree[i]++
		}
	}
	if len(groups) != 3 || n[0] < 50 || n[1] < 50 {
		t.Fatalf("votes by group %v, misaligned/aligned %v", groups, n)
	}
	mis, ali := float64(agree[0])/float64(n[0]), float64(agree[1])/float64(n[1])
	t.Logf("agree rate: %.2f where the group favours the comment's side, %.2f where it opposes it", ali, mis)
	if ali-mis < 0.3 {
		t.Errorf("agree rates %.2f vs %.2f: groups barely differ", ali, mis)
	}
}

// A longer period than the default keeps the tools open to its end.
func TestLongPeriod(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		st := open(t, b.URL)
		res, err := Generate(context.Background(), st, Options{Participants: 60, Days: 50, Now: func() time.Time { return fixedNow }})
		if err != nil {
			t.Fatal(err)
		}
		if res.Participants < 55 || res.End.Sub(res.Start) != 50*day {
			t.Errorf("%d participants over %s", res.Participants, res.End.Sub(res.Start))
		}
	})
}

// A demo point must land in its own county (the store refuses a point
// outside every region, and a coastal county's jitter reaches the sea):
// far offsets are drawn in or dropped, never left off the map.
func TestDemoPointsLandInTheirCounty(t *testing.T) {
	g, err := newGenerator(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	centred := 0
	for _, cn := range g.counties {
		if lat, lng := g.inCounty(cn, 0, 0); lat != nil {
			centred++
			if code, _ := participation.RegionAt(g.shapes, *lat, *lng); code != cn.Code {
				t.Errorf("%s: centre placed in %q", cn.Name, code)
			}
		}
		for _, d := range [][2]float64{{0.5, 0.5}, {-0.5, 0.5}, {0.5, -0.5}, {-0.5, -0.5}, {0, 1}, {1, 0}} {
			lat, lng := g.inCounty(cn, d[0], d[1])
			if lat == nil {
				continue
			}
			if code, _ := participation.RegionAt(g.shapes, *lat, *lng); code != cn.Code {
				t.Errorf("%s offset %v: placed in %q", cn.Name, d, code)
			}
		}
	}
	if centred < len(g.counties)-2 {
		t.Errorf("only %d of %d county centres are on the map", centred, len(g.counties))
	}
}
