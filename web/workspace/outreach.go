package workspace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/i18n"
	"github.com/civicpulse/civicpulse/web/outreach"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// The outreach kit (issue 19, GovStack INST-3 step 2): campaign links —
// a channel and a campaign give a short link /c/{code} with UTM
// parameters — each with its QR code, an A4 poster and an A5 flyer in
// every language of the process, and the link's figures. The figures are
// the channels panel's row of the link's utm_campaign, read through the
// same dashboards call (ChannelCounts), so the kit and the panel cannot
// disagree.

// ChannelCounts is the dashboards' part the kit reads
// (*dashboards.Dashboards); nil, or a warehouse that does not know the
// process yet, shows the links without figures.
type ChannelCounts interface {
	ProcessChannels(ctx context.Context, processID int64) ([]dashboards.ChannelCount, error)
}

// CampaignLinks is the part of the store that keeps the links.
type CampaignLinks = participation.CampaignLinks

func (ws *Workspace) outreachRoutes(reg web.Registrar) {
	const get, post = http.MethodGet, http.MethodPost
	const P = "/staff/processes/{process:[0-9]+}"
	const L = P + "/outreach/links/{link:[0-9]+}"
	edit := staffweb.Rule(staff.EditProcess)
	reg.HandleFunc("ws.outreach", get, P+"/outreach", edit, ws.outreachPage)
	reg.HandleFunc("ws.outreach.create", post, P+"/outreach/links", edit, ws.createCampaignLink)
	reg.HandleFunc("ws.outreach.qr", get, L+"/qr.png", edit, ws.campaignQR)
	reg.HandleFunc("ws.outreach.poster", get, L+"/poster.pdf", edit, ws.campaignPoster(outreach.A4))
	reg.HandleFunc("ws.outreach.flyer", get, L+"/flyer.pdf", edit, ws.campaignPoster(outreach.A5))
	reg.HandleFunc("ws.outreach.widget", post, P+"/outreach/widget", edit, ws.setWidgetOrigins)
}

// kitLink is one row of the kit: the link and the panel's figures for it.
type kitLink struct {
	participation.CampaignLink
	URL                        string
	Visitors, Engaged, Started int64
}

type kitData struct {
	P        participation.Process
	F        *form
	Links    []kitLink
	Figures  bool // the warehouse answered for this process
	Channels []string
	Widget   kitWidget
}

func (ws *Workspace) outreachPage(w http.ResponseWriter, r *http.Request) {
	ws.renderOutreach(w, r, http.StatusOK, nil)
}

func (ws *Workspace) renderOutreach(w http.ResponseWriter, r *http.Request, status int, refused *form) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	links, err := ws.store.CampaignLinks(r.Context(), p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := refused
	if f == nil {
		f = newForm(nil)
	}
	d := kitData{P: p, F: f, Channels: strings.Split(ws.loc(r).T("outreach.channel_suggestions"), ",")}
	if d.Widget, err = ws.kitWidget(r, p, f); err != nil {
		ws.fail(w, r, err)
		return
	}
	byChannel := map[string]dashboards.ChannelCount{}
	if ws.cfg.Channels != nil {
		counts, err := ws.cfg.Channels.ProcessChannels(r.Context(), p.ID)
		switch {
		case err == nil:
			d.Figures = true
			for _, c := range counts {
				byChannel[c.Channel] = c
			}
		case errors.Is(err, dashboards.ErrNotFound):
			// The warehouse has seen nothing of the process yet: no
			// figures, and nothing is wrong.
		default:
			ws.log.Warn("workspace: channel figures unavailable", "request_id", web.RequestID(r), "process", p.ID, "err", err)
		}
	}
	for _, l := range links {
		c := byChannel[dashboards.CampaignChannel(l.UTMCampaign)]
		d.Links = append(d.Links, kitLink{CampaignLink: l, URL: ws.shortURL(r, l), Visitors: c.Visitors, Engaged: c.Engaged, Started: c.Started})
	}
	ws.render(w, r, status, "outreach", ws.loc(r).T("outreach.title"), d)
}

// shortURL is the link as printed: absolute, on the site's address
// (Config.BaseURL), else on the address the official reached us by.
func (ws *Workspace) shortURL(r *http.Request, l participation.CampaignLink) string {
	return ws.siteBase(r) + "/c/" + l.Code
}

