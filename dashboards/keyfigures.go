package dashboards

import (
	"context"
	"database/sql"
	"fmt"
	"math"
)

// KeyFigures are a process's headline counts for its public results page.
type KeyFigures struct {
	Inputs, Participants int64
	// RegionsReached counts the regions where at least SmallCell
	// participants acted, out of Regions.
	RegionsReached, Regions int64
}

// KeyFigures reads a process's headline counts over its whole life.
func (d *Dashboards) KeyFigures(ctx context.Context, processID int64) (KeyFigures, error) {
	var k KeyFigures
	err := d.each(ctx, "results-key-figures", map[string]any{"process": processID, "min": SmallCell}, func(r *sql.Rows) error {
		return r.Scan(&k.Inputs, &k.Participants, &k.RegionsReached, &k.Regions)
	})
	return k, err
}

// RoundedCount is a total as a public page may show it beside tables whose
// small cells are hidden: under SmallCell it is "<5"; from there it is
// rounded to the nearest ten, so that subtracting the cells a table shows
// from it does not give back the hidden ones.
func RoundedCount(n int64) string {
	if n < SmallCell {
		return fmt.Sprintf("<%d", SmallCell)
	}
	return fmt.Sprint(int64(math.Round(float64(n)/10) * 10))
}
