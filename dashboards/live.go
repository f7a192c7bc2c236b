package dashboards

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

// Source is what announces that the warehouse advanced, and tells whether
// it holds an event (*warehouse.Warehouse).
type Source interface {
	Subscribe() (<-chan warehouse.Advance, func())
	Has(seq int64) bool
}

// WaitFor waits until the warehouse holds the outbox event seq (an
// official's decision, so that the next page shows it), ctx ends or timeout
// passes, and reports whether it got there.
func WaitFor(ctx context.Context, src Source, seq int64, timeout time.Duration) bool {
	if src.Has(seq) {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	adv, stop := src.Subscribe()
	defer stop()
	for {
		// Checked after subscribing, so a batch committed in between is
		// not missed.
		if src.Has(seq) {
			return true
		}
		select {
		case <-ctx.Done():
			return src.Has(seq)
		case _, ok := <-adv:
			if !ok {
				return src.Has(seq)
			}
		}
	}
}

// Changes sends, after each batch the warehouse commits, the names of the
// dashboard's panels that the batch's events touch for this process. It
// closes when ctx ends or the warehouse closes.
func (d *Dashboards) Changes(ctx context.Context, src Source, db *Dashboard, process int64) <-chan []string {
	out := make(chan []string, 1)
	adv, stop := src.Subscribe()
	var since int64
	_ = d.queryRow(ctx, "max-seq", map[string]any{}).Scan(&since)
	go func() {
		defer close(out)
		defer stop()
		for {
			select {
			case <-ctx.Done():
				return
			case a, ok := <-adv:
				if !ok {
					return
				}
				kinds := map[string]bool{}
				err := d.each(ctx, "changed-kinds", map[string]any{"process": process, "seq": since}, func(r *sql.Rows) error {
					var k string
					if err := r.Scan(&k); err != nil {
						return err
					}
					kinds[k] = true
					return nil
				})
				if err != nil {
					continue
				}
				since = max(since, a.Seq)
				var names []string
				for _, p := range db.Panels {
					for k := range kinds {
						if slices.Contains(p.Live, "*") || slices.Contains(p.Live, k) {
							names = append(names, p.Name)
							break
						}
					}
				}
				if len(names) == 0 {
					continue
				}
				select {
				case out <- names:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}
