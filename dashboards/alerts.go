package dashboards

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Alert rule kinds.
const (
	InputsBelow     = "inputs_below"      // fewer than Threshold inputs in the last WindowHours
	RegionRateBelow = "region_rate_below" // a region under Threshold participants per 1,000
)

// AlertRule is a threshold an official set. The rules are the officials'
// decisions the store keeps; the ingester writes them to dash_alert_rules,
// which this package only reads.
type AlertRule struct {
	ID          int64
	ProcessID   int64
	Kind        string
	Threshold   float64
	WindowHours int
}

// alertDetail is what a raised alert stores besides its value: the
// language-neutral facts its message is written from when a page shows it,
// in the viewer's language.
type alertDetail struct {
	Regions []string `json:"regions,omitempty"` // names of the regions under the threshold
}

func (a alertDetail) encode() string {
	b, _ := json.Marshal(a)
	return string(b)
}

// alertText is a raised alert in the view's language. An alert stored
// before details were (an English sentence) shows as stored.
func alertText(v View, rule AlertRule, stored string, val float64) string {
	var det alertDetail
	if !strings.HasPrefix(stored, "{") || json.Unmarshal([]byte(stored), &det) != nil {
		return stored
	}
	switch rule.Kind {
	case InputsBelow:
		return v.T("dash.alert.inputs", v.N(int64(val)), v.N(int64(rule.WindowHours)), v.F(rule.Threshold, 0))
	case RegionRateBelow:
		return v.T("dash.alert.regions", v.N(int64(len(det.Regions))), v.F(rule.Threshold, 2), joinShort(v, det.Regions, 5))
	}
	return stored
}

// AlertRules lists a process's rules (process 0: every process's).
func (d *Dashboards) AlertRules(ctx context.Context, process int64) ([]AlertRule, error) {
	var out []AlertRule
	err := d.each(ctx, "alert-rules", map[string]any{"process": process}, func(r *sql.Rows) error {
		var a AlertRule
		var w int32
		if err := r.Scan(&a.ID, &a.ProcessID, &a.Kind, &a.Threshold, &w); err != nil {
			return err
		}
		a.WindowHours = int(w)
		out = append(out, a)
		return nil
	})
	return out, err
}

// CheckAlerts evaluates every rule once: it raises an alert for a rule
// that fails (once, until it clears) and clears the alert of a rule that
// holds again.
func (d *Dashboards) CheckAlerts(ctx context.Context) error {
	rules, err := d.AlertRules(ctx, 0)
	if err != nil {
		return err
	}
	now := d.now().UTC()
	for _, a := range rules {
		msg, val, fails, err := d.evaluate(ctx, a, now)
		if err == ErrNotFound {
			continue
		}
		if err != nil {
			return err
		}
		if fails {
			_, err = d.exec(ctx, "raise-alert", map[string]any{"rule": a.ID, "process": a.ProcessID, "message": msg, "value": val, "now": now})
		} else {
			_, err = d.exec(ctx, "clear-alert", map[string]any{"rule": a.ID, "now": now})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *Dashboards) evaluate(ctx context.Context, a AlertRule, now time.Time) (msg string, val float64, fails bool, err error) {
	switch a.Kind {
	case InputsBelow:
		var n int64
		since := now.Add(-time.Duration(a.WindowHours) * time.Hour)
		if err := d.queryRow(ctx, "inputs-since", map[string]any{"process": a.ProcessID, "from": since}).Scan(&n); err != nil {
			return "", 0, false, fmt.Errorf("dashboards: unable to check alert %d: %w", a.ID, err)
		}
		return alertDetail{}.encode(), float64(n), float64(n) < a.Threshold, nil
	case RegionRateBelow:
		p, err := d.Process(ctx, a.ProcessID)
		if err != nil {
			return "", 0, false, err
		}
		v := d.Resolve(p, Filter{Process: a.ProcessID})
		v.To = now
		rates, _, err := d.RegionRates(ctx, v)
		if err != nil {
			return "", 0, false, err
		}
		var low []string
		worst := -1.0
		for _, r := range rates {
			if r.PerThousand < a.Threshold {
				low = append(low, r.Name)
				if worst < 0 || r.PerThousand < worst {
					worst = r.PerThousand
				}
			}
		}
		if len(low) == 0 {
			return "", 0, false, nil
		}
		return alertDetail{Regions: low}.encode(), worst, true, nil
	}
	return "", 0, false, nil
}

// RunAlerts checks the rules every interval until ctx ends (the scheduled
// check; errors are logged and the next tick tries again).
func (d *Dashboards) RunAlerts(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := d.CheckAlerts(ctx); err != nil && ctx.Err() == nil {
			log.Error("dashboards: alert check failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CanPublish says whether a panel may go on a public results page: it
// exists and is publishable (nothing that shows contributions' texts).
// Publishing is an official's decision the store keeps; the ingester writes
// it to dash_published, which Published reads.
func CanPublish(panel string) error {
	if p := FindPanel(panel); p == nil || !p.Publishable {
		return fmt.Errorf("%w: panel %q cannot be published", ErrInvalid, panel)
	}
	return nil
}

// Published lists the panels an official published for a process. Nothing
// shows for a process that is not itself published.
func (d *Dashboards) Published(ctx context.Context, p *Process) ([]*Panel, error) {
	if !p.Published {
		return nil, nil
	}
	var out []*Panel
	err := d.each(ctx, "published-panels", map[string]any{"process": p.ID}, func(r *sql.Rows) error {
		var name string
		if err := r.Scan(&name); err != nil {
			return err
		}
		if pn := FindPanel(name); pn != nil && pn.Publishable {
			out = append(out, pn)
		}
		return nil
	})
	return out, err
}

// PublishedProcesses lists the processes whose results page is public.
func (d *Dashboards) PublishedProcesses(ctx context.Context) ([]Process, error) {
	var out []Process
	err := d.each(ctx, "published-processes", map[string]any{}, func(r *sql.Rows) error {
		var p Process
		if err := r.Scan(&p.ID, &p.Slug, &p.Title); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}
