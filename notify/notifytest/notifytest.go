// Package notifytest runs real message servers in-process for tests: an
// SMTP server (github.com/emersion/go-smtp) that records what it accepts
// and can refuse or drop messages on a script, and an SMS gateway
// (httptest) that answers as told.
package notifytest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Answer is what the SMTP server does with one message's DATA.
type Answer int

const (
	Accept  Answer = iota
	Refuse4        // 451: try again later
	Refuse5        // 550: never
	Drop           // read part of the message, then close the connection
)

// Mail is a message the SMTP server accepted.
type Mail struct {
	From string
	To   []string
	Data []byte
}

// Header parses the message's header.
func (m Mail) Header() mail.Header {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return mail.Header{}
	}
	return msg.Header
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+`)

// Links returns the http(s) links in the message's text, in order.
func (m Mail) Links() []string {
	return linkRE.FindAllString(unfold(string(m.Data)), -1)
}

// unfold undoes quoted-printable soft line breaks so links read whole.
func unfold(s string) string {
	s = strings.ReplaceAll(s, "=\r\n", "")
	return strings.ReplaceAll(s, "=3D", "=")
}

// SMTPServer is an in-process SMTP server.
type SMTPServer struct {
	Addr string
	// CertPool trusts the server's certificate (STARTTLS servers only).
	CertPool *x509.CertPool

	srv      *smtp.Server
	mu       sync.Mutex
	mails    []Mail
	tries    int
	sessions int
	script   func(try int) Answer
	user     string
	pass     string
	implicit bool
}

// SMTPOptions configure StartSMTP.
type SMTPOptions struct {
	// Script answers the n-th DATA (from 0); nil accepts every message.
	Script func(try int) Answer
	// STARTTLS offers STARTTLS with a certificate CertPool trusts.
	STARTTLS bool
	// ImplicitTLS speaks TLS from the first byte (smtps://).
	ImplicitTLS bool
	// User and Password, when set, require AUTH PLAIN (over TLS only).
	User, Password string
}

// StartSMTP starts a server on a free local port, closed when t ends.
func StartSMTP(t testing.TB, o SMTPOptions) *SMTPServer {
	t.Helper()
	s := &SMTPServer{script: o.Script, user: o.User, pass: o.Password}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		s.sessions++
		s.mu.Unlock()
		return &session{s: s, conn: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 10 << 20
	if o.STARTTLS || o.ImplicitTLS {
		// httptest's certificate for 127.0.0.1, and the pool that trusts it.
		h := httptest.NewUnstartedServer(http.NotFoundHandler())
		h.StartTLS()
		s.srv.TLSConfig = &tls.Config{Certificates: h.TLS.Certificates}
		s.CertPool = h.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
		h.Close()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.ImplicitTLS {
		ln = tls.NewListener(ln, s.srv.TLSConfig)
		s.implicit = true
	}
	s.Addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// URL is the CIVICPULSE_SMTP_URL of the server: smtps:// for implicit
// TLS; without TLS it says starttls=none (a test server on the same host).
func (s *SMTPServer) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr}
	if s.implicit {
		u.Scheme = "smtps"
	}
	if s.user != "" {
		u.User = url.UserPassword(s.user, s.pass)
	}
	if s.srv.TLSConfig == nil {
		u.RawQuery = "starttls=none"
	}
	return u.String()
}

// Mails returns the accepted messages.
func (s *SMTPServer) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Tries is how many messages reached DATA; Sessions how many connections
// were opened.
func (s *SMTPServer) Tries() int    { s.mu.Lock(); defer s.mu.Unlock(); return s.tries }
func (s *SMTPServer) Sessions() int { s.mu.Lock(); defer s.mu.Unlock(); return s.sessions }

// WaitMails waits until n messages were accepted and returns them.
func (s *SMTPServer) WaitMails(t testing.TB, n int, within time.Duration) []Mail {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if m := s.Mails(); len(m) >= n {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("notifytest: %d of %d mails after %s", len(s.Mails()), n, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type session struct {
	s      *SMTPServer
	conn   *smtp.Conn
	from   string
	to     []string
	authed bool
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != ss.s.user || pass != ss.s.pass {
			return errors.New("invalid credentials")
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && !ss.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	s := ss.s
	s.mu.Lock()
	try := s.tries
	s.tries++
	s.mu.Unlock()
	answer := Accept
	if s.script != nil {
		answer = s.script(try)
	}
	switch answer {
	case Refuse4:
		io.Copy(io.Discard, r)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	case Refuse5:
		io.Copy(io.Discard, r)
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	case Drop:
		io.ReadFull(r, make([]byte, 64))
		ss.conn.Conn().Close()
		return errors.New("dropped")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.mails = append(s.mails, Mail{From: ss.from, To: ss.to, Data: b})
	s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// SMS is a message the gateway received.
type SMS struct {
	To, Text, Reference string
	Token               string // the bearer token it came with
}

// SMSGateway is an httptest SMS gateway.
type SMSGateway struct {
	URL string
	mu  sync.Mutex
	got []SMS
	n   int
}

// StartSMSGateway starts a gateway that answers the n-th request (from 0)
// with status(n): 200 records the message, 0 answers garbage (not HTTP).
func StartSMSGateway(t testing.TB, status func(n int) int) *SMSGateway {
	t.Helper()
	g := &SMSGateway{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m SMS
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		m.Token = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		g.mu.Lock()
		n := g.n
		g.n++
		g.mu.Unlock()
		code := http.StatusOK
		if status != nil {
			code = status(n)
		}
		if code == 0 {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err == nil {
				buf.WriteString("\x00\x01 this is not HTTP\r\n\r\n")
				buf.Flush()
				conn.Close()
			}
			return
		}
		if code/100 == 2 {
			g.mu.Lock()
			g.got = append(g.got, m)
			g.mu.Unlock()
		}
		w.WriteHeader(code)
		io.WriteString(w, `{"status":"`+http.StatusText(code)+`"}`)
	}))
	t.Cleanup(srv.Close)
	g.URL = srv.URL + "/send"
	return g
}

// Received returns the accepted messages.
func (g *SMSGateway) Received() []SMS {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]SMS(nil), g.got...)
}

// Requests is how many requests arrived.
func (g *SMSGateway) Requests() int { g.mu.Lock(); defer g.mu.Unlock(); return g.n }
