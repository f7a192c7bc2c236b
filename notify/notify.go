// Package notify delivers civicpulse's messages: verification links and
// codes, staff invitations and password resets, and (through the event
// dispatcher that comes next) the updates participants follow.
//
// A caller queues Messages; each becomes one row of notify_deliveries,
// unique by its idempotency key (source event or action, recipient, kind),
// so queueing the same message again — a redelivered event, a retried
// request, two servers — never makes a second row. The Sender claims due
// rows with a lease, renders them in the recipient's language, sends them
// through the channel's Transport (SMTP, an SMS gateway, or the local
// Mailbox) at a bounded rate, and commits each as sent right after the
// server accepted it: the only window for a duplicate is between that
// acceptance and the commit. Temporary failures retry with exponential
// backoff and jitter up to MaxAttempts; permanent ones fail at once, with
// the reason kept for staff.
//
// The queue is drained by a job of the durable job queue (package jobs);
// notify does not import it: cmd hands a Kick function to the Service.
package notify

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/internal/sqlfile"
)

//go:embed migrations
var migrations embed.FS

//go:embed queries
var queryFiles embed.FS

// Kind names what a message is about; templates, preferences and
// unsubscribe links are per kind.
type Kind string

// The kinds. Verification, staff invitation and reset are queued by the web
// layer today; the event kinds are queued by the event dispatcher.
const (
	KindVerification    Kind = "verification"     // registration: email link or SMS code
	KindStaffInvitation Kind = "staff_invitation" // link to set up a staff account
	KindStaffReset      Kind = "staff_reset"      // link to set a new staff password
	KindReply           Kind = "reply"            // a comment or reply on my proposal or comment
	KindDecision        Kind = "decision"         // a decision on a proposal I wrote, follow or support
	KindDocumentVersion Kind = "document_version" // a new version of a document I commented on
	KindPhaseOpened     Kind = "phase_opened"     // a phase or process opened
	KindPhaseClosed     Kind = "phase_closed"     // a phase or process closed
	KindResults         Kind = "results"          // results published
	KindModeration      Kind = "moderation"       // the outcome of moderation, for the author
	KindLowEngagement   Kind = "low_engagement"   // an alert to the process's officials
	// KindInquiryAnswer is the team's answer to a question asked on a
	// process page, sent to the address the asker gave (by email only;
	// no preference: they asked for this one message).
	KindInquiryAnswer Kind = "inquiry_answer"
)

// Kinds lists every kind, in the order pages show them.
func Kinds() []Kind {
	return []Kind{KindVerification, KindStaffInvitation, KindStaffReset, KindReply, KindDecision,
		KindDocumentVersion, KindPhaseOpened, KindPhaseClosed, KindResults, KindModeration, KindLowEngagement, KindDigest, KindInquiryAnswer}
}

// Channel is how a message travels.
type Channel string

const (
	Email Channel = "email"
	SMS   Channel = "sms"
)

// Message is one message to one recipient, as a caller queues it.
type Message struct {
	// Source names the event or action that caused the message
	// ("event:4711", "register:12:34:ab12cd"). With the recipient and the
	// kind it makes the idempotency key: queue it twice, get one delivery.
	Source  string
	Kind    Kind
	Channel Channel
	// To is the address: an email address, or a phone number in E.164.
	To string
	// ParticipantID is the participant the message goes to (0 for staff);
	// their messages carry a one-click unsubscribe for (participant, kind).
	ParticipantID int64
	Lang          string // "en", "sw"; a missing template falls back to English
	Process       string // the process's name, shown in the message
	Link          string // the page the message is about
	// Secret is a verification code or token. It is blanked once the
	// message is sent or failed, and the Link with it (it may carry it).
	Secret string
	// Fields are further values the kind's template reads (title, status,
	// reason, …); no more personal data than the message needs.
	Fields map[string]string
}

// Key is the message's idempotency key: source, recipient, kind.
func (m Message) Key() string {
	recipient := m.To
	if m.ParticipantID != 0 {
		recipient = "p" + strconv.FormatInt(m.ParticipantID, 10)
	}
	return m.Source + "|" + recipient + "|" + string(m.Kind) + "|" + string(m.Channel)
}

// messageID derives the Message-ID (and the SMS gateway's reference) from
// the idempotency key, so a receiver that sees one twice can tell.
func messageID(key, domain string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:16]) + "@" + domain
}

