package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/insights"
)

// The theme forms show the message after dashboards.ErrInvalid: it must be
// the job's reason, and unknown themes must become a 404.
func TestEditErrorTranslatesTheJobsRefusals(t *testing.T) {
	bad := editError(fmt.Errorf("theme 7 has 3 texts, a split needs 4: %w", insights.ErrBadEdit))
	if !errors.Is(bad, dashboards.ErrInvalid) || bad.Error() != dashboards.ErrInvalid.Error()+": theme 7 has 3 texts, a split needs 4" {
		t.Errorf("bad edit = %v", bad)
	}
	gone := editError(fmt.Errorf("theme 9: %w", insights.ErrUnknownTheme))
	if !errors.Is(gone, dashboards.ErrNotFound) || errors.Is(gone, dashboards.ErrInvalid) {
		t.Errorf("unknown theme = %v", gone)
	}
	other := errors.New("disk full")
	if got := editError(other); got != other {
		t.Errorf("failure = %v, want it unchanged", got)
	}
	if editError(nil) != nil {
		t.Error("nil became an error")
	}
}
