package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/civicpulse/civicpulse/demo"
	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
)

// SubmissionsPerParticipant is what the demo writes per participant, in
// submissions (see Submissions): 6.49 at 3,000 participants, 6.32 at 15,000
// (votes per person fall slowly as there are more comments to choose from).
// GenerateDemo sizes the demo with it and a margin, so it reaches the size.
const SubmissionsPerParticipant = 6.3

// Submissions counts what a demo run submitted: proposals, comments (replies,
// amendments and form letters included), comment votes, supports and survey
// responses started. Survey answers are not counted (a response is one
// submission however many questions it answers), nor visits or follows.
func Submissions(r demo.Result) int64 {
	return int64(r.Proposals + r.Comments + r.Votes + r.Supports + r.Responses)
}

// DemoOptions size a DemoData run.
type DemoOptions struct {
	Submissions int       // at least this many (see Submissions)
	Dir         string    // where the throwaway SQLite file goes
	Now         time.Time // the demo's "now": activity ends here
	Seed        uint64
	Log         func(msg string, args ...any)
}

// DemoData is the demo's participation generated through the store into a
// throwaway SQLite file: SQLite because the store's rules then cost no round
// trips (~16k writes/s against ~500/s on Postgres), which is what makes a
// million submissions a matter of minutes.
type DemoData struct {
	Store       *sqlstore.Store
	Result      demo.Result
	Submissions int64
	Generate    time.Duration
}

// GenerateDemo runs demo.Generate into a new SQLite store with enough
// participants for opts.Submissions. The caller closes Store.
func GenerateDemo(ctx context.Context, opts DemoOptions) (*DemoData, error) {
	store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(opts.Dir, "demo.db"))
	if err != nil {
		return nil, err
	}
	// 5% over, for the ratio's slow fall at larger sizes.
	people := max(int(math.Ceil(float64(opts.Submissions)/SubmissionsPerParticipant*1.05)), 10)
	now := opts.Now
	began := time.Now()
	res, err := demo.Generate(ctx, store, demo.Options{Participants: people, Seed: opts.Seed, Now: func() time.Time { return now }})
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("bench: unable to generate the demo: %w", err)
	}
	d := &DemoData{Store: store, Result: res, Submissions: Submissions(res), Generate: time.Since(began)}
	if opts.Log != nil {
		opts.Log("bench: demo generated into SQLite", "participants", res.Participants, "submissions", d.Submissions,
			"counted", "proposals+comments+votes+supports+survey responses",
			"writes", res.Writes, "writes_per_s", int(float64(res.Writes)/d.Generate.Seconds()), "took", d.Generate.Round(time.Millisecond))
	}
	return d, nil
}

// Ingest moves the whole outbox into wh with the real ingester, as serve
// would, and returns the events it consumed.
func (d *DemoData) Ingest(ctx context.Context, wh *warehouse.Warehouse) (int64, error) {
	in, err := ingest.New(d.Store, wh, ingest.Options{Key: []byte("civicpulse-bench-dashboards-key!")})
	if err != nil {
		return 0, err
	}
	if err := in.CatchUp(ctx); err != nil {
		return 0, fmt.Errorf("bench: unable to ingest the demo: %w", err)
	}
	_, consumed := wh.Checkpoint()
	return consumed, nil
}

// baselineTables are the participation tables the Postgres baseline reads,
// with the ones their foreign keys need, parents first.
var baselineTables = []string{"region_sets", "regions", "processes", "components", "participants",
	"proposals", "proposal_tags", "supports", "comments", "comment_votes", "responses", "outbox"}

// skipColumns are columns Postgres fills itself: the outbox's writing
// transaction is an xid8 there and a placeholder 0 in SQLite.
var skipColumns = map[string]bool{"outbox.tx": true}

// CopyToPostgres copies the baseline's tables from the SQLite store into pg
// (made by the store's Postgres migrations) with COPY, in one transaction,
// and returns the rows copied. Columns are those both schemas have.
func (d *DemoData) CopyToPostgres(ctx context.Context, pg *sql.DB) (int64, error) {
	tx, err := pg.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("bench: unable to begin the copy: %w", err)
	}
	defer tx.Rollback()
	var total int64
	for _, t := range baselineTables {
		n, err := d.copyTable(ctx, tx, t)
		if err != nil {
			return 0, fmt.Errorf("bench: unable to copy %s to Postgres: %w", t, err)
		}
		total += n
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("bench: unable to commit the copy: %w", err)
	}
	return total, nil
}

func (d *DemoData) copyTable(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	cols, err := sharedColumns(ctx, tx, d.Store.DB().DB.DB, table)
	if err != nil {
		return 0, err
	}
	// Table and column names come from baselineTables and the two schemas,
	// never from input. Rows in key order, so a reply follows its parent.
	rows, err := d.Store.DB().QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+table+" ORDER BY rowid")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, cols...))
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		for i, v := range vals {
			// SQLite may hand text back as bytes; COPY would write bytes as
			// bytea escapes, and none of these tables has a bytea column.
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return 0, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return 0, err
	}
	return n, nil
}

// sharedColumns lists table's columns present in both databases, in
// Postgres's order.
func sharedColumns(ctx context.Context, pg *sql.Tx, lite *sql.DB, table string) ([]string, error) {
	rows, err := lite.QueryContext(ctx, "SELECT * FROM "+table+" LIMIT 0")
	if err != nil {
		return nil, err
	}
	liteCols, err := rows.Columns()
	rows.Close()
	if err != nil {
		return nil, err
	}
	prows, err := pg.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	defer prows.Close()
	var cols []string
	for prows.Next() {
		var c string
		if err := prows.Scan(&c); err != nil {
			return nil, err
		}
		if slices.Contains(liteCols, c) && !skipColumns[table+"."+c] {
			cols = append(cols, c)
		}
	}
	if err := prows.Err(); err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("no shared columns")
	}
	return cols, nil
}
