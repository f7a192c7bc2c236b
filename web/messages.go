package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// Messages is what the citizen pages need of the message service (package
// notify; cmd adapts it): a participant's choices per kind of message, and
// the one-click unsubscribe link every message carries.
type Messages interface {
	// Kinds lists the kinds of message a participant may choose about, in
	// the order the page shows them.
	Kinds() []string
	// Preferences returns what participant chose, kind → frequency
	// ("instant", "daily", "none"); a kind never chosen is absent (instant).
	Preferences(ctx context.Context, participantID int64) (map[string]string, error)
	SetPreference(ctx context.Context, participantID int64, kind, frequency string) error
	// VerifyUnsubscribe says whom and which kind a link's token is for;
	// ErrBadToken for a token altered in any part.
	VerifyUnsubscribe(token string) (participantID int64, kind string, err error)
	// Unsubscribe verifies token and stops that kind for its participant;
	// a bad token (ErrBadToken) changes nothing.
	Unsubscribe(ctx context.Context, token string) (participantID int64, kind string, err error)
}

// ErrBadToken is what Messages answers for an unsubscribe token that was
// altered or made up.
var ErrBadToken = errors.New("web: the unsubscribe link is invalid")

// Frequencies a participant may choose, in the order the page shows them.
var frequencies = []string{"instant", "daily", "none"}

func (s *Server) registerMessages(reg Registrar) {
	reg.HandleFunc("unsubscribe", "GET", "/unsubscribe", Public, s.unsubscribePage)
	// RFC 8058: mail clients POST List-Unsubscribe=One-Click to the link of
	// the List-Unsubscribe header, without cookies; the signed token is the
	// authorisation. The page's own form still carries its CSRF token.
	reg.HandleFunc("unsubscribe.submit", "POST", "/unsubscribe", Public, s.unsubscribeSubmit, oneClickPost())
	reg.HandleFunc("me.messages", "POST", "/me/messages", Participant, s.saveMessagePrefs)
}

type unsubscribeData struct {
	Token   string
	Kind    string // catalogue label of the kind
	Already bool   // this kind was already stopped
	Done    bool
}

// kindLabel names a kind of message in the reader's language.
func (s *Server) kindLabel(r *http.Request, kind string) string {
	if loc := state(r).loc; loc.Has("messages.kind." + kind) {
		return loc.T("messages.kind." + kind)
	}
	return kind
}

// unsubscribeToken reads the token from the link (RFC 8058 clients POST to
// it as it is) or from the confirmation form.
func unsubscribeToken(r *http.Request) string {
	if t := r.URL.Query().Get("token"); t != "" {
		return t
	}
	return strings.TrimSpace(r.PostFormValue("token"))
}

// unsubscribePage shows what the link will stop and a button: a GET
// changes nothing, as mail scanners follow links.
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Messages == nil {
		s.notFound(w, r)
		return
	}
	token := unsubscribeToken(r)
	id, kind, err := s.cfg.Messages.VerifyUnsubscribe(token)
	if err != nil {
		s.unsubscribeFailed(w, r, err)
		return
	}
	prefs, err := s.cfg.Messages.Preferences(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := unsubscribeData{Token: token, Kind: s.kindLabel(r, kind), Already: prefs[kind] == "none"}
	s.render(w, r, http.StatusOK, "unsubscribe", state(r).loc.T("unsubscribe.title"), d)
}

func (s *Server) unsubscribeSubmit(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Messages == nil {
		s.notFound(w, r)
		return
	}
	_, kind, err := s.cfg.Messages.Unsubscribe(r.Context(), unsubscribeToken(r))
	if err != nil {
		s.unsubscribeFailed(w, r, err)
		return
	}
	if isOneClick(r) {
		// The mail client shows nothing; a short answer in plain text.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(state(r).loc.T("unsubscribe.done", s.kindLabel(r, kind)) + "\n"))
		return
	}
	s.render(w, r, http.StatusOK, "unsubscribe", state(r).loc.T("unsubscribe.title"),
		unsubscribeData{Kind: s.kindLabel(r, kind), Done: true})
}

func (s *Server) unsubscribeFailed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrBadToken) {
		s.failStatus(w, r, http.StatusBadRequest, "err.unsubscribe_link")
		return
	}
	s.fail(w, r, err)
}

// isOneClick reports an RFC 8058 one-click unsubscribe POST.
func isOneClick(r *http.Request) bool {
	return r.Method == http.MethodPost && r.PostFormValue("List-Unsubscribe") == "One-Click"
}

// oneClickPost lets a route take the RFC 8058 POST without a CSRF token
// (mail clients have none); any other post to it is checked as usual.
func oneClickPost() RouteOption { return func(o *routeOptions) { o.oneClick = true } }

func (s *Server) withOneClick(plain, checked http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			// Either form encoding (RFC 8058 allows both); the body limit
			// was applied before.
			if err := r.ParseMultipartForm(64 << 10); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				s.failStatus(w, r, http.StatusBadRequest, "err.bad_form")
				return
			}
			if isOneClick(r) {
				plain.ServeHTTP(w, r)
				return
			}
		}
		checked.ServeHTTP(w, r)
	})
}

// messagePref is one kind's row of the "Messages" form on /me.
type messagePref struct {
	Kind, Label, Frequency string
	Choices                []string // the frequencies, in page order
}

// messagePrefs reads a registered participant's choices; nil for anyone
// else (anonymous participants gave no address: they get nothing).
func (s *Server) messagePrefs(r *http.Request, me *participation.Participant) ([]messagePref, error) {
	if s.cfg.Messages == nil || me == nil || me.Kind != participation.ParticipantRegistered {
		return nil, nil
	}
	chosen, err := s.cfg.Messages.Preferences(r.Context(), me.ID)
	if err != nil {
		return nil, err
	}
	var out []messagePref
	for _, k := range s.cfg.Messages.Kinds() {
		f := chosen[k]
		if f == "" {
			f = "instant"
		}
		out = append(out, messagePref{Kind: k, Label: s.kindLabel(r, k), Frequency: f, Choices: frequencies})
	}
	return out, nil
}

func (s *Server) saveMessagePrefs(w http.ResponseWriter, r *http.Request) {
	me := state(r).participant
	if s.cfg.Messages == nil {
		s.notFound(w, r)
		return
	}
	if me == nil || me.Kind != participation.ParticipantRegistered {
		s.failStatus(w, r, http.StatusForbidden, "err.messages_registered")
		return
	}
	kinds := s.cfg.Messages.Kinds()
	choice := make(map[string]string, len(kinds))
	for _, k := range kinds {
		f := r.PostFormValue("kind." + k)
		if f == "" {
			continue // not on the form: left as it is
		}
		if !contains(frequencies, f) {
			s.failStatus(w, r, http.StatusUnprocessableEntity, "err.messages_frequency")
			return
		}
		choice[k] = f
	}
	for _, k := range kinds {
		if f, ok := choice[k]; ok {
			if err := s.cfg.Messages.SetPreference(r.Context(), me.ID, k, f); err != nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	redirect(w, r, "/me?saved=messages#h-messages")
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
