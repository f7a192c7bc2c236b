package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/participation"
)

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "intake.sql")
	statementNames = append(statementNames, "intake-target", "intake-regions", "intake-known", "intake-author",
		"intake-add-author", "intake-insert-comment", "intake-comment-meta")
	postgresStatementNames = append(postgresStatementNames, "intake-pg-stage", "intake-pg-work-mem", "intake-pg-no-jit", "intake-pg-copy", "intake-pg-analyze",
		"intake-pg-drop-known", "intake-pg-new-authors", "intake-pg-own-authors", "intake-pg-insert", "intake-pg-clear")
}

var _ participation.Intake = (*Store)(nil)

// intakeCreated is the comment.created payload of an imported comment: the
// one every comment has, and the channel it came by. The organisation stays
// in the store: it may be a person's name.
type intakeCreated struct {
	commentCreated
	Channel string `json:"channel"`
}

// intakeTarget is what every row of an import is checked against.
type intakeTarget struct {
	processID, componentID int64
	sections               []int64           // the current version's, by position
	regions                map[string]string // code, and lower-case name, → code
}

// resolve finds c's section and region code, or says why it cannot.
func (t intakeTarget) resolve(c *participation.IntakeComment) (sectionID int64, p *participation.IntakeProblem) {
	if p := c.Normalize(); p != nil {
		return 0, p
	}
	if c.Section >= len(t.sections) {
		return 0, &participation.IntakeProblem{Line: c.Line, Field: "section", Key: "err.not_found",
			Msg: fmt.Sprintf("the document has %d sections", len(t.sections))}
	}
	if c.Region != "" {
		code, ok := t.regions[c.Region]
		if !ok {
			code, ok = t.regions[strings.ToLower(c.Region)]
		}
		if !ok {
			return 0, &participation.IntakeProblem{Line: c.Line, Field: "region", Key: "err.unknown_region",
				Msg: "is not a region code or name of the process's region set"}
		}
		c.Region = code
	}
	return t.sections[c.Section], nil
}

// errStrictRollback undoes a strict import that met a broken row.
var errStrictRollback = errors.New("store: strict import met a broken row")

// ImportComments loads the rows next yields (a broken one as a
// *participation.IntakeProblem, io.EOF at the end) as published comments on
// the document component's current sections, each with its participant
// and outbox events in the same transaction. A row whose external id the
// component already holds adds nothing, so a file imported twice is
// imported once.
//
// The institution's own intake is not held for pre-moderation: officials
// moderate it afterwards like anything published.
func (s *Store) ImportComments(ctx context.Context, opt participation.IntakeOptions, next func() (participation.IntakeComment, error)) (participation.IntakeResult, error) {
	var res participation.IntakeResult
	t, err := s.intakeTarget(ctx, opt)
	if err != nil {
		return res, err
	}
	size := opt.Chunk
	if size <= 0 {
		size = 50_000
	}
	chunk := make([]intakeRow, 0, size)
	flush := func(w *Store) error {
		if len(chunk) == 0 {
			return nil
		}
		var err error
		if w.db.Dialect == sqldb.Postgres {
			err = w.intakePostgres(ctx, t, chunk, &res)
		} else {
			err = w.intakeSQLite(ctx, t, chunk, &res)
		}
		chunk = chunk[:0]
		if err == nil && opt.Progress != nil {
			opt.Progress(res)
		}
		return err
	}
	// in is nil when each chunk commits on its own.
	read := func(in *Store) error {
		for {
			c, err := next()
			if err == io.EOF {
				break
			}
			var bad *participation.IntakeProblem
			if errors.As(err, &bad) {
				res.Rows++
				res.AddProblem(*bad)
				continue
			}
			if err != nil {
				return fmt.Errorf("store: unable to read the intake file: %w", err)
			}
			res.Rows++
			id, bad := t.resolve(&c)
			if bad != nil {
				res.AddProblem(*bad)
				continue
			}
			if opt.Strict && res.Broken > 0 {
				continue // nothing will load: read on only to report every broken row
			}
			chunk = append(chunk, intakeRow{c, id})
			if len(chunk) < size {
				continue
			}
			if in != nil {
				err = flush(in)
			} else {
				err = s.write(ctx, flush)
			}
			if err != nil {
				return err
			}
		}
		if in != nil {
			return flush(in)
		}
		return s.write(ctx, flush)
	}
	if !opt.Strict {
		return res, read(nil)
	}
	err = s.write(ctx, func(w *Store) error {
		if err := read(w); err != nil {
			return err
		}
		if res.Broken > 0 {
			return errStrictRollback
		}
		return nil
	})
	if errors.Is(err, errStrictRollback) {
		res.Imported, res.Duplicates, res.Participants = 0, 0, 0
		return res, nil
	}
	return res, err
}

