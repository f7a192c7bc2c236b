package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/insights"
)

// themeEditor lets the dashboards' theme forms reach the themes job without
// dashboards importing insights: it translates the job's refusals into the
// errors the pages know how to show.
type themeEditor struct{ r *insights.Runner }

func (e themeEditor) CheckThemeEdit(ctx context.Context, process int64, x dashboards.ThemeEdit) (dashboards.Scope, error) {
	scope, id, err := e.r.CheckEdit(ctx, process, x.Kind, x.Theme, x.Into, x.Label)
	return dashboards.Scope{Kind: scope, ID: id}, editError(err)
}

func (e themeEditor) ApplyThemeEdits(ctx context.Context, process int64) error {
	return e.r.ApplyEdits(ctx, process)
}

func editError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, insights.ErrUnknownTheme):
		return fmt.Errorf("%w: %w", dashboards.ErrNotFound, err)
	case errors.Is(err, insights.ErrBadEdit):
		// The page shows what follows ErrInvalid: the job's reason, without
		// the package names.
		msg := strings.TrimSuffix(err.Error(), ": "+insights.ErrBadEdit.Error())
		msg = strings.TrimPrefix(msg, "insights: ")
		return fmt.Errorf("%w: %s", dashboards.ErrInvalid, msg)
	}
	return err
}
