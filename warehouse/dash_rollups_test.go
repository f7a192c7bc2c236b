package warehouse

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// dashWorld is a random history: events, visits and supports of two
// processes in two time zones, with late arrivals (an event whose
// occurred_at is earlier than ones written before it).
func dashWorld(seed uint64, n int) []Event {
	r := rand.New(rand.NewPCG(seed, 3))
	t0 := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	kinds := []string{"proposal.created", "comment.created", "comment.voted", "support.added", "support.removed", "survey.completed", "registration.completed"}
	var out []Event
	for i := 0; i < n; i++ {
		at := t0.Add(time.Duration(i)*7*time.Minute + time.Duration(r.IntN(40))*time.Second)
		if r.IntN(10) == 0 {
			at = at.Add(-time.Duration(r.IntN(30)) * time.Hour) // late
		}
		e := Event{Seq: int64(i + 1), ProcessID: int64(1 + r.IntN(2)), OccurredAt: at}
		if r.IntN(3) == 0 {
			e.Type = "visit"
		} else {
			e.Type = kinds[r.IntN(len(kinds))]
			e.Participant = "p" + strconv.Itoa(r.IntN(25))
			e.RegionCode = []string{"", "01", "02", "03"}[r.IntN(4)]
			e.ComponentID = int64(r.IntN(3)) * 10 // 0: no component
			e.EntityID = int64(1 + r.IntN(6))
		}
		out = append(out, e)
	}
	return out
}

// dashBatches turns events into batches of the given size, with their
// visit and support facts.
func dashBatches(r *rand.Rand, events []Event, size int) []*Batch {
	var out []*Batch
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	b := &Batch{Dimensions: Dimensions{Processes: []ProcessDim{
		{ProcessID: 1, Slug: "a", Title: "A", TimeZone: "Africa/Nairobi", StartsAt: &start},
		{ProcessID: 2, Slug: "b", Title: "B", TimeZone: "America/St_Johns", StartsAt: &start}, // UTC-3:30
	}}}
	for i, e := range events {
		b.Events = append(b.Events, e)
		switch e.Type {
		case "visit":
			v := Visit{Seq: e.Seq, ProcessID: e.ProcessID, ComponentID: int64(r.IntN(3)) * 10, VisitorHash: "v" + strconv.Itoa(r.IntN(12)),
				Path: []string{"/p/x", "/p/x/c/10/new", "/p/x/c/20/survey"}[r.IntN(3)], Device: []string{"mobile", "desktop"}[r.IntN(2)], OccurredAt: e.OccurredAt}
			switch r.IntN(4) {
			case 0:
				v.UTMCampaign = "radio"
			case 1:
				v.Referrer = "news.example"
			}
			b.Visits = append(b.Visits, v)
		case "proposal.created":
			b.Proposals = append(b.Proposals, Proposal{Seq: e.Seq, ProposalID: e.Seq, ProcessID: e.ProcessID, ComponentID: e.ComponentID, Participant: e.Participant,
				RegionCode: e.RegionCode, Title: "x", BudgetMinor: int64(r.IntN(1000)), Tags: [][]string{nil, {"roads"}, {"water", "roads"}, {"roads", "roads"}}[r.IntN(4)], OccurredAt: e.OccurredAt})
		case "support.added", "support.removed":
			d := int8(1)
			if e.Type == "support.removed" {
				d = -1
			}
			b.Supports = append(b.Supports, Support{Seq: e.Seq, ProposalID: e.EntityID, ProcessID: e.ProcessID, ComponentID: e.ComponentID, Participant: e.Participant, RegionCode: e.RegionCode, Delta: d, OccurredAt: e.OccurredAt})
		}
		if len(b.Events) == size || i == len(events)-1 {
			b.To, b.Consumed = Cursor{Seq: e.Seq}, int64(len(b.Events))
			out = append(out, b)
			b = &Batch{}
		}
	}
	return out
}

