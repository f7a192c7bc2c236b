package sqlfile

import (
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"a.sql": {Data: []byte("-- leading comment\n-- name: one\nSELECT 1;\n\n-- name: two\nSELECT\n  2\n")},
		"b.sql": {Data: []byte("-- name: three\nSELECT 3\n")},
	}
	set, err := Load(fsys, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if got := set.Get("two"); got != "SELECT\n  2" {
		t.Fatalf("two = %q", got)
	}
	if err := set.Require("one", "three", "four"); err == nil {
		t.Fatal("Require did not report the missing statement")
	}
}

func TestLoadRejects(t *testing.T) {
	cases := map[string]string{
		"duplicate": "-- name: x\nSELECT 1\n-- name: x\nSELECT 2\n",
		"empty":     "-- name: x\n\n-- name: y\nSELECT 1\n",
		"untagged":  "SELECT 1\n",
		"nameless":  "-- name:\nSELECT 1\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := Load(fstest.MapFS{"q.sql": {Data: []byte(text)}}, "*.sql"); err == nil {
				t.Fatal("accepted a broken file")
			}
		})
	}
}
