package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
	"github.com/civicpulse/civicpulse/web/workspace"
)

// openNotify builds the message service (issue 12) from the environment:
// SMTP and the SMS gateway when configured, the local mailbox under the
// data folder for whatever is not (README, "Messages"). The unsubscribe
// key comes from CIVICPULSE_NOTIFY_KEY(_FILE) or is generated once in the
// data folder. The bool is true when email goes only to the mailbox.
func openNotify(ctx context.Context, getenv func(string) string, cfg *config, store *sqlstore.Store, baseURL string, log *slog.Logger) (*notify.Service, *notify.Mailbox, bool, error) {
	o, box, err := notify.FromEnv(getenv, cfg.dataDir, log)
	if err != nil {
		return nil, nil, false, err
	}
	if o.UnsubscribeKey, err = cfg.secret("CIVICPULSE_NOTIFY_KEY", "notify.key"); err != nil {
		return nil, nil, false, err
	}
	o.BaseURL, o.Logger = baseURL, log
	svc, err := notify.Open(ctx, store.DB(), o)
	if err != nil {
		return nil, nil, false, err
	}
	_, toMailbox := o.Email.(*notify.Mailbox)
	return svc, box, toMailbox, nil
}

// sendVerification queues a registration's link (email) or code (SMS):
// web.Config.SendVerification.
func sendVerification(svc *notify.Service, store participation.Store) func(context.Context, web.VerificationMessage) error {
	return func(ctx context.Context, v web.VerificationMessage) error {
		p, err := store.GetProcess(ctx, v.ProcessID, false)
		if err != nil {
			return err
		}
		m := notify.Message{
			// A new secret (registering again) is a new message; the same
			// one queued twice is one.
			Source:        "register:" + strconv.FormatInt(v.ProcessID, 10) + ":" + strconv.FormatInt(v.ParticipantID, 10) + ":" + digest(v.Secret),
			Kind:          notify.KindVerification,
			To:            v.To,
			ParticipantID: v.ParticipantID,
			Lang:          v.Lang,
			Process:       p.Title,
			Secret:        v.Secret,
		}
		switch v.Channel {
		case "email":
			m.Channel, m.Link = notify.Email, v.Link
		case "phone":
			m.Channel = notify.SMS
		default:
			return fmt.Errorf("notify: unknown verification channel %q", v.Channel)
		}
		_, err = svc.Queue(ctx, []notify.Message{m})
		return err
	}
}

// sendStaffLink queues an invitation or reset link: staffweb.Options.SendLink.
func sendStaffLink(svc *notify.Service) func(context.Context, staffweb.Link) error {
	return func(ctx context.Context, l staffweb.Link) error {
		kind := notify.KindStaffInvitation
		if l.Kind == "reset" {
			kind = notify.KindStaffReset
		}
		token := l.URL // blanked with the link once sent, whatever its form
		if u, err := url.Parse(l.URL); err == nil && u.Query().Get("token") != "" {
			token = u.Query().Get("token")
		}
		_, err := svc.Queue(ctx, []notify.Message{{Source: "staff:" + l.Kind + ":" + digest(l.URL), Kind: kind,
			Channel: notify.Email, To: l.Email, Lang: l.Lang, Link: l.URL, Secret: token}})
		return err
	}
}

// sendInquiryAnswer queues the team's answer to a question for the
// address the asker gave: workspace.Config.SendInquiryAnswer.
func sendInquiryAnswer(svc *notify.Service, baseURL string) func(context.Context, workspace.InquiryAnswer) error {
	base := strings.TrimRight(baseURL, "/")
	return func(ctx context.Context, a workspace.InquiryAnswer) error {
		return svc.QueueInquiryAnswer(ctx, notify.InquiryAnswer{InquiryID: a.InquiryID, To: a.To, Lang: a.Lang,
			Process: a.Process, Link: base + a.Link, Question: a.Question, Answer: a.Answer})
	}
}

// digest names a secret in an idempotency key without revealing it.
func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}
