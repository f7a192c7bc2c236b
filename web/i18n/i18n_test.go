package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func load(t *testing.T) *Bundle {
	t.Helper()
	b, err := Load("en")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	b := load(t)
	en, sw := map[string]bool{}, map[string]bool{}
	for _, k := range b.Keys("en") {
		en[k] = true
	}
	for _, k := range b.Keys("sw") {
		sw[k] = true
	}
	for k := range en {
		if !sw[k] {
			t.Errorf("sw lacks %s", k)
		}
	}
	for k := range sw {
		if !en[k] {
			t.Errorf("en lacks %s", k)
		}
	}
	// Same verbs in the same order, or a translation would print garbage.
	verbs := regexp.MustCompile(`%[vdsq]`)
	for k := range en {
		e, s := verbs.FindAllString(b.For("en").T(k), -1), verbs.FindAllString(b.For("sw").T(k), -1)
		if len(e) != len(s) {
			t.Errorf("%s: en has %v, sw has %v", k, e, s)
		}
	}
}

// keysIn finds string literals that look like catalogue keys.
func keysIn(t *testing.T, glob string, re *regexp.Regexp) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files at %s (%v)", glob, err)
	}
	out := map[string]bool{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(raw), -1) {
			out[m[1]] = true
		}
	}
	return out
}

// TestEveryStoreErrorKeyIsTranslated reads the domain package's sources:
// a new error key there must come with its English and Kiswahili text.
func TestEveryStoreErrorKeyIsTranslated(t *testing.T) {
	b := load(t)
	re := regexp.MustCompile(`"(err\.[a-z_]+)"`)
	keys := keysIn(t, "../../participation/*.go", re)
	for k := range keysIn(t, "../../participation/sqlstore/*.go", re) {
		keys[k] = true
	}
	for k := range keysIn(t, "../*.go", re) {
		keys[k] = true
	}
	var missing []string
	for k := range keys {
		_, plain := b.messages["sw"][k]
		_, counted := b.messages["sw"][k+".other"]
		if !plain && !counted {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("error keys without translation: %s", strings.Join(missing, ", "))
	}
}

func TestEveryTemplateKeyIsTranslated(t *testing.T) {
	b := load(t)
	keys := keysIn(t, "../templates/*.html", regexp.MustCompile(`\.T "([a-z_.0-9]+)"`))
	for k := range keys {
		if _, ok := b.messages["sw"][k]; !ok {
			t.Errorf("template key %s has no translation", k)
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the pattern no longer matches the templates", len(keys))
	}
	// A counted message needs every plural form its language has (CLDR
	// cardinal forms of 0…1000 cover them for English and Kiswahili).
	counted := keysIn(t, "../templates/*.html", regexp.MustCompile(`\.N "([a-z_.0-9]+)"`))
	if len(counted) == 0 {
		t.Fatal("no counted messages found in the templates")
	}
	for k := range counted {
		for _, lang := range []string{"en", "sw"} {
			for n := range 1001 {
				form := PluralForm(lang, int64(n))
				if _, ok := b.messages[lang][k+"."+form]; !ok {
					t.Errorf("%s: %s lacks %s.%s (for %d)", lang, k, k, form, n)
					break
				}
			}
		}
	}
}

func TestPluralForms(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 0, "other"}, {"en", 1, "one"}, {"en", 2, "other"}, {"en", 11, "other"}, {"en", 21, "other"}, {"en", 101, "other"},
		{"sw", 0, "other"}, {"sw", 1, "one"}, {"sw", 2, "other"}, {"sw", 21, "other"}, {"sw", 1_000_001, "other"},
		{"en", -1, "one"},
		// Other languages' rules come from CLDR too: French counts 0 as one,
		// Russian has few and many, Arabic zero and two.
		{"fr", 0, "one"}, {"ru", 3, "few"}, {"ru", 5, "many"}, {"ru", 21, "one"}, {"ar", 0, "zero"}, {"ar", 2, "two"},
		{"not a language", 1, "other"},
	} {
		if got := PluralForm(c.lang, c.n); got != c.want {
			t.Errorf("PluralForm(%s, %d) = %s, want %s", c.lang, c.n, got, c.want)
		}
	}
	b := load(t)
	en, sw := b.For("en"), b.For("sw")
	for _, c := range []struct {
		l    *Localizer
		n    int
		want string
	}{
		{en, 0, "0 supports"}, {en, 1, "1 support"}, {en, 2, "2 supports"},
		{sw, 1, "Mwungaji mkono 1"}, {sw, 7, "Waungaji mkono 7"},
	} {
		if got := c.l.N("proposal.supports", c.n); got != c.want {
			t.Errorf("%s N(proposal.supports, %d) = %q, want %q", c.l.Lang(), c.n, got, c.want)
		}
	}
	if got := sw.N("me.in_progress", 1); got != "unaendelea, ukurasa 1 umehifadhiwa" {
		t.Errorf("sw one page: %q", got)
	}
	// A key without forms shows itself and the number, not a blank.
	if got := en.N("no.such.key", 3); got != "no.such.key 3" {
		t.Errorf("unknown counted key: %q", got)
	}
}

