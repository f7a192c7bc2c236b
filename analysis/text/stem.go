package text

import (
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"
)

// Stem reduces token to its stem in lang: the Snowball English stemmer for
// "en" and for "" (unknown, where English is the platform's most likely
// language); Kiswahili and other languages have no stemmer here, so the token
// is returned unchanged.
func Stem(lang, token string) string {
	if lang == "sw" || (lang != "en" && lang != "") {
		return token
	}
	return stemEnglish(token)
}

// The Snowball stemmer allocates and runs at ~1.3M words/s, which alone would
// cap the ingester well below its goal; comment vocabularies are small and
// Zipfian, so a cache answers nearly every call. It is sharded to keep the
// two cores from queueing on one lock, and bounded: a full shard is dropped
// and refilled, so junk input cannot grow memory without limit.
const (
	stemShards        = 64
	stemShardCapacity = 8192
)

type stemShard struct {
	mu sync.RWMutex
	m  map[string]stemEntry
}

// stemEntry caches, with the stem, whether it is a generic word (see
// Keywords), saving Features a second lookup.
type stemEntry struct {
	stem    string
	generic bool
}

var stemCache [stemShards]stemShard

func stemEnglish(token string) string {
	return stemEnglishEntry(token).stem
}

func stemEnglishEntry(token string) stemEntry {
	if len(token) <= 2 {
		return stemEntry{token, isGeneric(token)}
	}
	sh := &stemCache[shardOf(token)]
	sh.mu.RLock()
	e, ok := sh.m[token]
	sh.mu.RUnlock()
	if ok {
		return e
	}
	// Tokens are slices of the caller's text: the cache keeps its own copies
	// so that it never pins a long text in memory.
	key := strings.Clone(token)
	st := english.Stem(key, true)
	if st == token {
		st = key
	}
	e = stemEntry{st, isGeneric(st)}
	sh.mu.Lock()
	if sh.m == nil || len(sh.m) >= stemShardCapacity {
		sh.m = make(map[string]stemEntry, 1024)
	}
	sh.m[key] = e
	sh.mu.Unlock()
	return e
}

func shardOf(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h % stemShards
}
