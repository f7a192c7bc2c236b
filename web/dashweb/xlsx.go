package dashweb

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/web"
)

// xlsx serves a panel as a workbook: the download beside "Download CSV",
// under the same access rule and with the same filters.
func (h *Handlers) xlsx(w http.ResponseWriter, r *http.Request) {
	_, pn, res, _, err := h.runPanel(r, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", dashboards.XLSXType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%d.xlsx"`, pn.Name, processID(r)))
	w.Header().Set("Cache-Control", "no-store")
	if err := dashboards.WriteXLSX(w, res); err != nil {
		h.cfg.Logger.Error("dashweb: xlsx failed", "request_id", web.RequestID(r), "err", err)
	}
}

// XLSX is the workbook download's URL: the CSV's, with its filters.
func (v resultView) XLSX() string {
	return strings.Replace(v.CSV, "/csv?", "/xlsx?", 1)
}
