package dashweb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/export"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// Exports writes a process's complete export (export.Exporter over the
// warehouse's read pool): the browser's way to it while serve holds the
// warehouse file, which the export command cannot open then.
type Exports interface {
	WriteZip(ctx context.Context, w io.Writer, process int64) error
	// Snapshot writes the same tables as Parquet files into a temporary
	// folder (export.Snapshot), streamed as a zip and then removed.
	Snapshot(ctx context.Context, process int64, tempDir string) (*export.Snapshot, error)
}

// ParquetPath is the Parquet snapshot's route for a process.
func ParquetPath(processID int64) string {
	return fmt.Sprintf("/staff/p/%d/export.parquet.zip", processID)
}

// ExportPath is the complete export's route for a process.
func ExportPath(processID int64) string { return fmt.Sprintf("/staff/p/%d/export.zip", processID) }

// exportZip streams the complete export under the export permission. The
// process is looked up first, so an unknown one answers 404 before any
// byte goes out; after that an error can only cut the zip short (its
// reader then reports it broken) and is logged.
func (h *Handlers) exportZip(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Exports == nil {
		h.fail(w, r, dashboards.ErrNotFound)
		return
	}
	id := processID(r)
	if _, err := h.cfg.Dash.Process(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	if u, ok := staffweb.UserFrom(r.Context()); ok && h.cfg.Audit != nil {
		// A complete copy of the inputs leaving the platform is worth a
		// line in the audit log; a failed line does not stop it.
		if err := h.cfg.Audit.Audit(r.Context(), staff.Entry{ActorID: u.ID, Action: "export.download", ProcessID: id, Target: "export.zip"}); err != nil {
			h.cfg.Logger.Error("dashweb: unable to audit an export", "request_id", web.RequestID(r), "err", err)
		}
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="process-%d-export.zip"`, id))
	w.Header().Set("Cache-Control", "no-store")
	if err := h.cfg.Exports.WriteZip(r.Context(), w, id); err != nil {
		h.cfg.Logger.Error("dashweb: export failed", "request_id", web.RequestID(r), "process", id, "err", err)
	}
}

// exportParquet builds the Parquet snapshot under the export permission,
// then streams it. The files are written before any byte goes out, so an
// unknown process is a 404 and a full house (export.MaxSnapshots being
// built) a 503 with Retry-After, never a broken zip.
func (h *Handlers) exportParquet(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Exports == nil {
		h.fail(w, r, dashboards.ErrNotFound)
		return
	}
	id := processID(r)
	if _, err := h.cfg.Dash.Process(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	if u, ok := staffweb.UserFrom(r.Context()); ok && h.cfg.Audit != nil {
		if err := h.cfg.Audit.Audit(r.Context(), staff.Entry{ActorID: u.ID, Action: "export.download", ProcessID: id, Target: "export.parquet.zip"}); err != nil {
			h.cfg.Logger.Error("dashweb: unable to audit an export", "request_id", web.RequestID(r), "err", err)
		}
	}
	snap, err := h.cfg.Exports.Snapshot(r.Context(), id, "")
	switch {
	case errors.Is(err, export.ErrSnapshotsBusy):
		w.Header().Set("Retry-After", "60")
		http.Error(w, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
		return
	case errors.Is(err, export.ErrUnknownProcess):
		h.fail(w, r, dashboards.ErrNotFound)
		return
	case err != nil:
		h.cfg.Logger.Error("dashweb: parquet snapshot failed", "request_id", web.RequestID(r), "process", id, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	defer snap.Close()
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="process-%d-parquet.zip"`, id))
	w.Header().Set("Cache-Control", "no-store")
	if _, err := snap.WriteTo(w); err != nil {
		h.cfg.Logger.Error("dashweb: parquet export failed", "request_id", web.RequestID(r), "process", id, "err", err)
	}
}
