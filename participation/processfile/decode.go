package processfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/civicpulse/civicpulse/participation"
)

// Decode reads a process file strictly. A file with any problem is refused
// whole: the error is participation.ValidationErrors with one entry per
// problem, Field being its JSON pointer (RFC 6901, "" for the whole file),
// Key a catalogue message id (see Catalog) and Msg the English text. The
// checks are the schema's (unknown fields, types, enums, required fields,
// …) and then what a schema cannot say (phases that overlap, a condition on
// a later question, a phase opening a component the file does not have, a
// translation into a language the process does not have, …).
//
// Times come back in UTC, truncated to the second (the stores keep no
// more), so that a file applied twice compares equal the second time.
func Decode(r io.Reader) (File, error) {
	var f File
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return f, fmt.Errorf("processfile: unable to read the file: %w", err)
	}
	if len(data) > MaxFileBytes {
		e := participation.Errorf(participation.CodeTooLarge, "", "pf.too_large", "the file is larger than %d MiB", MaxFileBytes>>20)
		return f, participation.ValidationErrors{e}
	}
	sch, err := compiled()
	if err != nil {
		return f, err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return f, participation.ValidationErrors{notJSON(data, err)}
	}
	var found problems
	if err := sch.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return f, fmt.Errorf("processfile: unable to check the file: %w", err)
		}
		schemaProblems(&found, ve)
	}
	structural := len(found)
	// The schema has said what is wrong with the shape; the checks below
	// need the typed values, which a file with a wrong type cannot give.
	if err := json.Unmarshal(data, &f); err != nil {
		if structural == 0 {
			found.add("", "pf.not_json", "cannot be read: %v", err)
		}
		return File{}, found.sorted()
	}
	normalise(&f)
	var more problems
	check(&more, f)
	for _, p := range more {
		if !found.covers(p.Field) {
			found = append(found, p)
		}
	}
	storeChecks(&found, f)
	if len(found) > 0 {
		return File{}, found.sorted()
	}
	return f, nil
}

func notJSON(data []byte, err error) *participation.Error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(data, se.Offset-1) // Offset is just past the culprit
		return participation.Errorf(participation.CodeInvalid, "", "pf.syntax", "is not JSON: %v (line %d, column %d)", se.Error(), line, col)
	}
	return participation.Errorf(participation.CodeInvalid, "", "pf.not_json", "cannot be read: %v", err)
}

func position(data []byte, offset int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < offset && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// pointer builds an RFC 6901 JSON pointer from its tokens.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

// schemaProblems turns the validator's tree of errors into one problem per
// leaf, worded for the person who wrote the file.
func schemaProblems(out *problems, e *jsonschema.ValidationError) {
	if _, ok := e.ErrorKind.(*kind.PropertyNames); !ok && len(e.Causes) > 0 {
		for _, c := range e.Causes {
			schemaProblems(out, c)
		}
		return
	}
	at := pointer(e.InstanceLocation)
	def := e.SchemaURL
	if i := strings.IndexByte(def, '#'); i >= 0 {
		def = def[i+1:]
	}
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			out.add(pointer(append(e.InstanceLocation[:len(e.InstanceLocation):len(e.InstanceLocation)], p)), "pf.unknown_field", "unknown field %q", p)
		}
	case *kind.Required:
		for _, p := range k.Missing {
			out.add(pointer(append(e.InstanceLocation[:len(e.InstanceLocation):len(e.InstanceLocation)], p)), "pf.required", "is required")
		}
	case *kind.PropertyNames:
		name := pointer(append(e.InstanceLocation[:len(e.InstanceLocation):len(e.InstanceLocation)], k.Property))
		if n := len(e.InstanceLocation); n > 0 && e.InstanceLocation[n-1] == "field_reasons" {
			out.add(name, "pf.unknown_personal_field", "unknown personal field %q", k.Property)
		} else {
			out.add(name, "pf.language", "%q is not a language tag", k.Property)
		}
	case *kind.Type:
		out.add(at, "pf.type", "must be %s, not %s", strings.Join(k.Want, " or "), k.Got)
	case *kind.Enum:
		got := fmt.Sprint(k.Got)
		switch {
		case strings.HasSuffix(def, "/$defs/questionType"):
			out.add(at, "pf.unknown_question_type", "unknown question type %q", got)
		case strings.HasSuffix(def, "/$defs/componentKind"):
			out.add(at, "pf.unknown_component_kind", "unknown component kind %q", got)
		case strings.HasSuffix(def, "/$defs/personalField"):
			out.add(at, "pf.unknown_personal_field", "unknown personal field %q", got)
		default:
			want := make([]string, len(k.Want))
			for i, w := range k.Want {
				want[i] = fmt.Sprint(w)
			}
			out.add(at, "pf.enum", "%q is not one of: %s", got, strings.Join(want, ", "))
		}
	case *kind.Const:
		out.add(at, "pf.version", "unsupported version %v (this installation reads version %d)", k.Got, Version)
	case *kind.MinLength:
		if k.Want == 1 {
			out.add(at, "pf.empty", "must not be empty")
		} else {
			out.add(at, "pf.too_short", "must be at least %d characters", k.Want)
		}
	case *kind.MaxLength:
		out.add(at, "pf.too_long", "must be at most %d characters", k.Want)
	case *kind.Minimum:
		out.add(at, "pf.minimum", "must be at least %s", ratString(k.Want))
	case *kind.Maximum:
		out.add(at, "pf.maximum", "must be at most %s", ratString(k.Want))
	case *kind.Pattern:
		switch {
		case strings.HasSuffix(def, "/$defs/lang"):
			out.add(at, "pf.language", "%q is not a language tag", k.Got)
		default: // slugs and keys
			out.add(at, "pf.slug", "%q must be lower-case letters, digits and single dashes", k.Got)
		}
	case *kind.Format:
		out.add(at, "pf.time", "%v is not a date and time like 2026-03-01T08:00:00Z", k.Got)
	case *kind.MinItems:
		out.add(at, "pf.min_items", "needs at least %d entries", k.Want)
	case *kind.MaxItems:
		out.add(at, "pf.max_items", "may have at most %d entries", k.Want)
	case *kind.UniqueItems:
		out.add(pointer(append(e.InstanceLocation[:len(e.InstanceLocation):len(e.InstanceLocation)], fmt.Sprint(k.Duplicates[1]))),
			"pf.repeated", "repeats entry %d", k.Duplicates[0])
	default:
		out.add(at, "pf.invalid", "is not valid: %s", e.ErrorKind.LocalizedString(message.NewPrinter(language.English)))
	}
}

func ratString(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(6)
}
