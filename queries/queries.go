// Package queries holds every dashboard query as a named statement in an
// embedded .sql file. Statements use DuckDB named parameters ($process,
// $from, $to, $region, $component, …) and are checked against the warehouse
// at start-up (Check prepares each one), so a query that no longer fits the
// schema fails at boot rather than on the first chart.
package queries

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"regexp"
	"sort"

	"github.com/civicpulse/civicpulse/internal/sqlfile"
)

//go:embed *.sql
var files embed.FS

// Set is the loaded queries with the named parameters each one uses.
type Set struct {
	sql    sqlfile.Set
	params map[string][]string
}

var paramRE = regexp.MustCompile(`\$([a-z_][a-z0-9_]*)`)

// Load reads the embedded queries.
func Load() (*Set, error) {
	q, err := sqlfile.Load(files, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("queries: %w", err)
	}
	s := &Set{sql: q, params: map[string][]string{}}
	for name, text := range q {
		seen := map[string]bool{}
		for _, m := range paramRE.FindAllStringSubmatch(text, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				s.params[name] = append(s.params[name], m[1])
			}
		}
		sort.Strings(s.params[name])
	}
	return s, nil
}

// Names lists every query, sorted.
func (s *Set) Names() []string {
	out := make([]string, 0, len(s.sql))
	for n := range s.sql {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Has reports whether a query exists.
func (s *Set) Has(name string) bool { _, ok := s.sql[name]; return ok }

// SQL returns a query's text; an unknown name panics (names are constants
// in code, and Require catches a missing one at start-up).
func (s *Set) SQL(name string) string { return s.sql.Get(name) }

// Params names the parameters a query uses.
func (s *Set) Params(name string) []string { return s.params[name] }

// Require reports the names the set lacks.
func (s *Set) Require(names ...string) error {
	if err := s.sql.Require(names...); err != nil {
		return fmt.Errorf("queries: %w", err)
	}
	return nil
}

// Check prepares every query against db, so a column renamed in the
// warehouse fails at start-up. Preparing binds names and types without
// reading any rows.
func (s *Set) Check(ctx context.Context, db *sql.DB) error {
	for _, name := range s.Names() {
		st, err := db.PrepareContext(ctx, s.sql[name])
		if err != nil {
			return fmt.Errorf("queries: %s does not fit the warehouse: %w", name, err)
		}
		st.Close()
	}
	return nil
}

// Args picks from all the named values the ones a query uses, in the form
// database/sql wants. A parameter the caller did not supply is an error: a
// query silently comparing with NULL would show an empty panel.
func (s *Set) Args(name string, values map[string]any) ([]any, error) {
	ps := s.params[name]
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		v, ok := values[p]
		if !ok {
			return nil, fmt.Errorf("queries: %s needs parameter $%s", name, p)
		}
		out = append(out, sql.Named(p, v))
	}
	return out, nil
}
