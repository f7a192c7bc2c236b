package bench

import (
	"fmt"
	"io"
	"log"
	"net"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// SMTPSink is a local SMTP server (github.com/emersion/go-smtp) that
// accepts every message, reads it whole and counts it: the relay of
// `civicpulse bench notify`. It keeps no message, so its memory does not
// grow with how many it receives.
type SMTPSink struct {
	Addr     string
	srv      *smtp.Server
	accepted atomic.Int64
	bytes    atomic.Int64
}

// StartSMTPSink listens on a free port of 127.0.0.1.
func StartSMTPSink() (*SMTPSink, error) {
	s := &SMTPSink{}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return sinkSession{s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = time.Minute
	s.srv.WriteTimeout = time.Minute
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // a sender hanging up is the bench's business, not the log's
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: unable to start the SMTP sink: %w", err)
	}
	s.Addr = ln.Addr().String()
	go s.srv.Serve(ln)
	return s, nil
}

// URL is the sink's CIVICPULSE_SMTP_URL (plain SMTP on the same host).
func (s *SMTPSink) URL() string { return "smtp://" + s.Addr + "?starttls=none" }

// Accepted is how many messages the sink accepted; Bytes their total size.
func (s *SMTPSink) Accepted() int64 { return s.accepted.Load() }
func (s *SMTPSink) Bytes() int64    { return s.bytes.Load() }

// Close stops the sink.
func (s *SMTPSink) Close() error { return s.srv.Close() }

type sinkSession struct{ s *SMTPSink }

func (sinkSession) Reset()                               {}
func (sinkSession) Logout() error                        { return nil }
func (sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (ss sinkSession) Data(r io.Reader) error {
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return err
	}
	ss.s.bytes.Add(n)
	ss.s.accepted.Add(1)
	return nil
}
