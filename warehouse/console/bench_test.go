package console_test

import (
	"context"
	"testing"

	"github.com/civicpulse/civicpulse/warehouse/console"
)

// BenchmarkConsole measures a run over a warehouse of 1,000,000 comments
// split between two processes: the guard (parse, check, render: "guard")
// and an aggregate over the process's half ("group-by"), beside the same
// aggregate on the table ("baseline-table").
//
//	go test ./warehouse/console/ -run '^$' -bench Console -benchtime 20x
func BenchmarkConsole(b *testing.B) {
	c, wh := twoProcesses(b, console.Limits{})
	if _, err := wh.Read().Exec(`INSERT INTO comments SELECT i, i, 1 + i % 2, 5, 'section', i % 40, NULL, 'plain',
		'body ' || i, '', 'p:' || (i % 50000), 'KE-' || (i % 47), TIMESTAMP '2026-03-01' + INTERVAL (i % 1000) MINUTE
		FROM range(1000000) t(i)`); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// The same aggregate on the table itself, without the console's view
	// (latest version per comment, status, pseudonyms keyed again).
	b.Run("baseline-table", func(b *testing.B) {
		for range b.N {
			rows, err := wh.Read().QueryContext(ctx, `SELECT region_code, count(*) AS n, count(DISTINCT participant) AS people
				FROM comments WHERE process_id = 1 GROUP BY ALL ORDER BY n DESC`)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
			}
			rows.Close()
		}
	})
	for _, q := range []struct{ name, sql string }{
		{"guard", "SELECT 1"},
		{"group-by", "SELECT region_code, count(*) AS n, count(DISTINCT participant) AS people FROM comments GROUP BY ALL ORDER BY n DESC"},
	} {
		b.Run(q.name, func(b *testing.B) {
			for range b.N {
				if _, err := c.Run(ctx, 1, q.sql, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
