// Package staffnotify adapts the message service and the local mailbox to
// the staff area's interfaces. staffweb may not import notify (DESIGN.md:
// web reaches notify through interfaces), so the adapters live here, where
// both the binary and the staff area's test fixture can use the same code.
package staffnotify

import (
	"context"
	"errors"

	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// NewDeliveries is staffweb.Options.Deliveries over the message service.
func NewDeliveries(svc *notify.Service) staffweb.Deliveries { return deliveries{svc} }

// NewMailbox is staffweb.Options.Mailbox over the local mailbox.
func NewMailbox(box *notify.Mailbox) staffweb.Mailbox { return mailbox{box} }

type deliveries struct{ svc *notify.Service }

func (d deliveries) Counts(ctx context.Context) (map[string]int, error) { return d.svc.Counts(ctx) }

func (d deliveries) List(ctx context.Context, f staffweb.DeliveryFilter) ([]staffweb.Delivery, error) {
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

func (d deliveries) MissingTemplates(langs ...string) []staffweb.TemplateGap {
	var out []staffweb.TemplateGap
	for _, g := range d.svc.Templates().Missing(langs...) {
		out = append(out, staffweb.TemplateGap{Kind: string(g.Kind), Lang: g.Lang})
	}
	return out
}

type mailbox struct{ box *notify.Mailbox }

func (m mailbox) List() ([]staffweb.MailboxItem, error) {
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

func (m mailbox) Read(name string) ([]byte, error) {
	b, err := m.box.Read(name)
	if errors.Is(err, notify.ErrNoMessage) {
		return nil, staffweb.ErrNoMessage
	}
	return b, err
}
