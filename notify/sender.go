package notify

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// SendOptions tune the sender; zero fields take the defaults.
type SendOptions struct {
	MaxAttempts int           // tries before a temporary failure becomes failed (default 8)
	BackoffBase time.Duration // wait after the first failure, doubling each time (default 30 s)
	BackoffMax  time.Duration // the longest wait (default 6 h)
	Lease       time.Duration // how long a claim holds its messages (default 2 min, plus the batch's pacing)
	Batch       int           // messages per claim (default 100)
	EmailRate   float64       // messages per second, at most (default 1000)
	SMSRate     float64       // messages per second, at most (default 50)
	// Workers send side by side per channel (default 8; SMTP uses up to
	// its Conns connections among them): each message is still committed
	// on its own right after its acceptance, and concurrent commits share
	// the database's flush (one worker: ~140 messages/s on this machine's
	// Postgres, eight: ~590).
	Workers int
}

func (o SendOptions) withDefaults() SendOptions {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.BackoffBase, 30*time.Second)
	def(&o.BackoffMax, 6*time.Hour)
	def(&o.Lease, 2*time.Minute)
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.EmailRate <= 0 {
		o.EmailRate = 1000
	}
	if o.SMSRate <= 0 {
		o.SMSRate = 50
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	return o
}

// pacer bounds one channel's rate, and lets one drain at a time use the
// channel's transport in this process.
type pacer struct {
	lim  *rate.Limiter
	busy sync.Mutex
}

func newPacer(perSecond float64) *pacer {
	return &pacer{lim: rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond/20)))}
}

// DrainResult says what one Drain did.
type DrainResult struct {
	Sent, Retried, Failed int
	// More is true when Drain stopped with due messages left (its budget
	// ran out); NextDue is when the next message becomes due (zero: none
	// is waiting). The job queue schedules its next drain from them.
	More    bool
	NextDue time.Time
}

// claimed is a delivery the sender holds a lease on.
type claimed struct {
	ID            int64  `db:"id"`
	Key           string `db:"idem_key"`
	Kind          string `db:"kind"`
	ParticipantID int64  `db:"participant_id"`
	Address       string `db:"address"`
	Lang          string `db:"lang"`
	Payload       string `db:"payload"`
	Attempts      int    `db:"attempts"`
}

// Drain sends the due messages of every channel until none is left or the
// budget is spent, and returns what it did. A message being sent when ctx
// ends is finished and committed; claimed messages not yet tried go back
// to the queue.
func (s *Service) Drain(ctx context.Context, budget time.Duration) (DrainResult, error) {
	stopAt := time.Now().Add(budget)
	var mu sync.Mutex
	var total DrainResult
	var errs []error
	var wg sync.WaitGroup
	for _, ch := range []Channel{Email, SMS} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := s.drainChannel(ctx, ch, stopAt)
			mu.Lock()
			defer mu.Unlock()
			total.Sent += r.Sent
			total.Retried += r.Retried
			total.Failed += r.Failed
			total.More = total.More || r.More
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return total, err
	}
	if total.More {
		total.NextDue = s.now()
		return total, nil
	}
	next, err := s.nextDue(context.WithoutCancel(ctx))
	total.NextDue = next
	return total, err
}

func (s *Service) drainChannel(ctx context.Context, ch Channel, stopAt time.Time) (DrainResult, error) {
	var r DrainResult
	p := s.pacers[ch]
	if !p.busy.TryLock() {
		return r, nil // another drain of this process is on it and will empty it
	}
	defer p.busy.Unlock()
	t := s.channel[ch]
	defer func() {
		if r.Sent+r.Failed+r.Retried > 0 {
			s.log.Info("notify: messages delivered", "channel", string(ch), "to", t.Where(),
				"sent", r.Sent, "retried", r.Retried, "failed", r.Failed)
		}
	}()
	for {
		if ctx.Err() != nil || time.Now().After(stopAt) {
			r.More = true
			return r, nil
		}
		rows, owner, err := s.claim(ctx, ch)
		if err != nil {
			return r, err
		}
		if len(rows) == 0 {
			return r, nil
		}
		if s.sendBatch(ctx, t, ch, rows, owner, stopAt, &r) {
			r.More = true
			return r, nil
		}
	}
}

