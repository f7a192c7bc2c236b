package ingest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// KeySize is the length of a pseudonym key in bytes.
const KeySize = 32

// LoadOrCreateKey reads the pseudonym key stored (hex) at path, or creates
// one from crypto/rand and stores it there, readable by the owner only. The
// embedded default uses it so that pseudonyms stay stable across restarts
// and rebuilds without anyone configuring a secret.
func LoadOrCreateKey(path string) ([]byte, error) {
	if b, err := os.ReadFile(path); err == nil {
		return parseKey(path, b)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("ingest: unable to read pseudonym key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("ingest: unable to create key folder: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("ingest: unable to generate pseudonym key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process won the race: use its key
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("ingest: unable to read pseudonym key: %w", err)
		}
		return parseKey(path, b)
	}
	if err != nil {
		return nil, fmt.Errorf("ingest: unable to create pseudonym key: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("ingest: unable to write pseudonym key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("ingest: unable to write pseudonym key: %w", err)
	}
	return key, nil
}

// ParseKey decodes a hex key given in configuration.
func ParseKey(s string) ([]byte, error) { return parseKey("configuration", []byte(s)) }

func parseKey(where string, b []byte) ([]byte, error) {
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("ingest: pseudonym key in %s must be at least 16 bytes of hex", where)
	}
	return key, nil
}

// Pseudonymiser turns participant ids into keyed pseudonyms: the first 16
// bytes of HMAC-SHA256(key, id) in hex. Without the key nobody can link a
// pseudonym back to a participant, even by trying every id.
type Pseudonymiser struct {
	key   []byte
	cache map[int64]string
}

// NewPseudonymiser returns a Pseudonymiser for key. It is not safe for
// concurrent use (the ingester runs one).
func NewPseudonymiser(key []byte) *Pseudonymiser {
	return &Pseudonymiser{key: key, cache: map[int64]string{}}
}

// Of returns the pseudonym of participant id; 0 (no participant) is "".
func (p *Pseudonymiser) Of(id int64) string {
	if id == 0 {
		return ""
	}
	if s, ok := p.cache[id]; ok {
		return s
	}
	m := hmac.New(sha256.New, p.key)
	m.Write(strconv.AppendInt(nil, id, 10))
	s := hex.EncodeToString(m.Sum(nil)[:16])
	if len(p.cache) >= 1<<20 { // bound memory; recomputing is cheap
		clear(p.cache)
	}
	p.cache[id] = s
	return s
}