func writeAll(t *testing.T, w *Warehouse, bs []*Batch) {
	t.Helper()
	for _, b := range bs {
		if err := w.Write(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
}

// tagVariants: each proposal once per distinct tag and once with tag ”,
// in each filter combination, proposals without a region under '(none)'.
const tagVariants = `
	WITH t AS (
		SELECT process_id, component_id, CASE WHEN region_code = '' THEN '(none)' ELSE region_code END AS region_code,
		       unnest(list_distinct(list_prepend('', tags))) AS tag, participant, budget_minor, occurred_at
		FROM proposals
	)
	SELECT process_id, CASE WHEN bc THEN component_id ELSE 0 END AS component_id, CASE WHEN br THEN region_code ELSE '' END AS region_code,
	       tag, participant, budget_minor, occurred_at
	FROM t, (SELECT unnest([false, true]) AS bc), (SELECT unnest([false, true]) AS br)
	WHERE NOT bc OR component_id <> 0`

// dashDefinitions compute each rollup straight from the facts, as the
// panels did before the rollups; the rollup tables must equal them.
var dashDefinitions = map[string]string{
	"dash_hourly": `
		SELECT process_id, c AS component_id, r AS region_code, type AS kind, date_trunc('hour', occurred_at) AS bucket, count(*) AS n
		FROM events, (SELECT unnest([false, true]) AS bc), (SELECT unnest([false, true]) AS br),
		     LATERAL (SELECT CASE WHEN bc THEN component_id ELSE 0 END AS c, CASE WHEN br THEN region_code ELSE '' END AS r)
		WHERE (NOT bc OR component_id <> 0) AND (NOT br OR region_code <> '')
		GROUP BY ALL`,
	"dash_new_hourly": `
		WITH v AS (
			SELECT process_id, CASE WHEN bc THEN component_id ELSE 0 END AS component_id, CASE WHEN br THEN region_code ELSE '' END AS region_code,
			       type, participant, occurred_at
			FROM events, (SELECT unnest([false, true]) AS bc), (SELECT unnest([false, true]) AS br)
			WHERE participant <> '' AND (NOT bc OR component_id <> 0) AND (NOT br OR region_code <> '')
		), f AS (
			SELECT process_id, component_id, region_code, 'any' AS role, participant, min(occurred_at) AS first_at FROM v GROUP BY ALL
			UNION ALL
			SELECT process_id, component_id, region_code, 'contributor', participant, min(occurred_at) FROM v
			WHERE type IN ('proposal.created', 'comment.created', 'survey.completed', 'survey.answered') GROUP BY ALL
		)
		SELECT process_id, component_id, region_code, role, date_trunc('hour', first_at) AS bucket, count(*) AS n FROM f GROUP BY ALL`,
	"dash_active_daily": `
		SELECT e.process_id, CASE WHEN bc THEN e.component_id ELSE 0 END AS component_id, CASE WHEN br THEN e.region_code ELSE '' END AS region_code,
		       date_trunc('day', (e.occurred_at AT TIME ZONE 'UTC') AT TIME ZONE p.time_zone) AS day, count(DISTINCT e.participant) AS n
		FROM events e JOIN dim_processes p USING (process_id), (SELECT unnest([false, true]) AS bc), (SELECT unnest([false, true]) AS br)
		WHERE e.participant <> '' AND (NOT bc OR e.component_id <> 0) AND (NOT br OR e.region_code <> '')
		GROUP BY ALL`,
	"dash_visitor_cube": `
		WITH v AS (
			SELECT process_id, component_id, visitor_hash, occurred_at, path, device,
			       CASE WHEN utm_campaign <> '' THEN 'campaign: ' || utm_campaign WHEN utm_source <> '' THEN 'source: ' || utm_source
			            WHEN referrer <> '' THEN 'site: ' || referrer ELSE 'direct' END AS channel
			FROM visits
		), x AS (
			SELECT process_id, component_id, visitor_hash, channel, device, occurred_at, component_id <> 0 AS engaged,
			       path LIKE '%/new' OR path LIKE '%/survey%' AS started FROM v
			UNION ALL
			SELECT process_id, 0, visitor_hash, channel, device, occurred_at, component_id <> 0, path LIKE '%/new' OR path LIKE '%/survey%'
			FROM v WHERE component_id <> 0
		), per AS (
			SELECT process_id, component_id, date_trunc('day', occurred_at) AS day, visitor_hash, min(occurred_at) AS first_at, epoch(max(occurred_at)) - epoch(min(occurred_at)) AS secs,
			       min({'at': occurred_at, 'channel': channel, 'device': device}) AS fv, bool_or(engaged) AS engaged, bool_or(started) AS started
			FROM x GROUP BY ALL
		)
		SELECT process_id, component_id, date_trunc('hour', first_at) AS bucket, fv.channel AS channel, fv.device AS device,
		       CASE WHEN secs < 60 THEN 1 WHEN secs < 300 THEN 2 WHEN secs < 900 THEN 3 WHEN secs < 3600 THEN 4 ELSE 5 END AS band,
		       engaged, started, count(*) AS n
		FROM per GROUP BY ALL`,
	"dash_proposal_budget": `
		WITH v AS (` + tagVariants + `), p AS (
			SELECT process_id, component_id, region_code, tag, date_trunc('hour', occurred_at) AS bucket, count(*) AS proposals, sum(budget_minor) AS budget_minor
			FROM v GROUP BY ALL
		), a AS (
			SELECT process_id, component_id, region_code, tag, date_trunc('hour', first_at) AS bucket, count(*) AS n
			FROM (SELECT process_id, component_id, region_code, tag, participant, min(occurred_at) AS first_at FROM v WHERE participant <> '' GROUP BY ALL)
			GROUP BY ALL
		)
		SELECT p.process_id, p.component_id, p.region_code, p.tag, p.bucket, p.proposals, p.budget_minor, coalesce(a.n, 0) AS new_authors
		FROM p LEFT JOIN a USING (process_id, component_id, region_code, tag, bucket)`,
	"dash_proposal_supports": `
		SELECT coalesce(p.process_id, s.process_id), coalesce(p.proposal_id, s.proposal_id), coalesce(p.component_id, 0), coalesce(p.region_code, ''),
		       coalesce(p.occurred_at, TIMESTAMP '1970-01-01'), coalesce(s.supports, 0), coalesce(s.supporters, 0)
		FROM proposals p
		FULL JOIN (SELECT process_id, proposal_id, sum(delta) AS supports, count(DISTINCT participant) AS supporters FROM supports GROUP BY ALL) s
		  ON s.process_id = p.process_id AND s.proposal_id = p.proposal_id`,
}

func diffRows(t *testing.T, w *Warehouse, a, b string) int64 {
	t.Helper()
	return count(t, w, fmt.Sprintf(`SELECT count(*) FROM (
		(SELECT * FROM (%[1]s) EXCEPT ALL SELECT * FROM (%[2]s)) UNION ALL (SELECT * FROM (%[2]s) EXCEPT ALL SELECT * FROM (%[1]s)))`, a, b))
}

// TestDashRollupsEqualTheirDefinitions writes a random history in small
// batches, with late events, and checks each rollup against the same
// aggregate over the facts.
func TestDashRollupsEqualTheirDefinitions(t *testing.T) {
	w, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r := rand.New(rand.NewPCG(5, 6))
	writeAll(t, w, dashBatches(r, dashWorld(1, 1500), 37))
	for table, def := range dashDefinitions {
		n := count(t, w, "SELECT count(*) FROM "+table)
		if n == 0 {
			t.Errorf("%s is empty: the comparison proves nothing", table)
		}
		if d := diffRows(t, w, "SELECT * FROM "+table, def); d != 0 {
			t.Errorf("%s: %d rows differ from the facts' aggregate (of %d)", table, d, n)
		}
	}
	for _, table := range []string{"dash_stage_events", "dash_stage_visits", "dash_stage_supports", "dash_stage_delta", "dash_stage_visitors", "dash_stage_proposals"} {
		if n := count(t, w, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("%s holds %d rows after the batches", table, n)
		}
	}
	if n := count(t, w, "SELECT count(*) FROM dash_new_hourly WHERE n <= 0") + count(t, w, "SELECT count(*) FROM dash_visitor_cube WHERE n <= 0"); n != 0 {
		t.Errorf("%d count rows at zero or below", n)
	}
}

// TestDashRollupsIndependentOfBatching: the same history in other batch
// sizes gives the same rollup rows (what a rebuild relies on).
func TestDashRollupsIndependentOfBatching(t *testing.T) {
	events := dashWorld(2, 800)
	dir := t.TempDir()
	path := func(size int) string { return fmt.Sprintf("%s/w%d.duckdb", dir, size) }
	open := func(size int) *Warehouse {
		w, err := Open(path(size))
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(9, 9)) // same visits and supports whatever the size
		writeAll(t, w, dashBatches(r, events, size))
		return w
	}
	small := open(5)
	defer small.Close()
	big := open(800)
	big.Close()
	if _, err := small.Read().Exec(fmt.Sprintf(`ATTACH '%s' AS big (READ_ONLY)`, path(800))); err != nil {
		t.Fatal(err)
	}
	for _, table := range dashRollupTables {
		if d := diffRows(t, small, "SELECT * FROM main."+table, "SELECT * FROM big."+table); d != 0 {
			t.Errorf("%s: %d rows differ between batches of 5 and one batch", table, d)
		}
	}
}
