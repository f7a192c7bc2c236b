package insights

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/analysis/campaign"
	"github.com/civicpulse/civicpulse/warehouse"
)

// argkpArguments reads the real arguments of IBM's ArgKP.
func argkpArguments(t testing.TB) []string {
	var out []string
	for _, r := range argkpRows(t) {
		out = append(out, r[1])
	}
	return out
}

// argkpRows reads ArgKP's arguments file without its header: argument id,
// argument, topic, stance.
func argkpRows(t testing.TB) [][]string {
	t.Helper()
	f, err := os.Open("../testdata/argkp/arguments_train.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// swapWords replaces share of a template's words with random corpus words:
// harder to catch than the synonyms a real campaign uses.
func swapWords(r *rand.Rand, template string, share float64, vocab []string) string {
	words := strings.Fields(template)
	n := int(float64(len(words))*share + 0.5)
	for _, k := range r.Perm(len(words))[:n] {
		words[k] = vocab[r.IntN(len(vocab))]
	}
	return strings.Join(words, " ")
}

const (
	campProcess   = 1
	campComponent = 10
)

// commentFacts are comments on a document section with their ledger events.
func (f *facts) comments(texts []string, at func(i int) time.Time, region func(i int) string, firstID int64) (*warehouse.Batch, []int64) {
	b := &warehouse.Batch{}
	var ids []int64
	for i, s := range texts {
		seq, id := f.next(), firstID+int64(i)
		ids = append(ids, id)
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "comment.created", ProcessID: campProcess,
			ComponentID: campComponent, EntityID: id, Participant: fmt.Sprint("p-", id), RegionCode: region(i), OccurredAt: at(i)})
		b.Comments = append(b.Comments, warehouse.Comment{Seq: seq, CommentID: id, ProcessID: campProcess, ComponentID: campComponent,
			TargetKind: "section", TargetID: 5, Kind: "comment", Body: s, Participant: fmt.Sprint("p-", id),
			RegionCode: region(i), OccurredAt: at(i)})
	}
	return b, ids
}

type campaignRow struct {
	id, copies, exact, peak int64
	template, kind          string
	templateID              int64
	first, last, detected   time.Time
	regions                 string
}

