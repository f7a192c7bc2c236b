package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
)

// Alerts is what the low-engagement alert job reads: the rules officials
// set (the participation store keeps them), their evaluation over the
// warehouse (the dashboards), who the process's officials are (staff) and
// where their messages go (notify).
type Alerts struct {
	Rules interface {
		AlertRules(ctx context.Context, processID int64) ([]participation.AlertRule, error)
		GetProcess(ctx context.Context, id int64, onlyPublished bool) (participation.Process, error)
	}
	Eval interface {
		EvaluateAlert(ctx context.Context, a dashboards.AlertRule) (dashboards.AlertState, error)
	}
	Staff interface {
		StaffOf(ctx context.Context, processID int64) ([]staff.StaffMember, error)
		GetUser(ctx context.Context, id int64) (staff.User, error)
	}
	Messages interface {
		Queue(ctx context.Context, msgs []notify.Message) (int, error)
		StaffAlertOn(ctx context.Context, staffID, ruleID int64) (bool, error)
		URL(path string) string
	}
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// SetAlerts gives the alert job what it reads. Until it is called (a
// server without the warehouse never calls it) the job does nothing.
func (s *Scheduler) SetAlerts(a Alerts) {
	if a.Now == nil {
		a.Now = time.Now
	}
	s.alerts.p.Store(&a)
}

// AlertArgs is the periodic job that evaluates every alert rule.
type AlertArgs struct{}

// Kind names the job in River's tables.
func (AlertArgs) Kind() string { return "low_engagement_alerts" }

type alertWorker struct {
	river.WorkerDefaults[AlertArgs]
	s *Scheduler
}

func (w *alertWorker) Work(ctx context.Context, _ *river.Job[AlertArgs]) error {
	_, err := w.s.CheckAlerts(ctx)
	return err
}

// CheckAlerts evaluates every rule and, for each that fails, queues a
// message to each official of its process who has not turned that alert
// off. A rule's messages are keyed by the rule and the window the check
// falls in (its WindowHours, a day for rules without one, counted from
// midnight UTC): a rule that keeps failing tells each official once per
// window, however often and on however many servers the job runs. It
// returns how many messages were new.
func (s *Scheduler) CheckAlerts(ctx context.Context) (int, error) {
	a := s.alerts.p.Load()
	if a == nil {
		return 0, nil
	}
	rules, err := a.Rules.AlertRules(ctx, 0)
	if err != nil {
		return 0, fmt.Errorf("jobs: unable to read the alert rules: %w", err)
	}
	now := a.Now().UTC()
	queued := 0
	for _, r := range rules {
		st, err := a.Eval.EvaluateAlert(ctx, dashboards.AlertRule{ID: r.ID, ProcessID: r.ProcessID, Kind: r.Kind,
			Threshold: r.Threshold, WindowHours: r.WindowHours})
		if err != nil {
			s.log.Warn("jobs: unable to evaluate an alert rule", "rule_id", r.ID, "err", err)
			continue
		}
		if !st.Fails {
			continue
		}
		msgs, err := alertMessages(ctx, a, r, st, now)
		if err != nil {
			return queued, err
		}
		n, err := a.Messages.Queue(ctx, msgs)
		if err != nil {
			return queued, fmt.Errorf("jobs: unable to queue the alerts of rule %d: %w", r.ID, err)
		}
		if n > 0 {
			s.log.Info("jobs: low-engagement alert sent", "rule_id", r.ID, "process_id", r.ProcessID, "officials", n)
		}
		queued += n
	}
	return queued, nil
}

func alertMessages(ctx context.Context, a *Alerts, r participation.AlertRule, st dashboards.AlertState, now time.Time) ([]notify.Message, error) {
	p, err := a.Rules.GetProcess(ctx, r.ProcessID, false)
	if participation.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !p.Published {
		return nil, nil // a closed process takes no more input: nothing is low
	}
	members, err := a.Staff.StaffOf(ctx, r.ProcessID)
	if err != nil {
		return nil, err
	}
	window := time.Duration(r.WindowHours) * time.Hour
	if window <= 0 {
		window = 24 * time.Hour
	}
	source := fmt.Sprintf("alert:%d:%d", r.ID, now.Truncate(window).Unix())
	lang := notify.FallbackLang
	if len(p.Languages) > 0 {
		lang = p.Languages[0]
	}
	fields := map[string]string{"rule": r.Kind, "threshold": strconv.FormatFloat(r.Threshold, 'f', -1, 64),
		"window_hours": strconv.Itoa(r.WindowHours), "value": strconv.FormatFloat(st.Value, 'f', -1, 64)}
	if r.Kind == participation.AlertRegionRateBelow {
		fields["value"] = strconv.FormatFloat(st.Value, 'f', 2, 64)
		fields["count"] = strconv.Itoa(len(st.Regions))
		fields["regions"] = strings.Join(st.Regions, ", ")
	}
	var out []notify.Message
	seen := map[int64]bool{}
	for _, m := range members {
		if m.Role != staff.RoleOfficial || seen[m.UserID] {
			continue
		}
		seen[m.UserID] = true
		on, err := a.Messages.StaffAlertOn(ctx, m.UserID, r.ID)
		if err != nil {
			return nil, err
		}
		if !on {
			continue
		}
		u, err := a.Staff.GetUser(ctx, m.UserID)
		if err != nil {
			return nil, err
		}
		if u.Disabled || u.Email == "" {
			continue
		}
		out = append(out, notify.Message{Source: source, Kind: notify.KindLowEngagement, Channel: notify.Email,
			To: u.Email, Lang: lang, Process: p.Title, Fields: fields,
			Link: a.Messages.URL(fmt.Sprintf("/staff/p/%d/dashboards/monitor", r.ProcessID))})
	}
	return out, nil
}
