// Package intakecsv reads an intake file — comments an institution received
// outside the platform — one row at a time, so that an import's memory does
// not grow with the file.
//
// The first row names the columns, in any order and case:
//
//	external_id   required; the sender's or the mail room's reference (alias id)
//	text          required; the comment (aliases body, comment)
//	received_at   required; RFC 3339, "2006-01-02 15:04[:05]" (UTC) or a date
//	channel       email, paper, portal, … (optional)
//	region        a region code or name of the process's region set (alias place)
//	organisation  the organisation that sent it (alias organization)
//	section       the section's number in the document's current version (default 1)
package intakecsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

var aliases = map[string]string{
	"external_id": "external_id", "id": "external_id",
	"text": "text", "body": "text", "comment": "text",
	"received_at": "received_at",
	"channel":     "channel",
	"region":      "region", "place": "region", "region_code": "region",
	"organisation": "organisation", "organization": "organisation",
	"section": "section",
}

var required = []string{"external_id", "text", "received_at"}

// Reader yields the rows of an intake file.
type Reader struct {
	r   *csv.Reader
	col map[string]int
	n   int // fields in the header
}

// NewReader reads the header of r and returns a Reader of its rows.
func NewReader(r io.Reader) (*Reader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked per row, so that a short row is one broken line
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("intakecsv: unable to read the header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		canon, ok := aliases[name]
		if !ok {
			continue // extra columns are the sender's business
		}
		if _, dup := col[canon]; dup {
			return nil, fmt.Errorf("intakecsv: column %q appears twice in the header", canon)
		}
		col[canon] = i
	}
	for _, c := range required {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("intakecsv: the header lacks the %q column", c)
		}
	}
	return &Reader{r: cr, col: col, n: len(head)}, nil
}

// Next returns the next row; a broken row as a *participation.IntakeProblem
// (reading may go on), io.EOF at the end, or another error when the file
// cannot be read further.
func (r *Reader) Next() (participation.IntakeComment, error) {
	rec, err := r.r.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return participation.IntakeComment{}, &participation.IntakeProblem{Line: pe.StartLine, Key: "err.intake_csv", Msg: pe.Err.Error()}
	}
	if err != nil {
		return participation.IntakeComment{}, err
	}
	line, _ := r.r.FieldPos(0)
	bad := func(field, key, msg string) (participation.IntakeComment, error) {
		return participation.IntakeComment{}, &participation.IntakeProblem{Line: line, Field: field, Key: key, Msg: msg}
	}
	if len(rec) != r.n {
		return bad("", "err.intake_csv", fmt.Sprintf("has %d fields where the header has %d", len(rec), r.n))
	}
	get := func(name string) string {
		if i, ok := r.col[name]; ok {
			return rec[i]
		}
		return ""
	}
	c := participation.IntakeComment{Line: line, ExternalID: get("external_id"), Body: get("text"),
		Channel: get("channel"), Region: get("region"), Organisation: get("organisation")}
	if s := strings.TrimSpace(get("received_at")); s != "" {
		if c.ReceivedAt, err = ParseTime(s); err != nil {
			return bad("received_at", "err.bad_time", "is not a time (RFC 3339, 2006-01-02 15:04:05 or 2006-01-02)")
		}
	}
	if s := strings.TrimSpace(get("section")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return bad("section", "err.bad_choice", "must be a section number (1, 2, …)")
		}
		c.Section = n - 1
	}
	return c, nil
}

var layouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"}

// ParseTime reads a received-at time; one without a zone is UTC.
func ParseTime(s string) (time.Time, error) {
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("intakecsv: %q is not a time", s)
}
