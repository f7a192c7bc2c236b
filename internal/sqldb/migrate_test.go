package sqldb_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
)

func TestMigrateAppliesOnceOnBothBackends(t *testing.T) {
	fsys := fstest.MapFS{
		"postgres/001_a.sql": {Data: []byte("CREATE TABLE a (id BIGSERIAL PRIMARY KEY, v TEXT);")},
		"postgres/002_b.sql": {Data: []byte("ALTER TABLE a ADD COLUMN w INTEGER; INSERT INTO a (v, w) VALUES ('x', 1);")},
		"sqlite/001_a.sql":   {Data: []byte("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);")},
		"sqlite/002_b.sql":   {Data: []byte("ALTER TABLE a ADD COLUMN w INTEGER; INSERT INTO a (v, w) VALUES ('x', 1);")},
	}
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		db := b.Open(t)
		ctx := context.Background()
		n, err := db.Migrate(ctx, "test", fsys)
		if err != nil || n != 2 {
			t.Fatalf("first run: applied %d, err %v", n, err)
		}
		n, err = db.Migrate(ctx, "test", fsys)
		if err != nil || n != 0 {
			t.Fatalf("second run: applied %d, err %v", n, err)
		}
		var count int
		if err := db.GetContext(ctx, &count, "SELECT COUNT(*) FROM a"); err != nil || count != 1 {
			t.Fatalf("rows = %d, err %v", count, err)
		}
	})
}

func TestMigrateRejectsUnpairedVersion(t *testing.T) {
	fsys := fstest.MapFS{
		"postgres/001_a.sql": {Data: []byte("SELECT 1;")},
		"sqlite/001_a.sql":   {Data: []byte("SELECT 1;")},
		"sqlite/002_b.sql":   {Data: []byte("SELECT 1;")},
	}
	db := sqldbtest.Backend{Name: "sqlite", URL: sqldbtest.NewSQLiteURL(t)}.Open(t)
	if _, err := db.Migrate(context.Background(), "test", fsys); err == nil {
		t.Fatal("a version missing on one backend was accepted")
	}
}
