package web

import (
	"net/http"
	"net/url"
	"strings"
)

// The embeddable widget (issue 19, the outreach kit): a small card of the
// process — title, one-line summary, dates, the open phase and a "Take
// part" link — that the institution frames on its own website. It runs no
// JavaScript, so a host page learns nothing from it and it works where
// scripts are off.
//
// Every other page answers frame-ancestors 'none' and X-Frame-Options
// DENY (serve, middleware.go); only this route loosens that, and only to
// 'self' and the origins the official listed in the kit
// (participation.WidgetOrigins). With no origin listed the card keeps
// 'none' and the header DENY: framed nowhere, not even by us.

// widgetUTM marks the visits that come through the card, so the channels
// panel shows them as "source: widget".
var widgetUTM = url.Values{"utm_source": {"widget"}, "utm_medium": {"embed"}}.Encode()

// widgetSummaryMax keeps the summary to one line of a small card.
const widgetSummaryMax = 140

type widgetData struct {
	processCtx
	Summary string
	URL     string // the process page, absolute, with widgetUTM
}

func (s *Server) registerWidget(reg Registrar) {
	reg.HandleFunc("process.widget", "GET", "/p/{slug}/widget", Public, s.widgetPage)
}

func (s *Server) widgetPage(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err == nil && pc.Preview {
		// A draft is previewed by its officials on its own pages; framed
		// on another site it would be published by the back door.
		err = errNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	origins, err := s.store.WidgetOrigins(r.Context(), pc.P.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	allowFramingBy(w.Header(), origins)
	d := widgetData{processCtx: pc, Summary: shortText(pc.P.Summary, widgetSummaryMax),
		URL: strings.TrimRight(s.siteURL(r), "/") + "/p/" + url.PathEscape(pc.P.Slug) + "?" + widgetUTM}
	s.renderBlock(w, r, http.StatusOK, "widget", "widget", pc.P.Title, d)
}

// allowFramingBy rewrites the response's frame-ancestors 'none' (set for
// every response by serve) to 'self' and the origins, and drops
// X-Frame-Options, which knows no list and would refuse them all. The
// origins come from participation.ParseWidgetOrigins, which lets through
// nothing but scheme, host and port, so none can add a directive.
func allowFramingBy(h http.Header, origins []string) {
	if len(origins) == 0 {
		return
	}
	csp := h.Get("Content-Security-Policy")
	h.Set("Content-Security-Policy", strings.Replace(csp, "frame-ancestors 'none'", "frame-ancestors 'self' "+strings.Join(origins, " "), 1))
	h.Del("X-Frame-Options")
}
