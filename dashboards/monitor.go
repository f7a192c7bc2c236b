package dashboards

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

var nan = math.NaN()

// InputKinds are the event types counted as inputs, with their labels.
var InputKinds = []struct{ Type, Label string }{
	{"proposal.created", "dash.col.proposals"},
	{"comment.created", "dash.col.comments"},
	{"comment.voted", "dash.col.votes"},
	{"support.added", "dash.col.supports"},
	{"survey.completed", "dash.col.survey_responses"},
}

// Monitor is the officials' live engagement monitor.
var Monitor = &Dashboard{
	Name: "monitor", Title: "Live engagement monitor", Audience: "officials",
	Panels: []*Panel{
		{Name: "inputs", Title: "Inputs over time", Queries: []string{"inputs-by-hour"}, ChartKind: "line",
			Live: []string{"proposal.created", "comment.created", "comment.voted", "support.added", "survey.completed"}, Publishable: true, build: buildInputs},
		{Name: "participants", Title: "Participants", Queries: []string{"new-participants-by-hour", "active-participants-by-day", "active-participants-by-bucket"}, ChartKind: "line",
			Live: []string{"*"}, Publishable: true, build: buildParticipants},
		{Name: "regions", Title: "Engagement rate per region", Queries: []string{"region-engagement", "regions"}, ChartKind: "map",
			Live: []string{"*"}, Publishable: true, build: buildRegions},
		{Name: "funnel", Title: "Visitors → participants → contributors", Queries: []string{"funnel"}, ChartKind: "funnel",
			Live: []string{"*"}, build: buildFunnel},
		{Name: "channels", Title: "Visitors by channel", Queries: []string{"funnel-by-channel"}, ChartKind: "bar",
			Live: []string{"visit"}, build: buildChannels},
		{Name: "visit-length", Title: "Length of engagement", Queries: []string{"visit-length"}, ChartKind: "bar",
			Live: []string{"visit"}, build: buildVisitLength},
		{Name: "devices", Title: "Devices", Queries: []string{"devices"}, ChartKind: "bar",
			Live: []string{"visit"}, build: buildDevices},
		feedbackPanel,
		{Name: "alerts", Title: "Alerts", Queries: []string{"open-alerts", "alert-rules"}, ChartKind: "table",
			Live: []string{"*"}, build: buildAlerts},
	},
}

// hourly reads a query of (UTC hour, kind, n) into points per kind.
func (d *Dashboards) hourly(ctx context.Context, name string, v View) (map[string][]Point, error) {
	out := map[string][]Point{}
	err := d.each(ctx, name, v.args(), func(r *sql.Rows) error {
		var at time.Time
		var kind string
		var n int64
		if err := r.Scan(&at, &kind, &n); err != nil {
			return err
		}
		out[kind] = append(out[kind], Point{At: at.UTC(), N: n})
		return nil
	})
	return out, err
}

func buildInputs(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	cur, err := d.hourly(ctx, "inputs-by-hour", v)
	if err != nil {
		return nil, err
	}
	prev := v
	prev.To, prev.From = v.From, v.From.Add(-v.To.Sub(v.From))
	old, err := d.hourly(ctx, "inputs-by-hour", prev)
	if err != nil {
		return nil, err
	}
	b, pb := v.Buckets(), prev.Buckets()
	t := Table{Columns: []Column{{Label: v.T("dash.col.period"), Kind: Text}}}
	perKind := make([][]int64, len(InputKinds))
	for i, k := range InputKinds {
		t.Columns = append(t.Columns, Column{Label: v.T(k.Label), Kind: Count})
		perKind[i] = b.Fill(cur[k.Type])
	}
	t.Columns = append(t.Columns, Column{Label: v.T("dash.col.total"), Kind: Count}, Column{Label: v.T("dash.col.previous"), Kind: Count})
	var prevPoints []Point
	for _, k := range InputKinds {
		prevPoints = append(prevPoints, old[k.Type]...)
	}
	prevTotals := pb.Fill(prevPoints)
	var total, prevTotal int64
	labels := b.Labels()
	for i := range b.Starts {
		row := []Cell{text(labels[i])}
		var sum int64
		for k := range InputKinds {
			row = append(row, count(perKind[k][i]))
			sum += perKind[k][i]
		}
		p := int64(0)
		if i < len(prevTotals) {
			p = prevTotals[i]
		}
		total += sum
		prevTotal += p
		row = append(row, count(sum), count(p))
		t.Rows = append(t.Rows, row)
	}
	kinds := make([]int, len(InputKinds))
	for k := range kinds {
		kinds[k] = k + 1
	}
	t.SumRows(len(InputKinds)+1, kinds...)
	r := &Result{Table: t}
	r.Summary = append(r.Summary, v.T("dash.sum.inputs", v.N(total), v.N(prevTotal), change(v, total, prevTotal)))
	r.chart = func(t *Table) *Chart {
		var ss []Series
		for k, kind := range InputKinds {
			ss = append(ss, Series{Name: v.T(kind.Label), Values: t.column(k + 1)})
		}
		ss = append(ss, Series{Name: v.T("dash.col.total"), Values: t.column(len(InputKinds) + 1)},
			Series{Name: v.T("dash.series.total_previous"), Values: t.column(len(InputKinds) + 2), Dashed: true})
		c := LineChart(t.labels(0), ss)
		return &c
	}
	return r, nil
}

