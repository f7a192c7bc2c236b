package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Frequency is how a participant wants messages of one kind.
type Frequency string

const (
	Instant Frequency = "instant" // the default: each message as it happens
	Daily   Frequency = "daily"   // one digest a day, in the process's time zone
	Never   Frequency = "none"    // nothing of this kind
)

// SetPreference records how participant wants messages of kind.
func (s *Service) SetPreference(ctx context.Context, participant int64, kind Kind, f Frequency) error {
	switch f {
	case Instant, Daily, Never:
	default:
		return fmt.Errorf("%w: frequency %q", ErrInvalid, f)
	}
	if participant <= 0 || kind == "" {
		return fmt.Errorf("%w: preference without participant or kind", ErrInvalid)
	}
	if _, err := s.db.ExecContext(ctx, s.q["preference-set"], participant, string(kind), string(f), s.now()); err != nil {
		return fmt.Errorf("notify: unable to store a preference: %w", err)
	}
	return nil
}

// Preference returns how participant wants messages of kind (Instant when
// they never said).
func (s *Service) Preference(ctx context.Context, participant int64, kind Kind) (Frequency, error) {
	var f string
	err := s.db.GetContext(ctx, &f, s.q["preference-get"], participant, string(kind))
	if errors.Is(err, sql.ErrNoRows) {
		return Instant, nil
	}
	if err != nil {
		return "", fmt.Errorf("notify: unable to read a preference: %w", err)
	}
	return Frequency(f), nil
}

// Preferences returns every kind participant set, by kind.
func (s *Service) Preferences(ctx context.Context, participant int64) (map[Kind]Frequency, error) {
	var rows []struct {
		Kind      string `db:"kind"`
		Frequency string `db:"frequency"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.q["preferences-of"], participant); err != nil {
		return nil, fmt.Errorf("notify: unable to read preferences: %w", err)
	}
	out := make(map[Kind]Frequency, len(rows))
	for _, r := range rows {
		out[Kind(r.Kind)] = Frequency(r.Frequency)
	}
	return out, nil
}

// UnsubscribeToken is the token of the one-click unsubscribe link for
// (participant, kind): "<participant>.<kind>.<HMAC-SHA256, base64url>".
// It never expires (a link in an old message must still work) and says
// nothing about the person beyond their participant number.
func (s *Service) UnsubscribeToken(participant int64, kind Kind) string {
	body := strconv.FormatInt(participant, 10) + "." + string(kind)
	return body + "." + s.sign(body)
}

func (s *Service) sign(body string) string {
	mac := hmac.New(sha256.New, s.opts.UnsubscribeKey)
	mac.Write([]byte("notify-unsubscribe\x00" + body))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:18])
}

// UnsubscribeURL is the link messages carry: BaseURL/unsubscribe?token=….
// The page (GET shows a button, POST unsubscribes, as RFC 8058's one-click
// POST does) comes with the preference pages.
func (s *Service) UnsubscribeURL(participant int64, kind Kind) string {
	return s.opts.BaseURL + "/unsubscribe?token=" + url.QueryEscape(s.UnsubscribeToken(participant, kind))
}

// VerifyUnsubscribe checks a token and returns whom and what it is for. A
// token altered in any part (another participant, another kind, another
// signature) is refused with ErrBadToken.
func (s *Service) VerifyUnsubscribe(token string) (int64, Kind, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return 0, "", ErrBadToken
	}
	body := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(s.sign(body)), []byte(parts[2])) {
		return 0, "", ErrBadToken
	}
	id, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != parts[0] {
		return 0, "", ErrBadToken
	}
	return id, Kind(parts[1]), nil
}

// Unsubscribe verifies token and sets that kind to none for its
// participant; a bad token changes nothing.
func (s *Service) Unsubscribe(ctx context.Context, token string) (int64, Kind, error) {
	id, kind, err := s.VerifyUnsubscribe(token)
	if err != nil {
		return 0, "", err
	}
	return id, kind, s.SetPreference(ctx, id, kind, Never)
}
