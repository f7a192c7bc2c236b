package i18n

import (
	"strconv"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// A counted message has one catalogue entry per CLDR plural form of its
// language: "proposal.supports.one", "proposal.supports.other", and
// ".zero", ".two", ".few", ".many" where the language has them. English and
// Kiswahili both distinguish one (exactly 1) from other, but Kiswahili also
// changes the noun's class ("mwungaji mkono 1", "waungaji mkono 2"), so the
// forms cannot be built from one string.
var formNames = map[plural.Form]string{
	plural.Other: "other", plural.Zero: "zero", plural.One: "one",
	plural.Two: "two", plural.Few: "few", plural.Many: "many",
}

// PluralForm is the CLDR cardinal plural category of the integer n in lang
// ("one", "other", …), from the CLDR rules in golang.org/x/text; a language
// the rules do not know answers "other".
func PluralForm(lang string, n int64) string {
	tag, err := language.Parse(lang)
	if err != nil {
		return "other"
	}
	if n < 0 {
		n = -n // the rules are defined on the absolute value
	}
	// i = n (integer digits), v = w = f = t = 0: a whole number.
	i := n
	if i > 1_000_000_000 { // MatchPlural takes an int; the rules only look at low digits
		i = i%1_000_000 + 1_000_000
	}
	return formNames[plural.Cardinal.MatchPlural(tag, int(i), 0, 0, 0, 0)]
}

// N translates a counted message: key's entry for n's plural form in the
// localizer's language, formatted with n first and then args. A form the
// catalogue lacks falls back to key.other, then to the default catalogue
// (with the default language's rule), then to key itself with the number,
// so a missing translation stays visible.
func (l *Localizer) N(key string, n int, args ...any) string {
	all := append([]any{n}, args...)
	if s, ok := l.counted(l.msgs, l.lang, key, n); ok {
		return l.format(s, all)
	}
	if s, ok := l.counted(l.def, l.defLang, key, n); ok {
		return l.format(s, all)
	}
	return key + " " + strconv.Itoa(n)
}

func (l *Localizer) counted(msgs map[string]string, lang, key string, n int) (string, bool) {
	if s, ok := msgs[key+"."+PluralForm(lang, int64(n))]; ok {
		return s, true
	}
	s, ok := msgs[key+".other"]
	return s, ok
}

// isCounted reports whether key is a counted message in either catalogue.
// A key that is a plain message itself is not, even with a message named
// "other" under it: report.reason is a question and report.reason.other
// one of its answers ("Something else"), not its plural form.
func (l *Localizer) isCounted(key string) bool {
	if _, plain := l.msgs[key]; plain {
		return false
	}
	if _, plain := l.def[key]; plain {
		return false
	}
	_, ok := l.msgs[key+".other"]
	if !ok {
		_, ok = l.def[key+".other"]
	}
	return ok
}

// wholeNumber reads an integer argument of any integer type.
func wholeNumber(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case int32:
		return int(n), true
	case int16:
		return int(n), true
	case int8:
		return int(n), true
	case uint:
		return int(n), true
	case uint64:
		return int(n), true
	case uint32:
		return int(n), true
	case uint16:
		return int(n), true
	case uint8:
		return int(n), true
	}
	return 0, false
}
