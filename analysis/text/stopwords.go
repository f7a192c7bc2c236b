package text

import (
	_ "embed"
	"strings"
)

//go:embed stopwords_en.txt
var stopwordsEN string

//go:embed stopwords_sw.txt
var stopwordsSW string

// lexicon flags every stop-word with its languages, so that one map lookup
// per token serves both language detection and stop-word removal.
var lexicon = func() map[string]uint8 {
	m := make(map[string]uint8)
	for w := range parseWordList(stopwordsEN) {
		m[w] |= stopEN
	}
	for w := range parseWordList(stopwordsSW) {
		m[w] |= stopSW
	}
	return m
}()

const (
	stopEN uint8 = 1 << iota
	stopSW
)

// stopMask is the lexicon flag that makes a token a stop-word of lang.
func stopMask(lang string) uint8 {
	switch lang {
	case "en":
		return stopEN
	case "sw":
		return stopSW
	case "":
		return stopEN | stopSW
	}
	return 0
}

// parseWordList reads one word a line, ignoring blank lines and # comments.
func parseWordList(s string) map[string]struct{} {
	set := make(map[string]struct{})
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[line] = struct{}{}
	}
	return set
}

// StopWord reports whether token (lower-case, as Tokenize returns it) is a
// stop-word of lang: "en" English, "sw" Kiswahili, "" either of them.
func StopWord(lang, token string) bool {
	return lexicon[token]&stopMask(lang) != 0
}

// DetectLanguage tells English from Kiswahili by counting stop-word hits,
// which are the most frequent words of any text in either language. It
// answers "" when there is too little evidence (fewer than two hits) or the
// counts are too close to call (neither at least twice the other), rather
// than guess: a wrong language would pick the wrong stemmer.
func DetectLanguage(tokens []string) string {
	var en, sw int
	for _, t := range tokens {
		f := lexicon[t]
		en += int(f & stopEN)
		sw += int(f&stopSW) >> 1
	}
	return languageOf(en, sw)
}

func languageOf(en, sw int) string {
	switch {
	case en >= 2 && en >= 2*sw:
		return "en"
	case sw >= 2 && sw >= 2*en:
		return "sw"
	}
	return ""
}
