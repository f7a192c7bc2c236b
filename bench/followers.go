package bench

import (
	"context"
	"embed"
	"fmt"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/internal/sqlfile"
)

//go:embed queries
var queryFiles embed.FS

// followerToken starts the tokens of the participants Followers makes.
const followerToken = "bench-follower-"

// Followers registers n new participants in the registered-mode process
// (email followerID@example.org, verified, consent to noticeVersion given)
// in one transaction of bulk SQL: what n registrations through the web
// leave in the store, in seconds instead of hours. It is meant for a fresh
// store, once per process.
func Followers(ctx context.Context, db *sqldb.DB, processID int64, noticeVersion, n int) error {
	q, err := loadQueries(db)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	like := followerToken + "%"
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bench: followers: %w", err)
	}
	defer tx.Rollback()
	for _, st := range []struct {
		name string
		args []any
	}{
		{"followers-participants", []any{n, followerToken, now}},
		{"followers-profiles", []any{processID, now, now, like}},
		{"followers-consents", []any{processID, noticeVersion, now, like}},
	} {
		if _, err := tx.ExecContext(ctx, q[st.name], st.args...); err != nil {
			return fmt.Errorf("bench: followers: %s: %w", st.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bench: followers: %w", err)
	}
	if a, ok := q["followers-analyze"]; ok {
		if _, err := db.ExecContext(ctx, a); err != nil {
			return fmt.Errorf("bench: followers: %w", err)
		}
	}
	return nil
}

// loadQueries reads the bench's SQL, the common files and the dialect's,
// in the dialect's placeholders.
func loadQueries(db *sqldb.DB) (map[string]string, error) {
	common, err := sqlfile.Load(queryFiles, "queries/*.sql")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	own, err := sqlfile.Load(queryFiles, "queries/"+string(db.Dialect)+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	q := map[string]string{}
	for _, set := range []sqlfile.Set{common, own} {
		for name, text := range set {
			q[name] = db.Rebind(text)
		}
	}
	return q, nil
}
