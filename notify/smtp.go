package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTPConfig is where and how to reach the mail relay.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // empty: no authentication
	Password string
	// ImplicitTLS is smtps://: TLS from the first byte (port 465).
	ImplicitTLS bool
	// STARTTLS on smtp://: "mandatory" (the default: a server that does not
	// offer it is refused), "opportunistic" (used when offered; for a relay
	// on the same host) or "none".
	STARTTLS string
	Timeout  time.Duration // per command; default 30 s
	Conns    int           // connections used side by side; default 4 (?conns=N)
	From     string        // CIVICPULSE_MAIL_FROM
	// TLS overrides the TLS settings (tests trust their own certificate).
	TLS *tls.Config
}

// ParseSMTPURL reads CIVICPULSE_SMTP_URL:
//
//	smtp://user:pass@host:587?starttls=mandatory|opportunistic|none&timeout=30s&conns=4
//	smtps://user:pass@host:465?timeout=30s&conns=4
//
// The user and password are URL-encoded; without them no authentication is
// tried. smtp:// defaults to port 587 and mandatory STARTTLS, smtps:// to
// port 465.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPConfig{}, fmt.Errorf("notify: CIVICPULSE_SMTP_URL is not a URL")
	}
	c := SMTPConfig{Host: u.Hostname(), STARTTLS: "mandatory", Timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		c.Port = 587
	case "smtps":
		c.Port, c.ImplicitTLS, c.STARTTLS = 465, true, "none"
	default:
		return c, fmt.Errorf("notify: CIVICPULSE_SMTP_URL must start with smtp:// or smtps://, not %q", u.Scheme+"://")
	}
	if c.Host == "" {
		return c, errors.New("notify: CIVICPULSE_SMTP_URL names no host")
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port <= 0 || c.Port > 65535 {
			return c, fmt.Errorf("notify: CIVICPULSE_SMTP_URL: bad port %q", p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	if v := q.Get("starttls"); v != "" {
		if c.ImplicitTLS {
			return c, errors.New("notify: CIVICPULSE_SMTP_URL: starttls= applies to smtp://, not smtps://")
		}
		switch v {
		case "mandatory", "opportunistic", "none":
			c.STARTTLS = v
		default:
			return c, fmt.Errorf("notify: CIVICPULSE_SMTP_URL: starttls is mandatory, opportunistic or none, not %q", v)
		}
	}
	if v := q.Get("conns"); v != "" {
		if c.Conns, err = strconv.Atoi(v); err != nil || c.Conns <= 0 || c.Conns > 64 {
			return c, fmt.Errorf("notify: CIVICPULSE_SMTP_URL: conns is 1 to 64, not %q", v)
		}
	}
	if v := q.Get("timeout"); v != "" {
		if c.Timeout, err = time.ParseDuration(v); err != nil || c.Timeout <= 0 {
			return c, fmt.Errorf("notify: CIVICPULSE_SMTP_URL: bad timeout %q", v)
		}
	}
	return c, nil
}

// SMTP is the email transport over a mail relay. Each connection stays
// open and carries message after message; up to Conns connections are
// used side by side (one per sending goroutine), and a connection that
// broke is dialled again for the next message.
type SMTP struct {
	cfg  SMTPConfig
	opts []mail.Option
	idle chan *smtpConn // open or not yet dialled connections, waiting
}

type smtpConn struct {
	client *mail.Client
	open   bool
}

// NewSMTP builds the transport; it connects on the first Send.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.From == "" {
		return nil, errors.New("notify: a sender address (CIVICPULSE_MAIL_FROM) is needed to send over SMTP")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Conns <= 0 {
		cfg.Conns = 4
	}
	opts := []mail.Option{mail.WithPort(cfg.Port), mail.WithTimeout(cfg.Timeout)}
	switch {
	case cfg.ImplicitTLS:
		opts = append(opts, mail.WithSSL())
	case cfg.STARTTLS == "opportunistic":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case cfg.STARTTLS == "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if cfg.TLS != nil {
		opts = append(opts, mail.WithTLSConfig(cfg.TLS))
	}
	if cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(cfg.Username), mail.WithPassword(cfg.Password))
	}
	s := &SMTP{cfg: cfg, opts: opts, idle: make(chan *smtpConn, cfg.Conns)}
	for range cfg.Conns {
		c, err := mail.NewClient(cfg.Host, opts...)
		if err != nil {
			return nil, fmt.Errorf("notify: unable to set up the SMTP client: %w", err)
		}
		s.idle <- &smtpConn{client: c}
	}
	return s, nil
}

// Where says where messages go.
func (s *SMTP) Where() string {
	return "smtp " + net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
}

// Close closes the idle connections (the next Send opens new ones).
func (s *SMTP) Close() error {
	var errs []error
	for range cap(s.idle) {
		select {
		case c := <-s.idle:
			errs = append(errs, c.close())
			s.idle <- c
		default:
		}
	}
	return errors.Join(errs...)
}

func (c *smtpConn) close() error {
	if !c.open {
		return nil
	}
	c.open = false
	return c.client.Close()
}

// Send delivers e over an open connection (waiting for one when all are
// busy). A server's 5xx answer and an address the client cannot use are
// permanent; a 4xx answer, a timeout and a connection closed mid-message
// are temporary.
func (s *SMTP) Send(ctx context.Context, e Envelope) error {
	m, err := buildMail(s.cfg.From, e)
	if err != nil {
		return Permanent(err)
	}
	var c *smtpConn
	select {
	case c = <-s.idle:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { s.idle <- c }()
	for try := 0; ; try++ {
		if !c.open {
			if err := c.client.DialWithContext(ctx); err != nil {
				return fmt.Errorf("notify: unable to connect to %s: %w", s.Where(), err)
			}
			c.open = true
		}
		err = c.client.Send(m)
		if m.IsDelivered() {
			if err != nil { // accepted, then the reset failed: start afresh next time
				c.close()
			}
			return nil
		}
		var se *mail.SendError
		// A connection the server closed while idle shows at the check
		// before the message: dial again once, nothing was sent yet.
		if errors.As(err, &se) && se.Reason == mail.ErrConnCheck && try == 0 {
			c.close()
			continue
		}
		break
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		switch {
		case code >= 500 || se.Reason == mail.ErrGetSender || se.Reason == mail.ErrGetRcpts || se.Reason == mail.ErrNoUnencoded:
			return Permanent(fmt.Errorf("smtp: %w", err))
		case code >= 400:
			return fmt.Errorf("smtp: %w", err) // the server's session is intact
		}
	}
	c.close() // no answer from the server: the connection is suspect
	return fmt.Errorf("smtp: %w", err)
}

// buildMail makes the email of e: plain text, HTML alternative, the
// Message-ID derived from the idempotency key and, for participants, the
// one-click unsubscribe headers of RFC 8058.
func buildMail(from string, e Envelope) (*mail.Msg, error) {
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("notify: bad sender address: %w", err)
	}
	if err := m.To(e.To); err != nil {
		return nil, fmt.Errorf("notify: bad recipient address: %w", err)
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(e.ID)
	m.SetDate()
	m.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	if e.Unsubscribe != "" {
		m.SetGenHeader(mail.HeaderListUnsubscribe, "<"+e.Unsubscribe+">")
		m.SetGenHeader(mail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	m.SetBodyString(mail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(mail.TypeTextHTML, e.HTML)
	}
	return m, nil
}
