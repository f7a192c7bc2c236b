package staff

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/jmoiron/sqlx"
)

// Entry is one audit record to append: who (ActorID, 0 for the command line
// or the system) did what (Action, e.g. "process.update") to which process
// and target, with the state before and after. Before and After are
// marshalled to JSON with every secret-looking key redacted.
type Entry struct {
	ActorID   int64
	Action    string
	ProcessID int64
	Target    string
	Before    any
	After     any
}

// Record is one stored audit entry.
type Record struct {
	ID        int64           `db:"id"`
	At        time.Time       `db:"at"`
	ActorID   int64           `db:"actor_id"`
	Action    string          `db:"action"`
	ProcessID int64           `db:"process_id"`
	Target    string          `db:"target"`
	Before    json.RawMessage `db:"-"`
	After     json.RawMessage `db:"-"`
}

// Redacted replaces the value of every redacted key.
const Redacted = "[redacted]"

// Audit appends e to the audit log. Other packages call it for every staff
// action that changes something (e.g. a workspace edit, with the process's
// fields before and after). Before and After go through the same filter as
// every entry — secret-looking keys are redacted — and, since these values
// come from outside the staff package, citizens' personal data is stripped
// too (see scrub: emails, phone numbers and the names beside them become
// "[personal]"). Actions of this package audit themselves inside their own
// transaction, with staff emails kept: those are staff, not citizens.
func (s *Service) Audit(ctx context.Context, e Entry) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return s.record(ctx, tx, e, true) })
}

// AuditTx is Audit inside the caller's transaction on the same database,
// so that the change and its record commit together.
func (s *Service) AuditTx(ctx context.Context, tx *sqlx.Tx, e Entry) error {
	return s.record(ctx, tx, e, true)
}

// auditTx records an entry of this package.
func (s *Service) auditTx(ctx context.Context, tx *sqlx.Tx, e Entry) error {
	return s.record(ctx, tx, e, false)
}

func (s *Service) record(ctx context.Context, tx *sqlx.Tx, e Entry, personal bool) error {
	if strings.TrimSpace(e.Action) == "" {
		return fmt.Errorf("%w: an audit entry needs an action", ErrInvalid)
	}
	before, err := auditJSON(e.Before, personal)
	if err != nil {
		return fmt.Errorf("staff: unable to record %s: %w", e.Action, err)
	}
	after, err := auditJSON(e.After, personal)
	if err != nil {
		return fmt.Errorf("staff: unable to record %s: %w", e.Action, err)
	}
	var id int64
	if err := tx.QueryRowxContext(ctx, s.q["audit-insert"], s.now(), e.ActorID, e.Action, e.ProcessID, e.Target, before, after).Scan(&id); err != nil {
		return fmt.Errorf("staff: unable to record %s: %w", e.Action, err)
	}
	return nil
}

// AuditFilter selects audit records; zero fields mean "any". Records come
// newest first; pass the last ID seen as BeforeID for the next page.
type AuditFilter struct {
	ActorID   int64
	ProcessID int64
	Action    string
	From, To  time.Time // From inclusive, To exclusive
	BeforeID  int64
	Limit     int // default 50, at most 500
}

var (
	beginningOfTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	endOfTime       = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ListAudit returns one page of audit records matching f, and the BeforeID
// of the next page (0 when this is the last).
func (s *Service) ListAudit(ctx context.Context, f AuditFilter) ([]Record, int64, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	from, to := beginningOfTime, endOfTime
	if !f.From.IsZero() {
		from = f.From.UTC()
	}
	if !f.To.IsZero() {
		to = f.To.UTC()
	}
	rows, err := s.db.QueryxContext(ctx, s.q["audit-list"],
		f.ActorID, f.ActorID, f.ProcessID, f.ProcessID, f.Action, f.Action, from, to, f.BeforeID, f.BeforeID, f.Limit+1)
	if err != nil {
		return nil, 0, fmt.Errorf("staff: unable to read the audit log: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var before, after sql.NullString
		if err := rows.Scan(&r.ID, &r.At, &r.ActorID, &r.Action, &r.ProcessID, &r.Target, &before, &after); err != nil {
			return nil, 0, fmt.Errorf("staff: unable to read the audit log: %w", err)
		}
		r.At = r.At.UTC()
		if before.Valid {
			r.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			r.After = json.RawMessage(after.String)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("staff: unable to read the audit log: %w", err)
	}
	var next int64
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = out[len(out)-1].ID
	}
	return out, next, nil
}

func redact(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if SecretKey(k) {
				t[k] = Redacted
			} else {
				t[k] = redact(x)
			}
		}
	case []any:
		for i, x := range t {
			t[i] = redact(x)
		}
	}
	return v
}

// secretWords are the words that make a key secret wherever they appear in
// it ("new_password", "totpSecret", "ResetToken", "recovery_codes").
var secretWords = map[string]bool{
	"password": true, "passwd": true, "passphrase": true, "passcode": true, "pwd": true,
	"secret": true, "secrets": true, "token": true, "tokens": true, "totp": true, "otp": true,
	"recovery": true, "hash": true, "salt": true, "cookie": true, "cookies": true,
	"apikey": true, "credential": true, "credentials": true,
	"authorization": true,
}

// SecretKey reports whether a JSON key names a secret. Keys are split into
// words at underscores, dashes, dots and camel-case humps, so "region_code"
// is kept while "totp_code" and "sessionToken" are redacted.
func SecretKey(k string) bool {
	words := keyWords(k)
	for i, w := range words {
		if secretWords[w] || (w == "api" && i+1 < len(words) && words[i+1] == "key") {
			return true
		}
	}
	return secretWords[strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, k))]
}

// keyWords splits a JSON key into lower-case words at underscores, dashes,
// dots and camel-case humps ("sessionToken" → session, token).
func keyWords(k string) []string {
	var words []string
	var cur []rune
	rs := []rune(k)
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}
