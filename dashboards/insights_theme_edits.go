package dashboards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ThemeEditor applies officials' decisions on themes; package insights
// implements it (it owns theme_edits and re-applies them after every fit).
// Errors must wrap ErrNotFound for an unknown theme and ErrInvalid for an
// edit that cannot be made (the page shows the message); anything else is
// a failure.
type ThemeEditor interface {
	RenameTheme(ctx context.Context, process int64, themeID int64, label string, staffID int64) error
	MergeThemes(ctx context.Context, process int64, themeID, intoID int64, staffID int64) error
	SplitTheme(ctx context.Context, process int64, themeID int64, staffID int64) error
}

// SetThemeEditor enables theme edits; without one the pages offer none.
func (d *Dashboards) SetThemeEditor(e ThemeEditor) {
	d.mu.Lock()
	d.editor = e
	d.mu.Unlock()
}

func (d *Dashboards) themeEditor() ThemeEditor {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.editor
}

// CanEditThemes reports whether a theme editor is set.
func (d *Dashboards) CanEditThemes() bool { return d.themeEditor() != nil }

// MaxThemeLabel bounds a theme's name (in characters): it heads a table
// row and a chart bar.
const MaxThemeLabel = 80

// RenameTheme checks the label and the theme, then has the editor rename it.
func (d *Dashboards) RenameTheme(ctx context.Context, process, theme int64, label string, staffID int64) error {
	label = strings.TrimSpace(label)
	switch {
	case label == "":
		return fmt.Errorf("%w: a theme needs a name", ErrInvalid)
	case utf8.RuneCountInString(label) > MaxThemeLabel:
		return fmt.Errorf("%w: a theme's name has at most %d characters", ErrInvalid, MaxThemeLabel)
	case strings.ContainsFunc(label, unicode.IsControl) || !utf8.ValidString(label):
		return fmt.Errorf("%w: a theme's name is one line of text", ErrInvalid)
	}
	e, err := d.editable(ctx, process, theme)
	if err != nil {
		return err
	}
	return e.RenameTheme(ctx, process, theme, label, staffID)
}

// MergeThemes folds theme into another shown theme of the same scope.
func (d *Dashboards) MergeThemes(ctx context.Context, process, theme, into int64, staffID int64) error {
	if theme == into {
		return fmt.Errorf("%w: a theme cannot be merged into itself", ErrInvalid)
	}
	e, err := d.editable(ctx, process, theme)
	if err != nil {
		return err
	}
	a, _ := d.themeScope(ctx, process, theme)
	b, err := d.themeScope(ctx, process, into)
	if errors.Is(err, ErrNotFound) || (err == nil && (b.merged != 0 || b.scope != a.scope)) {
		return fmt.Errorf("%w: choose another theme of the same list to merge into", ErrInvalid)
	}
	if err != nil {
		return err
	}
	return e.MergeThemes(ctx, process, theme, into, staffID)
}

// SplitTheme has the editor split a shown theme in two.
func (d *Dashboards) SplitTheme(ctx context.Context, process, theme int64, staffID int64) error {
	e, err := d.editable(ctx, process, theme)
	if err != nil {
		return err
	}
	return e.SplitTheme(ctx, process, theme, staffID)
}

type themeRow struct {
	scope  Scope
	merged int64
}

func (d *Dashboards) themeScope(ctx context.Context, process, theme int64) (themeRow, error) {
	var t themeRow
	err := d.queryRow(ctx, "insight-theme-any", map[string]any{"process": process, "theme": theme}).Scan(&t.scope.Kind, &t.scope.ID, &t.merged)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("%w: no theme %d", ErrNotFound, theme)
	}
	if err != nil {
		return t, fmt.Errorf("dashboards: unable to read theme %d: %w", theme, err)
	}
	return t, nil
}

// editable returns the editor once the theme is known and still shown.
func (d *Dashboards) editable(ctx context.Context, process, theme int64) (ThemeEditor, error) {
	e := d.themeEditor()
	if e == nil {
		return nil, fmt.Errorf("%w: theme editing is not available", ErrNotFound)
	}
	t, err := d.themeScope(ctx, process, theme)
	if err != nil {
		return nil, err
	}
	if t.merged != 0 {
		return nil, fmt.Errorf("%w: this theme was merged into theme %d; edit that one", ErrInvalid, t.merged)
	}
	return e, nil
}
