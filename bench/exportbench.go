package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/civicpulse/civicpulse/export"
	"github.com/civicpulse/civicpulse/internal/peakheap"
	"github.com/civicpulse/civicpulse/warehouse"
)

// ExportOptions tune `civicpulse bench export`; zero values take defaults.
type ExportOptions struct {
	Submissions int    // default 200,000
	Dir         string // for the warehouse file; a temporary folder when empty
	XLSX        bool   // also write the workbook (export.Write), which no HTTP route serves
}

// exportProcess is the process the export bench fills.
const exportProcess = 1

// Export measures the complete exports of a process of N submissions (six
// in ten survey responses of four answers, three in ten comments, one in
// ten proposals, a hundredth hidden) as a browser gets them: the CSV zip
// and the Parquet snapshot zip, each downloaded over HTTP from a real
// server whose handlers call what the staff routes call
// (Exporter.WriteZip, Exporter.Snapshot), with the time to the last byte
// and the peak heap of the process (server and client share it; the
// client discards what it reads). The baseline, in the same run over the
// same warehouse: DuckDB's own COPY of the survey answers to Parquet, and
// a count(*) scan of them.
//
// Figures, n being the submissions: export_<n>_csv_zip_s, _peak_mb,
// _bytes; export_<n>_parquet_zip_s, _peak_mb, _bytes; with XLSX
// export_<n>_xlsx_file_s and _peak_mb; export_<n>_baseline_count_s,
// export_<n>_baseline_copy_parquet_s, export_<n>_fill_s and
// export_<n>_heap_before_mb (the heap held before the first export).
func Export(ctx context.Context, o ExportOptions) (map[string]float64, error) {
	if o.Submissions <= 0 {
		o.Submissions = 200_000
	}
	dir := o.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "civicpulse-bench-export-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	wh, err := warehouse.Open(filepath.Join(dir, "warehouse.duckdb"))
	if err != nil {
		return nil, err
	}
	defer wh.Close()
	n := o.Submissions
	key := "export_" + strconv.Itoa(n) + "_"
	out := map[string]float64{}
	start := time.Now()
	if err := FillExportWarehouse(ctx, wh, n); err != nil {
		return nil, err
	}
	out[key+"fill_s"] = time.Since(start).Seconds()

	ex, err := export.New(wh.Read())
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /export.zip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", export.ZipType)
		if err := ex.WriteZip(r.Context(), w, exportProcess); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("GET /export.parquet.zip", func(w http.ResponseWriter, r *http.Request) {
		snap, err := ex.Snapshot(r.Context(), exportProcess, dir)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer snap.Close()
		w.Header().Set("Content-Type", export.ZipType)
		snap.WriteTo(w)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	// The heap the process holds before any export (what the fill and the
	// warehouse keep), so that a reader sees what each peak adds to it.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out[key+"heap_before_mb"] = float64(ms.HeapInuse) / (1 << 20)
	for _, route := range []struct{ name, path string }{{"csv_zip", "/export.zip"}, {"parquet_zip", "/export.parquet.zip"}} {
		var size int64
		var gerr error
		took, peak := peakheap.Measure(func() { size, gerr = download(ctx, srv.URL+route.path) })
		if gerr != nil {
			return nil, fmt.Errorf("bench export: %s: %w", route.name, gerr)
		}
		k := key + route.name + "_"
		out[k+"s"], out[k+"peak_mb"], out[k+"bytes"] = took.Seconds(), float64(peak)/(1<<20), float64(size)
	}
	if o.XLSX {
		var werr error
		took, peak := peakheap.Measure(func() {
			_, werr = ex.Write(ctx, export.Options{Process: exportProcess, Format: export.XLSX, Dir: filepath.Join(dir, "xlsx")})
		})
		if werr != nil {
			return nil, fmt.Errorf("bench export: xlsx: %w", werr)
		}
		out[key+"xlsx_file_s"], out[key+"xlsx_file_peak_mb"] = took.Seconds(), float64(peak)/(1<<20)
	}
	t0 := time.Now()
	var count int64
	if err := wh.Read().QueryRowContext(ctx, `SELECT count(*) FROM survey_answers WHERE process_id = 1`).Scan(&count); err != nil {
		return nil, err
	}
	out[key+"baseline_count_s"] = time.Since(t0).Seconds()
	t0 = time.Now()
	if _, err := wh.Read().ExecContext(ctx, `COPY (SELECT * FROM survey_answers WHERE process_id = 1) TO $path (FORMAT parquet)`,
		sql.Named("path", filepath.Join(dir, "baseline.parquet"))); err != nil {
		return nil, fmt.Errorf("bench export: the baseline COPY: %w", err)
	}
	out[key+"baseline_copy_parquet_s"] = time.Since(t0).Seconds()
	out[key+"survey_answer_rows"] = float64(count)
	return out, nil
}

// download reads a route's body to the end, as a browser saving the file.
func download(ctx context.Context, url string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = errors.New(resp.Status)
	}
	return n, err
}

// FillExportWarehouse writes process 1 with n submissions straight into
// the warehouse, in batches of 50,000: survey responses (a single choice,
// a likert, a multiple choice and a text answer each), comments and
// proposals, text with commas, quotes and Kiswahili.
func FillExportWarehouse(ctx context.Context, wh *warehouse.Warehouse, n int) error {
	r := rand.New(rand.NewPCG(15, uint64(n)))
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	dims := warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{{ProcessID: exportProcess, Slug: "bench", Title: "Bench", TimeZone: "UTC", RegionSetID: 1, Currency: "KES", Published: true,
			Components: []warehouse.ComponentDim{{ComponentID: 10, Kind: "proposals", Title: "Ideas"}, {ComponentID: 20, Kind: "document", Title: "Draft bill"}, {ComponentID: 30, Kind: "survey", Title: "Survey"}}}},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "01", Name: "Mombasa"}, {Code: "02", Name: "Kwale"}}}},
		Documents:  []warehouse.DocumentDim{{ComponentID: 20, Sections: []warehouse.SectionDim{{SectionID: 1000, Version: 1, Position: 1, Heading: "Section 1: Fees"}}}},
		Surveys: []warehouse.SurveyDim{{ComponentID: 30, Questions: []warehouse.QuestionDim{
			{QuestionID: 301, Page: 1, Position: 1, Type: "single", Prompt: "Priority?", Options: []string{"Water", "Roads", "Schools"}},
			{QuestionID: 302, Page: 1, Position: 2, Type: "likert", Prompt: "Fees are fair"},
			{QuestionID: 303, Page: 1, Position: 3, Type: "multi", Prompt: "Which services?", Options: []string{"Clinics", "Markets", "Buses"}, MaxChoices: 3},
			{QuestionID: 304, Page: 1, Position: 4, Type: "text", Prompt: "Anything else?"},
		}}},
	}
	var seq int64
	b := &warehouse.Batch{Dimensions: dims}
	flush := func() error {
		b.Consumed, b.To = int64(len(b.Events)), warehouse.Cursor{Seq: seq}
		if err := wh.Write(ctx, b); err != nil {
			return fmt.Errorf("bench export: unable to fill the warehouse: %w", err)
		}
		b = &warehouse.Batch{}
		return nil
	}
	ptr := func(i int) *int { return &i }
	var proposals int64
	for i := range n {
		seq++
		who := "pz-" + strconv.Itoa(r.IntN(max(n/3, 1)))
		region := []string{"01", "02"}[r.IntN(2)]
		ev := func(typ string, component, entity int64) {
			b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: typ, ProcessID: exportProcess, ComponentID: component, EntityID: entity, Participant: who, RegionCode: region, OccurredAt: at})
		}
		switch x := i % 10; {
		case x < 6:
			id := int64(i + 1)
			ev("survey.completed", 30, id)
			b.SurveyPages = append(b.SurveyPages, warehouse.SurveyPage{Seq: seq, ResponseID: id, ProcessID: exportProcess, ComponentID: 30, Participant: who, RegionCode: region, Page: 1, Completed: true, OccurredAt: at})
			text := reportText(r, 3+r.IntN(8)) + ", \"sawa\""
			for _, a := range []warehouse.SurveyAnswer{{QuestionID: 301, Choice: ptr(r.IntN(3))}, {QuestionID: 302, Choice: ptr(1 + r.IntN(5))},
				{QuestionID: 303, Choice: ptr(r.IntN(3))}, {QuestionID: 304, Text: &text}} {
				a.Seq, a.ResponseID, a.ProcessID, a.ComponentID, a.Participant, a.RegionCode, a.OccurredAt = seq, id, exportProcess, 30, who, region, at
				b.SurveyAnswers = append(b.SurveyAnswers, a)
			}
		case x < 9:
			id := int64(100_000_000 + i)
			ev("comment.created", 20, id)
			b.Comments = append(b.Comments, warehouse.Comment{Seq: seq, CommentID: id, ProcessID: exportProcess, ComponentID: 20, TargetKind: "section", TargetID: 1000,
				Kind: "comment", Body: reportText(r, 10+r.IntN(40)) + ",\nmstari wa pili", Participant: who, RegionCode: region, OccurredAt: at})
			if i%100 == 7 {
				seq++
				b.Moderation = append(b.Moderation, warehouse.Moderation{Seq: seq, ProcessID: exportProcess, ComponentID: 20, EntityKind: "comment", EntityID: id, Status: "hidden", OccurredAt: at})
			}
		default:
			proposals++
			ev("proposal.created", 10, proposals)
			b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: seq, ProposalID: proposals, ProcessID: exportProcess, ComponentID: 10, Participant: who, RegionCode: region,
				Title: fmt.Sprintf("Idea %d: %s", proposals, reportText(r, 5)), Description: reportText(r, 20+r.IntN(30)), BudgetMinor: int64(r.IntN(1000)) * 100_000, Tags: []string{"maji"}, OccurredAt: at})
		}
		at = at.Add(time.Second)
		if len(b.Events) >= 50_000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
