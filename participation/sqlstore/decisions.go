package sqlstore

import (
	"context"
	"fmt"

	"github.com/civicpulse/civicpulse/participation"
)

// decisionStatements are the statements of sql/decisions.sql that the
// officials' decisions use; New refuses to start without one.
var decisionStatements = []string{
	"insert-decision-event",
	"insert-alert-rule", "get-alert-rule", "delete-alert-rule", "list-alert-rules",
	"get-panel-publication", "insert-panel-publication", "delete-panel-publication", "list-panel-publications",
	"insert-theme-edit", "list-theme-edits",
	"get-campaign-counting", "set-campaign-counting",
}

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "decisions.sql")
	statementNames = append(statementNames, decisionStatements...)
}

var _ participation.Decisions = (*Store)(nil)

// Payloads of the decision events, as the ingester reads them.
type alertRulePayload struct {
	Kind        string  `json:"kind"`
	Threshold   float64 `json:"threshold"`
	WindowHours int     `json:"window_hours"`
	StaffID     int64   `json:"staff_id"`
}

type panelPayload struct {
	Panel    string `json:"panel"`
	Position int    `json:"position,omitempty"`
	StaffID  int64  `json:"staff_id"`
}

type themeEditPayload struct {
	Scope   string `json:"scope"`
	ScopeID int64  `json:"scope_id"`
	Kind    string `json:"kind"`
	ThemeID int64  `json:"theme_id"`
	OtherID int64  `json:"other_id"`
	Label   string `json:"label"`
	StaffID int64  `json:"staff_id"`
}

type countingPayload struct {
	CountOnce bool  `json:"count_once"`
	StaffID   int64 `json:"staff_id"`
}

// decisionEvent appends e and returns its sequence.
func (s *Store) decisionEvent(ctx context.Context, e event) (int64, error) {
	args, err := s.eventArgs(ctx, e)
	if err != nil {
		return 0, err
	}
	seq, err := s.insertID(ctx, "insert-decision-event", args...)
	if err != nil {
		return 0, fmt.Errorf("store: unable to append %s event: %w", e.typ, err)
	}
	s.emitted()
	return seq, nil
}

// AddAlertRule stores a rule with its alert_rule.added event.
func (s *Store) AddAlertRule(ctx context.Context, a participation.AlertRule) (participation.Written, error) {
	a, err := a.Normalize()
	if err != nil {
		return participation.Written{}, err
	}
	var out participation.Written
	err = s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, a.ProcessID); err != nil {
			return err
		}
		id, err := w.insertID(ctx, "insert-alert-rule", a.ProcessID, a.Kind, a.Threshold, a.WindowHours, a.StaffID, w.now(ctx))
		if err != nil {
			return fmt.Errorf("store: unable to add alert rule: %w", err)
		}
		seq, err := w.decisionEvent(ctx, event{typ: participation.EvAlertRuleAdded, processID: a.ProcessID, entityID: id,
			payload: alertRulePayload{a.Kind, a.Threshold, a.WindowHours, a.StaffID}})
		out = participation.Written{ID: id, Seq: seq}
		return err
	})
	return out, err
}

// DeleteAlertRule removes a rule of the process with its alert_rule.deleted
// event.
func (s *Store) DeleteAlertRule(ctx context.Context, processID, ruleID int64, staffID int64) (participation.AlertRule, participation.Written, error) {
	var before participation.AlertRule
	var out participation.Written
	err := s.write(ctx, func(w *Store) error {
		if err := w.get(ctx, &before, "get-alert-rule", processID, ruleID); err != nil {
			if noRows(err) {
				return notFound("rule_id", "alert rule")
			}
			return fmt.Errorf("store: unable to read alert rule %d: %w", ruleID, err)
		}
		if _, err := w.exec(ctx, "delete-alert-rule", processID, ruleID); err != nil {
			return fmt.Errorf("store: unable to delete alert rule %d: %w", ruleID, err)
		}
		seq, err := w.decisionEvent(ctx, event{typ: participation.EvAlertRuleDeleted, processID: processID, entityID: ruleID,
			payload: struct {
				StaffID int64 `json:"staff_id"`
			}{staffID}})
		out = participation.Written{ID: ruleID, Seq: seq}
		return err
	})
	if err != nil {
		return participation.AlertRule{}, participation.Written{}, err
	}
	before.CreatedAt = before.CreatedAt.UTC()
	return before, out, nil
}

// AlertRules lists rules in id order; processID 0 lists every process's.
func (s *Store) AlertRules(ctx context.Context, processID int64) ([]participation.AlertRule, error) {
	var out []participation.AlertRule
	if err := s.sel(ctx, &out, "list-alert-rules", processID, processID); err != nil {
		return nil, fmt.Errorf("store: unable to list alert rules: %w", err)
	}
	for i := range out {
		out[i].CreatedAt = out[i].CreatedAt.UTC()
	}
	return out, nil
}