// A catalogue that has only the other form of a message (a new language
// half translated) uses it for every number, and one that lacks the message
// falls back to the default language with that language's rule.
func TestPluralFallback(t *testing.T) {
	fsys := fstest.MapFS{
		"en.json": {Data: []byte(`{"n.files.one": "%d file", "n.files.other": "%d files", "n.dirs.one": "%d folder", "n.dirs.other": "%d folders"}`)},
		"ru.json": {Data: []byte(`{"n.files.other": "файлов: %d"}`)},
	}
	b, err := LoadFS(fsys, "en")
	if err != nil {
		t.Fatal(err)
	}
	ru := b.For("ru")
	if got := ru.N("n.files", 3); got != "файлов: 3" {
		t.Errorf("only other form: %q", got)
	}
	if got := ru.N("n.dirs", 1); got != "1 folder" {
		t.Errorf("missing message: %q", got)
	}
}

// A plain message with a message named "other" under it (a list of
// choices, one of them "other") is translated as itself, not as a counted
// message whose general form is that choice.
func TestPlainKeyWithOtherChoice(t *testing.T) {
	fsys := fstest.MapFS{
		"en.json": {Data: []byte(`{"why": "Why?", "why.other": "Something else", "why.spam": "Spam"}`)},
		"sw.json": {Data: []byte(`{"why": "Kwa nini?", "why.other": "Kitu kingine", "why.spam": "Barua taka"}`)},
	}
	b, err := LoadFS(fsys, "en")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "Why?", "sw": "Kwa nini?"} {
		l := b.For(lang)
		if got := l.T("why"); got != want {
			t.Errorf("%s: T(why) = %q, want %q", lang, got, want)
		}
		if got := l.T("why.other"); got == want {
			t.Errorf("%s: T(why.other) = %q", lang, got)
		}
	}
}

func TestPickAndFormat(t *testing.T) {
	b := load(t)
	for _, c := range []struct{ q, cookie, accept, want string }{
		{"", "", "", "en"},
		{"sw", "", "en", "sw"},
		{"", "sw", "en", "sw"},
		{"", "", "sw-KE, en;q=0.5", "sw"},
		{"", "", "fr, de", "en"},
		{"xx", "yy", "sw", "sw"},
	} {
		if got := b.Pick(c.q, c.cookie, c.accept).Lang(); got != c.want {
			t.Errorf("Pick(%q,%q,%q) = %s, want %s", c.q, c.cookie, c.accept, got, c.want)
		}
	}
	sw := b.For("sw")
	if got := sw.T("err.too_long", 150); got != "Isizidi herufi 150." {
		t.Errorf("T with args: %q", got)
	}
	// A key used with two bounds in one place and none in another.
	if got := sw.T("err.out_of_range", 0, 300); got != "Lazima iwe kati ya 0 na 300." {
		t.Errorf("variant by argument count: %q", got)
	}
	if got := sw.T("err.bad_choice", 7); strings.Contains(got, "%") || strings.Contains(got, "EXTRA") {
		t.Errorf("arguments leak into a message without verbs: %q", got)
	}
	if got := sw.T("no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
	nairobi, _ := time.LoadLocation("Africa/Nairobi")
	ts := time.Date(2026, 2, 28, 22, 30, 0, 0, time.UTC)
	if got := sw.DateTime(ts, nairobi); got != "1 Machi 2026, 01:30 EAT" {
		t.Errorf("DateTime = %q", got)
	}
}

// The store's errors carry their numbers as plain arguments; a message the
// catalogue counts picks its plural form from the first of them.
func TestCountedErrorsThroughT(t *testing.T) {
	b := load(t)
	en, sw := b.For("en"), b.For("sw")
	for _, c := range []struct {
		l    *Localizer
		key  string
		arg  any
		want string
	}{
		{en, "err.support_limit", int64(1), "You may support at most 1 proposal here."},
		{en, "err.support_limit", 3, "You may support at most 3 proposals here."},
		{sw, "err.support_limit", 1, "Unaweza kuunga mkono pendekezo 1 tu hapa."},
		{sw, "err.support_limit", 2, "Unaweza kuunga mkono mapendekezo 2 tu hapa."},
		{en, "err.rate_limited", 1, "You are sending too quickly. Please wait 1 second and try again."},
		{en, "err.too_long", 150, "Must be at most 150 characters."},
		{en, "err.too_short", 1, "Must be at least 1 character."},
		{en, "err.component_used", 1, "This part has 1 contribution: close it instead of deleting it."},
		{sw, "err.component_used", 4, "Sehemu hii ina michango 4: ifunge badala ya kuifuta."},
	} {
		if got := c.l.T(c.key, c.arg); got != c.want {
			t.Errorf("%s T(%s, %v) = %q, want %q", c.l.Lang(), c.key, c.arg, got, c.want)
		}
		if !c.l.Has(c.key) {
			t.Errorf("%s: Has(%s) is false for a counted message", c.l.Lang(), c.key)
		}
	}
	// A first argument that is not a number leaves the message alone.
	if got := en.T("err.too_long", "many"); !strings.Contains(got, "many") {
		t.Errorf("non-numeric argument: %q", got)
	}
}
