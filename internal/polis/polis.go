// Package polis reads a Pol.is conversation export (comments.csv, votes.csv,
// participants-votes.csv) as published in compdemocracy/openData.
package polis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Moderation states as Pol.is exports them.
const (
	ModeratedOut = -1
	Unmoderated  = 0
	ModeratedIn  = 1
)

// Comment is one statement participants voted on.
type Comment struct {
	ID        int
	AuthorID  int
	Created   time.Time
	Agrees    int
	Disagrees int
	Moderated int
	// IsMeta marks a comment about the conversation itself ("this survey is
	// too long"), from the optional is-meta column of newer exports; Pol.is
	// leaves such comments out of the math like moderated ones.
	IsMeta bool
	Body   string
}

// Vote is one vote event; the export keeps every change, so a participant may
// have several votes on one comment and the latest counts.
type Vote struct {
	Created   time.Time
	CommentID int
	VoterID   int
	Value     int8 // +1 agree, -1 disagree, 0 pass
}

// Participant is one row of participants-votes.csv: the final votes and the
// opinion group Pol.is assigned (GroupID < 0 when Pol.is did not cluster them).
type Participant struct {
	ID        int
	GroupID   int
	NComments int
	NVotes    int
	NAgree    int
	NDisagree int
}

// Export is a whole conversation.
type Export struct {
	Comments     []Comment
	Votes        []Vote
	Participants []Participant
}

// Read loads the three files of an export directory. participants-votes.csv
// is optional (it only carries Pol.is' own groups).
func Read(dir string) (*Export, error) {
	var e Export
	var err error
	if e.Comments, err = readFile(filepath.Join(dir, "comments.csv"), ReadComments); err != nil {
		return nil, err
	}
	if e.Votes, err = readFile(filepath.Join(dir, "votes.csv"), ReadVotes); err != nil {
		return nil, err
	}
	e.Participants, err = readFile(filepath.Join(dir, "participants-votes.csv"), ReadParticipants)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return &e, nil
}

func readFile[T any](path string, read func(io.Reader) ([]T, error)) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("polis: unable to open %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	rows, err := read(f)
	if err != nil {
		return nil, fmt.Errorf("polis: unable to read %s: %w", filepath.Base(path), err)
	}
	return rows, nil
}

// header maps column names to positions and checks the required ones exist.
type header map[string]int

func newHeader(cols []string, required ...string) (header, error) {
	h := header{}
	for i, c := range cols {
		name := strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))
		// A repeated column would make the row-length check (against
		// the distinct columns) pass rows too short to hold it.
		if _, dup := h[name]; dup {
			return nil, fmt.Errorf("column %q appears twice", name)
		}
		h[name] = i
	}
	for _, r := range required {
		if _, ok := h[r]; !ok {
			return nil, fmt.Errorf("missing column %q", r)
		}
	}
	return h, nil
}

func (h header) int(rec []string, col string) (int, error) {
	s := strings.TrimSpace(rec[h[col]])
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("column %s: %w", col, err)
	}
	return n, nil
}

func (h header) millis(rec []string, col string) (time.Time, error) {
	s := strings.TrimSpace(rec[h[col]])
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("column %s: %w", col, err)
	}
	return time.UnixMilli(ms).UTC(), nil
}

