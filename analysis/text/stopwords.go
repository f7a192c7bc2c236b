package text

import (
	_ "embed"
	"strings"
)

//go:embed stopwords_en.txt
var stopwordsEN string

//go:embed stopwords_sw.txt
var stopwordsSW string

// Built once at package start: a map lookup per token is the cheapest test
// available, and the lists never change at run time.
var (
	stopEN = parseWordList(stopwordsEN)
	stopSW = parseWordList(stopwordsSW)
)

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
	switch lang {
	case "en":
		_, ok := stopEN[token]
		return ok
	case "sw":
		_, ok := stopSW[token]
		return ok
	case "":
		if _, ok := stopEN[token]; ok {
			return true
		}
		_, ok := stopSW[token]
		return ok
	}
	return false
}

// DetectLanguage tells English from Kiswahili by counting stop-word hits,
// which are the most frequent words of any text in either language. It
// answers "" when there is too little evidence (fewer than two hits) or the
// counts are too close to call (neither at least twice the other), rather
// than guess: a wrong language would pick the wrong stemmer.
func DetectLanguage(tokens []string) string {
	var en, sw int
	for _, t := range tokens {
		if _, ok := stopEN[t]; ok {
			en++
		}
		if _, ok := stopSW[t]; ok {
			sw++
		}
	}
	switch {
	case en >= 2 && en >= 2*sw:
		return "en"
	case sw >= 2 && sw >= 2*en:
		return "sw"
	}
	return ""
}
