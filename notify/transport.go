package notify

import (
	"context"
	"errors"
)

// Envelope is one rendered message, ready for a transport.
type Envelope struct {
	// ID is derived from the idempotency key: the email's Message-ID, the
	// SMS gateway's reference.
	ID      string
	Channel Channel
	Kind    Kind
	To      string
	Subject string // email only
	Text    string // the plain text (the whole SMS)
	HTML    string // email only; may be empty
	// Unsubscribe is the one-click unsubscribe URL; with it an email carries
	// the RFC 8058 headers List-Unsubscribe and List-Unsubscribe-Post.
	Unsubscribe string
}

// Transport delivers envelopes of one channel. Send returns nil once the
// server accepted the message, a PermanentError when retrying cannot help
// (SMTP 5xx, SMS 4xx), and any other error for a temporary failure. A
// Transport is safe for concurrent use: the sender runs SendOptions.Workers
// goroutines per channel.
type Transport interface {
	Send(ctx context.Context, e Envelope) error
	// Where says where messages go, for the log ("smtp mail.example.org:587",
	// "mailbox /data/mailbox").
	Where() string
	Close() error
}

// PermanentError marks a failure that retrying cannot mend.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a PermanentError.
func Permanent(err error) error { return &PermanentError{Err: err} }

// IsPermanent reports whether err (or one it wraps) is a PermanentError.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}
