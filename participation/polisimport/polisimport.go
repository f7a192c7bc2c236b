// Package polisimport loads a Pol.is conversation export into the
// participation store as a published document consultation: one process,
// one document component whose single section holds the conversation's
// topic, each Pol.is comment a comment on that section by a participant
// created for its author, and each participant's final vote on a comment a
// comment vote. Every write goes through the store with the export's own
// timestamps (participation.AsOf), so the votes reach the warehouse through
// the outbox like any others.
package polisimport

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/internal/polis"
	"github.com/civicpulse/civicpulse/participation"
)

// ErrAlreadyImported is returned when the store already holds a process with
// the import's slug: importing the same export twice would count every vote
// twice in the warehouse.
var ErrAlreadyImported = errors.New("polisimport: this export was already imported")

// Options tune an import; zero values take the defaults.
type Options struct {
	// Slug of the new process (default "polis-" and the export folder's
	// name). It is also what makes a second import of the same export fail.
	Slug string
	// Title of the process (default the export's topic from summary.csv).
	Title string
	// Scope of the process (default national: Pol.is does not say).
	Scope participation.Scope
	// ChunkWrites is how many writes share one transaction (default 2,000):
	// small enough that the ingester sees progress during a long import.
	ChunkWrites int
	// Progress, when set, is called after each committed chunk.
	Progress func(Result)
}

// Result counts what the import wrote.
type Result struct {
	Slug        string
	ProcessID   int64
	ComponentID int64
	SectionID   int64
	// Participants created: every comment author and voter.
	Participants int
	// Comments created, and how many of them were hidden because a Pol.is
	// moderator had removed them.
	Comments, Hidden int
	// Votes are the final votes written (one per participant and comment).
	Votes int
	// SkippedComments were empty or too long for the store; SkippedVotes
	// were on a skipped or unknown comment.
	SkippedComments, SkippedVotes int
	// Writes is the number of store writes so far.
	Writes int
}

// Summary is what summary.csv says about a conversation.
type Summary struct {
	Topic, URL, Description string
}

// ReadSummary reads summary.csv (key,value rows); a missing file is an
// empty summary, since only the two vote files are essential.
func ReadSummary(dir string) (Summary, error) {
	f, err := os.Open(filepath.Join(dir, "summary.csv"))
	if errors.Is(err, os.ErrNotExist) {
		return Summary{}, nil
	}
	if err != nil {
		return Summary{}, fmt.Errorf("polisimport: unable to open summary.csv: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	var s Summary
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return Summary{}, fmt.Errorf("polisimport: unable to read summary.csv: %w", err)
		}
		if len(rec) < 2 {
			continue
		}
		v := strings.TrimSpace(rec[1])
		switch strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")) {
		case "topic":
			s.Topic = v
		case "url":
			s.URL = v
		case "conversation-description":
			s.Description = v
		}
	}
}

