package warehouse

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
)

// The dashboards' rollups (migrations/003_dash_rollups.sql) are facts like
// any other: rebuilt from the outbox, compared row for row by the rebuild
// test, never copied over by CopyOtherTablesFrom.
var dashRollupTables = []string{
	"dash_hourly", "dash_participants", "dash_new_hourly", "dash_active_members", "dash_active_daily",
	"dash_visitors", "dash_visitor_cube", "dash_proposal_supports", "dash_proposal_budget",
}

// dashSteps run in this order after each batch's facts and dimensions.
var dashSteps = []string{
	"dash-hourly-update", "dash-hourly-insert", "dash-budget-update", "dash-budget-insert",
	"dash-people-stage", "dash-new-delta", "dash-participants-update", "dash-participants-insert",
	"dash-new-update", "dash-new-insert", "dash-new-prune", "dash-budget-authors",
	"dash-active-stage", "dash-active-delta", "dash-active-members", "dash-active-update", "dash-active-insert",
	"dash-visitors-merge", "dash-visitors-delta", "dash-visitors-update", "dash-visitors-insert",
	"dash-cube-update", "dash-cube-insert", "dash-cube-prune",
	"dash-proposals-created", "dash-proposals-stage", "dash-proposals-update", "dash-proposals-insert",
	"dash-stage-clear",
}

// dashStepInput names the staged input of the steps that read nothing
// else, so that a batch without it skips them: a live batch's write is
// mostly these statements' fixed cost, and it rarely holds a proposal.
var dashStepInput = map[string]string{
	"dash-budget-update": "tags", "dash-budget-insert": "tags", "dash-budget-authors": "tags", "dash-proposals-created": "tags",
	"dash-visitors-merge": "visits", "dash-visitors-delta": "visits", "dash-visitors-update": "visits", "dash-visitors-insert": "visits",
	"dash-cube-update": "visits", "dash-cube-insert": "visits", "dash-cube-prune": "visits",
	"dash-proposals-stage": "supports", "dash-proposals-update": "supports", "dash-proposals-insert": "supports",
}

func init() {
	FactTables = append(FactTables, dashRollupTables...)
	statementNames = append(statementNames, dashSteps...)
}

// NoRegion is the region code under which the proposal rollups count
// proposals without a region (” means every region there).
const NoRegion = "(none)"

// boundsMargin widens the batch's time range for the scans of membership
// tables: a process-local day starts up to 14 hours before its UTC day.
const boundsMargin = 48 * time.Hour

// updateDashRollups stages the batch's events, visits and supports and runs
// the rollup statements on conn's open transaction.
func (w *Warehouse) updateDashRollups(ctx context.Context, conn driver.Conn, b *Batch) error {
	if len(b.Events) == 0 && len(b.Visits) == 0 && len(b.Supports) == 0 && len(b.Proposals) == 0 {
		return nil
	}
	var lo, hi time.Time
	widen := func(t time.Time) {
		if lo.IsZero() || t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	for _, e := range b.Events {
		widen(e.OccurredAt)
	}
	for _, v := range b.Visits {
		widen(v.OccurredAt)
	}
	for _, s := range b.Supports {
		widen(s.OccurredAt)
	}
	var tags [][]driver.Value
	for _, p := range b.Proposals {
		widen(p.OccurredAt)
		region := p.RegionCode
		if region == "" {
			region = NoRegion
		}
		seen := map[string]bool{}
		for _, tag := range append([]string{""}, p.Tags...) {
			if !seen[tag] {
				seen[tag] = true
				tags = append(tags, []driver.Value{p.ProcessID, p.ProposalID, p.ComponentID, region, tag, p.Participant, p.BudgetMinor, p.OccurredAt})
			}
		}
	}
	if err := appendRows(conn, "dash_stage_tags", tags, func(r []driver.Value) []driver.Value { return r }); err != nil {
		return err
	}
	if err := appendRows(conn, "dash_stage_events", b.Events, func(e Event) []driver.Value {
		return []driver.Value{e.ProcessID, e.ComponentID, e.RegionCode, e.Type, e.Participant, e.OccurredAt}
	}); err != nil {
		return err
	}
	if err := appendRows(conn, "dash_stage_hourly", hourlyCounts(b.Events), func(c hourlyCount) []driver.Value {
		return []driver.Value{c.process, c.component, c.region, c.kind, c.bucket, c.n}
	}); err != nil {
		return err
	}
	if err := appendRows(conn, "dash_stage_visits", b.Visits, func(v Visit) []driver.Value {
		return []driver.Value{v.ProcessID, v.ComponentID, v.VisitorHash, Channel(v), v.Device, v.ComponentID != 0, StartedForm(v.Path), v.OccurredAt}
	}); err != nil {
		return err
	}
	if err := appendRows(conn, "dash_stage_supports", b.Supports, func(s Support) []driver.Value {
		return []driver.Value{s.ProcessID, s.ProposalID, s.Participant, int64(s.Delta), s.Seq}
	}); err != nil {
		return err
	}
	from, to := lo.Add(-boundsMargin), hi.Add(boundsMargin)
	staged := map[string]bool{"tags": len(tags) > 0, "visits": len(b.Visits) > 0, "supports": len(b.Supports) > 0}
	for _, name := range dashSteps {
		if in, ok := dashStepInput[name]; ok && !staged[in] {
			continue
		}
		q := w.q.Get(name)
		var args []any
		if strings.Contains(q, "$1") {
			args = []any{from, to}
		}
		if err := execArgs(ctx, conn, q, args...); err != nil {
			return fmt.Errorf("warehouse: unable to update dashboard rollups (%s): %w", name, err)
		}
	}
	return nil
}

type hourlyKey struct {
	process, component int64
	region, kind       string
	bucket             time.Time
}

type hourlyCount struct {
	hourlyKey
	n int64
}

// hourlyCounts counts events per dash_hourly key in each filter combination
// (over all components and regions, per component, per region, per both),
// as dash_stage_events_v would, in the order first seen.
func hourlyCounts(events []Event) []hourlyCount {
	idx := map[hourlyKey]int{}
	var out []hourlyCount
	add := func(k hourlyKey) {
		if i, ok := idx[k]; ok {
			out[i].n++
			return
		}
		idx[k] = len(out)
		out = append(out, hourlyCount{k, 1})
	}
	for _, e := range events {
		k := hourlyKey{process: e.ProcessID, kind: e.Type, bucket: e.OccurredAt.UTC().Truncate(time.Hour)}
		add(k)
		if e.RegionCode != "" {
			r := k
			r.region = e.RegionCode
			add(r)
		}
		if e.ComponentID != 0 {
			c := k
			c.component = e.ComponentID
			add(c)
			if e.RegionCode != "" {
				c.region = e.RegionCode
				add(c)
			}
		}
	}
	return out
}

// Channel is how a visit reached the process: its campaign, else its
// source, else the referring site, else direct.
func Channel(v Visit) string {
	switch {
	case v.UTMCampaign != "":
		return "campaign: " + v.UTMCampaign
	case v.UTMSource != "":
		return "source: " + v.UTMSource
	case v.Referrer != "":
		return "site: " + v.Referrer
	}
	return "direct"
}

// StartedForm reports whether a page is a participation form (a new
// proposal, a survey).
func StartedForm(path string) bool {
	return strings.HasSuffix(path, "/new") || strings.Contains(path, "/survey")
}
