package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// DispatchStore is what the dispatcher reads from the participation store
// (*sqlstore.Store): the outbox it tails, who hears of an event, and the
// few names a message shows.
type DispatchStore interface {
	participation.Recipients
	Outbox() participation.Outbox
	GetProcess(ctx context.Context, id int64, onlyPublished bool) (participation.Process, error)
	Translations(ctx context.Context, processID int64) ([]participation.Translation, error)
	GetProposal(ctx context.Context, id int64) (participation.Proposal, error)
	GetSection(ctx context.Context, id int64) (participation.Section, error)
	MySubmissions(ctx context.Context, participantID int64) (participation.Submissions, error)
}

// DispatchOptions tune a Dispatcher; the zero value is what serve runs.
type DispatchOptions struct {
	// Name keys the checkpoint row (default "events"): two dispatchers of
	// one name share their place in the outbox.
	Name string
	// Batch is how many events one step reads (default 100).
	Batch int
	// Idle is the longest wait for new events (default 2 s; Postgres wakes
	// the wait on each commit).
	Idle time.Duration
	// DigestHour is the local hour of the morning digests (default 7).
	DigestHour int
}

// Dispatcher tails the participation outbox and turns the events people
// follow into messages: each event's audience (participation.Recipients),
// each recipient's preference for the kind (instant, daily digest, none),
// the message in the recipient's language with the process's name in it
// and a link to the page. Its place in the outbox is a row of
// notify_checkpoints, saved after each batch, so a restart resumes there;
// an event handled again (a crash before the checkpoint, two servers
// tailing side by side) queues nothing new, because every message's
// idempotency key is (event, recipient, kind).
type Dispatcher struct {
	svc   *Service
	store DispatchStore
	opts  DispatchOptions
	log   *slog.Logger
}

