// Package workspace is the officials' workspace (issue 10): the staff pages
// under /staff/processes/… and the staff API under /api/v1/staff/processes/…
// to create a process and set up every part of it — strategy, participation
// mode and personal fields, privacy notice, languages and translations,
// region set, components (proposals, document, survey), phases — and to
// move it through its life (draft → preview → published → closed →
// archived), or keep its set-up as a template.
//
// Every route goes through the staff guard with its rule (see routes.go);
// handlers do no authorisation of their own. Every write is recorded in the
// staff audit log with the values before and after it.
package workspace

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/htmlpage"
	"github.com/civicpulse/civicpulse/web/i18n"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// Processes is the part of the store that reads and writes a process's
// strategy and life.
type Processes interface {
	CreateProcess(ctx context.Context, p participation.Process) (int64, error)
	UpdateProcess(ctx context.Context, p participation.Process) error
	GetProcess(ctx context.Context, id int64, onlyPublished bool) (participation.Process, error)
	ListTemplates(ctx context.Context) ([]participation.Process, error)
	PublishPrivacyNotice(ctx context.Context, processID int64, text string) (participation.PrivacyNotice, error)
	// PublishDataAgreement publishes the notice with its terms
	// (participation.Consents).
	PublishDataAgreement(ctx context.Context, processID int64, n participation.PrivacyNotice) (participation.PrivacyNotice, error)
	Transition(ctx context.Context, processID int64, to participation.State, reason string) error
	ValidateForPublish(ctx context.Context, processID int64) error
	CopyProcess(ctx context.Context, fromID int64, slug, title string, asTemplate bool) (int64, error)
}

// Regions is the part of the store that keeps region sets.
type Regions interface {
	CreateRegionSet(ctx context.Context, rs participation.RegionSet) (int64, error)
	ListRegionSets(ctx context.Context) ([]participation.RegionSet, error)
	GetRegionSet(ctx context.Context, id int64) (participation.RegionSet, error)
}

// Phases is the part of the store that keeps a process's phases.
type Phases interface {
	AddPhase(ctx context.Context, ph participation.Phase) (int64, error)
	UpdatePhase(ctx context.Context, ph participation.Phase) error
	DeletePhase(ctx context.Context, id int64) error
	// PhaseChanges lists the boundaries the job queue has applied, so
	// the phases page shows that a phase did open and close by itself.
	PhaseChanges(ctx context.Context, processID int64) ([]participation.PhaseChange, error)
}

// Components is the part of the store that keeps the tools of a process and
// their content.
type Components interface {
	AddComponent(ctx context.Context, c participation.Component) (int64, error)
	GetComponent(ctx context.Context, id int64) (participation.Component, error)
	UpdateComponent(ctx context.Context, c participation.Component) error
	DeleteComponent(ctx context.Context, id int64) error
	MoveComponent(ctx context.Context, id int64, delta int) error
	PublishDocument(ctx context.Context, d participation.Document) (version int, err error)
	GetDocument(ctx context.Context, componentID int64) (participation.Document, error)
	SetSurvey(ctx context.Context, s participation.Survey) error
	GetSurvey(ctx context.Context, componentID int64) (participation.Survey, error)
	MoveQuestion(ctx context.Context, questionID int64, delta int) error
}

// Translations is the part of the store that keeps texts in the process's
// other languages.
type Translations interface {
	SetTranslations(ctx context.Context, processID int64, tr []participation.Translation) error
	Translations(ctx context.Context, processID int64) ([]participation.Translation, error)
}

// Store is everything the workspace asks of the participation store
// (participation.Setup holds all of it; *sqlstore.Store implements it).
type Store interface {
	Processes
	Regions
	Phases
	Components
	Translations
	// Reports and moderators' decisions, official answers (moderation.go,
	// answers.go).
	participation.Moderation
	GetComment(ctx context.Context, id int64) (participation.Comment, error)
	Assessments
	// The report of the results page (results.go).
	ResultsReports
	// Questions to the team (inquiries.go).
	Inquiries
	// The outreach kit's campaign links (outreach.go).
	CampaignLinks
	// The sites that may frame the kit's widget (outreach_widget.go).
	participation.WidgetOrigins
}

