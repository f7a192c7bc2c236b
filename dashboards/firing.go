package dashboards

import (
	"context"
	"encoding/json"
	"errors"
)

// AlertState is one rule evaluated now, in language-neutral facts: the
// alert job (package jobs) writes the officials' message from it.
type AlertState struct {
	Fails   bool
	Value   float64  // the inputs counted, or the lowest regional rate
	Regions []string // region_rate_below: the regions under the threshold
}

// EvaluateAlert evaluates one rule over the warehouse as CheckAlerts does,
// without raising anything on the monitor. A rule of a process the
// warehouse does not know yet does not fail.
func (d *Dashboards) EvaluateAlert(ctx context.Context, a AlertRule) (AlertState, error) {
	detail, val, fails, err := d.evaluate(ctx, a, d.now().UTC())
	if errors.Is(err, ErrNotFound) {
		return AlertState{}, nil
	}
	if err != nil || !fails {
		return AlertState{}, err
	}
	var det alertDetail
	if detail != "" {
		_ = json.Unmarshal([]byte(detail), &det)
	}
	return AlertState{Fails: true, Value: val, Regions: det.Regions}, nil
}