func readCampaigns(t *testing.T, r *Runner) []campaignRow {
	t.Helper()
	rows, err := r.db.Query(`SELECT campaign_id, copies, exact, peak_per_hour, template, template_kind, template_id,
		first_seen, last_seen, detected_at, regions FROM campaigns WHERE process_id = ? ORDER BY copies DESC`, campProcess)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []campaignRow
	for rows.Next() {
		var c campaignRow
		if err := rows.Scan(&c.id, &c.copies, &c.exact, &c.peak, &c.template, &c.kind, &c.templateID,
			&c.first, &c.last, &c.detected, &c.regions); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func campaignMembers(t *testing.T, r *Runner, id int64) map[int64]bool {
	t.Helper()
	rows, err := r.db.Query(`SELECT entity_id FROM campaign_members WHERE process_id = ? AND campaign_id = ? AND entity_kind = 'comment'`,
		campProcess, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var e int64
		if err := rows.Scan(&e); err != nil {
			t.Fatal(err)
		}
		out[e] = true
	}
	return out
}

// TestPlantedCampaign plants ~30 copies of a real argument, each with 20% of
// its words swapped, among real arguments: the job finds it with its copies,
// regions and first/last seen, leaves the real arguments alone, skips a pass
// with no new text, and keeps the campaign's id as more copies arrive.
func TestPlantedCampaign(t *testing.T) {
	ctx := context.Background()
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	rnd := rand.New(rand.NewPCG(7, 7))

	args := argkpArguments(t)
	rnd.Shuffle(len(args), func(i, j int) { args[i], args[j] = args[j], args[i] })
	var template string
	var real []string
	for _, a := range args {
		if template == "" && len(strings.Fields(a)) >= 18 {
			template = a
			continue
		}
		real = append(real, a)
	}
	real = real[:1500]
	var vocab []string
	for _, a := range real {
		vocab = append(vocab, strings.Fields(a)...)
	}

	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	b, _ := f.comments(real, func(i int) time.Time { return start.Add(time.Duration(i) * 17 * time.Minute) },
		func(i int) string { return fmt.Sprintf("KE-%03d", 1+i%47) }, 1)
	f.write(t, b)

	burst := start.Add(100 * time.Hour)
	copies := func(n int, firstID int64, from time.Time) (map[int64]time.Time, map[int64]string) {
		texts := make([]string, n)
		for i := range texts {
			texts[i] = swapWords(rnd, template, 0.2, vocab)
		}
		at := func(i int) time.Time { return from.Add(time.Duration(i) * 4 * time.Minute) }
		region := func(i int) string { return []string{"KE-047", "KE-001", "KE-030"}[i%3] }
		b, ids := f.comments(texts, at, region, firstID)
		f.write(t, b)
		when, where := map[int64]time.Time{}, map[int64]string{}
		for i, id := range ids {
			when[id], where[id] = at(i), region(i)
		}
		return when, where
	}
	planted, plantedRegion := copies(30, 10_000, burst)

	if err := r.campaigns(ctx, campProcess); err != nil {
		t.Fatal(err)
	}
	found := readCampaigns(t, r)
	if len(found) == 0 {
		t.Fatal("no campaign found")
	}
	c := found[0]
	members := campaignMembers(t, r, c.id)
	hit := 0
	for id := range members {
		if _, ok := planted[id]; ok {
			hit++
		}
	}
	t.Logf("campaigns=%d; planted one: copies=%d (planted %d, %d of them found), exact=%d, peak/h=%d, regions=%s",
		len(found), c.copies, len(planted), hit, c.exact, c.peak, c.regions)
	if hit < 27 || int64(len(members)) != c.copies || hit != len(members) {
		t.Fatalf("campaign holds %d members (copies column %d), %d of the 30 planted copies", len(members), c.copies, hit)
	}
	for _, other := range found[1:] {
		for id := range campaignMembers(t, r, other.id) {
			if _, ok := planted[id]; ok {
				t.Errorf("planted copy %d in a second campaign %d", id, other.id)
			}
		}
	}
	checkCampaign(t, r, c, members, planted, plantedRegion)

	// Nothing new: no detection, so detected_at stays.
	if err := r.campaigns(ctx, campProcess); err != nil {
		t.Fatal(err)
	}
	if again := readCampaigns(t, r); again[0].detected != c.detected {
		t.Errorf("a pass without new texts detected again (%v, then %v)", c.detected, again[0].detected)
	}

	// More copies a day later: same campaign, more copies, later last seen.
	more, moreRegion := copies(12, 20_000, burst.Add(24*time.Hour))
	for id, at := range more {
		planted[id], plantedRegion[id] = at, moreRegion[id]
	}
	if err := r.campaigns(ctx, campProcess); err != nil {
		t.Fatal(err)
	}
	after := readCampaigns(t, r)
	c2 := after[0]
	t.Logf("after 12 more copies: id %d → %d, copies %d → %d", c.id, c2.id, c.copies, c2.copies)
	if c2.id != c.id || c2.copies < c.copies+10 {
		t.Fatalf("campaign %d with %d copies became %d with %d", c.id, c.copies, c2.id, c2.copies)
	}
	if !c2.detected.After(c.detected) {
		t.Error("new copies did not cause a detection")
	}
	checkCampaign(t, r, c2, campaignMembers(t, r, c2.id), planted, plantedRegion)
}

// checkCampaign checks a campaign row against its members' own facts.
func checkCampaign(t *testing.T, r *Runner, c campaignRow, members map[int64]bool, when map[int64]time.Time, where map[int64]string) {
	t.Helper()
	var first, last time.Time
	regions := map[string]int{}
	for id := range members {
		at := when[id]
		if first.IsZero() || at.Before(first) {
			first = at
		}
		if at.After(last) {
			last = at
		}
		regions[where[id]]++
	}
	if !c.first.Equal(first) || !c.last.Equal(last) {
		t.Errorf("first/last seen %v/%v, members say %v/%v", c.first, c.last, first, last)
	}
	var got []struct {
		Region string `json:"region"`
		Copies int    `json:"copies"`
	}
	if err := json.Unmarshal([]byte(c.regions), &got); err != nil {
		t.Fatalf("regions %q: %v", c.regions, err)
	}
	if len(got) != len(regions) {
		t.Errorf("regions %s, members come from %v", c.regions, regions)
	}
	for i, g := range got {
		if regions[g.Region] != g.Copies || (i > 0 && g.Copies > got[i-1].Copies) {
			t.Errorf("regions %s, members come from %v (most first)", c.regions, regions)
		}
	}
	// One template, a member, whose text is the template's.
	var n int64
	var body string
	if err := r.db.QueryRow(`SELECT count(*), any_value(c.body) FROM campaign_members m JOIN comments c ON c.comment_id = m.entity_id
		WHERE m.process_id = ? AND m.campaign_id = ? AND m.is_template`, campProcess, c.id).Scan(&n, &body); err != nil {
		t.Fatal(err)
	}
	if n != 1 || !members[c.templateID] || c.kind != "comment" || strings.TrimSpace(body) != c.template {
		t.Errorf("%d templates; template %s %d (member: %v) %q vs body %q", n, c.kind, c.templateID, members[c.templateID], c.template, body)
	}
	if c.peak < 10 || c.peak > 16 {
		t.Errorf("peak %d per hour; copies came every 4 minutes", c.peak)
	}
}

// TestMatchIDs: ids follow the largest overlaps, not the order found, and
// an unmatched campaign takes an id above every one in use.
func TestMatchIDs(t *testing.T) {
	found := []campaign.Campaign{
		{Members: []string{"a", "b", "c", "x"}}, // mostly old 7
		{Members: []string{"d", "e", "f", "g"}}, // half old 3, half old 7
		{Members: []string{"y", "z"}},           // new
	}
	old := map[string]int64{"a": 7, "b": 7, "c": 7, "d": 3, "e": 3, "f": 7, "g": 7}
	got := matchIDs(found, old, 9)
	if got[0] != 7 || got[1] != 3 || got[2] != 10 {
		t.Fatalf("ids %v, want [7 3 10]", got)
	}
}

// TestCampaignJobScale times the job on campaign.Synthetic texts written as
// comments (CIVICPULSE_INSIGHTS_SCALE=100000 to run).
func TestCampaignJobScale(t *testing.T) {
	n := envInt(t, "CIVICPULSE_INSIGHTS_SCALE")
	if n == 0 {
		t.Skip("set CIVICPULSE_INSIGHTS_SCALE to the number of texts")
	}
	ctx := context.Background()
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	items, _ := campaign.Synthetic(n, 1)
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.Text
	}
	b, _ := f.comments(texts, func(i int) time.Time { return items[i].Time }, func(i int) string { return items[i].Region }, 1)
	f.write(t, b)
	// The job's steps one by one, then the job as a pass runs it.
	start := time.Now()
	read, err := r.campaignItems(ctx, campProcess)
	if err != nil {
		t.Fatal(err)
	}
	tRead := time.Since(start)
	found := campaign.Detect(read, campaign.Options{})
	tDetect := time.Since(start) - tRead
	if err := r.writeCampaigns(ctx, campProcess, found, matchIDs(found, nil, 0)); err != nil {
		t.Fatal(err)
	}
	tWrite := time.Since(start) - tRead - tDetect
	t.Logf("read %v, detect %v, write %v", tRead, tDetect, tWrite)
	start = time.Now()
	if err := r.campaigns(ctx, campProcess); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var camps, members int64
	r.db.QueryRow(`SELECT (SELECT count(*) FROM campaigns), (SELECT count(*) FROM campaign_members)`).Scan(&camps, &members)
	start = time.Now()
	if err := r.campaigns(ctx, campProcess); err != nil {
		t.Fatal(err)
	}
	skip := time.Since(start)
	t.Logf("%d texts: job %v (%d campaigns, %d members written); unchanged pass %v", n, took, camps, members, skip)
}
