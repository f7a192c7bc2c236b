package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"
)

// queueBatch is how many messages one insert carries: big enough that
// 200,000 recipients take a few hundred statements, small enough that a
// batch's JSON stays well under a megabyte.
const queueBatch = 1000

// payload is what a delivery keeps to render its message.
type payload struct {
	Process string            `json:"process,omitempty"`
	Link    string            `json:"link,omitempty"`
	Secret  string            `json:"secret,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// blanked is the payload once the message left: without the secret, and
// without the link that may carry it.
func (p payload) blanked() payload {
	if p.Secret != "" {
		p.Secret, p.Link = "", ""
	}
	return p
}

func (p payload) json() string {
	b, _ := json.Marshal(p)
	return string(b)
}

// queueRow is one row of a batch, in the JSON the insert reads.
type queueRow struct {
	Key           string `json:"idem_key"`
	Kind          string `json:"kind"`
	Channel       string `json:"channel"`
	ParticipantID int64  `json:"participant_id"`
	Address       string `json:"address"`
	Masked        string `json:"address_masked"`
	Lang          string `json:"lang"`
	Payload       string `json:"payload"`
}

// Queue stores the messages as deliveries (a message whose key is already
// there is skipped) and wakes the sender. It returns how many were new.
func (s *Service) Queue(ctx context.Context, msgs []Message) (int, error) {
	return s.QueueSeq(ctx, slices.Values(msgs))
}

// QueueSeq is Queue for a stream: it inserts in batches as msgs yields, so
// memory stays flat however many recipients there are. A failed batch
// stops the stream; the batches before it stay queued (queueing again
// skips them).
func (s *Service) QueueSeq(ctx context.Context, msgs iter.Seq[Message]) (int, error) {
	batch := make([]queueRow, 0, queueBatch)
	added := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n, err := s.insertBatch(ctx, batch)
		added += n
		batch = batch[:0]
		return err
	}
	for m := range msgs {
		row, err := toRow(m)
		if err != nil {
			return added, err
		}
		batch = append(batch, row)
		if len(batch) == queueBatch {
			if err := flush(); err != nil {
				return added, err
			}
		}
	}
	if err := flush(); err != nil {
		return added, err
	}
	if added > 0 {
		s.wake(ctx)
	}
	return added, nil
}

func (s *Service) insertBatch(ctx context.Context, rows []queueRow) (int, error) {
	b, err := json.Marshal(rows)
	if err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, s.q["delivery-queue-batch"], string(b), s.now())
	if err != nil {
		return 0, fmt.Errorf("notify: unable to queue %d messages: %w", len(rows), err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func toRow(m Message) (queueRow, error) {
	if err := m.check(); err != nil {
		return queueRow{}, err
	}
	lang := m.Lang
	if lang == "" {
		lang = "en"
	}
	p := payload{Process: m.Process, Link: m.Link, Secret: m.Secret, Fields: m.Fields}
	return queueRow{Key: m.Key(), Kind: string(m.Kind), Channel: string(m.Channel), ParticipantID: m.ParticipantID,
		Address: m.To, Masked: Mask(m.To), Lang: lang, Payload: p.json()}, nil
}

func (m Message) check() error {
	switch {
	case m.Source == "":
		return fmt.Errorf("%w: no source", ErrInvalid)
	case m.Kind == "":
		return fmt.Errorf("%w: no kind", ErrInvalid)
	case m.Channel == Email:
		if a, err := mail.ParseAddress(m.To); err != nil || a.Address != m.To {
			return fmt.Errorf("%w: not an email address", ErrInvalid)
		}
	case m.Channel == SMS:
		if !ValidPhone(m.To) {
			return fmt.Errorf("%w: not a phone number in international form (+254…)", ErrInvalid)
		}
	default:
		return fmt.Errorf("%w: channel %q", ErrInvalid, m.Channel)
	}
	return nil
}

// ValidPhone reports whether s is a phone number in E.164 form: a plus and
// 8 to 15 digits.
func ValidPhone(s string) bool {
	d, ok := strings.CutPrefix(s, "+")
	if !ok || len(d) < 8 || len(d) > 15 {
		return false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Mask hides an address but for a hint a staff member can match against a
// complaint: "a***@example.org", "+2547*****678".
func Mask(addr string) string {
	if local, domain, ok := strings.Cut(addr, "@"); ok {
		r, _ := utf8.DecodeRuneInString(local)
		if r == utf8.RuneError {
			return "***@" + domain
		}
		return string(r) + "***@" + domain
	}
	if len(addr) > 7 {
		return addr[:5] + strings.Repeat("*", len(addr)-8) + addr[len(addr)-3:]
	}
	return strings.Repeat("*", len(addr))
}
