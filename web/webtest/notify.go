package webtest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/web"
)

// UnsubscribeKey signs the fixture's unsubscribe links.
var UnsubscribeKey = []byte("webtest-unsubscribe-key-0123456789abcdef")

// openNotify opens the real message service on the fixture's database,
// delivering into a local mailbox in a temporary folder (both channels).
func (f *Fixture) openNotify(t testing.TB, ctx context.Context) {
	t.Helper()
	box, err := notify.NewMailbox(t.TempDir(), "civicpulse <no-reply@county.example>")
	if err != nil {
		t.Fatalf("webtest: %v", err)
	}
	svc, err := notify.Open(ctx, f.Store.DB(), notify.Options{Email: box, SMS: box, BaseURL: "https://engage.county.example",
		UnsubscribeKey: UnsubscribeKey, Domain: "county.example", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Clock: func() time.Time { return Now },
		Send:  notify.SendOptions{MaxAttempts: 2, BackoffBase: time.Millisecond, BackoffMax: 2 * time.Millisecond}})
	if err != nil {
		t.Fatalf("webtest: %v", err)
	}
	t.Cleanup(func() { svc.Close() })
	f.Notify, f.Mailbox = svc, box
}

// ParticipantKinds are the kinds a participant chooses about (as cmd wires them).
var ParticipantKinds = []notify.Kind{notify.KindReply, notify.KindDecision, notify.KindDocumentVersion,
	notify.KindPhaseOpened, notify.KindPhaseClosed, notify.KindResults, notify.KindModeration}

// Messages adapts the message service to web.Messages, as cmd does.
type Messages struct{ Svc *notify.Service }

func (m Messages) Kinds() []string {
	out := make([]string, len(ParticipantKinds))
	for i, k := range ParticipantKinds {
		out[i] = string(k)
	}
	return out
}

func (m Messages) Preferences(ctx context.Context, participant int64) (map[string]string, error) {
	prefs, err := m.Svc.Preferences(ctx, participant)
	out := map[string]string{}
	for k, v := range prefs {
		out[string(k)] = string(v)
	}
	return out, err
}

func (m Messages) SetPreference(ctx context.Context, participant int64, kind, frequency string) error {
	return m.Svc.SetPreference(ctx, participant, notify.Kind(kind), notify.Frequency(frequency))
}

func (m Messages) VerifyUnsubscribe(token string) (int64, string, error) {
	id, k, err := m.Svc.VerifyUnsubscribe(token)
	return id, string(k), badToken(err)
}

func (m Messages) Unsubscribe(ctx context.Context, token string) (int64, string, error) {
	id, k, err := m.Svc.Unsubscribe(ctx, token)
	return id, string(k), badToken(err)
}

func badToken(err error) error {
	if errors.Is(err, notify.ErrBadToken) {
		return web.ErrBadToken
	}
	return err
}
