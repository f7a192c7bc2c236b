package notify

import (
	"context"
	"fmt"
	"strings"
)

// Officials choose which alerts reach them. The choice is kept per staff
// user and alert rule; rule 0 stands for every alert. An official who
// never chose gets every alert of the processes they hold a role on.

// AllAlerts is the rule id that turns every alert on or off at once.
const AllAlerts int64 = 0

// SetStaffAlert turns alert rule ruleID (AllAlerts: every rule) on or off
// for the staff user.
func (s *Service) SetStaffAlert(ctx context.Context, staffID, ruleID int64, on bool) error {
	if staffID <= 0 || ruleID < 0 {
		return fmt.Errorf("%w: an alert choice needs a staff user and a rule", ErrInvalid)
	}
	var err error
	if on {
		_, err = s.db.ExecContext(ctx, s.q["staff-alert-on"], staffID, ruleID)
	} else {
		_, err = s.db.ExecContext(ctx, s.q["staff-alert-off"], staffID, ruleID, s.now())
	}
	if err != nil {
		return fmt.Errorf("notify: unable to store an alert choice: %w", err)
	}
	return nil
}

// StaffAlertsOff lists the rules the staff user turned off (AllAlerts
// among them: every alert is off).
func (s *Service) StaffAlertsOff(ctx context.Context, staffID int64) (map[int64]bool, error) {
	var ids []int64
	if err := s.db.SelectContext(ctx, &ids, s.q["staff-alerts-off"], staffID); err != nil {
		return nil, fmt.Errorf("notify: unable to read alert choices: %w", err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// StaffAlertOn reports whether alert rule ruleID reaches the staff user.
func (s *Service) StaffAlertOn(ctx context.Context, staffID, ruleID int64) (bool, error) {
	off, err := s.StaffAlertsOff(ctx, staffID)
	if err != nil {
		return false, err
	}
	return !off[AllAlerts] && !off[ruleID], nil
}

// URL is the configured base URL followed by path: the links of messages
// queued outside this package (the alert job's).
func (s *Service) URL(path string) string {
	return s.opts.BaseURL + "/" + strings.TrimLeft(path, "/")
}
