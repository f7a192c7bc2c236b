package insights

import "context"

// opinions is written by the opinions engineer (see /work/briefs).
func (r *Runner) opinions(ctx context.Context, process int64) error { return nil }
