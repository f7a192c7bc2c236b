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

// ThemeEdit is an official's edit of a theme: Kind "rename" (to Label),
// "merge" (Theme folded into Into) or "split" (Theme in two).
type ThemeEdit struct {
	Kind  string
	Theme int64
	Into  int64
	Label string
}

// Theme edit kinds.
const (
	ThemeRename = "rename"
	ThemeMerge  = "merge"
	ThemeSplit  = "split"
)

// ThemeEditor is the themes job (package insights implements it). An edit
// is an official's decision the store keeps; the ingester writes it to
// theme_edits, and the job replays theme_edits after every fit. Errors
// must wrap ErrNotFound for an unknown theme and ErrInvalid for an edit
// that cannot be made (the page shows the message); anything else is a
// failure.
type ThemeEditor interface {
	// CheckThemeEdit says whether the edit can be made on the themes as
	// they stand, and returns the scope of the texts the theme covers.
	CheckThemeEdit(ctx context.Context, process int64, e ThemeEdit) (Scope, error)
	// ApplyThemeEdits brings the process's themes up to date with
	// theme_edits now, so the official sees their edit on the next page.
	ApplyThemeEdits(ctx context.Context, process int64) error
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

// CheckThemeEdit checks an official's edit against the themes as they
// stand, then has the editor check it too. It returns the edit as it is to
// be stored (the label trimmed) and the scope of texts it concerns.
func (d *Dashboards) CheckThemeEdit(ctx context.Context, process int64, e ThemeEdit) (ThemeEdit, Scope, error) {
	switch e.Kind {
	case ThemeRename:
		e.Label, e.Into = strings.TrimSpace(e.Label), 0
		switch {
		case e.Label == "":
			return e, Scope{}, fmt.Errorf("%w: a theme needs a name", ErrInvalid)
		case utf8.RuneCountInString(e.Label) > MaxThemeLabel:
			return e, Scope{}, fmt.Errorf("%w: a theme's name has at most %d characters", ErrInvalid, MaxThemeLabel)
		case strings.ContainsFunc(e.Label, unicode.IsControl) || !utf8.ValidString(e.Label):
			return e, Scope{}, fmt.Errorf("%w: a theme's name is one line of text", ErrInvalid)
		}
	case ThemeMerge:
		e.Label = ""
		if e.Theme == e.Into {
			return e, Scope{}, fmt.Errorf("%w: a theme cannot be merged into itself", ErrInvalid)
		}
	case ThemeSplit:
		e.Label, e.Into = "", 0
	default:
		return e, Scope{}, fmt.Errorf("%w: no theme edit %q", ErrNotFound, e.Kind)
	}
	ed, err := d.editable(ctx, process, e.Theme)
	if err != nil {
		return e, Scope{}, err
	}
	if e.Kind == ThemeMerge {
		a, _ := d.themeScope(ctx, process, e.Theme)
		b, err := d.themeScope(ctx, process, e.Into)
		if errors.Is(err, ErrNotFound) || (err == nil && (b.merged != 0 || b.scope != a.scope)) {
			return e, Scope{}, fmt.Errorf("%w: choose another theme of the same list to merge into", ErrInvalid)
		}
		if err != nil {
			return e, Scope{}, err
		}
	}
	s, err := ed.CheckThemeEdit(ctx, process, e)
	return e, s, err
}

// ApplyThemeEdits has the editor show the edits theme_edits holds now.
func (d *Dashboards) ApplyThemeEdits(ctx context.Context, process int64) error {
	e := d.themeEditor()
	if e == nil {
		return fmt.Errorf("%w: theme editing is not available", ErrNotFound)
	}
	return e.ApplyThemeEdits(ctx, process)
}

// ThemeState is a theme as officials see it before an edit: what the audit
// log records as the edit's "before".
type ThemeState struct {
	ID         int64  `json:"theme_id"`
	Label      string `json:"label"`
	MergedInto int64  `json:"merged_into"`
}

// ThemeState reads a theme of the process as it stands (ErrNotFound: none).
func (d *Dashboards) ThemeState(ctx context.Context, process, theme int64) (ThemeState, error) {
	var t ThemeState
	err := d.queryRow(ctx, "insight-theme-state", map[string]any{"process": process, "theme": theme}).Scan(&t.ID, &t.Label, &t.MergedInto)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("%w: no theme %d", ErrNotFound, theme)
	}
	if err != nil {
		return t, fmt.Errorf("dashboards: unable to read theme %d: %w", theme, err)
	}
	return t, nil
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
