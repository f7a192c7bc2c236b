package sqlstore_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb"
)

// recipientPlans are the recipient statements with arguments of the right
// types (ids that need not exist).
var recipientPlans = map[string][]any{
	"recipients-process":             {1, 0, 1000},
	"recipients-proposal-followers":  {1, 0, 1, 0, 1000, 1, 0, 1000, 1000},
	"recipients-proposal-author":     {1, 0, 1000},
	"recipients-comment-author":      {1, 0, 1000},
	"recipients-replied-to":          {1, 0, 1000},
	"recipients-document-commenters": {1, 0, 1000, 1},
	"participant-contact":            {1, 1},
}

// recipientIndexes are the indexes each walk must go through (Postgres
// name|SQLite name): the ones that lead with the audience's id.
var recipientIndexes = map[string][]string{
	"recipients-process":             {"profiles_process"},
	"recipients-proposal-followers":  {"follows_pkey|sqlite_autoindex_follows_1", "supports_pkey|sqlite_autoindex_supports_1"},
	"recipients-document-commenters": {"comments_component_participant"},
}

// fullScan finds a whole-table read (of the table or of an index) of a table
// a recipient query must reach through an index, in either engine's plan.
var fullScan = regexp.MustCompile(`(?m)(Seq Scan on (profiles|follows|supports|comments|proposals|consents)\b|^SCAN (pr|f|s|c|pc|pp|co|cs|profiles|follows|supports|comments|proposals|consents)\b)`)

// TestRecipientQueriesUseIndexes: a results announcement walks 200,000
// recipients a page at a time; a page that scanned a whole table would make
// the walk quadratic. Postgres is told to avoid sequential scans (an empty
// test table would otherwise be read whole, rightly), so a plan that still
// has one lacks its index.
func TestRecipientQueriesUseIndexes(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		db := x.s.DB()
		for name, args := range recipientPlans {
			var plan []string
			tx, err := db.BeginTxx(x.ctx, nil)
			ok(t, err)
			if db.Dialect == sqldb.Postgres {
				_, err = tx.ExecContext(x.ctx, "SET LOCAL enable_seqscan = off")
				ok(t, err)
				ok(t, tx.SelectContext(x.ctx, &plan, "EXPLAIN "+x.s.Statement(name), args...))
			} else {
				r, err := tx.QueryxContext(x.ctx, "EXPLAIN QUERY PLAN "+x.s.Statement(name), args...)
				ok(t, err)
				for r.Next() {
					var id, parent, unused int
					var detail string
					ok(t, r.Scan(&id, &parent, &unused, &detail))
					plan = append(plan, detail)
				}
				ok(t, r.Err())
			}
			tx.Rollback()
			text := strings.Join(plan, "\n")
			if m := fullScan.FindString(text); m != "" {
				t.Errorf("%s reads a whole table (%s):\n%s", name, m, text)
			}
			for _, index := range recipientIndexes[name] {
				if !regexp.MustCompile(`\b(` + index + `)\b`).MatchString(text) {
					t.Errorf("%s does not use %s:\n%s", name, index, text)
				}
			}
		}
	})
}
