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
	m  map[string]string
}

var stemCache [stemShards]stemShard

func stemEnglish(token string) string {
	if len(token) <= 2 {
		return token
	}
	sh := &stemCache[shardOf(token)]
	sh.mu.RLock()
	st, ok := sh.m[token]
	sh.mu.RUnlock()
	if ok {
		return st
	}
	// Tokens are slices of the caller's text: the cache keeps its own copies
	// so that it never pins a long text in memory.
	key := strings.Clone(token)
	st = english.Stem(key, true)
	if st == token {
		st = key
	}
	sh.mu.Lock()
	if sh.m == nil || len(sh.m) >= stemShardCapacity {
		sh.m = make(map[string]string, 1024)
	}
	sh.m[key] = st
	sh.mu.Unlock()
	return st
}

func shardOf(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h % stemShards
}
