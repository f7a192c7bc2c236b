package bench

import (
	"context"
	"testing"
)

// The report bench runs end to end on a small consultation and reports
// every figure it promises.
func TestReportBench(t *testing.T) {
	out, err := Report(context.Background(), ReportOptions{Comments: 2000, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"report_2000_ideas_pdf_s", "report_2000_comments_pdf_s", "report_2000_ideas_html_s", "report_2000_comments_html_s",
		"report_2000_comments_pdf_bytes", "report_2000_export_csv_s", "report_2000_fill_s"} {
		if v, ok := out[k]; !ok || v <= 0 {
			t.Errorf("%s = %v, %v", k, v, ok)
		}
	}
}
