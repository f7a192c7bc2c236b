package main

import (
	"context"
	"errors"

	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/web"
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
