package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// prefBatch is how many recipients share one preference lookup: a results
// announcement to 200,000 takes 200 lookups, not 200,000.
const prefBatch = 1000

var errStopWalk = errors.New("notify: walk stopped")

// fanout walks the notice's audience and, per recipient's preference,
// queues the message now (instant), keeps it for tomorrow's digest
// (daily) or drops it (none). It streams: the audience a page at a time,
// messages into QueueSeq, digest items in batches, so memory stays flat
// however many recipients there are.
func (d *Dispatcher) fanout(ctx context.Context, ev participation.Event, n notice, pc *procInfo) error {
	fieldsByLang := map[string]map[string]string{}
	message := func(r participation.Recipient) Message {
		lang := pc.lang(r.Lang)
		f, ok := fieldsByLang[lang]
		if !ok {
			f = n.fields(lang)
			fieldsByLang[lang] = f
		}
		m := Message{Source: n.source, Kind: n.kind, ParticipantID: r.ParticipantID, Lang: lang,
			Process: pc.name(lang), Link: d.svc.opts.BaseURL + n.path, Fields: f}
		// Email when they gave one (it costs nothing), else their phone.
		if r.Email != "" {
			m.Channel, m.To = Email, r.Email
		} else {
			m.Channel, m.To = SMS, r.Phone
		}
		return m
	}
	day := ev.OccurredAt.In(pc.loc)
	digest := digestBatch{svc: d.svc, processID: pc.p.ID, localDate: day.Format("2006-01-02"),
		due: time.Date(day.Year(), day.Month(), day.Day()+1, d.opts.DigestHour, 0, 0, 0, pc.loc).UTC()}

	var walkErr error
	buf := make([]participation.Recipient, 0, prefBatch)
	msgs := func(yield func(Message) bool) {
		flush := func() bool {
			prefs, err := d.svc.preferencesOf(ctx, n.kind, buf)
			if err != nil {
				walkErr = err
				return false
			}
			for _, r := range buf {
				f := prefs[r.ParticipantID]
				if f == Never {
					continue
				}
				m := message(r)
				if m.check() != nil {
					// The store normalises contacts; one it kept from before
					// must not hold the event up for everyone else.
					d.log.Warn("notify: a recipient's contact cannot be used", "participant_id", r.ParticipantID, "kind", n.kind)
					continue
				}
				if f == Daily {
					if err := digest.add(ctx, m); err != nil {
						walkErr = err
						return false
					}
				} else if !yield(m) {
					return false
				}
			}
			buf = buf[:0]
			return true
		}
		err := d.store.ForEachRecipient(ctx, n.audience, func(r participation.Recipient) error {
			if r.Email == "" && r.Phone == "" {
				return nil
			}
			buf = append(buf, r)
			if len(buf) == prefBatch && !flush() {
				return errStopWalk
			}
			return nil
		})
		switch {
		case err == nil:
			flush()
		case !errors.Is(err, errStopWalk):
			walkErr = err
		}
	}
	_, err := d.svc.QueueSeq(ctx, msgs)
	return errors.Join(err, walkErr, digest.flush(ctx))
}

// preferencesOf returns the frequency of kind each recipient set; one
// without a row is absent (Instant).
func (s *Service) preferencesOf(ctx context.Context, kind Kind, rs []participation.Recipient) (map[int64]Frequency, error) {
	out := make(map[int64]Frequency)
	if len(rs) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ParticipantID
	}
	b, _ := json.Marshal(ids)
	rows, err := s.db.QueryContext(ctx, s.q["preferences-batch"], string(kind), string(b))
	if err != nil {
		return nil, fmt.Errorf("notify: unable to read preferences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f string
		if err := rows.Scan(&id, &f); err != nil {
			return nil, err
		}
		out[id] = Frequency(f)
	}
	return out, rows.Err()
}

// digestBatch gathers one event's digest items and stores them a batch at
// a time.
type digestBatch struct {
	svc       *Service
	processID int64
	localDate string
	due       time.Time
	rows      []digestRow
}

type digestRow struct {
	Key           string `json:"idem_key"`
	ParticipantID int64  `json:"participant_id"`
	ProcessID     int64  `json:"process_id"`
	Kind          string `json:"kind"`
	Lang          string `json:"lang"`
	LocalDate     string `json:"local_date"`
	Payload       string `json:"payload"`
}

func (b *digestBatch) add(ctx context.Context, m Message) error {
	p := payload{Process: m.Process, Link: m.Link, Fields: m.Fields}
	b.rows = append(b.rows, digestRow{Key: m.Key(), ParticipantID: m.ParticipantID, ProcessID: b.processID,
		Kind: string(m.Kind), Lang: m.Lang, LocalDate: b.localDate, Payload: p.json()})
	if len(b.rows) == queueBatch {
		return b.flush(ctx)
	}
	return nil
}

func (b *digestBatch) flush(ctx context.Context) error {
	if len(b.rows) == 0 {
		return nil
	}
	j, err := json.Marshal(b.rows)
	if err != nil {
		return err
	}
	if _, err := b.svc.db.ExecContext(ctx, b.svc.q["digest-add-batch"], string(j), b.due, b.svc.now()); err != nil {
		return fmt.Errorf("notify: unable to keep %d digest items: %w", len(b.rows), err)
	}
	b.rows = b.rows[:0]
	return nil
}
