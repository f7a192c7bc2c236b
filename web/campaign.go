package web

import (
	"net/http"
	"net/url"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
)

// Campaign links (the officials' outreach kit, web/workspace/outreach.go):
// /c/{code} is what a poster, a radio spot or a WhatsApp message carries.
// It sends the citizen to the process page with the link's UTM
// parameters, where the visit is counted under the link's channel. The
// target is built from the stored process's slug and the link's stored
// values, never from the request, so the link cannot send anyone
// elsewhere; an unknown code, or a process citizens cannot see (yet),
// is the same 404 for everybody.

func (s *Server) registerCampaignLinks(reg Registrar) {
	reg.HandleFunc("campaign.link", "GET", "/c/{code}", Public, s.followCampaignLink)
}

// CampaignTarget is where a campaign link of the process at slug leads.
func CampaignTarget(slug string, l participation.CampaignLink) string {
	q := url.Values{"utm_source": {l.UTMSource}, "utm_medium": {l.UTMMedium}, "utm_campaign": {l.UTMCampaign}}
	return "/p/" + url.PathEscape(slug) + "?" + q.Encode()
}

func (s *Server) followCampaignLink(w http.ResponseWriter, r *http.Request) {
	l, err := s.store.CampaignLinkByCode(r.Context(), mux.Vars(r)["code"])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.store.GetProcess(r.Context(), l.ProcessID, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Not cached: an official may unpublish the process, and the
	// redirect must follow.
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, CampaignTarget(p.Slug, l), http.StatusFound)
}
