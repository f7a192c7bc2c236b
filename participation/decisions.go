package participation

import (
	"context"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Officials' dashboard decisions: alert rules, panels published on the public
// results page, theme edits and the campaign-counting switch. They are
// ordinary store writes with outbox events (invariant 4); the ingester writes
// them into the warehouse tables the dashboards read, which a rebuild from
// the outbox reproduces.

// Decision events. EntityID is the rule's or the edit's id; the payload
// carries what the warehouse row needs (see the payload types below).
const (
	EvAlertRuleAdded      EventType = "alert_rule.added"      // alertRulePayload
	EvAlertRuleDeleted    EventType = "alert_rule.deleted"    // {}
	EvPanelPublished      EventType = "panel.published"       // {"panel","position"}
	EvPanelUnpublished    EventType = "panel.unpublished"     // {"panel"}
	EvThemeEdited         EventType = "theme.edited"          // ThemeEdit's fields
	EvCampaignCountingSet EventType = "campaign_counting.set" // {"count_once"}
)

// Alert rule kinds.
const (
	AlertInputsBelow     = "inputs_below"      // fewer than Threshold inputs in the last WindowHours
	AlertRegionRateBelow = "region_rate_below" // a region under Threshold participants per 1,000
)

// MaxAlertWindowHours bounds an inputs_below rule's window (90 days).
const MaxAlertWindowHours = 24 * 90

// AlertRule is a threshold an official set on a process's monitor.
type AlertRule struct {
	ID          int64     `db:"id" json:"id"`
	ProcessID   int64     `db:"process_id" json:"process_id"`
	Kind        string    `db:"kind" json:"kind"`
	Threshold   float64   `db:"threshold" json:"threshold"`
	WindowHours int       `db:"window_hours" json:"window_hours"`
	StaffID     int64     `db:"staff_id" json:"staff_id"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
}

// Normalize fills the default window (24 h for inputs_below) and checks the
// rule; it returns the rule as it will be stored.
func (a AlertRule) Normalize() (AlertRule, error) {
	var v ValidationErrors
	switch a.Kind {
	case AlertInputsBelow:
		if a.WindowHours == 0 {
			a.WindowHours = 24
		}
	case AlertRegionRateBelow:
	default:
		v.Add("kind", "err.bad_choice", "must be %s or %s", AlertInputsBelow, AlertRegionRateBelow)
	}
	if a.Threshold < 0 || math.IsNaN(a.Threshold) || math.IsInf(a.Threshold, 0) {
		v.Add("threshold", "err.negative", "must not be negative")
	}
	if a.WindowHours < 0 || a.WindowHours > MaxAlertWindowHours {
		v.Add("window_hours", "err.out_of_range", "must be between %d and %d", 0, MaxAlertWindowHours)
	}
	return a, v.Err()
}

// PanelPublication is a panel an official put on the public results page;
// Position orders the page (first published first).
type PanelPublication struct {
	ProcessID   int64     `db:"process_id" json:"process_id"`
	Panel       string    `db:"panel" json:"panel"`
	Position    int       `db:"position" json:"position"`
	StaffID     int64     `db:"staff_id" json:"staff_id"`
	PublishedAt time.Time `db:"published_at" json:"published_at"`
}

// PanelNameMax bounds a panel name (the dashboards' names are short slugs).
const PanelNameMax = 64

// CheckPanelName refuses what cannot be a panel's name. Which panels may be
// published is the dashboards' rule; the caller checks it first.
func CheckPanelName(name string) error {
	var v ValidationErrors
	switch {
	case name == "":
		v.Add("panel", "err.required", "a panel is required")
	case len(name) > PanelNameMax:
		v.Add("panel", "err.too_long", "must be at most %d characters", PanelNameMax)
	case strings.IndexFunc(name, func(r rune) bool { return !(r == '-' || r == '_' || unicode.IsDigit(r) || (r >= 'a' && r <= 'z')) }) >= 0:
		v.Add("panel", "err.bad_choice", "is not a panel name")
	}
	return v.Err()
}

// Theme edit kinds.
const (
	ThemeRename = "rename" // ThemeID gets Label
	ThemeMerge  = "merge"  // ThemeID folds into OtherID
	ThemeSplit  = "split"  // ThemeID splits in two
)

// ThemeLabelMax is the longest name an official can give a theme, in runes.
const ThemeLabelMax = 80

// ThemeEdit is an official's decision on a theme of a process. Scope and
// ScopeID name the texts the theme covers ("process", "component",
// "section", "question"), as the themes job found them when the edit was
// checked; the job replays edits in ID order after every fit.
type ThemeEdit struct {
	ID        int64     `db:"id" json:"id"`
	ProcessID int64     `db:"process_id" json:"process_id"`
	Scope     string    `db:"scope" json:"scope"`
	ScopeID   int64     `db:"scope_id" json:"scope_id"`
	Kind      string    `db:"kind" json:"kind"`
	ThemeID   int64     `db:"theme_id" json:"theme_id"`
	OtherID   int64     `db:"other_id" json:"other_id"`
	Label     string    `db:"label" json:"label"`
	StaffID   int64     `db:"staff_id" json:"staff_id"`
	MadeAt    time.Time `db:"made_at" json:"made_at"`
}

// Normalize trims the label and checks the edit's shape (not whether the
// theme exists: that is the themes' owner's check, made before storing).
func (e ThemeEdit) Normalize() (ThemeEdit, error) {
	var v ValidationErrors
	switch e.Scope {
	case "process", "component", "section", "question":
	default:
		v.Add("scope", "err.bad_choice", "must be process, component, section or question")
	}
	if e.ThemeID <= 0 {
		v.Add("theme_id", "err.required", "a theme is required")
	}
	e.Label = strings.TrimSpace(e.Label)
	switch e.Kind {
	case ThemeRename:
		switch {
		case e.Label == "":
			v.Add("label", "err.required", "a theme needs a name")
		case utf8.RuneCountInString(e.Label) > ThemeLabelMax:
			v.Add("label", "err.too_long", "must be at most %d characters", ThemeLabelMax)
		case !utf8.ValidString(e.Label) || strings.ContainsFunc(e.Label, unicode.IsControl):
			v.Add("label", "err.bad_choice", "a theme's name is one line of text")
		}
		e.OtherID = 0
	case ThemeMerge:
		if e.OtherID <= 0 || e.OtherID == e.ThemeID {
			v.Add("other_id", "err.bad_choice", "choose another theme to merge into")
		}
		e.Label = ""
	case ThemeSplit:
		e.OtherID, e.Label = 0, ""
	default:
		v.Add("kind", "err.bad_choice", "must be rename, merge or split")
	}
	return e, v.Err()
}

// CampaignCounting is whether a process's panels count each form-letter
// campaign once (its template) or every copy. A process never set counts
// every copy.
type CampaignCounting struct {
	ProcessID int64     `db:"process_id" json:"process_id"`
	CountOnce bool      `db:"count_once" json:"count_once"`
	StaffID   int64     `db:"staff_id" json:"staff_id"`
	SetAt     time.Time `db:"set_at" json:"set_at"`
}

// Written is where a decision landed: its id (a rule's or an edit's; 0 for
// the others) and its outbox event's sequence, which a writer can wait for
// the warehouse to reach (warehouse.Has) before showing the next page.
type Written struct {
	ID  int64
	Seq int64
}

// Decisions are the officials' dashboard decisions. Every write checks that
// the process exists (CodeNotFound) and appends its outbox event in the same
// transaction; a write that changes nothing (publishing a published panel,
// setting the counting it has) writes no event and returns Seq 0.
type Decisions interface {
	// AddAlertRule stores a rule (Normalize'd; ValidationErrors otherwise).
	AddAlertRule(ctx context.Context, a AlertRule) (Written, error)
	// DeleteAlertRule removes a rule of the process (CodeNotFound when the
	// process has no such rule) and returns it as it was.
	DeleteAlertRule(ctx context.Context, processID, ruleID int64, staffID int64) (AlertRule, Written, error)
	// AlertRules lists a process's rules in id order (processID 0: all).
	AlertRules(ctx context.Context, processID int64) ([]AlertRule, error)

	// PublishPanel puts a panel last on the public results page.
	PublishPanel(ctx context.Context, processID int64, panel string, staffID int64) (Written, error)
	// UnpublishPanel takes it off (nothing to do: Seq 0).
	UnpublishPanel(ctx context.Context, processID int64, panel string, staffID int64) (Written, error)
	// PublishedPanels lists the process's panels in page order.
	PublishedPanels(ctx context.Context, processID int64) ([]PanelPublication, error)

	// AddThemeEdit stores an edit the caller has checked against the
	// current themes (Normalize'd; ValidationErrors otherwise).
	AddThemeEdit(ctx context.Context, e ThemeEdit) (Written, error)
	// ThemeEdits lists a process's edits in id order (processID 0: all).
	ThemeEdits(ctx context.Context, processID int64) ([]ThemeEdit, error)

	// SetCampaignCounting records the choice; it returns the one it replaced.
	SetCampaignCounting(ctx context.Context, c CampaignCounting) (before CampaignCounting, w Written, err error)
	// CampaignCounting returns the process's choice (CountOnce false and a
	// zero SetAt when never set).
	CampaignCounting(ctx context.Context, processID int64) (CampaignCounting, error)
}