// PhaseScheduler schedules the jobs that open and close a process's phases
// at their dates. The workspace calls it after a phase edit and after a
// transition; cmd wires the job queue's scheduler to it.
type PhaseScheduler interface {
	SchedulePhases(ctx context.Context, processID int64) error
}

// Auditor is the staff service's part the workspace writes to
// (*staff.Service): the audit log, and the creator's role on a new process.
type Auditor interface {
	Audit(ctx context.Context, e staff.Entry) error
	// AdoptProcess makes the official who created a process its official.
	AdoptProcess(ctx context.Context, u staff.User, processID int64) error
}

// Config wires the workspace.
type Config struct {
	Store Store
	// Audit records every write; required.
	Audit Auditor
	// Scheduler is told when phases or the state change; nil skips it (no
	// job queue wired yet).
	Scheduler PhaseScheduler
	// Guard is the staff guard (staffweb.Area.Guard), used to let staff
	// preview draft processes on the citizen pages (PreviewAllowed).
	Guard  func(rule web.Staff, next http.Handler) http.Handler
	Logger *slog.Logger
	// AssetURL resolves a static file of the web package (the stylesheet).
	AssetURL func(name string) string
	// DefaultLang is the catalogue used when the browser asks for none we have.
	DefaultLang string
	// MaxUpload bounds a region-set or document upload (default 6 MiB).
	MaxUpload int64
	// Campaigns lets the moderation queue narrow to a campaign's copies
	// (the warehouse's); nil: no campaign filter.
	Campaigns Campaigns
	// Staff names who may be assigned an inquiry; nil: nobody can be.
	Staff StaffDirectory
	// SendInquiryAnswer queues an answer for the address an asker gave
	// (cmd: notify's QueueInquiryAnswer); nil: answers are only on the
	// asker's "my submissions".
	SendInquiryAnswer func(ctx context.Context, a InquiryAnswer) error
	// Channels gives the outreach kit its links' figures (the channels
	// panel's); nil: the kit lists its links without figures.
	Channels ChannelCounts
	// BaseURL is the site's address the printed links start with (e.g.
	// https://engage.county.example); empty: the address of the request.
	BaseURL string
}

// Workspace serves the officials' workspace.
type Workspace struct {
	cfg    Config
	store  Store
	log    *slog.Logger
	i18n   *i18n.Bundle // this package's texts
	domain *i18n.Bundle // the web catalogue, for the store's error keys
	pages  htmlpage.Pages
}

// New builds the workspace; it fails when its templates or catalogues do
// not load, so a broken page fails at boot.
func New(cfg Config) (*Workspace, error) {
	if cfg.Store == nil {
		return nil, errors.New("workspace: Config.Store is required")
	}
	if cfg.Audit == nil {
		return nil, errors.New("workspace: Config.Audit is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.DefaultLang == "" {
		cfg.DefaultLang = "en"
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 6 << 20
	}
	ws := &Workspace{cfg: cfg, store: cfg.Store, log: cfg.Logger}
	var err error
	if ws.i18n, err = loadCatalogue(cfg.DefaultLang); err != nil {
		return nil, err
	}
	if ws.domain, err = i18n.Load(cfg.DefaultLang); err != nil {
		return nil, err
	}
	if ws.pages, err = ws.loadTemplates(); err != nil {
		return nil, err
	}
	return ws, nil
}

// Mount registers the workspace's pages and API; pass it to
// (*web.Server).Mount.
func (ws *Workspace) Mount(_ *mux.Router, reg web.Registrar) { ws.routes(reg) }

// EntryPath is the workspace page of a process, for the staff process
// page's link (staffweb.Area.AddProcessLink).
func EntryPath(processID int64) string { return processPath(processID) + "/setup" }

// PreviewAllowed reports whether the request comes from a staff member
// holding a role on the process, who may see it on the citizen pages while
// it is a draft or in preview. It asks the staff guard, so the answer is
// the guard's and nobody else's.
func (ws *Workspace) PreviewAllowed(r *http.Request, processID int64) bool {
	if ws.cfg.Guard == nil {
		return false
	}
	ok := false
	h := ws.cfg.Guard(web.Staff{Role: string(staff.ViewDashboard)}, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ok = true }))
	h.ServeHTTP(discard{}, mux.SetURLVars(r, map[string]string{"process": itoa(processID)}))
	return ok
}

