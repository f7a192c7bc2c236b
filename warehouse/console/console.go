// Package console runs an analyst's read-only SQL over one process's data
// in the warehouse (issue 15, "Analyst access").
//
// How a query is kept to its process and away from the machine:
//
//  1. DuckDB parses the text (json_serialize_sql); anything but one SELECT
//     is refused there (COPY, ATTACH, INSTALL, LOAD, PRAGMA, SET…).
//  2. The guard (guard.go) walks the parse tree and refuses every table
//     but the scope's views (and the query's own WITH names), every table
//     function but range/generate_series/unnest (read_csv, read_parquet,
//     glob, duckdb_tables…), every function off an allow-list (getenv,
//     current_setting…), placeholders and any construct it does not know.
//  3. The query that runs is DuckDB's rendering of the checked tree
//     (json_deserialize_sql), never the analyst's text, wrapped in the
//     scope: views named like the warehouse's tables, each filtered to the
//     process ($1). A reference to "proposals" is the scope's, whatever
//     its case, and the tables themselves cannot be named.
//  4. It runs on the warehouse's read pool (the same DuckDB database serve
//     writes to, so no second open of the file), under a deadline that
//     interrupts DuckDB, at most a few at a time, and stops reading after
//     the row limit (the result says it was cut).
//
// DuckDB has no read-only transaction nor a per-connection switch for
// external access (enable_external_access is database-wide and would stop
// the export's own files), so the guard is the wall: it allows only what it
// has checked.
package console

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqlfile"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// Views are the names a query may read, each one process's rows (see
// sql/console.sql, which defines them in the same order).
var Views = []string{
	"process", "phases", "components", "regions", "sections", "questions", "events", "submissions",
	"proposals", "comments", "votes", "supports", "survey_responses", "survey_answers", "moderation",
	"visits", "themes", "theme_members", "proposal_decisions",
}

// Limits bound a run.
type Limits struct {
	Timeout    time.Duration // the whole run, reading included (default 10 s)
	MaxRows    int           // rows returned before the result is cut (default 1,000)
	MaxText    int           // bytes of query text (default 16 KiB)
	Concurrent int           // console queries at once on the pool (default 2)
}

// Console runs analysts' queries on the warehouse's read pool.
type Console struct {
	db     *sql.DB
	q      sqlfile.Set
	limits Limits
	slots  chan struct{}
	views  map[string]bool
}

// New loads the console's statements (a broken one fails here, at boot).
func New(db *sql.DB, limits Limits) (*Console, error) {
	q, err := sqlfile.Load(sqlFS, "sql/*.sql")
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	if err := q.Require("parse", "render", "catalog-names", "scope"); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	if limits.Timeout <= 0 {
		limits.Timeout = 10 * time.Second
	}
	if limits.MaxRows <= 0 {
		limits.MaxRows = 1000
	}
	if limits.MaxText <= 0 {
		limits.MaxText = 16 << 10
	}
	if limits.Concurrent <= 0 {
		limits.Concurrent = 2
	}
	return &Console{db: db, q: q, limits: limits, slots: make(chan struct{}, limits.Concurrent), views: set(Views...)}, nil
}

// Limits returns the limits in force.
func (c *Console) Limits() Limits { return c.limits }

// Refusal is a query the console will not run, or one it stopped: Key is
// the catalogue key of the reason (console.err.*), Args its values.
type Refusal struct {
	Key  string
	Args []any
}

func (r *Refusal) Error() string { return fmt.Sprintf("console: refused (%s %v)", r.Key, r.Args) }

func refuse(key string, args ...any) error { return &Refusal{Key: key, Args: args} }

// IsTimeLimit reports whether err is a query stopped at the time limit.
func IsTimeLimit(err error) bool {
	var r *Refusal
	return errors.As(err, &r) && r.Key == "console.err.time_limit"
}

// Cell is one value as text; Null marks SQL NULL (shown empty).
type Cell struct {
	Text string
	Null bool
}

// Result is a finished run.
type Result struct {
	Columns   []string
	Rows      [][]Cell
	Truncated bool // more rows than the limit: the rest were not read
	Duration  time.Duration
}