// PublishPanel puts a panel last on the public page; publishing a published
// panel changes nothing and writes no event.
func (s *Store) PublishPanel(ctx context.Context, processID int64, panel string, staffID int64) (participation.Written, error) {
	if err := participation.CheckPanelName(panel); err != nil {
		return participation.Written{}, err
	}
	var out participation.Written
	err := s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, processID); err != nil {
			return err
		}
		var have participation.PanelPublication
		if err := w.get(ctx, &have, "get-panel-publication", processID, panel); err == nil {
			return nil
		} else if !noRows(err) {
			return fmt.Errorf("store: unable to read panel %q: %w", panel, err)
		}
		pos, err := w.insertID(ctx, "insert-panel-publication", processID, panel, staffID, w.now(ctx), processID)
		if err != nil {
			return fmt.Errorf("store: unable to publish panel %q: %w", panel, err)
		}
		seq, err := w.decisionEvent(ctx, event{typ: participation.EvPanelPublished, processID: processID,
			payload: panelPayload{Panel: panel, Position: int(pos), StaffID: staffID}})
		out.Seq = seq
		return err
	})
	if isUnique(err) {
		return participation.Written{}, nil // published at the same moment by someone else
	}
	return out, err
}

// UnpublishPanel takes a panel off the public page; a panel not published
// changes nothing and writes no event.
func (s *Store) UnpublishPanel(ctx context.Context, processID int64, panel string, staffID int64) (participation.Written, error) {
	if err := participation.CheckPanelName(panel); err != nil {
		return participation.Written{}, err
	}
	var out participation.Written
	err := s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, processID); err != nil {
			return err
		}
		n, err := w.exec(ctx, "delete-panel-publication", processID, panel)
		if err != nil {
			return fmt.Errorf("store: unable to unpublish panel %q: %w", panel, err)
		}
		if n == 0 {
			return nil
		}
		seq, err := w.decisionEvent(ctx, event{typ: participation.EvPanelUnpublished, processID: processID,
			payload: panelPayload{Panel: panel, StaffID: staffID}})
		out.Seq = seq
		return err
	})
	return out, err
}

// PublishedPanels lists a process's published panels in page order.
func (s *Store) PublishedPanels(ctx context.Context, processID int64) ([]participation.PanelPublication, error) {
	var out []participation.PanelPublication
	if err := s.sel(ctx, &out, "list-panel-publications", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list published panels: %w", err)
	}
	for i := range out {
		out[i].PublishedAt = out[i].PublishedAt.UTC()
	}
	return out, nil
}

// AddThemeEdit stores an edit with its theme.edited event.
func (s *Store) AddThemeEdit(ctx context.Context, e participation.ThemeEdit) (participation.Written, error) {
	e, err := e.Normalize()
	if err != nil {
		return participation.Written{}, err
	}
	var out participation.Written
	err = s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, e.ProcessID); err != nil {
			return err
		}
		id, err := w.insertID(ctx, "insert-theme-edit", e.ProcessID, e.Scope, e.ScopeID, e.Kind, e.ThemeID, e.OtherID, e.Label, e.StaffID, w.now(ctx))
		if err != nil {
			return fmt.Errorf("store: unable to record the theme edit: %w", err)
		}
		seq, err := w.decisionEvent(ctx, event{typ: participation.EvThemeEdited, processID: e.ProcessID, entityID: id,
			payload: themeEditPayload{e.Scope, e.ScopeID, e.Kind, e.ThemeID, e.OtherID, e.Label, e.StaffID}})
		out = participation.Written{ID: id, Seq: seq}
		return err
	})
	return out, err
}

// ThemeEdits lists edits in id order; processID 0 lists every process's.
func (s *Store) ThemeEdits(ctx context.Context, processID int64) ([]participation.ThemeEdit, error) {
	var out []participation.ThemeEdit
	if err := s.sel(ctx, &out, "list-theme-edits", processID, processID); err != nil {
		return nil, fmt.Errorf("store: unable to list theme edits: %w", err)
	}
	for i := range out {
		out[i].MadeAt = out[i].MadeAt.UTC()
	}
	return out, nil
}

// SetCampaignCounting records the choice with its campaign_counting.set
// event; the choice the process already has writes nothing.
func (s *Store) SetCampaignCounting(ctx context.Context, c participation.CampaignCounting) (participation.CampaignCounting, participation.Written, error) {
	var before participation.CampaignCounting
	var out participation.Written
	err := s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, c.ProcessID); err != nil {
			return err
		}
		var err error
		if before, err = w.CampaignCounting(ctx, c.ProcessID); err != nil {
			return err
		}
		if !before.SetAt.IsZero() && before.CountOnce == c.CountOnce {
			return nil
		}
		if _, err := w.exec(ctx, "set-campaign-counting", c.ProcessID, c.CountOnce, c.StaffID, w.now(ctx)); err != nil {
			return fmt.Errorf("store: unable to set campaign counting: %w", err)
		}
		seq, err := w.decisionEvent(ctx, event{typ: participation.EvCampaignCountingSet, processID: c.ProcessID,
			payload: countingPayload{c.CountOnce, c.StaffID}})
		out.Seq = seq
		return err
	})
	return before, out, err
}

// CampaignCounting returns the process's choice; never set, every copy
// counts.
func (s *Store) CampaignCounting(ctx context.Context, processID int64) (participation.CampaignCounting, error) {
	var c participation.CampaignCounting
	if err := s.get(ctx, &c, "get-campaign-counting", processID); err != nil {
		if noRows(err) {
			return participation.CampaignCounting{ProcessID: processID}, nil
		}
		return c, fmt.Errorf("store: unable to read campaign counting: %w", err)
	}
	c.SetAt = c.SetAt.UTC()
	return c, nil
}
