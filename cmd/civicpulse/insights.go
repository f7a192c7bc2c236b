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

func (e themeEditor) RenameTheme(ctx context.Context, process, theme int64, label string, staffID int64) error {
	return editError(e.r.RenameTheme(ctx, process, theme, label, staffID))
}

func (e themeEditor) MergeThemes(ctx context.Context, process, theme, into int64, staffID int64) error {
	return editError(e.r.MergeThemes(ctx, process, theme, into, staffID))
}

func (e themeEditor) SplitTheme(ctx context.Context, process, theme int64, staffID int64) error {
	return editError(e.r.SplitTheme(ctx, process, theme, staffID))
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
