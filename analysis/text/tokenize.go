package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/words"
)

// Tokenize splits s on Unicode word boundaries (UAX #29) and returns the
// lower-cased words, dropping whitespace, punctuation and symbols. Apostrophes
// inside words are kept ("don't", "we've"), with the typographic ’ folded to '
// so that both spellings give the same token.
func Tokenize(s string) []string {
	return appendTokens(nil, s)
}

// appendTokens is Tokenize into a caller's buffer, so the analyzer can size
// the result once.
func appendTokens(dst []string, s string) []string {
	it := words.FromString(s)
	for it.Next() {
		tok := it.Value()
		if !isWord(tok) {
			continue
		}
		dst = append(dst, foldToken(tok))
	}
	return dst
}

// isWord reports whether a UAX #29 segment is a word rather than spacing,
// punctuation or an emoji: it holds at least one letter or digit.
func isWord(tok string) bool {
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c < utf8.RuneSelf {
			if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') {
				return true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(tok[i:])
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
		i += size - 1
	}
	return false
}

// foldToken lower-cases a word and folds ’ to '. Most tokens are already
// lower-case ASCII and come back as the same string without allocating.
func foldToken(tok string) string {
	ascii, upper := true, false
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if ascii {
		if !upper {
			return tok
		}
		return strings.ToLower(tok)
	}
	tok = strings.ToLower(tok)
	if strings.ContainsRune(tok, '’') {
		tok = strings.ReplaceAll(tok, "’", "'")
	}
	return tok
}

// Normalize folds case, punctuation and whitespace: the words of s,
// lower-cased, joined by single spaces. Two texts that differ only in those
// respects normalise to the same string (and the same Features.Hash).
func Normalize(s string) string {
	return strings.Join(Tokenize(s), " ")
}

// FNV-1a, 64-bit: stable across Go versions and processes (unlike
// hash/maphash), which the warehouse needs because hashes are stored.
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// HashTokens is the 64-bit FNV-1a hash of the tokens joined by single spaces,
// that is of Normalize(s) when tokens = Tokenize(s), computed without
// building the joined string.
func HashTokens(tokens []string) uint64 {
	h := uint64(fnvOffset64)
	for i, t := range tokens {
		if i > 0 {
			h ^= ' '
			h *= fnvPrime64
		}
		for j := 0; j < len(t); j++ {
			h ^= uint64(t[j])
			h *= fnvPrime64
		}
	}
	return h
}

// Hash is the exact-duplicate hash of s: equal for texts that differ only in
// case, punctuation and whitespace.
func Hash(s string) uint64 {
	return HashTokens(Tokenize(s))
}

// hashAll is HashTokens(tokens) and the hash of each token on its own in
// one pass over the bytes.
func hashAll(tokens []string, each []uint64) (uint64, []uint64) {
	h := uint64(fnvOffset64)
	for i, t := range tokens {
		if i > 0 {
			h ^= ' '
			h *= fnvPrime64
		}
		th := uint64(fnvOffset64)
		for j := 0; j < len(t); j++ {
			h ^= uint64(t[j])
			h *= fnvPrime64
			th ^= uint64(t[j])
			th *= fnvPrime64
		}
		each = append(each, th)
	}
	return h, each
}
