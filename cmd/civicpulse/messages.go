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

// staffDeliveries is staffweb.Options.Deliveries over the message service.
type staffDeliveries struct{ svc *notify.Service }

var _ staffweb.Deliveries = staffDeliveries{}

func (d staffDeliveries) Counts(ctx context.Context) (map[string]int, error) {
	return d.svc.Counts(ctx)
}

func (d staffDeliveries) List(ctx context.Context, f staffweb.DeliveryFilter) ([]staffweb.Delivery, error) {
	rows, err := d.svc.Deliveries(ctx, notify.ListFilter{State: f.State, Before: f.Before, Limit: f.Limit})
	if errors.Is(err, notify.ErrUnknownState) {
		return nil, staffweb.ErrUnknownState
	}
	if err != nil {
		return nil, err
	}
	out := make([]staffweb.Delivery, len(rows))
	for i, r := range rows {
		out[i] = staffweb.Delivery{ID: r.ID, Kind: string(r.Kind), Channel: string(r.Channel), To: r.To, Lang: r.Lang,
			State: r.State, Attempts: r.Attempts, LastError: r.LastError, CreatedAt: r.CreatedAt, NextAttemptAt: r.NextAttemptAt}
		if r.SentAt.Valid {
			out[i].SentAt = r.SentAt.Time
		}
	}
	return out, nil
}

func (d staffDeliveries) MissingTemplates(langs ...string) []staffweb.TemplateGap {
	var out []staffweb.TemplateGap
	for _, g := range d.svc.Templates().Missing(langs...) {
		out = append(out, staffweb.TemplateGap{Kind: string(g.Kind), Lang: g.Lang})
	}
	return out
}

// staffMailbox is staffweb.Options.Mailbox over the local mailbox.
type staffMailbox struct{ box *notify.Mailbox }

func (m staffMailbox) List() ([]staffweb.MailboxItem, error) {
	items, err := m.box.List()
	if err != nil {
		return nil, err
	}
	out := make([]staffweb.MailboxItem, len(items))
	for i, it := range items {
		out[i] = staffweb.MailboxItem{Name: it.Name, Time: it.Time, Channel: string(it.Channel), To: it.To, Subject: it.Subject}
	}
	return out, nil
}

func (m staffMailbox) Read(name string) ([]byte, error) {
	b, err := m.box.Read(name)
	if errors.Is(err, notify.ErrNoMessage) {
		return nil, staffweb.ErrNoMessage
	}
	return b, err
}

// mailboxFor is what the staff mailbox page shows: the mailbox when any
// channel delivers into it, else where messages go.
func mailboxFor(getenv func(string) string, box *notify.Mailbox) (staffweb.Mailbox, []string) {
	smtpURL, smsURL := strings.TrimSpace(getenv(notify.EnvSMTPURL)), strings.TrimSpace(getenv(notify.EnvSMSURL))
	if box != nil && (smtpURL == "" || smsURL == "") {
		return staffMailbox{box}, nil
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
