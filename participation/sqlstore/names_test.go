package sqlstore

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestStatementNames keeps names.go honest: every statement-like literal in
// the code ("get-process", …) is in statementNames, which New checks against
// the .sql files at start-up, so a typo fails at boot and here, never on a
// citizen's request.
func TestStatementNames(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	lit := regexp.MustCompile(`"([a-z]+(?:-[a-z]+)+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "names.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
			if !slices.Contains(statementNames, m[1]) && !slices.Contains(setupStatementNames, m[1]) && !slices.Contains(postgresStatementNames, m[1]) {
				t.Errorf("%s uses statement %q, which names.go lacks", f, m[1])
			}
		}
	}
}
