// The layout test keeps internal the ground floor: anything may import a
// package under internal, so a package there that imported one of ours from
// outside internal would let the floors above loop back into each other (as
// internal/bench and internal/polisimport once did). Only the standard
// library, third-party modules and other internal packages are allowed.
package internal

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestInternalImportsOnlyGroundFloor(t *testing.T) {
	module, err := modulePath("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	bad, err := layoutViolations(".", module)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("internal is ground floor only: %s", b)
	}
}

// TestLayoutViolationsFindsAnUpwardImport proves the check above can fail: a
// tree with one internal package importing a top-floor package, one importing
// only internal and third-party code, and a testdata folder that is ignored.
func TestLayoutViolationsFindsAnUpwardImport(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"good/good.go":            "package good\nimport (\n\t\"fmt\"\n\t\"example.org/m/internal/other\"\n\t\"example.org/mother\"\n\t\"github.com/x/y\"\n)\n",
		"bad/bad.go":              "package bad\nimport \"example.org/m/web\"\n",
		"bad/sub/bad_test.go":     "package sub\nimport (\n\t\"testing\"\n\t\"example.org/m\"\n)\n",
		"good/testdata/ignore.go": "package ignore\nimport \"example.org/m/web\"\n",
	}
	for name, src := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bad, err := layoutViolations(root, "example.org/m")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join("bad", "bad.go") + " imports example.org/m/web",
		filepath.Join("bad", "sub", "bad_test.go") + " imports example.org/m",
	}
	if fmt.Sprint(bad) != fmt.Sprint(want) {
		t.Errorf("violations = %q, want %q", bad, want)
	}
}

// layoutViolations parses the imports of every Go file under root (tests
// included, testdata and hidden folders skipped) and lists each import of a
// package of module that is not under module/internal.
func layoutViolations(root, module string) ([]string, error) {
	var bad []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return fmt.Errorf("internal: unable to parse the imports of %s: %w", path, err)
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return fmt.Errorf("internal: unable to name %s: %w", path, err)
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return fmt.Errorf("internal: unable to read an import of %s: %w", path, err)
			}
			ours := p == module || strings.HasPrefix(p, module+"/")
			ground := p == module+"/internal" || strings.HasPrefix(p, module+"/internal/")
			if ours && !ground {
				bad = append(bad, rel+" imports "+p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("internal: unable to walk %s: %w", root, err)
	}
	sort.Strings(bad)
	return bad, nil
}

// modulePath reads the module line of a go.mod file.
func modulePath(gomod string) (string, error) {
	f, err := os.Open(gomod)
	if err != nil {
		return "", fmt.Errorf("internal: unable to open %s: %w", gomod, err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	if err := s.Err(); err != nil {
		return "", fmt.Errorf("internal: unable to read %s: %w", gomod, err)
	}
	return "", fmt.Errorf("internal: no module line in %s", gomod)
}