// siteBase is the site's address (Config.BaseURL), else the address the
// official reached us by.
func (ws *Workspace) siteBase(r *http.Request) string {
	base := strings.TrimRight(ws.cfg.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base
}

func (ws *Workspace) createCampaignLink(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	made, _, err := ws.store.CreateCampaignLink(r.Context(), participation.CampaignLink{ProcessID: p.ID, StaffID: staffID(r),
		Channel: f.Get("channel"), Campaign: f.Get("campaign")})
	if err != nil {
		// A refusal keeps what was typed, beside its field (formWrite's
		// way; the redirect below needs the new link's id, which
		// formWrite's target cannot).
		if participation.IsNotFound(err) || !ws.absorb(r, f, err) {
			ws.fail(w, r, err)
			return
		}
		ws.renderOutreach(w, r, statusFor(f), f)
		return
	}
	if err := ws.audit(r, "outreach.link.create", p.ID, "campaign_link:"+itoa(made.ID), nil, made); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, processPath(p.ID)+"/outreach?done=link_made#link-"+itoa(made.ID), "")
}

// campaignLink is the {link} of the route, in the {process} of the route.
func (ws *Workspace) campaignLink(r *http.Request) (participation.Process, participation.CampaignLink, error) {
	p, err := ws.process(r)
	if err != nil {
		return p, participation.CampaignLink{}, err
	}
	l, err := ws.store.CampaignLink(r.Context(), p.ID, varID(r, "link"))
	return p, l, err
}

func (ws *Workspace) campaignQR(w http.ResponseWriter, r *http.Request) {
	_, l, err := ws.campaignLink(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	png, err := outreach.QRPNG(ws.shortURL(r, l), 10)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="qr-%s.png"`, l.Code))
	w.Write(png)
}

func (ws *Workspace) campaignPoster(size outreach.Size) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, l, err := ws.campaignLink(r)
		if err != nil {
			ws.fail(w, r, err)
			return
		}
		tr, err := ws.store.Translations(r.Context(), p.ID)
		if err != nil {
			ws.fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := outreach.Poster(&buf, size, ws.shortURL(r, l), ws.sheets(p, tr)); err != nil {
			ws.fail(w, r, err)
			return
		}
		name := "poster"
		if size == outreach.A5 {
			name = "flyer"
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s.pdf"`, name, p.Slug, l.Code))
		w.Write(buf.Bytes())
	}
}

// sheets are the poster's pages: one per language of the process, with
// the process's texts in that language (the first language's where a
// translation is missing) and the kit's own in the catalogue's.
func (ws *Workspace) sheets(p participation.Process, tr []participation.Translation) []outreach.Sheet {
	langs := p.Languages
	if len(langs) == 0 {
		langs = []string{ws.cfg.DefaultLang}
	}
	texts := participation.NewTexts(langs[0], tr)
	zone, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		zone = time.UTC
	}
	var out []outreach.Sheet
	for _, lang := range langs {
		loc := ws.i18n.For(lang)
		text := func(e participation.EntityKind, id int64, field, base string) string {
			s, _ := texts.Get(e, id, field, lang, base)
			return s
		}
		s := outreach.Sheet{Lang: lang, Call: loc.T("outreach.poster.call"),
			Title:      text(participation.EntityProcess, p.ID, "title", p.Title),
			Objective:  text(participation.EntityProcess, p.ID, "objective", p.Objective),
			DatesLabel: loc.T("outreach.poster.dates"),
			Dates:      loc.T("outreach.poster.from_to", longDate(loc, p.StartsAt.In(zone)), longDate(loc, p.EndsAt.In(zone))),
			HowToLabel: loc.T("outreach.poster.how"),
			ScanLabel:  loc.T("outreach.poster.scan")}
		for _, c := range p.Components {
			title := text(participation.EntityComponent, c.ID, "title", c.Title)
			step := "outreach.step." + string(c.Kind) // proposals, document, survey
			s.Steps = append(s.Steps, loc.T(step, title))
		}
		if p.Mode == participation.ModeRegistered {
			s.Steps = append(s.Steps, loc.T("outreach.step.register"))
		} else {
			s.Steps = append(s.Steps, loc.T("outreach.step.no_account"))
		}
		s.Steps = append(s.Steps, loc.T("outreach.step.feedback"))
		out = append(out, s)
	}
	return out
}

// longDate writes a date with its month's name in the language, "2 March
// 2026" / "2 Machi 2026".
func longDate(loc *i18n.Localizer, t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), loc.T(fmt.Sprintf("outreach.month.%d", int(t.Month()))), t.Year())
}
