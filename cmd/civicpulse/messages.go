package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
	"github.com/civicpulse/civicpulse/web/staffweb/staffnotify"
)

// participantKinds are the kinds of message a participant chooses about on
// /me: what the event dispatcher sends them. Verification answers their own
// request, and the staff kinds and alerts go to staff.
var participantKinds = []notify.Kind{notify.KindReply, notify.KindDecision, notify.KindDocumentVersion,
	notify.KindPhaseOpened, notify.KindPhaseClosed, notify.KindResults, notify.KindModeration}

// citizenMessages is web.Config.Messages over the message service.
type citizenMessages struct{ svc *notify.Service }

var _ web.Messages = citizenMessages{}

func (m citizenMessages) Kinds() []string {
	out := make([]string, len(participantKinds))
	for i, k := range participantKinds {
		out[i] = string(k)
	}
	return out
}

func (m citizenMessages) Preferences(ctx context.Context, participant int64) (map[string]string, error) {
	prefs, err := m.svc.Preferences(ctx, participant)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(prefs))
	for k, f := range prefs {
		out[string(k)] = string(f)
	}
	return out, nil
}

func (m citizenMessages) SetPreference(ctx context.Context, participant int64, kind, frequency string) error {
	return m.svc.SetPreference(ctx, participant, notify.Kind(kind), notify.Frequency(frequency))
}

func (m citizenMessages) VerifyUnsubscribe(token string) (int64, string, error) {
	id, kind, err := m.svc.VerifyUnsubscribe(token)
	return id, string(kind), badToken(err)
}

func (m citizenMessages) Unsubscribe(ctx context.Context, token string) (int64, string, error) {
	id, kind, err := m.svc.Unsubscribe(ctx, token)
	return id, string(kind), badToken(err)
}

func badToken(err error) error {
	if errors.Is(err, notify.ErrBadToken) {
		return web.ErrBadToken
	}
	return err
}

// mailboxFor is what the staff mailbox page shows: the mailbox when any
// channel delivers into it, else where messages go.
func mailboxFor(getenv func(string) string, box *notify.Mailbox) (staffweb.Mailbox, []string) {
	smtpURL, smsURL := strings.TrimSpace(getenv(notify.EnvSMTPURL)), strings.TrimSpace(getenv(notify.EnvSMSURL))
	if box != nil && (smtpURL == "" || smsURL == "") {
		return staffnotify.NewMailbox(box), nil
	}
	var where []string
	if cfg, err := notify.ParseSMTPURL(smtpURL); err == nil {
		where = append(where, fmt.Sprintf("email: smtp %s:%d (%s)", cfg.Host, cfg.Port, notify.EnvSMTPURL))
	}
	if u, err := url.Parse(smsURL); err == nil {
		where = append(where, "SMS: "+u.Scheme+"://"+u.Host+" ("+notify.EnvSMSURL+")")
	}
	return nil, where
}

// staffAlerts is the account page's alert checklist over notify's staff
// choices: one line today, "participation stays low", which is every
// alert rule at once (notify.AllAlerts); the jobs' alert check reads the
// same choice before it sends.
type staffAlerts struct{ svc *notify.Service }

const lowEngagementAlerts = "low_engagement"

func (a staffAlerts) AlertKinds() []string { return []string{lowEngagementAlerts} }

func (a staffAlerts) StaffAlerts(ctx context.Context, staffID int64) (map[string]bool, error) {
	on, err := a.svc.StaffAlertOn(ctx, staffID, notify.AllAlerts)
	if err != nil {
		return nil, err
	}
	return map[string]bool{lowEngagementAlerts: on}, nil
}

func (a staffAlerts) SetStaffAlerts(ctx context.Context, staffID int64, wanted map[string]bool) error {
	return a.svc.SetStaffAlert(ctx, staffID, notify.AllAlerts, wanted[lowEngagementAlerts])
}