// Hash names a query text in the audit log without its text (which may
// hold whatever an analyst typed): sha256, hex.
func Hash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// Run checks query and runs it over process's views, keeping at most
// maxRows rows (0: Limits.MaxRows; a download asks for more).
func (c *Console) Run(ctx context.Context, process int64, query string, maxRows int) (*Result, error) {
	res := &Result{}
	err := c.Stream(ctx, process, query, maxRows, func(cols []string) error {
		res.Columns = cols
		return nil
	}, func(row []Cell) error {
		res.Rows = append(res.Rows, append([]Cell(nil), row...))
		return nil
	}, res)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Stream is Run handing each row on as it is read (a CSV download streams);
// stats receives the duration and whether the rows were cut.
func (c *Console) Stream(ctx context.Context, process int64, query string, maxRows int,
	head func([]string) error, row func([]Cell) error, stats *Result) error {
	start := time.Now()
	defer func() { stats.Duration = time.Since(start) }()
	if maxRows <= 0 {
		maxRows = c.limits.MaxRows
	}
	if strings.TrimSpace(query) == "" {
		return refuse("console.err.empty")
	}
	if len(query) > c.limits.MaxText {
		return refuse("console.err.too_long", c.limits.MaxText)
	}
	ctx, cancel := context.WithTimeout(ctx, c.limits.Timeout)
	defer cancel()
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		return refuse("console.err.busy")
	}
	safe, err := c.prepare(ctx, query)
	if err != nil {
		return c.failure(ctx, err)
	}
	rows, err := c.db.QueryContext(ctx, c.q.Get("scope")+"\nSELECT * FROM (\n"+safe+"\n) AS console_result", process)
	if err != nil {
		return c.failure(ctx, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return c.failure(ctx, err)
	}
	if err := head(cols); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	cells := make([]Cell, len(cols))
	n := 0
	for rows.Next() {
		if n == maxRows {
			stats.Truncated = true
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return c.failure(ctx, err)
		}
		for i, v := range vals {
			cells[i] = format(v)
		}
		if err := row(cells); err != nil {
			return err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return c.failure(ctx, err)
	}
	return nil
}

// prepare parses, checks and re-renders the query.
func (c *Console) prepare(ctx context.Context, query string) (string, error) {
	var parsed string
	if err := c.db.QueryRowContext(ctx, c.q.Get("parse"), query).Scan(&parsed); err != nil {
		return "", fmt.Errorf("console: unable to parse: %w", err)
	}
	reserved, err := c.catalogNames(ctx)
	if err != nil {
		return "", err
	}
	ch := &checker{views: c.views, reserved: reserved}
	if err := ch.check(parsed); err != nil {
		return "", err
	}
	// Render the one checked statement (not the text, which might hold a
	// second one json_serialize_sql listed apart).
	var top struct {
		Statements []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(parsed), &top); err != nil {
		return "", fmt.Errorf("console: unable to read DuckDB's parse: %w", err)
	}
	one, err := json.Marshal(map[string]any{"error": false, "statements": top.Statements[:1]})
	if err != nil {
		return "", err
	}
	var safe string
	if err := c.db.QueryRowContext(ctx, c.q.Get("render"), string(one)).Scan(&safe); err != nil {
		return "", fmt.Errorf("console: unable to render the checked query: %w", err)
	}
	return safe, nil
}

// Columns names the columns of each view (the console page lists them).
func (c *Console) Columns(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	for _, v := range Views {
		// v is one of the fixed names above, never a caller's text.
		rows, err := c.db.QueryContext(ctx, c.q.Get("scope")+"\nSELECT * FROM "+v+" LIMIT 0", int64(0))
		if err != nil {
			return nil, fmt.Errorf("console: unable to read the columns of %s: %w", v, err)
		}
		cols, err := rows.Columns()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("console: unable to read the columns of %s: %w", v, err)
		}
		out[v] = cols
	}
	return out, nil
}

func (c *Console) catalogNames(ctx context.Context) (map[string]bool, error) {
	rows, err := c.db.QueryContext(ctx, c.q.Get("catalog-names"))
	if err != nil {
		return nil, fmt.Errorf("console: unable to list the catalog: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("console: unable to list the catalog: %w", err)
		}
		out[n] = true
	}
	return out, rows.Err()
}

// failure names why a run stopped: the deadline (interrupted), a refusal,
// or DuckDB's own error about the query (a column that is not there),
// which is the analyst's to read.
func (c *Console) failure(ctx context.Context, err error) error {
	var r *Refusal
	switch {
	case errors.As(err, &r):
		return err
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return refuse("console.err.time_limit", c.limits.Timeout.String())
	case ctx.Err() != nil:
		return ctx.Err()
	}
	msg := strings.TrimPrefix(err.Error(), "console: unable to parse: ")
	msg = strings.TrimPrefix(msg, "console: unable to render the checked query: ")
	return refuse("console.err.query", msg)
}

// format writes a value as text: times in UTC as the warehouse keeps them,
// lists and structs as JSON.
func format(v any) Cell {
	switch x := v.(type) {
	case nil:
		return Cell{Null: true}
	case string:
		return Cell{Text: x}
	case []byte:
		return Cell{Text: hex.EncodeToString(x)}
	case bool:
		return Cell{Text: strconv.FormatBool(x)}
	case int64:
		return Cell{Text: strconv.FormatInt(x, 10)}
	case float64:
		return Cell{Text: strconv.FormatFloat(x, 'f', -1, 64)}
	case float32:
		return Cell{Text: strconv.FormatFloat(float64(x), 'f', -1, 32)}
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return Cell{Text: x.UTC().Format("2006-01-02")}
		}
		return Cell{Text: x.UTC().Format("2006-01-02 15:04:05")}
	case *big.Int:
		return Cell{Text: x.String()}
	case fmt.Stringer:
		return Cell{Text: x.String()}
	case []any, map[string]any:
		if b, err := json.Marshal(x); err == nil {
			return Cell{Text: string(b)}
		}
	}
	return Cell{Text: fmt.Sprint(v)}
}
