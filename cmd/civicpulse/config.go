package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// config is what every command shares: where the data lives.
type config struct {
	dataDir     string
	databaseURL string
}

func (c *config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.dataDir, "data", envOr("CIVICPULSE_DATA", "./data"), "folder for the embedded SQLite store, the DuckDB warehouse and generated keys (env CIVICPULSE_DATA)")
	fs.StringVar(&c.databaseURL, "database-url", os.Getenv("DATABASE_URL"), "Postgres URL for the participation store; empty = SQLite under --data (env DATABASE_URL)")
}

// storeURL is the participation store's DSN: Postgres when configured, else
// the embedded SQLite file.
func (c *config) storeURL() string {
	if c.databaseURL != "" {
		return c.databaseURL
	}
	return "sqlite:" + filepath.Join(c.dataDir, "civicpulse.db")
}

func (c *config) warehousePath() string { return filepath.Join(c.dataDir, "warehouse.duckdb") }

// secret returns a 32-byte key: from the environment variable name (hex), the
// file named by name_FILE, or generated once and kept in the data folder so
// that cookies and pseudonyms survive restarts of the embedded default.
func (c *config) secret(name, file string) ([]byte, error) {
	if v := os.Getenv(name); v != "" {
		return decodeKey(name, v)
	}
	if p := os.Getenv(name + "_FILE"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("config: unable to read %s_FILE: %w", name, err)
		}
		return decodeKey(name+"_FILE", string(b))
	}
	path := filepath.Join(c.dataDir, file)
	if b, err := os.ReadFile(path); err == nil {
		return decodeKey(path, string(b))
	} else if !os.IsNotExist(err) {
		return nil, fmt.Errorf("config: unable to read %s: %w", path, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("config: unable to create %s: %w", c.dataDir, err)
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("config: unable to store a new key in %s: %w", path, err)
	}
	return key, nil
}

func decodeKey(where, v string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(v))
	if err != nil || len(b) < 32 {
		return nil, fmt.Errorf("config: %s must hold at least 32 bytes as hex", where)
	}
	return b, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// envInt is an integer from the environment, else def (a malformed value
// is def too; the flag's own parsing then reports a bad command line).
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// parsePrefixes reads a comma-separated list of addresses (a single host)
// and CIDR prefixes.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
