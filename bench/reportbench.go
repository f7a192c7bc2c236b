package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/export"
	"github.com/civicpulse/civicpulse/internal/peakheap"
	"github.com/civicpulse/civicpulse/report"
	"github.com/civicpulse/civicpulse/warehouse"
)

// ReportOptions tune `civicpulse bench report`; zero values take defaults.
type ReportOptions struct {
	Comments int    // comments on the document (default 100,000)
	Dir      string // for the warehouse file; a temporary folder when empty
}

// reportProcess is the process the report bench fills.
const reportProcess = 1

// Report measures the overview documents of a consultation of N comments:
// the ideas and the comments documents as PDF and as printable HTML, each
// built from the warehouse and written out whole, with the peak heap of
// each; and, in the same run over the same warehouse, the CSV export of
// the process (export.Write), the baseline a reader compares them with.
// The data is written straight into the warehouse (made-up facts, as an
// ingest would leave them): a document of 40 sections, one comment in
// fifty an amendment with its proposed text, eight themes per section
// with three representative comments each, and one proposal for every
// twenty comments in twenty themes.
//
// Figures, n being the comments: report_<n>_<kind>_<format>_s, _peak_mb
// and _bytes for ideas and comments in pdf and html;
// report_<n>_export_csv_s (the baseline) and report_<n>_fill_s.
func Report(ctx context.Context, o ReportOptions) (map[string]float64, error) {
	if o.Comments <= 0 {
		o.Comments = 100_000
	}
	dir := o.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "civicpulse-bench-report-")
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
	n := o.Comments
	out := map[string]float64{}
	key := "report_" + strconv.Itoa(n) + "_"
	start := time.Now()
	if err := FillReportWarehouse(ctx, wh, n); err != nil {
		return nil, err
	}
	out[key+"fill_s"] = time.Since(start).Seconds()

	rep, err := report.New(wh.Read(), nil)
	if err != nil {
		return nil, err
	}
	for _, kind := range []string{report.Ideas, report.Comments} {
		for _, format := range []string{report.PDF, report.HTML} {
			var cw countingWriter
			var werr error
			took, peak := peakheap.Measure(func() { werr = rep.Write(ctx, &cw, reportProcess, kind, format) })
			if werr != nil {
				return nil, fmt.Errorf("bench report: %s.%s: %w", kind, format, werr)
			}
			k := key + kind + "_" + format + "_"
			out[k+"s"], out[k+"peak_mb"], out[k+"bytes"] = took.Seconds(), float64(peak)/(1<<20), float64(cw.n)
		}
	}
	ex, err := export.New(wh.Read())
	if err != nil {
		return nil, err
	}
	start = time.Now()
	if _, err := ex.Write(ctx, export.Options{Process: reportProcess, Format: export.CSV, Dir: filepath.Join(dir, "csv")}); err != nil {
		return nil, fmt.Errorf("bench report: the CSV baseline: %w", err)
	}
	out[key+"export_csv_s"] = time.Since(start).Seconds()
	return out, nil
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

var reportWords = strings.Fields(`ada ya soko maji barabara shule hospitali ushuru wafanyabiashara kaunti bajeti
	fees are too high for small traders the market needs water roads lights drainage parking clinic teachers
	please reduce the levy and build a borehole near the bus stage jua kali youth women farmers Gĩthũngũri`)

func reportText(r *rand.Rand, words int) string {
	var b strings.Builder
	for i := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(reportWords[r.IntN(len(reportWords))])
	}
	return b.String()
}

