package participation

import (
	"errors"
	"fmt"
)

// Code classifies what went wrong with a request, so that the web layer can
// pick the HTTP status and a translated message without parsing text.
type Code string

const (
	CodeNotFound    Code = "not_found"    // 404: unknown id, or not visible to this caller
	CodeInvalid     Code = "invalid"      // 422: a field is missing, too long, out of range, of the wrong type
	CodeClosed      Code = "closed"       // 409: the component is not open in the current phase
	CodeUnpublished Code = "unpublished"  // 404 to citizens: the process is not published yet
	CodeDuplicate   Code = "duplicate"    // 409: a second support, a second survey response, ...
	CodeRegistered  Code = "registration" // 403: the process is registered-only and the caller is anonymous
	CodeConsent     Code = "consent"      // 403: consent is missing or withdrawn
	CodeTooLarge    Code = "too_large"    // 413: an upload or body above its limit
	CodeConflict    Code = "conflict"     // 409: any other state that forbids the write
	CodeLocked      Code = "locked"       // 429: tried too often (a verification code); Args[0] is the whole minutes to wait
)

// Error is a domain error: a code, the field it concerns (if any), and an
// English message. Key and Args let the web layer translate it: Key is a
// message id in the translation catalogue, Args its parameters.
type Error struct {
	Code  Code
	Field string
	Key   string
	Args  []any
	Msg   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Msg)
	}
	return e.Msg
}

// Errorf builds an *Error. key is the catalogue id of the message; msg is its
// English text with Args substituted.
func Errorf(code Code, field, key, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Key: key, Args: args, Msg: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the Code of err if it is (or wraps) an *Error, else "".
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// IsNotFound reports whether err is a not-found domain error.
func IsNotFound(err error) bool { return ErrorCode(err) == CodeNotFound }

// ValidationErrors collects several field errors of one request, so a form
// can show every problem at once.
type ValidationErrors []*Error

func (v ValidationErrors) Error() string {
	if len(v) == 0 {
		return "no errors"
	}
	s := v[0].Error()
	if len(v) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(v)-1)
	}
	return s
}

// Add appends a field error.
func (v *ValidationErrors) Add(field, key, format string, args ...any) {
	*v = append(*v, Errorf(CodeInvalid, field, key, format, args...))
}

// Err returns v as an error, or nil when empty.
func (v ValidationErrors) Err() error {
	if len(v) == 0 {
		return nil
	}
	return v
}
