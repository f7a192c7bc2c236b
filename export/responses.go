package export

import (
	"archive/zip"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/internal/csvcell"
)

type survey struct {
	component int64
	title     string
}

func (e *Exporter) surveys(ctx context.Context, process int64) ([]survey, error) {
	rows, err := e.db.QueryContext(ctx, e.q.Get("zip-surveys"), sql.Named("process", process))
	if err != nil {
		return nil, fmt.Errorf("export: unable to read the surveys: %w", err)
	}
	defer rows.Close()
	var out []survey
	for rows.Next() {
		var s survey
		if err := rows.Scan(&s.component, &s.title); err != nil {
			return nil, fmt.Errorf("export: unable to read the surveys: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// question is a survey question and where its columns start in a row.
type question struct {
	id            int64
	kind, prompt  string
	options       []string
	first, across int // first column, number of columns
}

// questions lays a survey's questions out as columns: one for a single
// choice, likert, numeric or text question; one per option for a multiple
// choice (1 chosen, 0 not, empty: not answered); one per rank for a
// ranking (the option placed there).
func (e *Exporter) questions(ctx context.Context, component int64, first int) ([]question, error) {
	rows, err := e.db.QueryContext(ctx, e.q.Get("zip-questions"), sql.Named("component", component))
	if err != nil {
		return nil, fmt.Errorf("export: unable to read the questions of survey %d: %w", component, err)
	}
	defer rows.Close()
	var out []question
	at := first
	for rows.Next() {
		var q question
		var opts []any
		if err := rows.Scan(&q.id, &q.kind, &q.prompt, &opts); err != nil {
			return nil, fmt.Errorf("export: unable to read the questions of survey %d: %w", component, err)
		}
		for _, o := range opts {
			q.options = append(q.options, fmt.Sprint(o))
		}
		q.first, q.across = at, 1
		if (q.kind == "multi" || q.kind == "ranking") && len(q.options) > 0 {
			q.across = len(q.options)
		}
		at += q.across
		out = append(out, q)
	}
	return out, rows.Err()
}

// columns names a question's columns and describes them.
func (q question) columns(file string) []Column {
	base := "q" + strconv.FormatInt(q.id, 10)
	what := fmt.Sprintf("question %d, %q", q.id, q.prompt)
	opts := strings.Join(q.options, "; ")
	switch {
	case q.kind == "multi" && q.across == len(q.options):
		out := make([]Column, len(q.options))
		for i, o := range q.options {
			out[i] = Column{File: file, Name: fmt.Sprintf("%s_opt%d", base, i+1), Type: tInt, Allowed: "1 chosen; 0 not chosen; empty: question not answered",
				Meaning: fmt.Sprintf("%s (multiple choice): whether option %d, %q, was chosen", what, i+1, o)}
		}
		return out
	case q.kind == "ranking" && q.across == len(q.options):
		out := make([]Column, len(q.options))
		for i := range q.options {
			out[i] = Column{File: file, Name: fmt.Sprintf("%s_rank%d", base, i+1), Type: tText, Allowed: opts + "; empty: not ranked",
				Meaning: fmt.Sprintf("%s (ranking): the option ranked %d (1 = most preferred)", what, i+1)}
		}
		return out
	}
	c := Column{File: file, Name: base, Meaning: fmt.Sprintf("%s (%s)", what, q.kind)}
	switch q.kind {
	case "single":
		c.Type, c.Allowed = tText, opts+"; empty: not answered"
	case "likert":
		c.Type, c.Allowed = tInt, "1 "+likertLabels[0]+"; 2 "+likertLabels[1]+"; 3 "+likertLabels[2]+"; 4 "+likertLabels[3]+"; 5 "+likertLabels[4]+"; empty: not answered"
	case "numeric":
		c.Type, c.Allowed = tNum, "empty: not answered"
	default:
		c.Type, c.Allowed = tText, "free text; empty: not answered"
	}
	return []Column{c}
}

// answer is one row of zip-responses past the response's own columns.
type answer struct {
	question int64
	choice   sql.NullInt32
	rank     sql.NullInt32
	number   sql.NullFloat64
	text     sql.NullString
}

// put writes an answer into its question's cells.
func (q question) put(rec []string, a answer, text func(string) string) {
	cells := rec[q.first : q.first+q.across]
	label := func(i int32) string {
		if i >= 0 && int(i) < len(q.options) {
			return text(q.options[i])
		}
		return strconv.Itoa(int(i)) // an index the question no longer has: kept, not dropped
	}
	switch {
	case q.kind == "multi" && a.choice.Valid:
		for i := range cells {
			if cells[i] == "" {
				cells[i] = "0"
			}
		}
		if a.choice.Int32 >= 0 && int(a.choice.Int32) < len(cells) {
			cells[a.choice.Int32] = "1"
		}
	case q.kind == "ranking" && a.choice.Valid && a.rank.Valid && int(a.rank.Int32) >= 1 && int(a.rank.Int32) <= len(cells):
		cells[a.rank.Int32-1] = label(a.choice.Int32)
	case a.number.Valid:
		cells[0] = strconv.FormatFloat(a.number.Float64, 'f', -1, 64)
	case a.text.Valid:
		cells[0] = text(a.text.String)
	case a.choice.Valid:
		cells[0] = label(a.choice.Int32)
	}
}

// zipSurvey writes one survey's responses into a file of the zip.
func (e *Exporter) zipSurvey(ctx context.Context, zw *zip.Writer, at time.Time, process int64, s survey) ([]Column, error) {
	file := fmt.Sprintf("survey-%d-responses.csv", s.component)
	var cw *csv.Writer
	dict, err := e.pivotSurvey(ctx, process, s, file, csvcell.Safe, func(head []string) error {
		var err error
		if cw, err = create(zw, file, at); err != nil {
			return err
		}
		return cw.Write(head)
	}, func(rec []string) error { return cw.Write(rec) })
	if err != nil {
		return nil, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, fmt.Errorf("export: unable to write %s: %w", file, err)
	}
	return dict, nil
}

// pivotSurvey reads one survey's responses, folding the answers of each
// response (consecutive rows of zip-responses) into its one row, and hands
// the header then each row to start and emit. text formats the text cells
// (a formula guard for CSV, nothing for Parquet, which no spreadsheet
// evaluates).
func (e *Exporter) pivotSurvey(ctx context.Context, process int64, s survey, file string, text func(string) string,
	start func(head []string) error, emit func(rec []string) error) ([]Column, error) {
	qs, err := e.questions(ctx, s.component, len(responseColumns))
	if err != nil {
		return nil, err
	}
	width := len(responseColumns)
	byID := map[int64]question{}
	var dict []Column
	for _, c := range responseColumns {
		c.File = file
		if c.Name == "response_id" {
			c.Meaning += fmt.Sprintf(" to survey %d, %q", s.component, s.title)
		}
		dict = append(dict, c)
	}
	for _, q := range qs {
		byID[q.id] = q
		dict = append(dict, q.columns(file)...)
		width += q.across
	}
	head := make([]string, len(dict))
	for i, c := range dict {
		head[i] = c.Name
	}
	rows, err := e.db.QueryContext(ctx, e.q.Get("zip-responses"), sql.Named("process", process), sql.Named("component", s.component))
	if err != nil {
		return nil, fmt.Errorf("export: unable to read %s: %w", file, err)
	}
	defer rows.Close()
	if err := start(head); err != nil {
		return nil, fmt.Errorf("export: unable to write %s: %w", file, err)
	}
	rec := make([]string, width)
	current := int64(-1)
	flush := func() error {
		if current < 0 {
			return nil
		}
		if err := emit(rec); err != nil {
			return fmt.Errorf("export: unable to write %s: %w", file, err)
		}
		clear(rec)
		return nil
	}
	for rows.Next() {
		var id int64
		var region, regionName, status string
		var started, completedAt sql.NullTime
		var completed bool
		var a answer
		if err := rows.Scan(&id, &region, &regionName, &started, &completed, &completedAt, &status,
			&a.question, &a.choice, &a.rank, &a.number, &a.text); err != nil {
			return nil, fmt.Errorf("export: unable to read %s: %w", file, err)
		}
		if id != current {
			if err := flush(); err != nil {
				return nil, err
			}
			current = id
			copy(rec, []string{itoa(id), text(region), text(regionName), formatTime(started),
				strconv.FormatBool(completed), formatTime(completedAt), status})
		}
		if q, ok := byID[a.question]; ok {
			q.put(rec, a, text)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("export: unable to read %s: %w", file, err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return dict, nil
}