type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// schedule tells the job queue that the process's boundaries may have
// moved. A failure does not undo the official's edit: the queue's periodic
// reconcile schedules what is missing, so it is logged, not shown.
func (ws *Workspace) schedule(ctx context.Context, r *http.Request, processID int64) {
	if ws.cfg.Scheduler == nil {
		return
	}
	if err := ws.cfg.Scheduler.SchedulePhases(ctx, processID); err != nil {
		ws.log.Warn("workspace: unable to schedule phases", "request_id", web.RequestID(r), "process", processID, "err", err)
	}
}

// adopt gives the creator of a new process its official role, so that an
// official (not only an admin) who opens a process can then set it up.
func (ws *Workspace) adopt(r *http.Request, processID int64) error {
	u, ok := userFrom(r)
	if !ok {
		return errors.New("workspace: a process was created without a signed-in user")
	}
	return ws.cfg.Audit.AdoptProcess(r.Context(), u, processID)
}

// audit records a write. A failure to audit is an internal error: the
// footer promises every change is recorded.
func (ws *Workspace) audit(r *http.Request, action string, processID int64, target string, before, after any) error {
	var actor int64
	if u, ok := userFrom(r); ok {
		actor = u.ID
	}
	if err := ws.cfg.Audit.Audit(r.Context(), staff.Entry{ActorID: actor, Action: action, ProcessID: processID,
		Target: target, Before: before, After: after}); err != nil {
		return err
	}
	return nil
}

var nowFunc = time.Now

// Attach mounts the workspace on the site and hangs its entry links on each
// process's staff page (the workspace group, for those who may edit it).
func (ws *Workspace) Attach(site *web.Server, area *staffweb.Area) {
	if ws.cfg.AssetURL == nil {
		ws.cfg.AssetURL = site.AssetURL
	}
	site.Mount(ws.Mount)
	area.AddHomeLink(staffweb.HomeLink{Label: "workspace.new", Perm: staff.CreateProcess, Path: "/staff/processes/new"})
	for _, l := range []struct{ label, path string }{
		{"workspace.setup", "/setup"}, {"workspace.strategy", "/strategy"}, {"workspace.phases", "/phases"},
		{"workspace.questions", "/questions"},
		{"workspace.assessment", "/assessment"}, {"workspace.outreach", "/outreach"},
	} {
		area.AddProcessLink(staffweb.ProcessLink{Label: l.label, Perm: staff.EditProcess, Group: staffweb.GroupWorkspace,
			Path: func(id int64) string { return processPath(id) + l.path }})
	}
	// The team's inbox, with its new questions counted on the staff home.
	area.AddProcessLink(staffweb.ProcessLink{Label: "inquiries.title", Perm: staff.EditProcess, Path: InboxPath,
		Count: func(ctx context.Context, id int64) (int, error) {
			c, err := ws.store.InquiryCounts(ctx, id)
			return c[participation.InquiryNew], err
		}})
	// The moderation queue, with its open items counted on the staff home.
	area.AddProcessLink(staffweb.ProcessLink{Label: "moderation.queue", Perm: staff.Moderate, Path: QueuePath,
		Count: func(ctx context.Context, id int64) (int, error) {
			_, n, err := ws.store.ModerationQueue(ctx, participation.QueueFilter{ProcessID: id, Limit: 1})
			return n, err
		}})
}
