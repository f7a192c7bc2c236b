package staffweb_test

import (
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// each runs f against a fresh fixture on SQLite and on Postgres.
func each(t *testing.T, f func(t *testing.T, fx *staffwebtest.Fixture)) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) { f(t, staffwebtest.New(t, b.URL)) })
}

// TestRouteTableAuthorization walks every route of the site (citizen pages,
// API, staff pages, staff API) as every kind of caller.
func TestRouteTableAuthorization(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		fx.WalkRoutes(t, nil)
	})
}

func sqliteURL(t *testing.T) string { return sqldbtest.NewSQLiteURL(t) }
