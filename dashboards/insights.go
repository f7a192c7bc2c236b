package dashboards

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"
)

// Insights shows what package insights found in the texts: themes (with a
// drill-down), form-letter campaigns and the opinion groups of each
// conversation.
var Insights = &Dashboard{
	Name: "insights", Title: "Themes, campaigns and opinions", Audience: "analysts",
	Panels: []*Panel{
		{Name: "themes", Title: "Themes", ChartKind: "bar", Publishable: true, build: buildThemes,
			Queries: []string{"insight-counting", "insight-themes", "insight-theme-counts", "insight-theme-scopes"},
			Live:    []string{"proposal.created", "comment.created", "survey.completed", "contribution.hidden", "contribution.restored"}},
		{Name: "theme-detail", Title: "Theme", ChartKind: "table", build: buildThemeDetail,
			Queries: []string{"insight-counting", "insight-themes", "insight-theme", "insight-theme-counts", "insight-theme-reps", "insight-theme-stance", "regions"},
			Live:    []string{"proposal.created", "comment.created", "comment.voted", "support.added", "survey.completed", "contribution.hidden", "contribution.restored"}},
		{Name: "campaigns", Title: "Campaigns (form letters)", ChartKind: "bar", Publishable: true, build: buildCampaigns,
			Queries: []string{"insight-counting", "insight-campaigns", "regions"},
			Live:    []string{"proposal.created", "comment.created", "survey.completed", "contribution.hidden", "contribution.restored"}},
		{Name: "opinion-map", Title: "Opinion groups", ChartKind: "scatter", Publishable: true, build: buildOpinionMap,
			Queries: []string{"insight-opinion-run", "insight-opinion-points", "insight-opinion-groups", "insight-opinion-repness", "insight-opinion-consensus"},
			Live:    []string{"comment.voted", "support.added"}},
	},
}

// ErrInvalid: a request the dashboards refuse as it stands (an empty theme
// label, a theme merged into itself); its message is fit for the user.
var ErrInvalid = errors.New("dashboards: invalid")

func (d *Dashboards) regionNames(ctx context.Context, process int64) (map[string]string, error) {
	names := map[string]string{}
	err := d.each(ctx, "regions", map[string]any{"process": process}, func(r *sql.Rows) error {
		var code, name string
		var pop int64
		if err := r.Scan(&code, &name, &pop); err != nil {
			return err
		}
		names[code] = name
		return nil
	})
	return names, err
}

// shorten cuts s to n characters on a word boundary where it can.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)[:n]
	if i := strings.LastIndexByte(string(rs), ' '); i > len(string(rs))/2 {
		return string(rs)[:i] + "…"
	}
	return string(rs) + "…"
}

// chartBars is the most bars a themes or campaigns chart draws: more crowd
// their labels, and the table lists them all.
const chartBars = 15

// largestBars draws a table sorted largest first (labels in column 0, sizes
// in column col) as horizontal bars. ECharts puts a horizontal chart's first
// category at the bottom; reversed, the largest is on top.
func largestBars(t *Table, col int, series string) *Chart {
	labels, vals := t.labels(0), t.column(col)
	if len(labels) > chartBars {
		labels, vals = labels[:chartBars], vals[:chartBars]
	}
	for i := range labels {
		labels[i] = shorten(labels[i], 40)
	}
	slices.Reverse(labels)
	slices.Reverse(vals)
	ch := BarChart(labels, []Series{{Name: series, Values: vals}}, true)
	return &ch
}
