// Package sqlfile loads named SQL statements from embedded .sql files.
//
// A file holds any number of statements, each introduced by a tag line:
//
//	-- name: get-process
//	SELECT ... WHERE id = ?
//
// Names are unique across the files loaded together; a duplicate or an empty
// statement is an error at load time, so a broken query fails at boot rather
// than on the first request (the Listmonk habit).
package sqlfile

import (
	"bufio"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Set maps a statement's name to its text.
type Set map[string]string

// Load reads every file matching pattern (a path.Match glob) in fsys.
func Load(fsys fs.FS, pattern string) (Set, error) {
	files, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("sqlfile: bad pattern %q: %w", pattern, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("sqlfile: no files match %q", pattern)
	}
	sort.Strings(files)
	set := Set{}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("sqlfile: unable to read %s: %w", f, err)
		}
		if err := set.parse(path.Base(f), string(b)); err != nil {
			return nil, err
		}
	}
	return set, nil
}

func (s Set) parse(file, text string) error {
	var name string
	var body strings.Builder
	flush := func() error {
		if name == "" {
			if strings.TrimSpace(body.String()) != "" && !onlyComments(body.String()) {
				return fmt.Errorf("sqlfile: %s: SQL before the first '-- name:' tag", file)
			}
			body.Reset()
			return nil
		}
		q := strings.TrimSpace(body.String())
		if q == "" {
			return fmt.Errorf("sqlfile: %s: statement %q is empty", file, name)
		}
		if _, dup := s[name]; dup {
			return fmt.Errorf("sqlfile: %s: statement %q defined twice", file, name)
		}
		s[name] = q
		body.Reset()
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1024*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
			if err := flush(); err != nil {
				return err
			}
			name = strings.TrimSpace(n)
			if name == "" {
				return fmt.Errorf("sqlfile: %s: '-- name:' without a name", file)
			}
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("sqlfile: %s: %w", file, err)
	}
	return flush()
}

func onlyComments(s string) bool {
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "--") {
			return false
		}
	}
	return true
}

// Get returns the named statement or panics: names are constants in code, so
// a missing one is a programming error that Require catches at start-up.
func (s Set) Get(name string) string {
	q, ok := s[name]
	if !ok {
		panic("sqlfile: no statement named " + name)
	}
	return q
}

// Require reports every name in names that the set lacks.
func (s Set) Require(names ...string) error {
	var missing []string
	for _, n := range names {
		if _, ok := s[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("sqlfile: missing statements: %s", strings.Join(missing, ", "))
	}
	return nil
}
