package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "widget.sql")
	statementNames = append(statementNames, "list-widget-origins", "clear-widget-origins", "insert-widget-origin")
}

var _ participation.WidgetOrigins = (*Store)(nil)

type widgetOriginsPayload struct {
	StaffID int64    `json:"staff_id"`
	Origins []string `json:"origins"`
}

// WidgetOrigins lists the origins that may frame the process's widget.
func (s *Store) WidgetOrigins(ctx context.Context, processID int64) ([]string, error) {
	var out []string
	if err := s.sel(ctx, &out, "list-widget-origins", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list widget origins: %w", err)
	}
	return out, nil
}

// SetWidgetOrigins replaces the list with its widget_origins.set event,
// in one transaction.
func (s *Store) SetWidgetOrigins(ctx context.Context, processID, staffID int64, origins []string) ([]string, participation.Written, error) {
	var wr participation.Written
	// The list goes back through the parser so the store never holds an
	// origin the header cannot carry, whoever calls it.
	clean, err := participation.ParseWidgetOrigins(strings.Join(origins, "\n"))
	if err != nil {
		return nil, wr, err
	}
	err = s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, processID); err != nil {
			return err
		}
		if _, err := w.exec(ctx, "clear-widget-origins", processID); err != nil {
			return fmt.Errorf("store: unable to clear widget origins: %w", err)
		}
		for _, o := range clean {
			if _, err := w.exec(ctx, "insert-widget-origin", processID, o); err != nil {
				return fmt.Errorf("store: unable to add widget origin: %w", err)
			}
		}
		wr.ID = processID
		wr.Seq, err = w.decisionEvent(ctx, event{typ: participation.EvWidgetOriginsSet, processID: processID, entityID: processID,
			payload: widgetOriginsPayload{StaffID: staffID, Origins: clean}})
		return err
	})
	return clean, wr, err
}
