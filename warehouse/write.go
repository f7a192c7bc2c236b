package warehouse

import (
	"context"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"sort"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// grains are the rollup resolutions, each with its truncation.
var grains = []struct {
	name  string
	trunc func(time.Time) time.Time
}{
	{"minute", func(t time.Time) time.Time { return t.UTC().Truncate(time.Minute) }},
	{"hour", func(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }},
	{"day", func(t time.Time) time.Time {
		t = t.UTC()
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}},
}

// beforeCommit lets tests fail a batch after every append, to prove the
// appended rows roll back with it.
var beforeCommit func() error

type rollupKey struct {
	grain     string
	bucket    time.Time
	process   int64
	component int64
	kind      string
	region    string
}

type rollupVal struct{ events, newParticipants int64 }

type keyID struct {
	key rollupKey
	id  uint64
}

func (k rollupKey) hash() uint64 {
	h := fnv.New64a()
	var buf [8]byte
	writeInt := func(v int64) {
		binary.LittleEndian.PutUint64(buf[:], uint64(v))
		h.Write(buf[:])
	}
	h.Write([]byte(k.grain))
	h.Write([]byte{0})
	writeInt(k.bucket.UnixMicro())
	writeInt(k.process)
	writeInt(k.component)
	h.Write([]byte(k.kind))
	h.Write([]byte{0})
	h.Write([]byte(k.region))
	return h.Sum64()
}

func (k rollupKey) less(o rollupKey) bool {
	switch {
	case k.grain != o.grain:
		return k.grain < o.grain
	case !k.bucket.Equal(o.bucket):
		return k.bucket.Before(o.bucket)
	case k.process != o.process:
		return k.process < o.process
	case k.component != o.component:
		return k.component < o.component
	case k.kind != o.kind:
		return k.kind < o.kind
	}
	return k.region < o.region
}

// writeBatch writes b on conn's open transaction and returns the rollup keys
// it created.
func (w *Warehouse) writeBatch(ctx context.Context, conn driver.Conn, b *Batch, newFirst []firstSeen) ([]keyID, error) {
	newKeys, err := w.writeFacts(ctx, conn, b, newFirst)
	if err != nil {
		return nil, err
	}
	if beforeCommit != nil {
		if err := beforeCommit(); err != nil {
			return nil, err
		}
	}
	cur := w.cursor
	if b.Consumed > 0 || b.To != (Cursor{}) {
		cur = b.To
	}
	if err := execArgs(ctx, conn, w.q.Get("set-checkpoint"), cur.Tx, cur.Seq, b.Consumed); err != nil {
		return nil, fmt.Errorf("warehouse: unable to set the checkpoint: %w", err)
	}
	return newKeys, nil
}

func (w *Warehouse) writeFacts(ctx context.Context, conn driver.Conn, b *Batch, newFirst []firstSeen) ([]keyID, error) {
	if err := appendRows(conn, "events", b.Events, func(e Event) []driver.Value {
		return []driver.Value{e.Seq, e.Tx, e.Type, e.ProcessID, e.ComponentID, e.EntityID, e.Participant, e.RegionCode, e.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "proposals", b.Proposals, func(p Proposal) []driver.Value {
		return []driver.Value{p.Seq, p.ProposalID, p.ProcessID, p.ComponentID, p.Participant, p.RegionCode, p.Title, p.Description, p.BudgetMinor, strs(p.Tags), floatOrNil(p.Lat), floatOrNil(p.Lng), p.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "comments", b.Comments, func(c Comment) []driver.Value {
		var parent driver.Value
		if c.ParentID != nil {
			parent = *c.ParentID
		}
		return []driver.Value{c.Seq, c.CommentID, c.ProcessID, c.ComponentID, c.TargetKind, c.TargetID, parent, c.Kind, c.Body, c.ProposedText, c.Participant, c.RegionCode, c.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "votes", b.Votes, func(v Vote) []driver.Value {
		return []driver.Value{v.Seq, v.CommentID, v.ProcessID, v.ComponentID, v.Participant, v.RegionCode, v.Vote, v.Previous, v.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "supports", b.Supports, func(s Support) []driver.Value {
		return []driver.Value{s.Seq, s.ProposalID, s.ProcessID, s.ComponentID, s.Participant, s.RegionCode, s.Delta, s.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "survey_pages", b.SurveyPages, func(p SurveyPage) []driver.Value {
		return []driver.Value{p.Seq, p.ResponseID, p.ProcessID, p.ComponentID, p.Participant, p.RegionCode, int32(p.Page), p.Completed, timeOrNil(p.StartedAt), p.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "survey_answers", b.SurveyAnswers, func(a SurveyAnswer) []driver.Value {
		return []driver.Value{a.Seq, a.ResponseID, a.ProcessID, a.ComponentID, a.Participant, a.RegionCode, a.QuestionID, intOrNil(a.Choice), intOrNil(a.Rank), floatOrNil(a.Number), strOrNil(a.Text), a.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "visits", b.Visits, func(v Visit) []driver.Value {
		return []driver.Value{v.Seq, v.ProcessID, v.ComponentID, v.VisitorHash, v.Path, v.Referrer, v.UTMSource, v.UTMMedium, v.UTMCampaign, v.Device, v.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "registrations", b.Registrations, func(r Registration) []driver.Value {
		return []driver.Value{r.Seq, r.ProcessID, r.Participant, r.RegionCode, strs(r.Fields), r.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "consents", b.Consents, func(c Consent) []driver.Value {
		return []driver.Value{c.Seq, c.ProcessID, c.Participant, c.RegionCode, int32(c.NoticeVersion), c.Purpose, c.Given, c.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "moderation", b.Moderation, func(m Moderation) []driver.Value {
		return []driver.Value{m.Seq, m.ProcessID, m.ComponentID, m.EntityKind, m.EntityID, m.Status, m.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "text_features", b.Texts, func(t TextFeatures) []driver.Value {
		mh := t.MinHash
		if mh == nil {
			mh = []uint32{}
		}
		return []driver.Value{t.Seq, t.EntityKind, t.EntityID, t.QuestionID, t.ProcessID, t.ComponentID, t.Lang, int32(t.Tokens), strs(t.Stems), strs(t.Keywords), t.Hash, mh, strs(t.Places)}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "dropped", b.Dropped, func(d Dropped) []driver.Value {
		return []driver.Value{d.Seq, d.Tx, d.Type, d.ProcessID, d.Reason, d.OccurredAt}
	}); err != nil {
		return nil, err
	}
	if err := appendRows(conn, "participant_first_seen", newFirst, func(f firstSeen) []driver.Value {
		return []driver.Value{f.key.process, f.key.component, f.key.kind, f.key.region, f.key.participant, f.at}
	}); err != nil {
		return nil, err
	}
	if err := w.writeDimensions(ctx, conn, b.Dimensions); err != nil {
		return nil, err
	}
	if err := w.writeDecisions(ctx, conn, b.Decisions); err != nil {
		return nil, err
	}
	if err := w.updateDashRollups(ctx, conn, b); err != nil {
		return nil, err
	}
	return w.updateRollups(conn, b.Events, newFirst)
}

// updateRollups aggregates the batch per rollup key, appends the keys the
// table lacks and adds to the rest.
func (w *Warehouse) updateRollups(conn driver.Conn, events []Event, newFirst []firstSeen) ([]keyID, error) {
	if len(events) == 0 {
		return nil, nil
	}
	agg := map[rollupKey]*rollupVal{}
	bump := func(t time.Time, process, component int64, kind, region string, ev, np int64) {
		for _, g := range grains {
			k := rollupKey{g.name, g.trunc(t), process, component, kind, region}
			v := agg[k]
			if v == nil {
				v = &rollupVal{}
				agg[k] = v
			}
			v.events += ev
			v.newParticipants += np
		}
	}
	for _, e := range events {
		bump(e.OccurredAt, e.ProcessID, e.ComponentID, e.Type, e.RegionCode, 1, 0)
	}
	for _, f := range newFirst {
		bump(f.at, f.key.process, f.key.component, f.key.kind, f.key.region, 0, 1)
	}
	type row struct {
		id uint64
		k  rollupKey
		v  *rollupVal
	}
	var fresh, known []row
	for k, v := range agg {
		if id, ok := w.rollupKeys[k]; ok {
			known = append(known, row{id, k, v})
		} else {
			fresh = append(fresh, row{0, k, v})
		}
	}
	// Ids are hashes of the key; the rare collision takes the next free
	// value. Sorting first makes that choice the same in a rebuild.
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].k.less(fresh[j].k) })
	taken := map[uint64]struct{}{}
	for i := range fresh {
		id := fresh[i].k.hash()
		for {
			_, inTable := w.rollupIDs[id]
			_, inBatch := taken[id]
			if !inTable && !inBatch {
				break
			}
			id++
		}
		taken[id] = struct{}{}
		fresh[i].id = id
	}
	values := func(r row) []driver.Value {
		return []driver.Value{r.id, r.k.grain, r.k.bucket, r.k.process, r.k.component, r.k.kind, r.k.region, r.v.events, r.v.newParticipants}
	}
	if err := appendRows(conn, "rollup", fresh, values); err != nil {
		return nil, err
	}
	if len(known) > 0 {
		a, err := duckdb.NewTableAppender(conn, w.q.Get("add-to-rollup"), "", "", "rollup", nil)
		if err != nil {
			return nil, fmt.Errorf("warehouse: unable to open the rollup appender: %w", err)
		}
		for _, r := range known {
			if err := a.AppendRow(values(r)...); err != nil {
				a.Close()
				return nil, fmt.Errorf("warehouse: unable to append rollup: %w", err)
			}
		}
		if err := a.Close(); err != nil {
			return nil, fmt.Errorf("warehouse: unable to update rollups: %w", err)
		}
	}
	keys := make([]keyID, len(fresh))
	for i, r := range fresh {
		keys[i] = keyID{r.k, r.id}
	}
	return keys, nil
}

func (w *Warehouse) writeDimensions(ctx context.Context, conn driver.Conn, d Dimensions) error {
	if d.empty() {
		return nil
	}
	// Keep the last of each key so a batch naming a process twice writes it once.
	procs := lastBy(d.Processes, func(p ProcessDim) int64 { return p.ProcessID })
	sets := lastBy(d.RegionSets, func(r RegionSetDim) int64 { return r.RegionSetID })
	docs := lastBy(d.Documents, func(x DocumentDim) int64 { return x.ComponentID })
	surveys := lastBy(d.Surveys, func(x SurveyDim) int64 { return x.ComponentID })
	for _, p := range procs {
		for _, name := range []string{"delete-process", "delete-phases", "delete-components"} {
			if err := execArgs(ctx, conn, w.q.Get(name), p.ProcessID); err != nil {
				return fmt.Errorf("warehouse: unable to replace process %d: %w", p.ProcessID, err)
			}
		}
	}
	for _, r := range sets {
		if err := execArgs(ctx, conn, w.q.Get("delete-regions"), r.RegionSetID); err != nil {
			return fmt.Errorf("warehouse: unable to replace region set %d: %w", r.RegionSetID, err)
		}
	}
	for _, x := range docs {
		if err := execArgs(ctx, conn, w.q.Get("delete-sections"), x.ComponentID); err != nil {
			return fmt.Errorf("warehouse: unable to replace document %d: %w", x.ComponentID, err)
		}
	}
	for _, x := range surveys {
		if err := execArgs(ctx, conn, w.q.Get("delete-questions"), x.ComponentID); err != nil {
			return fmt.Errorf("warehouse: unable to replace survey %d: %w", x.ComponentID, err)
		}
	}
	if err := appendRows(conn, "dim_processes", procs, func(p ProcessDim) []driver.Value {
		return []driver.Value{p.ProcessID, p.Slug, p.Title, p.Level, p.Sector, p.Scope, p.Mode, p.TimeZone, p.RegionSetID, int32(p.TargetParticipants), p.BudgetMinor, p.Currency, p.Published, timeOrNil(p.StartsAt), timeOrNil(p.EndsAt)}
	}); err != nil {
		return err
	}
	var phases [][]driver.Value
	var comps [][]driver.Value
	for _, p := range procs {
		for _, ph := range p.Phases {
			open := ph.OpenComponents
			if open == nil {
				open = []int64{}
			}
			phases = append(phases, []driver.Value{ph.PhaseID, p.ProcessID, int32(ph.Position), ph.Name, timeOrNil(ph.StartsAt), timeOrNil(ph.EndsAt), open})
		}
		for _, c := range p.Components {
			comps = append(comps, []driver.Value{c.ComponentID, p.ProcessID, c.Kind, int32(c.Position), c.Title})
		}
	}
	var regions, sections, questions [][]driver.Value
	for _, r := range sets {
		for _, x := range r.Regions {
			regions = append(regions, []driver.Value{r.RegionSetID, x.Code, x.Name, x.Population})
		}
	}
	for _, d := range docs {
		for _, s := range d.Sections {
			sections = append(sections, []driver.Value{s.SectionID, d.ComponentID, int32(s.Version), int32(s.Position), s.Heading})
		}
	}
	for _, s := range surveys {
		for _, q := range s.Questions {
			questions = append(questions, []driver.Value{q.QuestionID, s.ComponentID, int32(q.Page), int32(q.Position), q.Type, q.Prompt, q.Required, strs(q.Options), int32(q.MaxChoices), floatOrNil(q.Min), floatOrNil(q.Max)})
		}
	}
	for _, t := range []struct {
		table string
		rows  [][]driver.Value
	}{{"dim_phases", phases}, {"dim_components", comps}, {"dim_regions", regions}, {"dim_sections", sections}, {"dim_questions", questions}} {
		if err := appendRows(conn, t.table, t.rows, func(r []driver.Value) []driver.Value { return r }); err != nil {
			return err
		}
	}
	return nil
}

func lastBy[T any](xs []T, key func(T) int64) []T {
	idx := map[int64]int{}
	var out []T
	for _, x := range xs {
		if i, ok := idx[key(x)]; ok {
			out[i] = x
			continue
		}
		idx[key(x)] = len(out)
		out = append(out, x)
	}
	return out
}

// appendRows appends rows to table through a DuckDB Appender on conn, inside
// whatever transaction conn has open.
func appendRows[T any](conn driver.Conn, table string, rows []T, values func(T) []driver.Value) error {
	if len(rows) == 0 {
		return nil
	}
	a, err := duckdb.NewAppenderFromConn(conn, "", table)
	if err != nil {
		return fmt.Errorf("warehouse: unable to open appender for %s: %w", table, err)
	}
	for _, r := range rows {
		if err := a.AppendRow(values(r)...); err != nil {
			a.Close()
			return fmt.Errorf("warehouse: unable to append to %s: %w", table, err)
		}
	}
	if err := a.Close(); err != nil {
		return fmt.Errorf("warehouse: unable to flush %s: %w", table, err)
	}
	return nil
}

func execArgs(ctx context.Context, conn driver.Conn, query string, args ...any) error {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	_, err := conn.(driver.ExecerContext).ExecContext(ctx, query, nv)
	return err
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func floatOrNil(f *float64) driver.Value {
	if f == nil {
		return nil
	}
	return *f
}

func intOrNil(i *int) driver.Value {
	if i == nil {
		return nil
	}
	return int32(*i)
}

func strOrNil(s *string) driver.Value {
	if s == nil {
		return nil
	}
	return *s
}

func timeOrNil(t *time.Time) driver.Value {
	if t == nil {
		return nil
	}
	return *t
}
