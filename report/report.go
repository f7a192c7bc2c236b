// Package report writes a process's overview documents — all ideas, all
// comments on the document section by section, and the survey results —
// as PDF or as printable HTML, in the process's language, on demand. The
// figures and texts come from the warehouse (its read pool while serve
// runs) through the named statements of sql/report.sql; what only the
// participation store knows (the process's summary and languages, the
// assessment scores, the official response per section) comes through
// Store when one is given. Hidden and moderated items are counted, never
// printed.
package report

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"

	"github.com/civicpulse/civicpulse/internal/sqlfile"
	"github.com/civicpulse/civicpulse/participation"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// The documents.
const (
	Ideas    = "ideas"
	Comments = "comments"
	Survey   = "survey"
)

// Kinds lists the documents in the order the staff page offers them.
var Kinds = []string{Ideas, Comments, Survey}

// The formats.
const (
	PDF  = "pdf"
	HTML = "html"
)

// ContentType gives a format's MIME type.
func ContentType(format string) string {
	if format == PDF {
		return "application/pdf"
	}
	return "text/html; charset=utf-8"
}

// ErrUnknownProcess is returned for a process the warehouse has no record of.
var ErrUnknownProcess = errors.New("report: unknown process")

// ErrUnknownKind is returned for a document or format that does not exist.
var ErrUnknownKind = errors.New("report: unknown document or format")

// Store is what the documents read from the participation store.
type Store interface {
	GetProcess(ctx context.Context, id int64, onlyPublished bool) (participation.Process, error)
	Scores(ctx context.Context, processID int64) ([]participation.Score, error)
	SectionResponses(ctx context.Context, componentID int64) ([]participation.SectionResponse, error)
}

// Reporter writes the documents.
type Reporter struct {
	db    *sql.DB
	q     sqlfile.Set
	store Store // nil: no summary, scores or section responses
}

var names = []string{"report-process", "report-components", "report-figures", "report-proposals", "report-sections",
	"report-section-themes", "report-amendments", "report-questions", "report-respondents", "report-choices",
	"report-numbers", "report-survey-responses"}

// New loads the statements (a broken one fails here, not on the first
// download). store may be nil.
func New(db *sql.DB, store Store) (*Reporter, error) {
	q, err := sqlfile.Load(sqlFS, "sql/*.sql")
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if err := q.Require(names...); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return &Reporter{db: db, q: q, store: store}, nil
}

// Known reports whether kind and format name a document the package writes.
func Known(kind, format string) bool {
	return (kind == Ideas || kind == Comments || kind == Survey) && (format == PDF || format == HTML)
}

// Write builds the document and writes it to w. Every query runs before
// the first byte goes out, so an unknown process or a failed query
// leaves w untouched and the caller can still answer with an error.
func (r *Reporter) Write(ctx context.Context, w io.Writer, process int64, kind, format string) error {
	if !Known(kind, format) {
		return fmt.Errorf("%w: %s.%s", ErrUnknownKind, kind, format)
	}
	d, err := r.Build(ctx, process, kind)
	if err != nil {
		return err
	}
	if format == PDF {
		return writePDF(w, d)
	}
	return writeHTML(w, d)
}

// Build reads the document of the given kind.
func (r *Reporter) Build(ctx context.Context, process int64, kind string) (*Doc, error) {
	d, err := r.cover(ctx, process, kind)
	if err != nil {
		return nil, err
	}
	switch kind {
	case Ideas:
		err = r.ideas(ctx, d)
	case Comments:
		err = r.comments(ctx, d)
	case Survey:
		err = r.survey(ctx, d)
	default:
		err = fmt.Errorf("%w: %s", ErrUnknownKind, kind)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

type component struct {
	id          int64
	kind, title string
}

// cover reads the process, its key figures and its components.
func (r *Reporter) cover(ctx context.Context, process int64, kind string) (*Doc, error) {
	d := &Doc{process: process, tr: translator("en")}
	err := r.db.QueryRowContext(ctx, r.q.Get("report-process"), sql.Named("process", process)).Scan(&d.Process, &d.budget, &d.currency)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w %d", ErrUnknownProcess, process)
	}
	if err != nil {
		return nil, fmt.Errorf("report: unable to read process %d: %w", process, err)
	}
	if r.store != nil {
		p, err := r.store.GetProcess(ctx, process, false)
		if err != nil {
			return nil, fmt.Errorf("report: unable to read process %d from the store: %w", process, err)
		}
		d.Summary, d.Objective, d.criteria = p.Summary, p.Objective, p.Criteria
		if len(p.Languages) > 0 {
			d.tr = translator(p.Languages[0])
		}
	}
	d.Lang = d.tr.lang
	d.Title = d.T("report.title." + kind)
	var participants, proposals, comments, responses, supports int64
	if err := r.db.QueryRowContext(ctx, r.q.Get("report-figures"), sql.Named("process", process)).Scan(&participants, &proposals, &comments, &responses, &supports); err != nil {
		return nil, fmt.Errorf("report: unable to read the key figures of process %d: %w", process, err)
	}
	d.Figures = []Figure{{d.T("report.fig.participants"), d.N(participants)}, {d.T("report.fig.proposals"), d.N(proposals)},
		{d.T("report.fig.supports"), d.N(supports)}, {d.T("report.fig.comments"), d.N(comments)}, {d.T("report.fig.responses"), d.N(responses)}}
	if d.budget > 0 {
		d.Figures = append(d.Figures, Figure{d.T("report.fig.budget"), d.Money(d.budget, d.currency)})
	}
	rows, err := r.db.QueryContext(ctx, r.q.Get("report-components"), sql.Named("process", process))
	if err != nil {
		return nil, fmt.Errorf("report: unable to read the components of process %d: %w", process, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c component
		if err := rows.Scan(&c.id, &c.kind, &c.title); err != nil {
			return nil, fmt.Errorf("report: unable to read the components of process %d: %w", process, err)
		}
		d.components = append(d.components, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report: unable to read the components of process %d: %w", process, err)
	}
	return d, nil
}

// of lists the process's components of a kind.
func (d *Doc) of(kind string) []component {
	var out []component
	for _, c := range d.components {
		if c.kind == kind {
			out = append(out, c)
		}
	}
	return out
}

// published reports whether a moderation status lets an item's text be printed.
func published(status string) bool { return status == "published" }

// status says why an item's text is not printed.
func (d *Doc) status(s string) string {
	switch s {
	case "withdrawn", "pending", "rejected":
		return d.T("report.status." + s)
	}
	return d.T("report.status.hidden")
}
