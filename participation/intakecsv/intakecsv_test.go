package intakecsv

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

func TestReaderReportsLinesOfRecordsSpanningSeveralLines(t *testing.T) {
	file := "\ufeffID,Comment,Received_At,Organization,Extra\n" +
		"1,\"two\nlines\",2026-01-02 03:04:05,Acme,x\n" +
		"2,bad time,02/01/2026,,x\n" +
		"3,short\n" +
		"4,ok,2026-01-03T00:00:00+03:00,,x\n"
	r, err := NewReader(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		c, err := r.Next()
		if err == io.EOF {
			break
		}
		var p *participation.IntakeProblem
		if errors.As(err, &p) {
			got = append(got, p.Error())
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c.ExternalID+"@"+strconv.Itoa(c.Line)+" "+c.Organisation+" "+c.ReceivedAt.Format(time.RFC3339))
	}
	want := []string{
		"1@2 Acme 2026-01-02T03:04:05Z",
		"line 4: received_at: is not a time (RFC 3339, 2006-01-02 15:04:05 or 2006-01-02)",
		"line 5: has 2 fields where the header has 5",
		"4@6  2026-01-02T21:00:00Z",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReaderNeedsTheRequiredColumns(t *testing.T) {
	if _, err := NewReader(strings.NewReader("text,received_at\nhello,2026-01-01\n")); err == nil || !strings.Contains(err.Error(), "external_id") {
		t.Fatalf("header without external_id: %v", err)
	}
}