// DefaultSlug is the slug an import of dir takes when none is given.
func DefaultSlug(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	var b strings.Builder
	b.WriteString("polis")
	dash := true
	for _, r := range strings.ToLower(filepath.Base(abs)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	s := b.String()
	if len(s) > participation.SlugMax {
		s = strings.TrimRight(s[:participation.SlugMax], "-")
	}
	return s
}

// Import reads the export in dir and writes it into st. It refuses, with
// ErrAlreadyImported, when a process with the same slug exists.
func Import(ctx context.Context, st participation.Store, dir string, opt Options) (Result, error) {
	if fi, err := os.Stat(dir); err != nil {
		return Result{}, fmt.Errorf("polisimport: no export folder at %s: %w", dir, err)
	} else if !fi.IsDir() {
		return Result{}, fmt.Errorf("polisimport: %s is not a folder", dir)
	}
	e, err := polis.Read(dir)
	if err != nil {
		return Result{}, err
	}
	sum, err := ReadSummary(dir)
	if err != nil {
		return Result{}, err
	}
	if len(e.Comments) == 0 {
		return Result{}, fmt.Errorf("polisimport: the conversation in %s has no comments", dir)
	}
	if opt.Slug == "" {
		opt.Slug = DefaultSlug(dir)
	}
	if opt.ChunkWrites <= 0 {
		opt.ChunkWrites = 2000
	}
	if opt.Scope == "" {
		opt.Scope = participation.ScopeNational
	}
	if p, err := st.GetProcessBySlug(ctx, opt.Slug, false); err == nil {
		return Result{}, fmt.Errorf("%w as process %q (id %d); give it another slug (import polis --slug) to import it again", ErrAlreadyImported, p.Slug, p.ID)
	} else if !participation.IsNotFound(err) {
		return Result{}, fmt.Errorf("polisimport: unable to check slug %q: %w", opt.Slug, err)
	}

	im := &importer{st: st, opt: opt, export: e, sum: sum, dir: dir,
		participants: map[int]int64{}, comments: map[int]int64{}}
	im.res.Slug = opt.Slug
	im.plan()
	if err := im.setup(ctx); err != nil {
		return im.res, err
	}
	if err := im.load(ctx); err != nil {
		return im.res, fmt.Errorf("polisimport: import stopped after %d writes, process %q (id %d) holds a partial conversation: %w",
			im.res.Writes, opt.Slug, im.res.ProcessID, err)
	}
	return im.res, nil
}

// step is one write of the conversation, in the order it happened.
type step struct {
	at      time.Time
	comment *polis.Comment
	vote    *polis.Vote
}

type importer struct {
	st     participation.Store
	opt    Options
	export *polis.Export
	sum    Summary
	dir    string

	steps        []step
	first, last  time.Time
	participants map[int]int64 // Pol.is participant id → ours
	comments     map[int]int64 // Pol.is comment id → ours
	res          Result
}

// plan orders every comment and final vote by time. A vote never precedes
// its comment: Pol.is servers' clocks sometimes put an author's own vote a
// moment before the comment it created.
func (im *importer) plan() {
	created := map[int]time.Time{}
	for i := range im.export.Comments {
		c := &im.export.Comments[i]
		created[c.ID] = c.Created
		im.steps = append(im.steps, step{at: c.Created, comment: c})
	}
	final := im.export.FinalVotes()
	for i := range final {
		v := &final[i]
		at := v.Created
		if c, ok := created[v.CommentID]; ok && at.Before(c) {
			at = c
		}
		im.steps = append(im.steps, step{at: at, vote: v})
	}
	sort.SliceStable(im.steps, func(i, j int) bool {
		a, b := im.steps[i], im.steps[j]
		if !a.at.Equal(b.at) {
			return a.at.Before(b.at)
		}
		return a.comment != nil && b.comment == nil
	})
	im.first, im.last = im.steps[0].at, im.steps[len(im.steps)-1].at
}

func (im *importer) title() string {
	t := strings.TrimSpace(im.opt.Title)
	if t == "" {
		t = im.sum.Topic
	}
	if utf8.RuneCountInString(t) < 3 {
		t = "Pol.is conversation " + filepath.Base(im.dir)
	}
	return truncate(t, participation.ProcessTitleMax)
}

// setup creates the process, its document and its one phase, published, as
// of the day the conversation began, in one transaction.
func (im *importer) setup(ctx context.Context) error {
	title := im.title()
	starts := im.first.UTC().Truncate(24 * time.Hour)
	ends := im.last.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	origin := "Imported from a Pol.is conversation export"
	if im.sum.URL != "" {
		origin += " (" + im.sum.URL + ")"
	}
	body := im.sum.Description
	if strings.TrimSpace(body) == "" {
		body = origin + "."
	}
	at := participation.AsOf(ctx, starts)
	err := im.st.Batch(ctx, func(tx participation.Store) error {
		id, err := tx.CreateProcess(at, participation.Process{
			Slug: im.opt.Slug, Title: title, Summary: truncate(im.sum.Description, 2000), Objective: origin + ".",
			Level: participation.LevelConsult, Scope: im.opt.Scope, Mode: participation.ModeOpen,
			StartsAt: starts, EndsAt: ends, TimeZone: "UTC",
		})
		if err != nil {
			if participation.ErrorCode(err) == participation.CodeDuplicate {
				return fmt.Errorf("%w as process %q; give it another slug (import polis --slug) to import it again", ErrAlreadyImported, im.opt.Slug)
			}
			return fmt.Errorf("polisimport: unable to create the process: %w", err)
		}
		im.res.ProcessID = id
		comp, err := tx.AddComponent(at, participation.Component{ProcessID: id, Kind: participation.KindDocument, Position: 1,
			Title: truncate(title, 200), Description: "Statements from the conversation; agree, disagree or pass on each."})
		if err != nil {
			return fmt.Errorf("polisimport: unable to add the document: %w", err)
		}
		im.res.ComponentID = comp
		if _, err := tx.AddPhase(at, participation.Phase{ProcessID: id, Position: 1, Name: "Pol.is conversation",
			StartsAt: starts, EndsAt: ends, OpenComponents: []int64{comp}}); err != nil {
			return fmt.Errorf("polisimport: unable to add the phase: %w", err)
		}
		doc := participation.Document{ComponentID: comp, Title: truncate(title, participation.DocumentTitleMax),
			Sections: []participation.Section{{Position: 1, Heading: truncate(title, participation.SectionHeadingMax), Body: body}}}
		if _, err := tx.PublishDocument(at, doc); err != nil {
			return fmt.Errorf("polisimport: unable to publish the document: %w", err)
		}
		d, err := tx.GetDocument(at, comp)
		if err != nil || len(d.Sections) != 1 {
			return fmt.Errorf("polisimport: unable to read the document back (%d sections): %v", len(d.Sections), err)
		}
		im.res.SectionID = d.Sections[0].ID
		if err := tx.SetPublished(at, id, true); err != nil {
			return fmt.Errorf("polisimport: unable to publish the process: %w", err)
		}
		return nil
	})
	if err != nil {
		im.res.ProcessID, im.res.ComponentID, im.res.SectionID = 0, 0, 0
		return err
	}
	im.res.Writes += 5
	return nil
}

// load writes the steps in chunks, then hides what Pol.is moderators removed
// (votes came in while those comments were visible, so they stay counted).
func (im *importer) load(ctx context.Context) error {
	for next := 0; next < len(im.steps); {
		if err := ctx.Err(); err != nil {
			return err
		}
		res := im.res
		var newPeople []int
		var newComments []int
		err := im.st.Batch(ctx, func(tx participation.Store) error {
			n := 0
			for ; next < len(im.steps) && n < im.opt.ChunkWrites; next++ {
				w, err := im.write(ctx, tx, im.steps[next], &newPeople, &newComments)
				if err != nil {
					return err
				}
				n += w
			}
			return nil
		})
		if err != nil {
			// The chunk rolled back: forget what it created.
			for _, p := range newPeople {
				delete(im.participants, p)
			}
			for _, c := range newComments {
				delete(im.comments, c)
			}
			im.res = res
			return err
		}
		if im.opt.Progress != nil {
			im.opt.Progress(im.res)
		}
	}
	at := participation.AsOf(ctx, im.last)
	return im.st.Batch(ctx, func(tx participation.Store) error {
		for _, c := range im.export.Comments {
			id, ok := im.comments[c.ID]
			if !ok || c.Moderated != polis.ModeratedOut {
				continue
			}
			if err := tx.SetCommentStatus(at, id, participation.StatusHidden); err != nil {
				return fmt.Errorf("unable to hide moderated comment %d: %w", c.ID, err)
			}
			im.res.Hidden++
			im.res.Writes++
		}
		return nil
	})
}

var voteOf = map[int8]participation.Vote{
	1: participation.VoteAgree, -1: participation.VoteDisagree, 0: participation.VotePass,
}

// write performs one step and returns how many writes it took.
func (im *importer) write(ctx context.Context, tx participation.Store, s step, newPeople, newComments *[]int) (int, error) {
	at := participation.AsOf(ctx, s.at)
	if c := s.comment; c != nil {
		cm := participation.Comment{TargetKind: participation.TargetSection, TargetID: im.res.SectionID,
			Kind: participation.CommentPlain, Body: strings.TrimSpace(c.Body)}
		if len(participation.ValidateComment(cm)) > 0 {
			im.res.SkippedComments++
			return 0, nil
		}
		who, n, err := im.participant(at, tx, c.AuthorID, newPeople)
		if err != nil {
			return n, err
		}
		cm.ParticipantID = who
		id, err := tx.CreateComment(at, cm)
		if err != nil {
			return n, fmt.Errorf("unable to create comment %d: %w", c.ID, err)
		}
		im.comments[c.ID] = id
		*newComments = append(*newComments, c.ID)
		im.res.Comments++
		im.res.Writes++
		return n + 1, nil
	}
	v := s.vote
	comment, ok := im.comments[v.CommentID]
	if !ok {
		im.res.SkippedVotes++
		return 0, nil
	}
	who, n, err := im.participant(at, tx, v.VoterID, newPeople)
	if err != nil {
		return n, err
	}
	if err := tx.VoteComment(at, comment, who, voteOf[v.Value]); err != nil {
		return n, fmt.Errorf("unable to record participant %d's vote on comment %d: %w", v.VoterID, v.CommentID, err)
	}
	im.res.Votes++
	im.res.Writes++
	return n + 1, nil
}

// participant returns our id for a Pol.is participant, creating them the
// first time they act.
func (im *importer) participant(ctx context.Context, tx participation.Store, polisID int, created *[]int) (int64, int, error) {
	if id, ok := im.participants[polisID]; ok {
		return id, 0, nil
	}
	p, err := tx.CreateParticipant(ctx, "")
	if err != nil {
		return 0, 0, fmt.Errorf("unable to create participant for Pol.is participant %d: %w", polisID, err)
	}
	im.participants[polisID] = p.ID
	*created = append(*created, polisID)
	im.res.Participants++
	im.res.Writes++
	return p.ID, 1, nil
}

func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}
