package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

const (
	sessionCookie = "cp_session"
	sessionMaxAge = 400 * 24 * 3600 // browsers cap cookies at 400 days
)

type sessionValue struct {
	ID    int64
	Token string
}

// participant returns the caller's participant if the request carries a
// valid session cookie (pages) or bearer token (API), else nil. It never
// creates one.
func (s *Server) participant(r *http.Request) (*participation.Participant, error) {
	st := state(r)
	if st.resolved {
		return st.participant, nil
	}
	if st.api {
		return s.bearer(r)
	}
	st.resolved = true
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, nil
	}
	var v sessionValue
	if err := s.cookies.Decode(sessionCookie, c.Value, &v); err != nil {
		return nil, nil // forged, expired or from another key: treat as a newcomer
	}
	p, err := s.store.ParticipantByToken(r.Context(), v.ID, v.Token)
	if err != nil {
		if participation.IsNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("web: unable to load participant: %w", err)
	}
	st.participant = &p
	return &p, nil
}

// ensureParticipant returns the caller's participant, creating an anonymous
// one bound to a new session cookie on the first write.
func (s *Server) ensureParticipant(w http.ResponseWriter, r *http.Request) (*participation.Participant, error) {
	p, err := s.participant(r)
	if err != nil || p != nil {
		return p, err
	}
	np, err := s.store.CreateParticipant(r.Context(), "")
	if err != nil {
		return nil, fmt.Errorf("web: unable to create participant: %w", err)
	}
	if err := s.setSession(w, np.ID, np.Token); err != nil {
		return nil, err
	}
	st := state(r)
	st.participant, st.resolved = &np, true
	return &np, nil
}

// setSession binds the browser to a participant by its token.
func (s *Server) setSession(w http.ResponseWriter, id int64, token string) error {
	enc, err := s.cookies.Encode(sessionCookie, sessionValue{ID: id, Token: token})
	if err != nil {
		return fmt.Errorf("web: unable to sign session: %w", err)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: enc, Path: "/", MaxAge: sessionMaxAge,
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
	return nil
}

// renewSession gives the browser's participant a new token and cookie, so
// that whoever knew the old cookie (one planted before a contact was
// proved) is left with a dead one.
func (s *Server) renewSession(w http.ResponseWriter, r *http.Request, id int64) error {
	token, err := s.store.RenewToken(r.Context(), id)
	if err != nil {
		return fmt.Errorf("web: unable to renew the session: %w", err)
	}
	return s.setSession(w, id, token)
}

// bearer reads "Authorization: Bearer <id>.<token>". No header: nil, nil.
// A header that is malformed or names no participant is an error (401):
// silently treating it as anonymous would hide a client's bug.
func (s *Server) bearer(r *http.Request) (*participation.Participant, error) {
	st := state(r)
	if st.resolved {
		return st.participant, nil
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		st.resolved = true
		return nil, nil
	}
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, errUnauthorized
	}
	idText, token, ok := strings.Cut(strings.TrimSpace(cred), ".")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || id <= 0 || token == "" {
		return nil, errUnauthorized
	}
	p, err := s.store.ParticipantByToken(r.Context(), id, token)
	if err != nil {
		if participation.IsNotFound(err) {
			return nil, errUnauthorized
		}
		return nil, fmt.Errorf("web: unable to load participant: %w", err)
	}
	st.participant, st.resolved = &p, true
	return &p, nil
}

// errUnauthorized answers 401 with a translated message.
var errUnauthorized = &statusError{status: http.StatusUnauthorized, key: "err.unauthorized"}

// statusError is an HTTP failure the web layer itself decides.
type statusError struct {
	status int
	key    string
	args   []any
}

func (e *statusError) Error() string { return fmt.Sprintf("web: %d %s", e.status, e.key) }
