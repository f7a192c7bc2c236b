package participation

import (
	"math"
	"testing"
)

func TestValidateProfileContacts(t *testing.T) {
	asked := []PersonalField{FieldEmail, FieldPhone}
	for _, c := range []struct {
		email, phone string
		bad          string // field expected to fail, "" for none
	}{
		{"amina@example.org", "+254712345678", ""},
		{"amina@example.org", "0712 345 678", ""},
		{"Amina <amina@example.org>", "+254712345678", "email"},
		{"amina@localhost", "+254712345678", "email"},
		{"amina@@example.org", "+254712345678", "email"},
		{"amina@example.org", "call me", "phone"},
		{"", "+254712345678", ""},
		{"amina@example.org", "", ""},
		{"", "", "email"},
		{"amina@example.org", "+12", "phone"},
		{"amina@example", "+254712345678", "email"},
		{"amina@example..org", "+254712345678", "email"},
		{"amina@example.org", "020 222 2181", "phone"}, // a Nairobi landline takes no SMS
	} {
		v := ValidateProfile(Profile{Email: c.email, Phone: c.phone}, asked, nil, "Africa/Nairobi")
		switch {
		case c.bad == "" && len(v) > 0:
			t.Errorf("%q %q refused: %v", c.email, c.phone, v)
		case c.bad != "" && (len(v) != 1 || v[0].Field != c.bad):
			t.Errorf("%q %q: got %v, want one error on %s", c.email, c.phone, v, c.bad)
		}
	}
	// Fields the process does not ask for are refused, whatever they hold.
	v := ValidateProfile(Profile{Email: "amina@example.org", Gender: "f"}, []PersonalField{FieldEmail}, nil, "")
	if len(v) != 1 || v[0].Field != "gender" || v[0].Key != "err.not_asked" {
		t.Fatalf("unasked field: %v", v)
	}
}

func TestValidateAnswerTypes(t *testing.T) {
	num := func(f float64) *float64 { return &f }
	opts := []string{"a", "b", "c"}
	for _, c := range []struct {
		name string
		q    Question
		a    Answer
		key  string // "" when valid
	}{
		{"single", Question{Type: QSingle, Options: opts}, Answer{Choices: []int{2}}, ""},
		{"single with a number", Question{Type: QSingle, Options: opts}, Answer{Choices: []int{2}, Number: num(1)}, "err.answer_type"},
		{"multi all when no max", Question{Type: QMulti, Options: opts}, Answer{Choices: []int{0, 1, 2}}, ""},
		{"ranking order", Question{Type: QRanking, Options: opts}, Answer{Choices: []int{1, 2, 0}}, ""},
		{"likert 5", Question{Type: QLikert}, Answer{Number: num(5)}, ""},
		{"likert choice", Question{Type: QLikert}, Answer{Choices: []int{3}}, "err.answer_type"},
		{"numeric unbounded", Question{Type: QNumeric}, Answer{Number: num(-1e9)}, ""},
		{"numeric NaN", Question{Type: QNumeric}, Answer{Number: num(math.NaN())}, "err.number"},
		{"numeric inf", Question{Type: QNumeric, Max: num(10)}, Answer{Number: num(math.Inf(1))}, "err.number"},
		{"text", Question{Type: QText}, Answer{Text: "fine"}, ""},
	} {
		err := ValidateAnswer(c.q, c.a)
		switch {
		case c.key == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.key != "" && (err == nil || err.Key != c.key):
			t.Errorf("%s: got %v, want %s", c.name, err, c.key)
		}
	}
}

// TestControlCharactersRefused: a NUL byte, another control character or
// broken UTF-8 in a title or a comment is refused with its own message;
// tabs and line breaks are ordinary text.
func TestControlCharactersRefused(t *testing.T) {
	for _, c := range []struct {
		text string
		ok   bool
	}{
		{"Water for Kisumu market", true},
		{"Line one\nline two\r\n\tindented", true},
		{"Maji\x00 safi", false},
		{"bell \a here", false},
		{"delete \x7f here", false},
		{"broken \xff\xfe utf-8", false},
	} {
		v := ValidateComment(Comment{TargetKind: TargetProposal, Body: c.text})
		p := ValidateProposal(Proposal{Title: c.text, Description: "A description long enough."}, nil)
		for name, errs := range map[string]ValidationErrors{"comment": v, "proposal": p} {
			refused := len(errs) == 1 && errs[0].Key == "err.bad_characters"
			if c.ok && len(errs) > 0 || !c.ok && !refused {
				t.Errorf("%s %q: %v (want ok=%v)", name, c.text, errs, c.ok)
			}
		}
	}
}
