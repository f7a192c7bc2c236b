package sqlstore

import (
	"context"
	"fmt"

	"github.com/civicpulse/civicpulse/participation"
)

// intakePostgres writes one chunk in the caller's transaction: COPY into a
// temporary table (one round trip for the whole chunk, no per-row parse or
// plan), then a handful of set-based statements that drop the rows the
// component already holds, create the participants and write the comments,
// counters and outbox events from the staged rows. The events carry the
// transaction's id like any other, so the tailer orders them as usual.
func (s *Store) intakePostgres(ctx context.Context, t intakeTarget, rows []intakeRow, res *participation.IntakeResult) error {
	if _, err := s.exec(ctx, "intake-pg-stage"); err != nil {
		return fmt.Errorf("store: unable to create the intake stage: %w", err)
	}
	if _, err := s.exec(ctx, "intake-pg-work-mem"); err != nil {
		return fmt.Errorf("store: unable to size the intake's memory: %w", err)
	}
	if _, err := s.exec(ctx, "intake-pg-no-jit"); err != nil {
		return fmt.Errorf("store: unable to turn JIT off: %w", err)
	}
	cp, err := s.tx.PrepareContext(ctx, s.sql.Get("intake-pg-copy"))
	if err != nil {
		return fmt.Errorf("store: unable to start COPY: %w", err)
	}
	defer cp.Close()
	for _, r := range rows {
		if _, err := cp.ExecContext(ctx, r.Line, r.ExternalID, r.Body, r.Channel, r.Region, r.Organisation,
			r.AuthorKey(), r.sectionID, r.ReceivedAt); err != nil {
			return fmt.Errorf("store: unable to COPY line %d: %w", r.Line, err)
		}
	}
	if _, err := cp.ExecContext(ctx); err != nil {
		return fmt.Errorf("store: unable to COPY the chunk: %w", err)
	}
	if err := cp.Close(); err != nil {
		return fmt.Errorf("store: unable to end COPY: %w", err)
	}
	// The planner knows nothing of a fresh temporary table; with its
	// statistics it picks hash joins over the staged rows.
	if _, err := s.exec(ctx, "intake-pg-analyze"); err != nil {
		return fmt.Errorf("store: unable to analyse the intake stage: %w", err)
	}
	dups, err := s.exec(ctx, "intake-pg-drop-known", t.componentID)
	if err != nil {
		return fmt.Errorf("store: unable to drop known external ids: %w", err)
	}
	orgs, err := s.exec(ctx, "intake-pg-new-authors", t.processID, t.processID)
	if err != nil {
		return fmt.Errorf("store: unable to create intake authors: %w", err)
	}
	var own int64
	if err := s.get(ctx, &own, "intake-pg-own-authors"); err != nil {
		return fmt.Errorf("store: unable to count intake authors: %w", err)
	}
	n, err := s.exec(ctx, "intake-pg-insert", t.processID, t.processID, t.componentID, s.now(ctx), t.processID, t.componentID)
	if err != nil {
		return fmt.Errorf("store: unable to import comments: %w", err)
	}
	if _, err := s.exec(ctx, "intake-pg-clear"); err != nil {
		return fmt.Errorf("store: unable to clear the intake stage: %w", err)
	}
	res.Duplicates += int(dups)
	res.Participants += int(orgs + own)
	res.Imported += int(n)
	if n > 0 {
		s.emitted()
	}
	return nil
}
