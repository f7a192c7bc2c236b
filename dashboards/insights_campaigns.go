package dashboards

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// CountOnce reports the process's campaign counting: true when each
// campaign counts once (its template), false when every copy counts.
func (d *Dashboards) CountOnce(ctx context.Context, process int64) (bool, error) {
	var once bool
	if err := d.queryRow(ctx, "insight-counting", map[string]any{"process": process}).Scan(&once); err != nil {
		return false, fmt.Errorf("dashboards: unable to read campaign counting of process %d: %w", process, err)
	}
	return once, nil
}

// SetCountOnce records the official's choice; one row per process, replaced
// in one transaction so a reader never sees none.
func (d *Dashboards) SetCountOnce(ctx context.Context, process int64, once bool) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("dashboards: unable to set campaign counting: %w", err)
	}
	defer tx.Rollback()
	for _, st := range []struct {
		name string
		vals map[string]any
	}{
		{"insight-counting-clear", map[string]any{"process": process}},
		{"insight-counting-set", map[string]any{"process": process, "count_once": once, "now": d.now().UTC()}},
	} {
		args, err := d.q.Args(st.name, st.vals)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, d.q.SQL(st.name), args...); err != nil {
			return fmt.Errorf("dashboards: unable to set campaign counting: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("dashboards: unable to set campaign counting: %w", err)
	}
	return nil
}

const countOnceNote = "Campaigns count once: copies of a form letter other than its template are left out."

// campaignRegion is one entry of campaigns.regions.
type campaignRegion struct {
	Region string `json:"region"`
	Copies int64  `json:"copies"`
}

// templateShown bounds the template in a table cell; the CSV has the same.
const templateShown = 280

func buildCampaigns(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	once, err := d.CountOnce(ctx, v.P.ID)
	if err != nil {
		return nil, err
	}
	// Top regions is Derived and names no counts: a region's copies may be
	// fewer than five when the campaign's are not.
	t := Table{Columns: []Column{{Label: "Template", Kind: Text}, {Label: "Copies", Kind: Count}, {Label: "Exact copies", Kind: Count},
		{Label: "First seen", Kind: Text}, {Label: "Last seen", Kind: Text}, {Label: "Peak per hour", Kind: Count}, {Label: "Top regions", Kind: Derived}}}
	var copies int64
	err = d.each(ctx, "insight-campaigns", map[string]any{"process": v.P.ID}, func(r *sql.Rows) error {
		var id, n, exact, peak int64
		var tmpl, regions string
		var hidden bool
		var first, last time.Time
		if err := r.Scan(&id, &tmpl, &hidden, &n, &exact, &first, &last, &peak, &regions); err != nil {
			return err
		}
		if hidden {
			tmpl = "(template hidden by moderation)"
		}
		copies += n
		t.Rows = append(t.Rows, []Cell{text(shorten(tmpl, templateShown)), count(n), count(exact),
			text(first.In(v.P.TimeZone).Format("Jan 2 15:04")), text(last.In(v.P.TimeZone).Format("Jan 2 15:04")), count(peak),
			text(topRegions(v, regions, 3))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := &Result{Table: t}
	mode := "every copy counts in the other panels"
	if once {
		mode = "each campaign counts once in the other panels"
		r.Warnings = append(r.Warnings, countOnceNote)
	}
	if len(t.Rows) == 0 {
		r.Summary = append(r.Summary, "No campaigns found: no text was sent in many near-identical copies.", "Counting: "+mode+".")
		return r, nil
	}
	r.Summary = append(r.Summary, fmt.Sprintf("%s, %s copies in all; counting: %s.", plural(len(t.Rows), "campaign"), thousands(copies), mode))
	r.chart = func(t *Table) *Chart { return largestBars(t, 1, "Copies") }
	return r, nil
}

func topRegions(v View, js string, n int) string {
	var rs []campaignRegion
	if json.Unmarshal([]byte(js), &rs) != nil || len(rs) == 0 {
		return "–"
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Copies > rs[j].Copies })
	var out []string
	for _, x := range rs[:min(n, len(rs))] {
		out = append(out, v.P.RegionName(v.L, x.Region))
	}
	return strings.Join(out, ", ")
}