// sendBatch sends claimed rows with Workers goroutines, paced by the
// channel's limiter. When it must stop (ctx ended, budget spent) the rows
// not yet tried go back to the queue and it returns true.
func (s *Service) sendBatch(ctx context.Context, t Transport, ch Channel, rows []claimed, owner string, stopAt time.Time, r *DrainResult) (stopped bool) {
	p := s.pacers[ch]
	var mu sync.Mutex
	next := 0
	take := func() (claimed, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= len(rows) || stopped {
			return claimed{}, false
		}
		if ctx.Err() != nil || time.Now().After(stopAt) {
			stopped = true
			return claimed{}, false
		}
		next++
		return rows[next-1], true
	}
	var wg sync.WaitGroup
	for range min(s.opts.Send.Workers, len(rows)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				row, ok := take()
				if !ok {
					return
				}
				if p.lim.Wait(ctx) != nil {
					s.release([]claimed{row}, owner)
					mu.Lock()
					stopped = true
					mu.Unlock()
					return
				}
				outcome := s.deliver(ctx, t, ch, row, owner)
				mu.Lock()
				switch outcome {
				case stateSent:
					r.Sent++
				case stateFailed:
					r.Failed++
				default:
					r.Retried++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if next < len(rows) {
		s.release(rows[next:], owner)
		stopped = true
	}
	return stopped
}

func (s *Service) claim(ctx context.Context, ch Channel) ([]claimed, string, error) {
	o := s.opts.Send
	b := make([]byte, 8)
	rand.Read(b)
	owner := hex.EncodeToString(b)
	now := s.now()
	pacing := time.Duration(float64(o.Batch) / s.rateOf(ch) * float64(time.Second))
	var rows []claimed
	err := s.db.SelectContext(ctx, &rows, s.q["delivery-claim"], now.Add(o.Lease+pacing), owner, string(ch), now, o.Batch)
	if err != nil {
		return nil, "", fmt.Errorf("notify: unable to claim deliveries: %w", err)
	}
	return rows, owner, nil
}

func (s *Service) rateOf(ch Channel) float64 {
	if ch == SMS {
		return s.opts.Send.SMSRate
	}
	return s.opts.Send.EmailRate
}

// release puts claimed messages that were not tried back in the queue.
func (s *Service) release(rows []claimed, owner string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, row := range rows {
		if _, err := s.db.ExecContext(ctx, s.q["delivery-release"], row.ID, owner); err != nil {
			s.log.Warn("notify: unable to release a claimed message; its lease will expire", "delivery", row.ID, "err", err)
		}
	}
}

const (
	stateSent    = "sent"
	stateFailed  = "failed"
	stateQueued  = "queued"
	stateSending = "sending"
)

// deliver sends one claimed message and records the outcome in its own
// commit right away: the only window for a duplicate is between the
// server's acceptance and this commit.
func (s *Service) deliver(ctx context.Context, t Transport, ch Channel, row claimed, owner string) string {
	var p payload
	if err := json.Unmarshal([]byte(row.Payload), &p); err != nil {
		return s.finish(row, owner, p, stateFailed, "unreadable payload: "+err.Error())
	}
	if row.Attempts >= s.opts.Send.MaxAttempts {
		// Every try so far began and none was answered: a sender died while
		// trying it each time (a message that crashes its sender would
		// otherwise be claimed for ever).
		return s.finish(row, owner, p, stateFailed, fmt.Sprintf("gave up after %d attempts without an answer", row.Attempts))
	}
	env, err := s.envelope(ch, row, p)
	if err != nil {
		return s.finish(row, owner, p, stateFailed, err.Error())
	}
	// The attempt is counted, in its own commit, before the send: a server
	// that dies mid-send has used the try, and one that dies before has not.
	if ok, err := s.markTrying(row, owner); err != nil || !ok {
		if err != nil {
			s.log.Error("notify: unable to count an attempt; the message waits for its lease to expire", "delivery", row.ID, "err", err)
		} else {
			s.log.Warn("notify: a delivery's lease had expired and was taken over before it was tried", "delivery", row.ID)
		}
		return stateQueued
	}
	row.Attempts++
	// The send is not cut short by ctx: a message half-sent when the server
	// stops is the one case that could be delivered and not recorded.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	err = t.Send(sendCtx, env)
	cancel()
	switch {
	case err == nil:
		return s.finish(row, owner, p, stateSent, "")
	case IsPermanent(err):
		return s.finish(row, owner, p, stateFailed, err.Error())
	case row.Attempts >= s.opts.Send.MaxAttempts:
		return s.finish(row, owner, p, stateFailed, fmt.Sprintf("after %d attempts: %s", row.Attempts, err))
	default:
		return s.finish(row, owner, p, stateQueued, err.Error())
	}
}

// markTrying counts the attempt about to be made; false when the lease
// was lost (another sender took the message over and tries it itself).
func (s *Service) markTrying(row claimed, owner string) (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := s.db.ExecContext(ctx, s.q["delivery-trying"], row.ID, owner)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// finish records a delivery's outcome. A sent or failed message keeps
// neither its address nor its secret.
func (s *Service) finish(row claimed, owner string, p payload, state, reason string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reason = clip(reason, 500)
	var err error
	var res sql.Result
	switch state {
	case stateSent:
		res, err = s.db.ExecContext(ctx, s.q["delivery-sent"], s.now(), p.blanked().json(), row.ID, owner)
	case stateFailed:
		res, err = s.db.ExecContext(ctx, s.q["delivery-failed"], p.blanked().json(), reason, row.ID, owner)
	default:
		res, err = s.db.ExecContext(ctx, s.q["delivery-retry"], s.now().Add(s.backoff(row.Attempts)), reason, row.ID, owner)
	}
	if err != nil {
		s.log.Error("notify: unable to record a delivery's outcome; it will be retried when its lease expires",
			"delivery", row.ID, "outcome", state, "err", err)
		return state
	}
	if n, _ := res.RowsAffected(); n == 0 {
		s.log.Warn("notify: a delivery's lease had expired and was taken over", "delivery", row.ID, "outcome", state)
	}
	return state
}

// backoff is the wait after the n-th failed attempt: BackoffBase doubling,
// at most BackoffMax, with ±25% jitter so that retries of a burst spread.
func (s *Service) backoff(n int) time.Duration {
	o := s.opts.Send
	d := o.BackoffBase
	for i := 1; i < n && d < o.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, o.BackoffMax)
	return time.Duration(float64(d) * (0.75 + 0.5*mrand.Float64()))
}

// envelope renders a claimed message for its channel.
func (s *Service) envelope(ch Channel, row claimed, p payload) (Envelope, error) {
	kind := Kind(row.Kind)
	unsub := ""
	if row.ParticipantID != 0 {
		unsub = s.UnsubscribeURL(row.ParticipantID, kind)
	}
	r, err := s.tmpl.Render(kind, row.Lang, p, unsub)
	if err != nil {
		return Envelope{}, err
	}
	e := Envelope{ID: messageID(row.Key, s.opts.Domain), Channel: ch, Kind: kind, To: row.Address, Unsubscribe: unsub}
	if ch == SMS {
		if r.SMS == "" {
			return Envelope{}, fmt.Errorf("notify: kind %q is not sent by SMS", kind)
		}
		e.Text = r.SMS
		return e, nil
	}
	e.Subject, e.Text, e.HTML = r.Subject, r.Text, r.HTML
	return e, nil
}

func (s *Service) nextDue(ctx context.Context) (time.Time, error) {
	var next time.Time
	for _, q := range []string{"delivery-next-queued", "delivery-next-lease"} {
		var t time.Time
		err := s.db.GetContext(ctx, &t, s.q[q])
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("notify: unable to read the next due message: %w", err)
		}
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	return next, nil
}

func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