// NewDispatcher makes the dispatcher and, the first time a name is used,
// its checkpoint: at the end of the outbox, because messages are news — a
// server that never dispatched does not tell people of last year's
// comments (nor the demo's thousands of generated ones).
func (s *Service) NewDispatcher(ctx context.Context, store DispatchStore, o DispatchOptions) (*Dispatcher, error) {
	if o.Name == "" {
		o.Name = "events"
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.Idle <= 0 {
		o.Idle = 2 * time.Second
	}
	if o.DigestHour <= 0 || o.DigestHour > 23 {
		o.DigestHour = 7
	}
	d := &Dispatcher{svc: s, store: store, opts: o, log: s.log}
	if _, err := d.checkpoint(ctx); err == nil {
		return d, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	end, err := outboxEnd(ctx, store.Outbox())
	if err != nil {
		return nil, err
	}
	if _, err := s.db.ExecContext(ctx, s.q["checkpoint-init"], o.Name, end.Tx, end.Seq, s.now()); err != nil {
		return nil, fmt.Errorf("notify: unable to start the dispatcher's checkpoint: %w", err)
	}
	return d, nil
}

func outboxEnd(ctx context.Context, ob participation.Outbox) (participation.Cursor, error) {
	var c participation.Cursor
	for {
		evs, err := ob.Read(ctx, c, 10000)
		if err != nil {
			return c, fmt.Errorf("notify: unable to find the end of the outbox: %w", err)
		}
		if len(evs) == 0 {
			return c, nil
		}
		c = evs[len(evs)-1].Cursor()
	}
}

// Checkpoint returns the dispatcher's place in the outbox.
func (d *Dispatcher) Checkpoint(ctx context.Context) (participation.Cursor, error) {
	return d.checkpoint(ctx)
}

func (d *Dispatcher) checkpoint(ctx context.Context) (participation.Cursor, error) {
	var c participation.Cursor
	err := d.svc.db.QueryRowContext(ctx, d.svc.q["checkpoint-get"], d.opts.Name).Scan(&c.Tx, &c.Seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		err = fmt.Errorf("notify: unable to read the dispatcher's checkpoint: %w", err)
	}
	return c, err
}

func (d *Dispatcher) advance(ctx context.Context, c participation.Cursor) error {
	if _, err := d.svc.db.ExecContext(ctx, d.svc.q["checkpoint-advance"], c.Tx, c.Seq, d.svc.now(),
		d.opts.Name, c.Tx, c.Tx, c.Seq); err != nil {
		return fmt.Errorf("notify: unable to save the dispatcher's checkpoint: %w", err)
	}
	return nil
}

// Run dispatches until ctx ends. It runs beside the ingester as a
// goroutine of serve rather than as a job of the queue: like the ingester
// it tails the outbox, and the outbox's Wait (LISTEN/NOTIFY on Postgres)
// tells people within a second of a commit, where a job would poll. Every
// replica may run one; the keys keep their messages single. A failing
// step is logged and retried with backoff; it returns nil once ctx ends.
func (d *Dispatcher) Run(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		n, err := d.Step(ctx)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			d.log.Warn("notify: dispatching failed; retrying", "err", err, "in", backoff)
			sleepCtx(ctx, backoff)
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		if n == d.opts.Batch {
			continue
		}
		if err := d.store.Outbox().Wait(ctx, d.opts.Idle); err != nil && ctx.Err() == nil {
			sleepCtx(ctx, d.opts.Idle)
		}
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// Step dispatches one batch of events after the checkpoint and moves the
// checkpoint past what it handled. It returns how many events it read.
// Concurrent writers that commit out of sequence order are the outbox's
// concern: Read hands out only events below the horizon of transactions
// still running, in (transaction, sequence) order, so none is skipped.
func (d *Dispatcher) Step(ctx context.Context) (int, error) {
	from, err := d.checkpoint(ctx)
	if err != nil {
		return 0, err
	}
	evs, err := d.store.Outbox().Read(ctx, from, d.opts.Batch)
	if err != nil {
		return 0, fmt.Errorf("notify: unable to read the outbox: %w", err)
	}
	procs := map[int64]*procInfo{} // one batch's processes, read once
	done := from
	for _, ev := range evs {
		if err := d.dispatch(ctx, ev, procs); err != nil {
			if done != from { // keep what this batch did
				err = errors.Join(err, d.advance(ctx, done))
			}
			return len(evs), fmt.Errorf("notify: event %d (%s): %w", ev.Seq, ev.Type, err)
		}
		done = ev.Cursor()
	}
	if len(evs) > 0 {
		return len(evs), d.advance(ctx, done)
	}
	return 0, nil
}

// dispatch queues the messages of one event. An event about something
// that is gone (a proposal deleted, a process removed) tells nobody.
func (d *Dispatcher) dispatch(ctx context.Context, ev participation.Event, procs map[int64]*procInfo) error {
	if !dispatched(ev.Type) || ev.ProcessID == 0 {
		return nil
	}
	pc, ok := procs[ev.ProcessID]
	if !ok {
		var err error
		if pc, err = d.process(ctx, ev.ProcessID); err != nil && !participation.IsNotFound(err) {
			return err
		}
		procs[ev.ProcessID] = pc
	}
	if pc == nil {
		return nil
	}
	n, ok, err := d.notice(ctx, ev, pc)
	if err == nil && ok {
		err = d.fanout(ctx, ev, n, pc)
	}
	if skippable(err) {
		// Retrying would not change the answer, and holding the outbox up
		// for it would keep everyone else's messages back.
		d.log.Warn("notify: an event tells nobody", "seq", ev.Seq, "type", ev.Type, "err", err)
		return nil
	}
	return err
}

// errUnreadable is an event whose payload does not read.
var errUnreadable = errors.New("notify: the event's payload does not read")

// skippable reports whether err is about the event itself (something gone,
// an audience the store refuses, a payload that does not read) rather than
// a failure that a retry may get past.
func skippable(err error) bool {
	if err == nil {
		return false
	}
	c := participation.ErrorCode(err)
	var v participation.ValidationErrors
	return c == participation.CodeNotFound || c == participation.CodeInvalid || errors.As(err, &v) || errors.Is(err, errUnreadable)
}

// procInfo is what messages show of a process.
type procInfo struct {
	p     participation.Process
	texts participation.Texts
	loc   *time.Location
}

func (d *Dispatcher) process(ctx context.Context, id int64) (*procInfo, error) {
	p, err := d.store.GetProcess(ctx, id, false)
	if err != nil {
		return nil, err
	}
	tr, err := d.store.Translations(ctx, id)
	if err != nil {
		return nil, err
	}
	first := ""
	if len(p.Languages) > 0 {
		first = p.Languages[0]
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil || p.TimeZone == "" {
		loc = time.UTC
	}
	return &procInfo{p: p, texts: participation.NewTexts(first, tr), loc: loc}, nil
}

// name is the process's name in lang.
func (pc *procInfo) name(lang string) string {
	s, _ := pc.texts.Get(participation.EntityProcess, pc.p.ID, "title", lang, pc.p.Title)
	return s
}

// lang is the language a recipient reads: theirs if the process has it,
// else the process's first.
func (pc *procInfo) lang(want string) string {
	for _, l := range pc.p.Languages {
		if l == want {
			return want
		}
	}
	if len(pc.p.Languages) > 0 {
		return pc.p.Languages[0]
	}
	if want != "" {
		return want
	}
	return FallbackLang
}