func readAll(r io.Reader, required []string, row func(header, []string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cols, err := cr.Read()
	if err != nil {
		return fmt.Errorf("header: %w", err)
	}
	h, err := newHeader(cols, required...)
	if err != nil {
		return err
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if len(rec) < len(h) {
			return fmt.Errorf("line %d: %d fields, want %d", line, len(rec), len(h))
		}
		if err := row(h, rec); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}

// ReadComments parses comments.csv.
func ReadComments(r io.Reader) ([]Comment, error) {
	var out []Comment
	err := readAll(r, []string{"timestamp", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"},
		func(h header, rec []string) error {
			var c Comment
			var err error
			if c.Created, err = h.millis(rec, "timestamp"); err != nil {
				return err
			}
			if c.ID, err = h.int(rec, "comment-id"); err != nil {
				return err
			}
			if c.AuthorID, err = h.int(rec, "author-id"); err != nil {
				return err
			}
			if c.Agrees, err = h.int(rec, "agrees"); err != nil {
				return err
			}
			if c.Disagrees, err = h.int(rec, "disagrees"); err != nil {
				return err
			}
			if c.Moderated, err = h.int(rec, "moderated"); err != nil {
				return err
			}
			if at, ok := h["is-meta"]; ok {
				if v := strings.TrimSpace(rec[at]); v != "" {
					if c.IsMeta, err = strconv.ParseBool(v); err != nil {
						return fmt.Errorf("column is-meta: %w", err)
					}
				}
			}
			c.Body = rec[h["comment-body"]]
			out = append(out, c)
			return nil
		})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// ReadVotes parses votes.csv in file order.
func ReadVotes(r io.Reader) ([]Vote, error) {
	var out []Vote
	err := readAll(r, []string{"timestamp", "comment-id", "voter-id", "vote"},
		func(h header, rec []string) error {
			var v Vote
			var err error
			if v.Created, err = h.millis(rec, "timestamp"); err != nil {
				return err
			}
			if v.CommentID, err = h.int(rec, "comment-id"); err != nil {
				return err
			}
			if v.VoterID, err = h.int(rec, "voter-id"); err != nil {
				return err
			}
			val, err := h.int(rec, "vote")
			if err != nil {
				return err
			}
			if val < -1 || val > 1 {
				return fmt.Errorf("vote %d out of range", val)
			}
			v.Value = int8(val)
			out = append(out, v)
			return nil
		})
	return out, err
}

// ReadParticipants parses participants-votes.csv, keeping the per-participant
// summary and group; the per-comment vote columns repeat votes.csv.
func ReadParticipants(r io.Reader) ([]Participant, error) {
	var out []Participant
	err := readAll(r, []string{"participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"},
		func(h header, rec []string) error {
			var p Participant
			var err error
			if p.ID, err = h.int(rec, "participant"); err != nil {
				return err
			}
			p.GroupID = -1
			if strings.TrimSpace(rec[h["group-id"]]) != "" {
				if p.GroupID, err = h.int(rec, "group-id"); err != nil {
					return err
				}
			}
			if p.NComments, err = h.int(rec, "n-comments"); err != nil {
				return err
			}
			if p.NVotes, err = h.int(rec, "n-votes"); err != nil {
				return err
			}
			if p.NAgree, err = h.int(rec, "n-agree"); err != nil {
				return err
			}
			if p.NDisagree, err = h.int(rec, "n-disagree"); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	return out, err
}

// FinalVotes keeps the latest vote of each participant on each comment, the
// state Pol.is clusters on.
func (e *Export) FinalVotes() []Vote {
	type key struct{ voter, comment int }
	latest := make(map[key]int, len(e.Votes))
	for i, v := range e.Votes {
		k := key{v.VoterID, v.CommentID}
		if j, ok := latest[k]; !ok || !v.Created.Before(e.Votes[j].Created) {
			latest[k] = i
		}
	}
	out := make([]Vote, 0, len(latest))
	for _, i := range latest {
		out = append(out, e.Votes[i])
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].VoterID != out[j].VoterID {
			return out[i].VoterID < out[j].VoterID
		}
		return out[i].CommentID < out[j].CommentID
	})
	return out
}

// ModeratedOut lists the comments a moderator removed; Pol.is leaves them out
// of the math, as it does the Meta ones.
func (e *Export) ModeratedOut() []int {
	var out []int
	for _, c := range e.Comments {
		if c.Moderated == ModeratedOut {
			out = append(out, c.ID)
		}
	}
	return out
}

// Meta lists the comments marked is-meta.
func (e *Export) Meta() []int {
	var out []int
	for _, c := range e.Comments {
		if c.IsMeta {
			out = append(out, c.ID)
		}
	}
	return out
}
