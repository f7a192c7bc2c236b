package staff

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Personal replaces personal data of citizens that Audit strips from
// entries other packages write.
const Personal = "[personal]"

// emailRE finds email addresses inside any text (a comment quoted in a
// moderation entry may carry one).
var emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+`)

// phoneRE finds phone numbers inside text: international (+254 712 345 678)
// or local with a trunk zero (0712 345 678). Amounts seldom start with + or
// 0, so budget figures in a summary stay readable.
var phoneRE = regexp.MustCompile(`(\+\d{1,3}|\b0)[ \-]?\d{2,4}([ \-]?\d{2,4}){2,3}\b`)

// personalWords make a key personal wherever they appear in it
// ("email", "contact_phone", "msisdn", "ipAddress").
var personalWords = map[string]bool{
	"email": true, "emails": true, "mail": true, "phone": true, "phones": true, "mobile": true,
	"msisdn": true, "telephone": true, "tel": true, "ip": true, "address": true,
}

// PersonalKey reports whether a JSON key names contact data of a person.
func PersonalKey(k string) bool {
	for _, w := range keyWords(k) {
		if personalWords[w] {
			return true
		}
	}
	return false
}

// looksLikeContact: an email address, or a phone number (7 or more digits
// and nothing but digits and the usual separators).
func looksLikeContact(s string) bool {
	if emailRE.MatchString(s) {
		return true
	}
	digits := 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits++
		case strings.ContainsRune(" +-().", r):
		default:
			return false
		}
	}
	return digits >= 7
}

// scrub strips citizens' personal data from a decoded JSON tree. A value
// under a personal key (email, phone, …) that looks like contact data goes;
// so does the "name" beside it, since that object is about a person. A
// personal key whose value is ordinary text stays: the reason a process
// gives for asking for an email ({"field_reasons": {"email": "…"}}) is not
// anyone's email. Email addresses and phone numbers inside any other text are replaced too.
func scrub(v any) any {
	switch t := v.(type) {
	case map[string]any:
		person := false
		for k, x := range t {
			if s, ok := x.(string); ok && PersonalKey(k) && looksLikeContact(s) {
				t[k], person = Personal, true
			}
			if arr, ok := x.([]any); ok && PersonalKey(k) {
				for i, e := range arr {
					if s, ok := e.(string); ok && looksLikeContact(s) {
						arr[i], person = Personal, true
					}
				}
			}
		}
		for k, x := range t {
			if person && isNameKey(k) {
				if _, ok := x.(string); ok {
					t[k] = Personal
					continue
				}
			}
			t[k] = scrub(x)
		}
	case []any:
		for i, x := range t {
			t[i] = scrub(x)
		}
	case string:
		return phoneRE.ReplaceAllString(emailRE.ReplaceAllString(t, Personal), Personal)
	}
	return v
}

func isNameKey(k string) bool {
	switch strings.Join(keyWords(k), "_") {
	case "name", "full_name", "first_name", "last_name", "display_name", "given_name", "family_name", "surname":
		return true
	}
	return false
}

// auditJSON marshals v for the log: secrets are redacted always and, when
// personal is set (entries from other packages), citizens' personal data
// is stripped. nil stays SQL NULL.
func auditJSON(v any, personal bool) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, err
	}
	if string(raw) == "null" {
		return sql.NullString{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return sql.NullString{}, err
	}
	tree = redact(tree)
	if personal {
		tree = scrub(tree)
	}
	out, err := json.Marshal(tree)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(out), Valid: true}, nil
}

// Change is one changed key between an entry's Before and After: Key is
// the dotted path of an object key ("" when the values are not objects),
// Before and After its compact JSON ("" when absent on that side).
type Change struct {
	Key    string `json:"key"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// Diff lists what changed between two stored JSON values, key by key, in
// key order: nested objects are walked, arrays and scalars compared whole.
// A creation (no Before) lists every key of After; unchanged keys are left
// out, so a large object with one edited field reads as one line.
func Diff(before, after json.RawMessage) []Change {
	b, bok := decodeTree(before)
	a, aok := decodeTree(after)
	var out []Change
	diffInto(&out, "", b, bok, a, aok)
	return out
}

func decodeTree(raw json.RawMessage) (any, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return string(raw), true
	}
	return v, true
}

func diffInto(out *[]Change, path string, b any, bok bool, a any, aok bool) {
	bm, bIsMap := b.(map[string]any)
	am, aIsMap := a.(map[string]any)
	if (bIsMap || !bok) && (aIsMap || !aok) && (bok || aok) {
		keys := map[string]bool{}
		for k := range bm {
			keys[k] = true
		}
		for k := range am {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			bv, bhas := bm[k]
			av, ahas := am[k]
			p := k
			if path != "" {
				p = path + "." + k
			}
			diffInto(out, p, bv, bhas, av, ahas)
		}
		return
	}
	bs, as := compact(b, bok), compact(a, aok)
	if bs != as {
		*out = append(*out, Change{Key: path, Before: bs, After: as})
	}
}

func compact(v any, ok bool) string {
	if !ok {
		return ""
	}
	out, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(out)
}