// change describes cur against prev ("+12%", "new", "no change").
func change(v View, cur, prev int64) string {
	switch {
	case prev == 0 && cur == 0:
		return v.T("dash.change.none")
	case prev == 0:
		return v.T("dash.change.new")
	}
	pct := (float64(cur) - float64(prev)) / float64(prev) * 100
	sign := "+"
	if pct < 0 {
		sign = "−"
	}
	return v.T("dash.change.pct", sign+v.F(math.Abs(pct), 0))
}

func buildParticipants(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	b := v.Buckets()
	var before int64
	var fresh []Point
	err := d.each(ctx, "new-participants-by-hour", v.args(), func(r *sql.Rows) error {
		var p Point
		if err := r.Scan(&p.At, &p.N); err != nil {
			return err
		}
		p.At = p.At.UTC()
		if p.At.Before(v.From) {
			before += p.N
		} else {
			fresh = append(fresh, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	news := b.Fill(fresh)
	active := make([]int64, b.Len())
	// Days come from the daily rollup; hours (views of three days at most)
	// from those days' facts.
	query := "active-participants-by-day"
	if v.Grain != "day" {
		query = "active-participants-by-bucket"
	}
	err = d.each(ctx, query, v.args(), func(r *sql.Rows) error {
		var at time.Time
		var n int64
		if err := r.Scan(&at, &n); err != nil {
			return err
		}
		// The query returns local wall time as a zone-less timestamp.
		local := time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), 0, 0, 0, v.P.TimeZone)
		if i := b.Index(local); i >= 0 {
			active[i] += n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t := Table{Columns: []Column{{Label: v.T("dash.col.period"), Kind: Text}, {Label: v.T("dash.col.new"), Kind: Count}, {Label: v.T("dash.col.returning"), Kind: Count},
		{Label: v.T("dash.col.active"), Kind: Count}, {Label: v.T("dash.col.cumulative"), Kind: Count}, {Label: v.T("dash.col.target"), Kind: Number}}}
	cum := before
	labels := b.Labels()
	for i := range b.Starts {
		cum += news[i]
		ret := max(active[i]-news[i], 0)
		target := nullCell()
		if v.P.Target > 0 {
			target = num(float64(v.P.Target))
		}
		t.Rows = append(t.Rows, []Cell{text(labels[i]), count(news[i]), count(ret), count(active[i]), count(cum), target})
		if active[i] >= news[i] { // active = new + returning
			t.Relations = append(t.Relations, Relation{Cells: []CellRef{{i, 3}, {i, 1}, {i, 2}}, Coefs: []float64{1, -1, -1}, Prefer: 0})
		}
	}
	t.RunningSum(4, 1, float64(before))
	r := &Result{Table: t}
	s := v.T("dash.sum.participants", v.N(cum))
	if v.P.Target > 0 {
		s = v.T("dash.sum.participants_target", v.N(cum), v.N(v.P.Target), v.F(float64(cum)/float64(v.P.Target)*100, 0))
	}
	r.Summary = append(r.Summary, s)
	r.chart = func(t *Table) *Chart {
		ss := []Series{
			{Name: v.T("dash.col.new"), Values: t.column(1)},
			{Name: v.T("dash.col.returning"), Values: t.column(2)},
			{Name: v.T("dash.col.cumulative"), Values: t.column(4)},
		}
		if v.P.Target > 0 {
			ss = append(ss, Series{Name: v.T("dash.col.target"), Values: t.column(5), Dashed: true})
		}
		c := LineChart(t.labels(0), ss)
		return &c
	}
	return r, nil
}

// RegionRate is one region's engagement.
type RegionRate struct {
	Code, Name   string
	Population   int64
	Participants int64
	PerThousand  float64
	FarBelow     bool // under half the median rate
}

// RegionRates computes participants per 1,000 residents and flags regions
// under half the median rate.
func (d *Dashboards) RegionRates(ctx context.Context, v View) ([]RegionRate, float64, error) {
	var out []RegionRate
	err := d.each(ctx, "region-engagement", v.args(), func(r *sql.Rows) error {
		var x RegionRate
		if err := r.Scan(&x.Code, &x.Name, &x.Population, &x.Participants); err != nil {
			return err
		}
		if x.Population > 0 {
			x.PerThousand = float64(x.Participants) / float64(x.Population) * 1000
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	rates := make([]float64, len(out))
	for i, x := range out {
		rates[i] = x.PerThousand
	}
	med := median(rates)
	for i := range out {
		out[i].FarBelow = out[i].PerThousand < med/2
	}
	return out, med, nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func buildRegions(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	rates, med, err := d.RegionRates(ctx, v)
	if err != nil {
		return nil, err
	}
	t := Table{Columns: []Column{{Label: v.T("dash.col.region"), Kind: Text}, {Label: v.T("dash.col.population"), Kind: Number},
		{Label: v.T("dash.col.participants"), Kind: Count}, {Label: v.T("dash.col.per_thousand"), Kind: Derived, Unit: "per 1,000"}, {Label: v.T("dash.col.far_below"), Kind: Text}}}
	var below []string
	for _, x := range rates {
		flag := ""
		if x.FarBelow {
			flag = v.T("dash.yes")
			below = append(below, x.Name)
		}
		rate := share(x.PerThousand)
		rate.Flag = x.FarBelow
		name := text(x.Name)
		name.Flag = x.FarBelow
		t.Rows = append(t.Rows, []Cell{name, num(float64(x.Population)), count(x.Participants), rate, text(flag)})
	}
	r := &Result{Table: t}
	r.Summary = append(r.Summary, v.T("dash.sum.median_rate", v.F(med, 2)))
	if len(below) > 0 {
		r.Warnings = append(r.Warnings, v.T("dash.warn.far_below", v.N(int64(len(below))), joinShort(v, below, 8)))
	}
	r.chart = func(t *Table) *Chart {
		areas := make([]Area, len(t.Rows))
		vals := t.column(3)
		for i, row := range t.Rows {
			areas[i] = Area{Name: row[0].Text, Value: vals[i], Flag: row[0].Flag}
		}
		c := MapChart(v.T("dash.col.per_thousand"), areas)
		return &c
	}
	return r, nil
}

func joinShort(v View, xs []string, n int) string {
	s := ""
	for i, x := range xs {
		if i == n {
			return s + v.T("dash.and_more", v.N(int64(len(xs)-n)))
		}
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s
}

func buildFunnel(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	var visitors, participants, contributors int64
	if err := d.queryRow(ctx, "funnel", v.args()).Scan(&visitors, &participants, &contributors); err != nil {
		return nil, fmt.Errorf("dashboards: unable to run funnel: %w", err)
	}
	t := Table{Columns: []Column{{Label: v.T("dash.col.stage"), Kind: Text}, {Label: v.T("dash.col.people"), Kind: Count}, {Label: v.T("dash.col.of_visitors"), Kind: Derived, Unit: "%"}}}
	for _, s := range []struct {
		name string
		n    int64
	}{{v.T("dash.col.visitors"), visitors}, {v.T("dash.col.participants"), participants}, {v.T("dash.col.contributors"), contributors}} {
		c := nullCell()
		if visitors > 0 {
			c = share(float64(s.n) / float64(visitors))
		}
		t.Rows = append(t.Rows, []Cell{text(s.name), count(s.n), c})
	}
	r := &Result{Table: t}
	r.Summary = append(r.Summary, v.T("dash.sum.funnel"))
	r.chart = func(t *Table) *Chart {
		vals := t.column(1)
		stages := make([]Area, len(t.Rows))
		for i, row := range t.Rows {
			stages[i] = Area{Name: row[0].Text, Value: vals[i]}
		}
		c := FunnelChart(v.T("dash.panel.funnel"), stages)
		return &c
	}
	return r, nil
}

func buildChannels(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	t := Table{Columns: []Column{{Label: v.T("dash.col.channel"), Kind: Text}, {Label: v.T("dash.col.visitors"), Kind: Count}, {Label: v.T("dash.col.engaged"), Kind: Count},
		{Label: v.T("dash.col.opened_form"), Kind: Count}, {Label: v.T("dash.col.engaged_share"), Kind: Derived, Unit: "%"}}}
	rows, err := d.ChannelCounts(ctx, v)
	if err != nil {
		return nil, err
	}
	for _, c := range rows {
		rate := nullCell()
		if c.Visitors > 0 {
			rate = share(float64(c.Engaged) / float64(c.Visitors))
		}
		t.Rows = append(t.Rows, []Cell{text(translated(v.loc(), "dash.channel."+c.Channel, c.Channel)), count(c.Visitors), count(c.Engaged), count(c.Started), rate})
	}
	r := &Result{Table: t}
	r.chart = func(t *Table) *Chart {
		c := BarChart(t.labels(0), []Series{{Name: v.T("dash.col.visitors"), Values: t.column(1)}, {Name: v.T("dash.col.engaged"), Values: t.column(2)}, {Name: v.T("dash.col.opened_form"), Values: t.column(3)}}, true)
		return &c
	}
	return r, nil
}

func buildVisitLength(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	counts := make([]int64, 6)
	err := d.each(ctx, "visit-length", v.args(), func(r *sql.Rows) error {
		var band, n int64
		if err := r.Scan(&band, &n); err != nil {
			return err
		}
		if band >= 1 && band <= 5 {
			counts[band] = n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t := Table{Columns: []Column{{Label: v.T("dash.col.first_to_last"), Kind: Text}, {Label: v.T("dash.col.visitors"), Kind: Count}}}
	for b := int64(1); b <= 5; b++ {
		t.Rows = append(t.Rows, []Cell{text(v.T(fmt.Sprintf("dash.band.%d", b))), count(counts[b])})
	}
	return &Result{Table: t, chart: func(t *Table) *Chart {
		c := BarChart(t.labels(0), []Series{{Name: v.T("dash.col.visitors"), Values: t.column(1)}}, false)
		return &c
	}}, nil
}

func buildDevices(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	type dev struct {
		name string
		n    int64
	}
	var ds []dev
	var total int64
	err := d.each(ctx, "devices", v.args(), func(r *sql.Rows) error {
		var x dev
		if err := r.Scan(&x.name, &x.n); err != nil {
			return err
		}
		total += x.n
		ds = append(ds, x)
		return nil
	})
	if err != nil {
		return nil, err
	}
	t := Table{Columns: []Column{{Label: v.T("dash.col.device"), Kind: Text}, {Label: v.T("dash.col.visitors"), Kind: Count}, {Label: v.T("dash.col.share"), Kind: Derived, Unit: "%"}}}
	for _, x := range ds {
		t.Rows = append(t.Rows, []Cell{text(translated(v.loc(), "dash.device."+x.name, x.name)), count(x.n), share(float64(x.n) / float64(max(total, 1)))})
	}
	return &Result{Table: t, chart: func(t *Table) *Chart {
		c := BarChart(t.labels(0), []Series{{Name: v.T("dash.col.visitors"), Values: t.column(1)}}, true)
		return &c
	}}, nil
}

func buildAlerts(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	t := Table{Columns: []Column{{Label: v.T("dash.col.alert"), Kind: Text}, {Label: v.T("dash.col.value"), Kind: Number}, {Label: v.T("dash.col.raised"), Kind: Text}}}
	rules, err := d.AlertRules(ctx, v.P.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]AlertRule{}
	for _, a := range rules {
		byID[a.ID] = a
	}
	err = d.each(ctx, "open-alerts", v.args(), func(r *sql.Rows) error {
		var rule int64
		var msg string
		var val float64
		var at time.Time
		if err := r.Scan(&rule, &msg, &val, &at); err != nil {
			return err
		}
		m := text(alertText(v, byID[rule], msg, val))
		m.Flag = true
		t.Rows = append(t.Rows, []Cell{m, num(val), text(v.When(at))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := &Result{Table: t}
	if len(t.Rows) == 0 {
		r.Summary = append(r.Summary, v.T("dash.sum.no_alerts", v.N(int64(len(rules)))))
	}
	return r, nil
}
