package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/i18n"
)

// statusOf maps a domain code to its HTTP status.
func statusOf(c participation.Code) int {
	switch c {
	case participation.CodeNotFound, participation.CodeUnpublished:
		return http.StatusNotFound
	case participation.CodeInvalid:
		return http.StatusUnprocessableEntity
	case participation.CodeClosed, participation.CodeDuplicate, participation.CodeConflict:
		return http.StatusConflict
	case participation.CodeRegistered, participation.CodeConsent:
		return http.StatusForbidden
	case participation.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case participation.CodeLocked:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// codeKey is the catalogue message for a domain code without a more
// specific key.
func codeKey(c participation.Code) string {
	switch c {
	case participation.CodeUnpublished:
		return "err.not_found" // drafts do not exist for citizens
	case "":
		return "err.internal"
	}
	return "err." + string(c)
}

// translate renders a domain error in the caller's language: its own key
// when the catalogue has it, else the code's generic message, else the
// store's English text.
func translate(loc *i18n.Localizer, e *participation.Error) string {
	if e.Code == participation.CodeUnpublished {
		return loc.T("err.not_found")
	}
	if e.Key != "" && loc.Has(e.Key) {
		return loc.T(e.Key, e.Args...)
	}
	if e.Msg != "" && loc.Lang() == "en" {
		return e.Msg
	}
	return loc.T(codeKey(e.Code))
}

// fieldErrors flattens a validation failure into field → message.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func validationErrors(loc *i18n.Localizer, err error) ([]fieldError, bool) {
	var ve participation.ValidationErrors
	if errors.As(err, &ve) {
		out := make([]fieldError, 0, len(ve))
		for _, e := range ve {
			out = append(out, fieldError{Field: e.Field, Message: translate(loc, e)})
		}
		return out, true
	}
	var de *participation.Error
	if errors.As(err, &de) && de.Code == participation.CodeInvalid && de.Field != "" {
		return []fieldError{{Field: de.Field, Message: translate(loc, de)}}, true
	}
	return nil, false
}

// fail answers err: domain errors with their status and translated text,
// anything else as 500 after logging the cause once.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	st := state(r)
	var se *statusError
	if errors.As(err, &se) {
		if se.status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="civicpulse"`)
		}
		s.failStatus(w, r, se.status, se.key, se.args...)
		return
	}
	if fe, ok := validationErrors(st.loc, err); ok {
		s.respondError(w, r, http.StatusUnprocessableEntity, st.loc.T("err.invalid"), fe)
		return
	}
	var de *participation.Error
	if errors.As(err, &de) {
		status := statusOf(de.Code)
		if status != http.StatusInternalServerError {
			s.respondError(w, r, status, translate(st.loc, de), nil)
			return
		}
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.failStatus(w, r, http.StatusRequestEntityTooLarge, "err.body_too_large", tooBig.Limit>>20)
		return
	}
	s.log.Error("http: request failed", "request_id", st.id, "route", st.route, "err", err)
	s.failStatus(w, r, http.StatusInternalServerError, "err.internal")
}

// failStatus answers status with a catalogue message.
func (s *Server) failStatus(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	s.respondError(w, r, status, state(r).loc.T(key, args...), nil)
}

func (s *Server) respondError(w http.ResponseWriter, r *http.Request, status int, detail string, fields []fieldError) {
	if state(r).api {
		s.problem(w, r, status, detail, fields)
		return
	}
	s.errorPage(w, r, status, detail, fields)
}

// problem is an RFC 9457 problem details document.
type problem struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Errors   []fieldError `json:"errors,omitempty"`
}

func (s *Server) problem(w http.ResponseWriter, r *http.Request, status int, detail string, fields []fieldError) {
	loc := state(r).loc
	p := problem{
		Type:     "about:blank",
		Title:    loc.T(fmt.Sprintf("status.%d", status)),
		Status:   status,
		Detail:   detail,
		Instance: r.URL.Path,
		Errors:   fields,
	}
	if !loc.Has(fmt.Sprintf("status.%d", status)) {
		p.Title = http.StatusText(status)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}
