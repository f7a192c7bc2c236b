package ingest

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/civicpulse/civicpulse/analysis/text"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/warehouse"
)

// batch is what the steps hand each other: the events read, then the
// warehouse rows built from those that were kept.
type batch struct {
	items []item
	to    participation.Cursor
	out   *warehouse.Batch
	texts []string // the text of each out.Texts row, for the text-features step
	took  []any    // step name, duration: for the debug log
}

// Step is one named stage of the pipeline. Any step may drop an item by
// setting its reason; later steps skip dropped items.
type Step struct {
	Name string
	Run  func(ctx context.Context, b *batch) error
}

// Steps returns the pipeline in order. Reading the batch comes before them
// (Run and CatchUp), and write is the last.
func (in *Ingester) Steps() []Step {
	return []Step{
		{"validate", in.validate},
		{"dedupe", in.dedupe},
		{"pseudonymise", in.pseudonymise},
		{"facts", in.facts},
		{"text-features", in.textFeatures},
		{"dimensions", in.dimensions},
		{"write", in.write},
	}
}

// validate decodes and checks every event. Decoding JSON is a tenth of the
// backlog's CPU and each event stands alone, so a large batch is split
// across the workers.
func (in *Ingester) validate(_ context.Context, b *batch) error {
	inParallel(len(b.items), in.opts.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			it := &b.items[i]
			p, err := Validate(it.ev)
			if err != nil {
				it.drop = err.(*dropError).reason
				continue
			}
			it.payload = p
		}
	})
	return nil
}

// inParallel calls do over contiguous ranges covering [0, n), one range per
// worker, and waits for them. Small n runs in the caller's goroutine: below
// a few thousand items the goroutines cost more than they save.
func inParallel(n, workers int, do func(lo, hi int)) {
	const minPerWorker = 2048
	workers = min(workers, n/minPerWorker)
	if workers <= 1 {
		do(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			do(lo, hi)
		}()
	}
	wg.Wait()
}

// dedupe drops events whose seq the warehouse already holds or that appear
// twice in the batch. The cursor makes this rare (a re-delivered row, a
// store bug); counting it keeps exactly-once visible instead of assumed.
func (in *Ingester) dedupe(_ context.Context, b *batch) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := range b.items {
		it := &b.items[i]
		_, pending := in.inFlight[it.ev.Seq]
		if pending || in.wh.Has(it.ev.Seq) {
			it.drop = warehouse.ReasonDuplicate
			continue
		}
		in.inFlight[it.ev.Seq] = struct{}{}
	}
	return nil
}

// settle forgets a written (or failed) batch's sequences: from now on the
// warehouse answers for them.
func (in *Ingester) settle(b *batch) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, it := range b.items {
		if it.drop != warehouse.ReasonDuplicate {
			delete(in.inFlight, it.ev.Seq)
		}
	}
}

func (in *Ingester) pseudonymise(_ context.Context, b *batch) error {
	for i := range b.items {
		it := &b.items[i]
		if it.drop == "" {
			it.participant = in.pseudo.Of(it.ev.ParticipantID)
		}
	}
	return nil
}

// textFeatures analyses every text the facts step collected, on all cores.
// Identical texts (form letters, repeated demo texts) are analysed once.
func (in *Ingester) textFeatures(_ context.Context, b *batch) error {
	texts := b.out.Texts
	if len(texts) == 0 {
		return nil
	}
	raw := b.texts
	results := make([]text.Features, len(texts))
	todo := make([]int, 0, len(texts))
	for i := range texts {
		if f, ok := in.featureCache[raw[i]]; ok {
			results[i] = f
			continue
		}
		todo = append(todo, i)
	}
	workers := min(in.opts.Workers, len(todo))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for j := w; j < len(todo); j += workers {
				results[todo[j]] = in.analyzer.Features(raw[todo[j]])
			}
		}(w)
	}
	wg.Wait()
	if len(in.featureCache) > 200_000 {
		clear(in.featureCache)
	}
	for _, i := range todo {
		in.featureCache[raw[i]] = results[i]
	}
	for i := range texts {
		f := results[i]
		t := &texts[i]
		t.Lang, t.Tokens, t.Stems, t.Keywords, t.Hash, t.MinHash, t.Places = f.Lang, len(f.Tokens), f.Stems, f.Keywords, f.Hash, f.MinHash, f.Places
	}
	return nil
}

// dimensions reads from the store what process.changed, survey.changed and
// document.published name, once per batch each.
func (in *Ingester) dimensions(ctx context.Context, b *batch) error {
	procs, docs, surveys := map[int64]bool{}, map[int64]bool{}, map[int64]bool{}
	for _, it := range b.items {
		if it.drop != "" {
			continue
		}
		switch it.ev.Type {
		case participation.EvProcessChanged, participation.EvProcessState:
			procs[it.ev.ProcessID] = true
		case participation.EvDocumentPublished:
			docs[it.ev.ComponentID] = true
		case participation.EvSurveyChanged:
			surveys[it.ev.ComponentID] = true
			delete(in.questionTypes, it.ev.ComponentID)
		}
	}
	d := &b.out.Dimensions
	sets := map[int64]bool{}
	for id := range procs {
		p, err := in.store.GetProcess(ctx, id, false)
		if participation.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("ingest: unable to read process %d: %w", id, err)
		}
		d.Processes = append(d.Processes, processDim(p))
		if p.RegionSetID != 0 && !sets[p.RegionSetID] {
			sets[p.RegionSetID] = true
			rs, err := in.store.GetRegionSet(ctx, p.RegionSetID)
			if err != nil && !participation.IsNotFound(err) {
				return fmt.Errorf("ingest: unable to read region set %d: %w", p.RegionSetID, err)
			}
			if err == nil {
				d.RegionSets = append(d.RegionSets, regionSetDim(rs))
			}
		}
	}
	for id := range docs {
		doc, err := in.store.GetDocument(ctx, id)
		if participation.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("ingest: unable to read document %d: %w", id, err)
		}
		d.Documents = append(d.Documents, documentDim(doc))
	}
	for id := range surveys {
		s, err := in.store.GetSurvey(ctx, id)
		if participation.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("ingest: unable to read survey %d: %w", id, err)
		}
		d.Surveys = append(d.Surveys, surveyDim(s))
	}
	return nil
}

func (in *Ingester) write(ctx context.Context, b *batch) error {
	out := b.out
	out.To = warehouse.Cursor{Tx: b.to.Tx, Seq: b.to.Seq}
	out.Consumed = int64(len(b.items))
	for _, it := range b.items {
		if it.drop == "" {
			continue
		}
		out.Dropped = append(out.Dropped, warehouse.Dropped{Seq: it.ev.Seq, Tx: it.ev.Tx, Type: string(it.ev.Type), ProcessID: it.ev.ProcessID, Reason: it.drop, OccurredAt: it.ev.OccurredAt.UTC()})
	}
	return in.wh.Write(ctx, out)
}

func defaultWorkers() int { return max(1, runtime.GOMAXPROCS(0)) }