// FillReportWarehouse writes process 1 with n comments on a document, a
// twentieth as many proposals, their themes and a hundredth of them
// hidden, straight into the warehouse.
func FillReportWarehouse(ctx context.Context, wh *warehouse.Warehouse, n int) error {
	r := rand.New(rand.NewPCG(15, uint64(n)))
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	const sections, themesPer, proposalThemes = 40, 8, 20
	secs := make([]warehouse.SectionDim, sections)
	for i := range secs {
		secs[i] = warehouse.SectionDim{SectionID: int64(1000 + i), Version: 1, Position: i + 1, Heading: fmt.Sprintf("Section %d: %s", i+1, reportText(r, 4))}
	}
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{{ProcessID: reportProcess, Slug: "bench", Title: "Bench consultation", TimeZone: "UTC", RegionSetID: 1, Currency: "KES", Published: true,
			Components: []warehouse.ComponentDim{{ComponentID: 10, Kind: "proposals", Title: "Ideas"}, {ComponentID: 20, Kind: "document", Title: "Draft bill"}}}},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "01", Name: "Mombasa"}, {Code: "02", Name: "Kwale"}}}},
		Documents:  []warehouse.DocumentDim{{ComponentID: 20, Sections: secs}},
	}}
	var seq int64
	event := func(typ string, component, entity int64, who string) int64 {
		seq++
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: typ, ProcessID: reportProcess, ComponentID: component, EntityID: entity, Participant: who, RegionCode: "01", OccurredAt: at})
		return seq
	}
	who := func() string { return "pz-" + strconv.Itoa(r.IntN(max(n/3, 1))) }
	proposals := max(n/20, 1)
	for i := range proposals {
		id, p := int64(1+i), who()
		b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: event("proposal.created", 10, int64(1+i), p), ProposalID: id, ProcessID: reportProcess, ComponentID: 10,
			Participant: p, RegionCode: "01", Title: fmt.Sprintf("Idea %d: %s", i+1, reportText(r, 5)), Description: reportText(r, 30+r.IntN(40)),
			BudgetMinor: int64(r.IntN(1000)) * 100_000, Tags: []string{}, OccurredAt: at})
	}
	for i := range n {
		id, p := int64(100_000_000+i), who()
		kind, proposed := "comment", ""
		if i%50 == 0 {
			kind, proposed = "amendment", reportText(r, 25)
		}
		b.Comments = append(b.Comments, warehouse.Comment{Seq: event("comment.created", 20, id, p), CommentID: id, ProcessID: reportProcess, ComponentID: 20,
			TargetKind: "section", TargetID: int64(1000 + i%sections), Kind: kind, Body: reportText(r, 10+r.IntN(50)), ProposedText: proposed,
			Participant: p, RegionCode: "01", OccurredAt: at})
		if i%100 == 7 {
			seq++
			b.Moderation = append(b.Moderation, warehouse.Moderation{Seq: seq, ProcessID: reportProcess, ComponentID: 20, EntityKind: "comment", EntityID: id, Status: "hidden", OccurredAt: at})
		}
	}
	b.Consumed = seq
	b.To = warehouse.Cursor{Seq: seq}
	if err := wh.Write(ctx, b); err != nil {
		return fmt.Errorf("bench report: unable to fill the warehouse: %w", err)
	}
	// Themes as the insights jobs leave them: each section's comments in
	// eight themes (by id), the first three of each its representatives;
	// the proposals in twenty.
	var q bytes.Buffer
	fmt.Fprintf(&q, `INSERT INTO themes SELECT %d, 'section', section_id, t, 1, 'theme ' || t || ' of ' || section_id, ['x'], false, 0, 0, 0
		FROM dim_sections, range(%d) AS r(t) WHERE component_id = 20;`, reportProcess, themesPer)
	fmt.Fprintf(&q, `INSERT INTO theme_members SELECT %[1]d, 'section', target_id, 'comment', comment_id, 0, comment_id %% %[2]d,
		CASE WHEN row_number() OVER (PARTITION BY target_id, comment_id %% %[2]d ORDER BY comment_id) <= 3
		     THEN row_number() OVER (PARTITION BY target_id, comment_id %% %[2]d ORDER BY comment_id) ELSE 0 END, 'fit', seq
		FROM comments WHERE process_id = %[1]d;`, reportProcess, themesPer)
	fmt.Fprintf(&q, `UPDATE themes SET size = (SELECT count(*) FROM theme_members m WHERE m.scope = 'section' AND m.scope_id = themes.scope_id AND m.theme_id = themes.theme_id)
		WHERE scope = 'section';`)
	fmt.Fprintf(&q, `INSERT INTO themes SELECT %[1]d, 'component', 10, t, 1, 'idea theme ' || t, ['x'], false, 0, 0, 0 FROM range(%[2]d) AS r(t);
		INSERT INTO theme_members SELECT %[1]d, 'component', 10, 'proposal', proposal_id, 0, proposal_id %% %[2]d, 0, 'fit', seq FROM proposals WHERE process_id = %[1]d;`,
		reportProcess, proposalThemes)
	for _, stmt := range strings.Split(q.String(), ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := wh.Read().ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("bench report: unable to write the themes: %w", err)
		}
	}
	return nil
}