func (s *Store) intakeTarget(ctx context.Context, opt participation.IntakeOptions) (intakeTarget, error) {
	t := intakeTarget{processID: opt.ProcessID, componentID: opt.ComponentID, regions: map[string]string{}}
	var c struct {
		Kind      participation.ComponentKind `db:"kind"`
		RegionSet *int64                      `db:"region_set_id"`
	}
	if err := s.get(ctx, &c, "intake-target", opt.ComponentID, opt.ProcessID); err != nil {
		if noRows(err) {
			return t, notFound("component_id", "component of this process")
		}
		return t, fmt.Errorf("store: unable to find the intake component: %w", err)
	}
	if c.Kind != participation.KindDocument {
		return t, participation.Errorf(participation.CodeInvalid, "component_id", "err.intake_document",
			"comments are imported into a document component, not a %s one", string(c.Kind))
	}
	doc, err := s.GetDocument(ctx, opt.ComponentID)
	if err != nil {
		return t, err
	}
	for _, sec := range doc.Sections {
		t.sections = append(t.sections, sec.ID)
	}
	if len(t.sections) == 0 {
		return t, participation.Errorf(participation.CodeInvalid, "component_id", "err.intake_document", "the document has no section")
	}
	var regions []struct {
		Code string `db:"code"`
		Name string `db:"name"`
	}
	if err := s.sel(ctx, &regions, "intake-regions", c.RegionSet); err != nil {
		return t, fmt.Errorf("store: unable to read regions: %w", err)
	}
	for _, r := range regions {
		if _, ok := t.regions[r.Code]; !ok {
			t.regions[r.Code] = r.Code
		}
		if k := strings.ToLower(r.Name); t.regions[k] == "" {
			t.regions[k] = r.Code
		}
	}
	return t, nil
}

// intakeRow is a checked row and the section it goes to.
type intakeRow struct {
	participation.IntakeComment
	sectionID int64
}

// intakeSQLite writes one chunk through prepared statements, in the
// caller's transaction: SQLite runs in-process, so a statement costs little
// once prepared and the commit is what counts.
func (s *Store) intakeSQLite(ctx context.Context, t intakeTarget, rows []intakeRow, res *participation.IntakeResult) error {
	names := []string{"intake-known", "intake-author", "insert-participant", "intake-add-author",
		"intake-insert-comment", "insert-event"}
	st := map[string]*sqlx.Stmt{}
	for _, n := range names {
		p, err := s.tx.PreparexContext(ctx, s.sql.Get(n))
		if err != nil {
			return fmt.Errorf("store: unable to prepare %s: %w", n, err)
		}
		defer p.Close()
		st[n] = p
	}
	now := s.now(ctx)
	authors := map[string]int64{}
	perSection := map[int64]int{}
	for _, r := range rows {
		var known int
		if err := st["intake-known"].GetContext(ctx, &known, t.componentID, r.ExternalID); err != nil {
			return fmt.Errorf("store: unable to look up external id: %w", err)
		}
		if known > 0 {
			res.Duplicates++
			continue
		}
		key := r.AuthorKey()
		pid := authors[key]
		if pid == 0 && key != "" {
			err := st["intake-author"].GetContext(ctx, &pid, t.processID, key)
			if err != nil && !noRows(err) {
				return fmt.Errorf("store: unable to look up intake author: %w", err)
			}
		}
		if pid == 0 {
			if err := st["insert-participant"].QueryRowxContext(ctx, string(participation.ParticipantIntake), "intake",
				r.Region, r.ReceivedAt).Scan(&pid); err != nil {
				return fmt.Errorf("store: unable to create intake participant: %w", err)
			}
			if _, err := st["insert-event"].ExecContext(ctx, string(participation.EvParticipantJoined), 0, 0, pid, pid,
				r.Region, r.ReceivedAt, "{}"); err != nil {
				return fmt.Errorf("store: unable to append participant event: %w", err)
			}
			if key != "" {
				if _, err := st["intake-add-author"].ExecContext(ctx, t.processID, key, pid); err != nil {
					return fmt.Errorf("store: unable to record intake author: %w", err)
				}
			}
			res.Participants++
		}
		if key != "" {
			authors[key] = pid
		}
		var id int64
		if err := st["intake-insert-comment"].QueryRowxContext(ctx, t.processID, t.componentID, r.sectionID, pid,
			r.Body, now, r.Channel, r.Organisation, r.ExternalID, r.ReceivedAt).Scan(&id); err != nil {
			return fmt.Errorf("store: unable to import comment of line %d: %w", r.Line, err)
		}
		payload, err := json.Marshal(intakeCreated{commentCreated{participation.TargetSection, r.sectionID, nil,
			participation.CommentPlain, r.Body, ""}, r.Channel})
		if err != nil {
			return fmt.Errorf("store: unable to encode %s event: %w", participation.EvCommentCreated, err)
		}
		if _, err := st["insert-event"].ExecContext(ctx, string(participation.EvCommentCreated), t.processID, t.componentID,
			id, pid, r.Region, r.ReceivedAt, string(payload)); err != nil {
			return fmt.Errorf("store: unable to append %s event: %w", participation.EvCommentCreated, err)
		}
		perSection[r.sectionID]++
		res.Imported++
	}
	for sec, n := range perSection {
		if err := s.countComment(ctx, participation.TargetSection, sec, n); err != nil {
			return err
		}
	}
	if res.Imported > 0 {
		s.emitted()
	}
	return nil
}