// Errors.
var (
	ErrInvalid      = errors.New("notify: invalid message")
	ErrBadToken     = errors.New("notify: the unsubscribe link is invalid")
	ErrNoTransport  = errors.New("notify: no transport for the channel")
	ErrUnknownState = errors.New("notify: unknown delivery state")
)

// Options configure a Service. Email and SMS are required; cmd builds them
// from the environment (FromEnv).
type Options struct {
	Email Transport
	SMS   Transport
	// BaseURL starts unsubscribe links (https://engage.example.org).
	BaseURL string
	// UnsubscribeKey signs unsubscribe tokens (at least 32 bytes, the same
	// on every replica).
	UnsubscribeKey []byte
	// Domain ends Message-IDs (default: the From address's domain, else
	// "civicpulse.local").
	Domain string
	Logger *slog.Logger
	Clock  func() time.Time
	// Kick is called after messages were queued, to wake the sender (cmd
	// passes the job queue's kick). Nil: the periodic drain finds them.
	Kick func(ctx context.Context)
	Send SendOptions
}

// Service queues, renders and sends messages, and keeps preferences.
type Service struct {
	db      *sqldb.DB
	q       map[string]string
	opts    Options
	log     *slog.Logger
	clock   func() time.Time
	tmpl    *Templates
	pacers  map[Channel]*pacer
	kickMu  sync.RWMutex
	kick    func(ctx context.Context)
	channel map[Channel]Transport
}

// Open migrates the "notify" stream on db, loads and checks the SQL and
// the templates.
func Open(ctx context.Context, db *sqldb.DB, o Options) (*Service, error) {
	if o.Email == nil || o.SMS == nil {
		return nil, fmt.Errorf("notify: %w: both an email and an SMS transport are needed", ErrNoTransport)
	}
	if len(o.UnsubscribeKey) < 32 {
		return nil, errors.New("notify: the unsubscribe key must hold at least 32 bytes")
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Domain == "" {
		o.Domain = "civicpulse.local"
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	o.Send = o.Send.withDefaults()
	s := &Service{db: db, opts: o, log: o.Logger, clock: o.Clock, kick: o.Kick,
		channel: map[Channel]Transport{Email: o.Email, SMS: o.SMS}}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx, "notify", sub); err != nil {
		return nil, fmt.Errorf("notify: unable to migrate: %w", err)
	}
	if err := s.loadQueries(ctx); err != nil {
		return nil, err
	}
	if s.tmpl, err = LoadTemplates(); err != nil {
		return nil, err
	}
	s.pacers = map[Channel]*pacer{Email: newPacer(o.Send.EmailRate), SMS: newPacer(o.Send.SMSRate)}
	return s, nil
}

func (s *Service) loadQueries(ctx context.Context) error {
	common, err := sqlfile.Load(queryFiles, "queries/*.sql")
	if err != nil {
		return fmt.Errorf("notify: unable to load SQL: %w", err)
	}
	own, err := sqlfile.Load(queryFiles, "queries/"+string(s.db.Dialect)+"/*.sql")
	if err != nil {
		return fmt.Errorf("notify: unable to load SQL: %w", err)
	}
	s.q = map[string]string{}
	for name, text := range common {
		s.q[name] = s.db.Rebind(text)
	}
	for name, text := range own { // written in the dialect's own placeholders
		if _, dup := s.q[name]; dup {
			return fmt.Errorf("notify: statement %s defined twice", name)
		}
		s.q[name] = text
	}
	for name, text := range s.q {
		// Preparing every statement now makes a broken query fail at boot.
		st, err := s.db.PrepareContext(ctx, text)
		if err != nil {
			return fmt.Errorf("notify: statement %s does not prepare: %w", name, err)
		}
		st.Close()
	}
	return nil
}

// SetKick sets the function that wakes the sender after messages were
// queued (cmd sets it once the job queue exists, which itself needs the
// Service).
func (s *Service) SetKick(kick func(ctx context.Context)) {
	s.kickMu.Lock()
	s.kick = kick
	s.kickMu.Unlock()
}

func (s *Service) wake(ctx context.Context) {
	s.kickMu.RLock()
	k := s.kick
	s.kickMu.RUnlock()
	if k != nil {
		k(ctx)
	}
}

// Templates returns the loaded templates (which kinds and languages are
// missing, for the workspace).
func (s *Service) Templates() *Templates { return s.tmpl }

// now is the clock in UTC at the precision both backends keep.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// Close closes the transports (the SMTP connection).
func (s *Service) Close() error {
	return errors.Join(s.opts.Email.Close(), s.opts.SMS.Close())
}
