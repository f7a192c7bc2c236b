package polis

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// head is the first n lines of a real export file: enough rows to show the
// fuzzer every column, few enough to mutate quickly.
func head(f *testing.F, path string, n int) string {
	f.Helper()
	file, err := os.Open(path)
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	var b strings.Builder
	sc := bufio.NewScanner(file)
	sc.Buffer(nil, 1<<20)
	for i := 0; i < n && sc.Scan(); i++ {
		b.WriteString(sc.Text())
		b.WriteByte('\n')
	}
	return b.String()
}

// FuzzRead gives each of the three readers any CSV: an export that is
// damaged or not Pol.is' is refused with an error, never a panic, and what
// is read keeps votes in range.
func FuzzRead(f *testing.F) {
	for _, dir := range []string{"scoop-hivemind.biodiversity", "vtaiwan.uberx"} {
		for _, name := range []string{"comments.csv", "votes.csv", "participants-votes.csv"} {
			f.Add(head(f, filepath.Join("../../testdata/polis", dir, name), 12))
		}
	}
	f.Fuzz(func(t *testing.T, data string) {
		var e Export
		var err error
		if e.Comments, err = ReadComments(strings.NewReader(data)); err != nil {
			e.Comments = nil
		}
		if e.Votes, err = ReadVotes(strings.NewReader(data)); err != nil {
			e.Votes = nil
		}
		for _, v := range e.Votes {
			if v.Value < -1 || v.Value > 1 {
				t.Fatalf("vote %+v out of range", v)
			}
		}
		if _, err := ReadParticipants(strings.NewReader(data)); err != nil {
			_ = err
		}
		e.FinalVotes()
		e.ModeratedOut()
	})
}
