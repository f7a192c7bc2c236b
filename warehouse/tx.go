package warehouse

import (
	"context"
	"database/sql/driver"
	"fmt"
	"log/slog"
)

// Tx is one DuckDB transaction on a connection of its own, for jobs that
// replace derived rows (package insights): statements and appenders both
// write into it, so readers see the old rows or the new ones, never a mix.
type Tx struct {
	ctx  context.Context
	conn driver.Conn
}

// Exec runs one statement with positional arguments.
func (t *Tx) Exec(query string, args ...any) error { return execArgs(t.ctx, t.conn, query, args...) }

// Append writes rows to table through a DuckDB Appender (far faster than an
// INSERT per row).
func (t *Tx) Append(table string, rows [][]driver.Value) error {
	return appendRows(t.conn, table, rows, func(r []driver.Value) []driver.Value { return r })
}

// InTx runs fn in one transaction on a pooled connection, committing if fn
// returns nil and rolling back otherwise. It does not take the ingester's
// writer: DuckDB lets transactions on different tables commit side by side.
func (w *Warehouse) InTx(ctx context.Context, fn func(*Tx) error) error {
	c, err := w.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("warehouse: unable to get a connection: %w", err)
	}
	defer c.Close()
	return c.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("warehouse: not a driver connection")
		}
		if err := execArgs(ctx, conn, "BEGIN TRANSACTION"); err != nil {
			return fmt.Errorf("warehouse: unable to begin: %w", err)
		}
		if err := fn(&Tx{ctx: ctx, conn: conn}); err != nil {
			if rerr := execArgs(context.WithoutCancel(ctx), conn, "ROLLBACK"); rerr != nil {
				slog.Error("warehouse: rollback failed", "err", rerr)
			}
			return err
		}
		if err := execArgs(ctx, conn, "COMMIT"); err != nil {
			_ = execArgs(context.WithoutCancel(ctx), conn, "ROLLBACK")
			return fmt.Errorf("warehouse: unable to commit: %w", err)
		}
		return nil
	})
}
