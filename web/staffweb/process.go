package staffweb

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
)

// LinkGroup says where a ProcessLink goes on the process's staff page.
type LinkGroup string

const (
	// GroupPages (the zero value) is the list of the process's pages other
	// packages offer: the dashboards, moderation.
	GroupPages LinkGroup = ""
	// GroupWorkspace is the officials' workspace: the process page is its
	// entry, and this group is listed first under its own heading. The
	// workspace registers its set-up links here ("Set up", "Phases",
	// "Translations", …) with AddProcessLink.
	GroupWorkspace LinkGroup = "workspace"
)

// ProcessLink is a page a later package hangs on a process (set-up,
// moderation, dashboards): shown on the staff home and the process page to
// those whose roles grant Perm there.
type ProcessLink struct {
	Label string // catalogue key of the staff area or plain text
	Perm  staff.Permission
	Path  func(processID int64) string
	// Needs, when set, shows the link only on processes that have a
	// component of this kind: a survey dashboard on a process without a
	// survey would answer 404.
	Needs participation.ComponentKind
	// Group places the link on the process page (GroupPages when zero).
	Group LinkGroup
	// Count, when set, is shown beside the label (the moderation queue's
	// open items); a failure to count leaves the label alone.
	Count func(ctx context.Context, processID int64) (int, error)
}

// AddProcessLink adds a link to every process's staff page. Call it before
// serving.
func (a *Area) AddProcessLink(l ProcessLink) { a.links = append(a.links, l) }

// HomeLink is an action on the staff home not tied to a process (the
// workspace's "New process"), shown to those holding Perm globally.
type HomeLink struct {
	Label string // catalogue key of the staff area or plain text
	Perm  staff.Permission
	Path  string
}

// AddHomeLink adds an action to the staff home. Call it before serving.
func (a *Area) AddHomeLink(l HomeLink) { a.homeLinks = append(a.homeLinks, l) }

// historyLink is the staff area's own entry in the workspace group: the
// process-scoped audit log, for those who may edit the process.
var historyLink = ProcessLink{Label: "history.link", Perm: staff.EditProcess, Group: GroupWorkspace,
	Path: func(id int64) string { return "/staff/processes/" + strconv.FormatInt(id, 10) + "/audit" }}

type processRow struct {
	Process   participation.Process
	Roles     []staff.Role
	Workspace []linkView // GroupWorkspace
	Links     []linkView // GroupPages
	// Gaps are the kinds of message one of the process's languages has no
	// template for (sent in English instead; messages.go).
	Gaps []TemplateGap
}

type linkView struct{ Label, URL string }

// hasKind reports whether p has a component of kind.
func hasKind(p participation.Process, kind participation.ComponentKind) bool {
	return slices.ContainsFunc(p.Components, func(c participation.Component) bool { return c.Kind == kind })
}

// needsComponents tells whether any link depends on the components, so the
// home page fetches them only then.
func (a *Area) needsComponents() bool {
	return slices.ContainsFunc(a.links, func(l ProcessLink) bool { return l.Needs != "" })
}

// visibleProcesses lists the processes u can see with u's roles on each.
func (a *Area) visibleProcesses(r *http.Request, u staff.User) ([]processRow, error) {
	ctx := r.Context()
	ids, all, err := a.svc.ProcessesVisibleTo(ctx, u)
	if err != nil {
		return nil, err
	}
	grants, err := a.svc.RolesOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	ps, err := a.opts.Store.ListProcesses(ctx, false)
	if err != nil {
		return nil, err
	}
	withComponents := a.needsComponents()
	var out []processRow
	for _, p := range ps {
		if !all && !slices.Contains(ids, p.ID) {
			continue
		}
		if withComponents {
			// ListProcesses leaves the components out; a staff member sees
			// few processes, so one read each is cheap.
			if p, err = a.opts.Store.GetProcess(ctx, p.ID, false); err != nil {
				return nil, err
			}
		}
		row := processRow{Process: p, Roles: rolesOn(u, grants, p.ID)}
		row.Workspace, row.Links = a.linksFor(r, u, p)
		out = append(out, row)
	}
	return out, nil
}

func rolesOn(u staff.User, grants []staff.Grant, processID int64) []staff.Role {
	var out []staff.Role
	if u.Admin {
		out = append(out, staff.RoleAdmin)
	}
	for _, g := range grants {
		if g.ProcessID == processID {
			out = append(out, g.Role)
		}
	}
	return out
}

// linksFor returns the links u may follow on p, by group: those whose
// permission u holds there and whose component kind p has.
func (a *Area) linksFor(r *http.Request, u staff.User, p participation.Process) (workspace, pages []linkView) {
	loc := a.loc(r)
	for _, l := range append(slices.Clone(a.links), historyLink) {
		if l.Needs != "" && !hasKind(p, l.Needs) {
			continue
		}
		if a.svc.Authorize(r.Context(), u, l.Perm, p.ID) != nil {
			continue
		}
		v := linkView{Label: loc.T(l.Label), URL: l.Path(p.ID)}
		if l.Count != nil {
			if n, err := l.Count(r.Context(), p.ID); err == nil {
				v.Label += " (" + strconv.Itoa(n) + ")"
			}
		}
		if l.Group == GroupWorkspace {
			workspace = append(workspace, v)
		} else {
			pages = append(pages, v)
		}
	}
	return workspace, pages
}

func (a *Area) home(w http.ResponseWriter, r *http.Request) {
	u := callerOf(r).user
	rows, err := a.visibleProcesses(r, u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := homeData{Rows: rows}
	for _, l := range a.homeLinks {
		if a.svc.Authorize(r.Context(), u, l.Perm, 0) == nil {
			d.Actions = append(d.Actions, linkView{Label: a.loc(r).T(l.Label), URL: l.Path})
		}
	}
	a.render(w, r, http.StatusOK, "home", "home.title", d)
}

type homeData struct {
	Rows    []processRow
	Actions []linkView // HomeLinks the user may follow
}

func processID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(mux.Vars(r)["process"], 10, 64)
	return id
}

func (a *Area) processPage(w http.ResponseWriter, r *http.Request) {
	id := processID(r)
	p, err := a.opts.Store.GetProcess(r.Context(), id, false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	u := callerOf(r).user
	grants, err := a.svc.RolesOf(r.Context(), u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	row := processRow{Process: p, Roles: rolesOn(u, grants, id)}
	row.Workspace, row.Links = a.linksFor(r, u, p)
	if a.opts.Deliveries != nil {
		row.Gaps = a.opts.Deliveries.MissingTemplates(processLanguages(p)...)
	}
	a.render(w, r, http.StatusOK, "process", "process.title", row)
}

type memberView struct {
	User staff.User
	Role staff.Role
}

func (a *Area) processStaff(w http.ResponseWriter, r *http.Request) {
	id := processID(r)
	p, err := a.opts.Store.GetProcess(r.Context(), id, false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	members, err := a.svc.StaffOf(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var rows []memberView
	for _, m := range members {
		u, err := a.svc.GetUser(r.Context(), m.UserID)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		rows = append(rows, memberView{User: u, Role: m.Role})
	}
	a.render(w, r, http.StatusOK, "process_staff", "process.staff", map[string]any{"Process": p, "Members": rows})
}
