package warehouse

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"
)

// Officials' decisions, as the outbox carries them from the store: each one
// replaces or removes a row of the tables the dashboards read them from
// (dash_alert_rules, dash_published, theme_edits, campaign_counting,
// proposal_decisions, official_answers). They
// are derived state like the facts: a rebuild from the outbox reproduces
// them, and CopyOtherTablesFrom leaves them alone.

// Decision operations.
const (
	AddAlertRule    = "alert_rule.added"
	DeleteAlertRule = "alert_rule.deleted"
	PublishPanel    = "panel.published"
	UnpublishPanel  = "panel.unpublished"
	EditTheme       = "theme.edited"
	SetCounting     = "campaign_counting.set"
	DecideProposal  = "proposal.decided"
	AnswerComment   = "comment.answered"
)

// Decision is one decision event. Which fields count depends on Op: ID is
// the rule's or the edit's id; Kind the alert's or the edit's kind.
type Decision struct {
	Seq       int64
	Op        string
	ProcessID int64
	ID        int64
	At        time.Time

	Kind        string
	Threshold   float64
	WindowHours int

	Panel    string
	Position int

	Scope            string
	ScopeID          int64
	ThemeID, OtherID int64
	Label            string
	StaffID          int64

	CountOnce bool

	// DecideProposal: ID is the proposal, State its new state, Reason the
	// public reason, Decided whether State is a decision (IsDecided).
	State   string
	Reason  string
	Decided bool

	// AnswerComment: ID is the official answer, ParentID the comment it
	// answers. Who answered stays in the store.
	ParentID int64
}

// DecisionTables hold the officials' decisions: rebuilt from the outbox,
// compared row for row by the rebuild test, never copied over.
var DecisionTables = []string{"dash_alert_rules", "dash_published", "theme_edits", "campaign_counting", "proposal_decisions", "official_answers"}

var decisionStatementNames = []string{
	"decision-delete-alert-rule", "decision-insert-alert-rule",
	"decision-delete-panel", "decision-insert-panel",
	"decision-delete-theme-edit", "decision-insert-theme-edit",
	"decision-delete-counting", "decision-insert-counting",
	"decision-upsert-proposal",
	"decision-delete-answer", "decision-insert-answer",
}

// writeDecisions applies a batch's decisions in outbox order (a rule added
// and deleted in one batch is gone). Each one deletes before it inserts, so
// applying it replaces the row rather than doubling it.
func (w *Warehouse) writeDecisions(ctx context.Context, conn driver.Conn, ds []Decision) error {
	for _, d := range ds {
		type stmt struct {
			name string
			args []any
		}
		var steps []stmt
		at := d.At.UTC()
		switch d.Op {
		case AddAlertRule:
			steps = []stmt{{"decision-delete-alert-rule", []any{d.ID}},
				{"decision-insert-alert-rule", []any{d.ID, d.ProcessID, d.Kind, d.Threshold, int32(d.WindowHours), at}}}
		case DeleteAlertRule:
			steps = []stmt{{"decision-delete-alert-rule", []any{d.ID}}}
		case PublishPanel:
			steps = []stmt{{"decision-delete-panel", []any{d.ProcessID, d.Panel}},
				{"decision-insert-panel", []any{d.ProcessID, d.Panel, int32(d.Position), at}}}
		case UnpublishPanel:
			steps = []stmt{{"decision-delete-panel", []any{d.ProcessID, d.Panel}}}
		case EditTheme:
			steps = []stmt{{"decision-delete-theme-edit", []any{d.ID}},
				{"decision-insert-theme-edit", []any{d.ID, d.ProcessID, d.Scope, d.ScopeID, d.Kind, d.ThemeID, d.OtherID, d.Label, d.StaffID, at}}}
		case SetCounting:
			steps = []stmt{{"decision-delete-counting", []any{d.ProcessID}},
				{"decision-insert-counting", []any{d.ProcessID, d.CountOnce, at}}}
		case DecideProposal:
			var first any
			if d.Decided {
				first = at
			}
			steps = []stmt{{"decision-upsert-proposal", []any{d.ID, d.ProcessID, d.State, d.Reason, at, first}}}
		case AnswerComment:
			steps = []stmt{{"decision-delete-answer", []any{d.ID}},
				{"decision-insert-answer", []any{d.ID, d.ParentID, d.ProcessID, at}}}
		default:
			return fmt.Errorf("warehouse: unknown decision %q (seq %d)", d.Op, d.Seq)
		}
		for _, s := range steps {
			if err := execArgs(ctx, conn, w.q.Get(s.name), s.args...); err != nil {
				return fmt.Errorf("warehouse: unable to apply %s of process %d (seq %d): %w", d.Op, d.ProcessID, d.Seq, err)
			}
		}
	}
	return nil
}
