package dashboards

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
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

// countOnceNote is the warning of the panels a count-once process trims.
func countOnceNote(v View) string { return v.T("dash.warn.count_once") }

// campaignRegion is one entry of campaigns.regions.
type campaignRegion struct {
	Region string `json:"region"`
	Copies int64  `json:"copies"`
}

// campaignsShown is how many campaigns the page lists, largest first; the
// download has them all.
const campaignsShown = 100

// templateShown bounds the template in a table cell; the CSV has the same.
const templateShown = 280

func buildCampaigns(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	once, err := d.CountOnce(ctx, v.P.ID)
	if err != nil {
		return nil, err
	}
	// Top regions is Derived and names no counts: a region's copies may be
	// fewer than five when the campaign's are not.
	t := Table{Columns: []Column{{Label: v.T("dash.col.template"), Kind: Text}, {Label: v.T("dash.col.copies"), Kind: Count}, {Label: v.T("dash.col.exact_copies"), Kind: Count},
		{Label: v.T("dash.col.first_seen"), Kind: Text}, {Label: v.T("dash.col.last_seen"), Kind: Text}, {Label: v.T("dash.col.peak_hour"), Kind: Count}, {Label: v.T("dash.col.top_regions"), Kind: Derived}}}
	var copies, total int64
	err = d.each(ctx, "insight-campaigns", map[string]any{"process": v.P.ID, "limit": v.limit(campaignsShown)}, func(r *sql.Rows) error {
		var id, n, exact, peak int64
		var tmpl, regions string
		var hidden bool
		var first, last time.Time
		if err := r.Scan(&id, &tmpl, &hidden, &n, &exact, &first, &last, &peak, &regions, &total); err != nil {
			return err
		}
		if hidden {
			tmpl = v.T("dash.campaign.hidden")
		}
		copies += n
		t.Rows = append(t.Rows, []Cell{text(shorten(tmpl, templateShown)), count(n), count(exact),
			text(v.When(first)), text(v.When(last)), count(peak),
			publicText(topRegions(v, regions, 3, 0), topRegions(v, regions, 3, SmallCell))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := &Result{Table: t}
	r.shortened(total)
	mode := v.T("dash.campaign.mode_every")
	if once {
		mode = v.T("dash.campaign.mode_once")
		r.Warnings = append(r.Warnings, countOnceNote(v))
	}
	if len(t.Rows) == 0 {
		r.Summary = append(r.Summary, v.T("dash.sum.no_campaigns"), v.T("dash.sum.counting", mode))
		return r, nil
	}
	key := "dash.sum.campaigns"
	if len(t.Rows) == 1 {
		key = "dash.sum.campaigns_one"
	}
	r.Summary = append(r.Summary, v.T(key, v.N(int64(len(t.Rows))), v.N(copies), mode))
	r.chart = func(t *Table) *Chart { return largestBars(t, 1, v.T("dash.col.copies")) }
	return r, nil
}

// topRegions names the n regions with most copies, of those with at least
// least copies each (a public page names no region behind fewer than five).
func topRegions(v View, js string, n int, least int64) string {
	var rs []campaignRegion
	if json.Unmarshal([]byte(js), &rs) != nil {
		return "–"
	}
	rs = slices.DeleteFunc(rs, func(x campaignRegion) bool { return x.Copies < least })
	if len(rs) == 0 {
		return "–"
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Copies > rs[j].Copies })
	var out []string
	for _, x := range rs[:min(n, len(rs))] {
		out = append(out, v.P.RegionName(v.L, x.Region))
	}
	return strings.Join(out, ", ")
}
