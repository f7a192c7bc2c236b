package dashweb

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// Reports writes a process's overview documents (report.Reporter over the
// warehouse's read pool and the participation store); kind and format are
// those the route's pattern allows.
type Reports interface {
	Write(ctx context.Context, w io.Writer, process int64, kind, format string) error
}

// ReportPath is an overview document's route for a process: kind is
// report.Ideas, report.Comments or report.Survey, format report.PDF or
// report.HTML.
func ReportPath(kind, format string) func(processID int64) string {
	return func(processID int64) string { return fmt.Sprintf("/staff/p/%d/report/%s.%s", processID, kind, format) }
}

// contentTypes are the formats the route's pattern allows.
var contentTypes = map[string]string{"pdf": "application/pdf", "html": "text/html; charset=utf-8"}

// lazyHeaders sets the download's headers on the first byte written, so
// that a document that fails while it is being read from the warehouse
// (before any byte goes out) can still be answered with an error page.
type lazyHeaders struct {
	w       http.ResponseWriter
	set     func(http.Header)
	written bool
}

func (l *lazyHeaders) Write(p []byte) (int, error) {
	if !l.written {
		l.written = true
		l.set(l.w.Header())
	}
	return l.w.Write(p)
}

// overview streams an overview document under the export permission: it
// is a copy of every input of the process, like the complete export.
func (h *Handlers) overview(w http.ResponseWriter, r *http.Request) {
	kind, format := mux.Vars(r)["kind"], mux.Vars(r)["format"]
	if h.cfg.Reports == nil {
		h.fail(w, r, dashboards.ErrNotFound)
		return
	}
	id := processID(r)
	if _, err := h.cfg.Dash.Process(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	file := kind + "." + format
	if u, ok := staffweb.UserFrom(r.Context()); ok && h.cfg.Audit != nil {
		if err := h.cfg.Audit.Audit(r.Context(), staff.Entry{ActorID: u.ID, Action: "report.download", ProcessID: id, Target: file}); err != nil {
			h.cfg.Logger.Error("dashweb: unable to audit a report", "request_id", web.RequestID(r), "err", err)
		}
	}
	out := &lazyHeaders{w: w, set: func(hd http.Header) {
		hd.Set("Content-Type", contentTypes[format])
		hd.Set("Cache-Control", "no-store")
		disposition := "inline"
		if format == "pdf" {
			disposition = "attachment"
		} else {
			// The printable page stands alone: its style sheet is inline and
			// its charts are data: images; nothing else may load.
			hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
		}
		hd.Set("Content-Disposition", fmt.Sprintf(`%s; filename="process-%d-%s"`, disposition, id, file))
	}}
	if err := h.cfg.Reports.Write(r.Context(), out, id, kind, format); err != nil {
		if !out.written {
			h.fail(w, r, err)
			return
		}
		h.cfg.Logger.Error("dashweb: report failed", "request_id", web.RequestID(r), "process", id, "err", err)
	}
}
