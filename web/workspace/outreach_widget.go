package workspace

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// The kit's widget (issue 19): the official lists the sites that may frame
// the process's card (/p/{slug}/widget, web/widget.go), then copies the
// <iframe> code into the institution's website. The card's
// frame-ancestors names exactly these sites, so a page anywhere else gets
// a refused frame.

// kitWidget is the widget section of the kit page.
type kitWidget struct {
	Origins []string
	Public  bool   // published: the card answers (it is 404 otherwise)
	Path    string // the card on this site, for the preview
	Snippet string // the code to paste, as text (the template escapes it)
}

// widgetFrame sizes the frame to the card (widget.css).
const widgetFrame = `<iframe src="%s" title="%s" width="340" height="260" style="border:0" loading="lazy" referrerpolicy="strict-origin-when-cross-origin"></iframe>`

func (ws *Workspace) kitWidget(r *http.Request, p participation.Process, f *form) (kitWidget, error) {
	origins, err := ws.store.WidgetOrigins(r.Context(), p.ID)
	if err != nil {
		return kitWidget{}, err
	}
	if _, typed := f.V["origins"]; !typed {
		// Not a refused list: the textarea shows what is stored.
		f.V.Set("origins", strings.Join(origins, "\n"))
	}
	path := "/p/" + p.Slug + "/widget"
	title := strings.NewReplacer(`&`, "&amp;", `"`, "&quot;", `<`, "&lt;", `>`, "&gt;").Replace(ws.loc(r).T("outreach.widget_frame_title", p.Title))
	return kitWidget{Origins: origins, Public: p.State.CitizenVisible() && !p.IsTemplate, Path: path,
		Snippet: fmt.Sprintf(widgetFrame, ws.siteBase(r)+path, title)}, nil
}

// setWidgetOrigins saves the list typed in the kit; a refused line keeps
// the list as typed, beside the field, in the official's language.
func (ws *Workspace) setWidgetOrigins(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	before, err := ws.store.WidgetOrigins(r.Context(), p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	if _, ok := f.V["origins"]; !ok {
		f.V.Set("origins", "")
	}
	var after []string
	ws.formWrite(w, r, f, func() error {
		origins, err := participation.ParseWidgetOrigins(f.Get("origins"))
		if err != nil {
			return err
		}
		after, _, err = ws.store.SetWidgetOrigins(r.Context(), p.ID, staffID(r), origins)
		return err
	}, func() error {
		return ws.audit(r, "outreach.widget.origins", p.ID, target(p.ID), before, after)
	}, func(status int) { ws.renderOutreach(w, r, status, f) }, processPath(p.ID)+"/outreach?done=widget_saved#widget", "")
}
