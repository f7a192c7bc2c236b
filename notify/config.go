package notify

import (
	"fmt"
	"log/slog"
	"net/mail"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The environment FromEnv reads (README, "Messages").
const (
	EnvSMTPURL      = "CIVICPULSE_SMTP_URL"       // smtp://user:pass@host:587 or smtps://…:465; empty: the mailbox
	EnvMailFrom     = "CIVICPULSE_MAIL_FROM"      // "County Engagement <engage@county.example>"
	EnvSMSURL       = "CIVICPULSE_SMS_URL"        // the SMS gateway's endpoint; empty: the mailbox
	EnvSMSTokenFile = "CIVICPULSE_SMS_TOKEN_FILE" // file holding the gateway's bearer token
	EnvMailRate     = "CIVICPULSE_MAIL_RATE"      // emails per second, at most (default 1000)
	EnvSMSRate      = "CIVICPULSE_SMS_RATE"       // SMS per second, at most (default 50)
)

// defaultFrom is the sender of the embedded default's mailbox.
const defaultFrom = "civicpulse <no-reply@civicpulse.local>"

// FromEnv builds the transports from the environment (getenv is
// os.Getenv): SMTP when CIVICPULSE_SMTP_URL is set, the SMS gateway when
// CIVICPULSE_SMS_URL is; whatever is not configured goes to the mailbox
// under dataDir/mailbox, and the log says so. It fills Email, SMS, Domain
// and the rates of Options; the caller adds the rest. The mailbox is
// returned in any case (empty when unused) for the administrator's page.
func FromEnv(getenv func(string) string, dataDir string, log *slog.Logger) (Options, *Mailbox, error) {
	var o Options
	if log == nil {
		log = slog.Default()
	}
	from := strings.TrimSpace(getenv(EnvMailFrom))
	smtpURL := strings.TrimSpace(getenv(EnvSMTPURL))
	if from == "" && smtpURL == "" {
		from = defaultFrom
	}
	if from != "" {
		a, err := mail.ParseAddress(from)
		if err != nil {
			return o, nil, fmt.Errorf("notify: %s is not an address: %w", EnvMailFrom, err)
		}
		_, o.Domain, _ = strings.Cut(a.Address, "@")
	}
	box, err := NewMailbox(filepath.Join(dataDir, "mailbox"), from)
	if err != nil {
		return o, nil, err
	}
	if smtpURL != "" {
		cfg, err := ParseSMTPURL(smtpURL)
		if err != nil {
			return o, nil, err
		}
		cfg.From = from
		if o.Email, err = NewSMTP(cfg); err != nil {
			return o, nil, err
		}
	} else {
		o.Email = box
		log.Warn("notify: no SMTP server configured ("+EnvSMTPURL+"); emails go to the local mailbox", "dir", box.Dir())
	}
	if u := strings.TrimSpace(getenv(EnvSMSURL)); u != "" {
		token := ""
		if f := getenv(EnvSMSTokenFile); f != "" {
			if token, err = ReadToken(f); err != nil {
				return o, nil, err
			}
		}
		if o.SMS, err = NewSMSGateway(u, token, 10*time.Second); err != nil {
			return o, nil, err
		}
	} else {
		o.SMS = box
		log.Warn("notify: no SMS gateway configured ("+EnvSMSURL+"); SMS go to the local mailbox", "dir", box.Dir())
	}
	for _, r := range []struct {
		env string
		to  *float64
	}{{EnvMailRate, &o.Send.EmailRate}, {EnvSMSRate, &o.Send.SMSRate}} {
		if v := getenv(r.env); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 {
				return o, nil, fmt.Errorf("notify: %s must be a positive number of messages per second", r.env)
			}
			*r.to = f
		}
	}
	log.Info("notify: messages go out", "email", o.Email.Where(), "sms", o.SMS.Where())
	return o, box, nil
}
