package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/civicpulse/civicpulse"
	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/demo"
	"github.com/civicpulse/civicpulse/export"
	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/insights"
	"github.com/civicpulse/civicpulse/jobs"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/report"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/warehouse"
	"github.com/civicpulse/civicpulse/warehouse/console"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/consoleweb"
	"github.com/civicpulse/civicpulse/web/dashweb"
	"github.com/civicpulse/civicpulse/web/guides"
	"github.com/civicpulse/civicpulse/web/opendata"
	"github.com/civicpulse/civicpulse/web/staffweb"
	"github.com/civicpulse/civicpulse/web/staffweb/staffnotify"
	"github.com/civicpulse/civicpulse/web/workspace"
)

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	addr := fs.String("addr", envOr("CIVICPULSE_ADDR", "127.0.0.1:8080"), "address to listen on (env CIVICPULSE_ADDR)")
	withDemo := fs.Bool("demo", false, "on first start (no process in the store), create the demo processes")
	demoSize := fs.Int("demo-participants", 3000, "participants the demo simulates")
	noIngest := fs.Bool("no-ingest", false, "do not run the ingester in this process")
	secure := fs.Bool("secure-cookies", envOr("CIVICPULSE_SECURE", "") == "true", "mark cookies Secure and send HSTS (behind HTTPS; env CIVICPULSE_SECURE=true)")
	baseURL := fs.String("base-url", envOr("CIVICPULSE_BASE_URL", ""), "public URL of the site, for links in messages (env CIVICPULSE_BASE_URL)")
	proxies := fs.String("trusted-proxies", envOr("CIVICPULSE_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR prefixes of the reverse proxies in front of the site, whose X-Forwarded-For is believed (env CIVICPULSE_TRUSTED_PROXIES)")
	perIP := fs.Int("writes-per-ip", envInt("CIVICPULSE_WRITES_PER_IP", 0), "writes per minute from one client address (0: 120; negative: no limit); behind a NAT many citizens share one (env CIVICPULSE_WRITES_PER_IP)")
	perParticipant := fs.Int("writes-per-participant", envInt("CIVICPULSE_WRITES_PER_PARTICIPANT", 0), "writes per minute from one participant (0: 60; env CIVICPULSE_WRITES_PER_PARTICIPANT)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.Default()
	siteBase, err := siteURL(*baseURL, *addr, *secure)
	if err != nil {
		return err
	}
	*baseURL = siteBase

	store, err := sqlstore.Open(ctx, cfg.storeURL())
	if err != nil {
		return err
	}
	defer store.Close()
	fillKenyaMaps(ctx, store)

	if *withDemo {
		if err := demoOnFirstStart(ctx, store, *demoSize); err != nil {
			return err
		}
	}

	// Messages (issue 12): SMTP and the SMS gateway, or the local mailbox;
	// the job queue drains them and is kicked whenever some are queued.
	messages, mailbox, mailToMailbox, err := openNotify(ctx, os.Getenv, &cfg, store, *baseURL, log)
	if err != nil {
		return err
	}
	defer messages.Close()

	// The event dispatcher turns outbox events into messages; the job
	// queue sends its morning digests.
	dispatcher, err := messages.NewDispatcher(ctx, store, notify.DispatchOptions{})
	if err != nil {
		return err
	}
	scheduler, err := startJobsWith(ctx, &cfg, store, jobs.Options{Deliveries: messages, Digests: dispatcher})
	if err != nil {
		return err
	}
	defer stopJobs(scheduler)
	messages.SetKick(scheduler.KickDeliveries)
	// Messages left queued by a server that died are sent at once, not at
	// the periodic drain, which waits for the dead leader's lease to lapse.
	scheduler.KickDeliveries(ctx)

	secret, err := cfg.secret("CIVICPULSE_SECRET", "secret.key")
	if err != nil {
		return err
	}

	var wg sync.WaitGroup
	runCtx, stopIngest := context.WithCancel(ctx)
	defer stopIngest()
	// A goroutine beside the ingester, not a job: it tails the outbox and
	// wakes on each commit (see notify.Dispatcher.Run); shutdown cancels
	// runCtx and waits for it below.
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := dispatcher.Run(runCtx); err != nil {
			log.Error("event dispatcher stopped", "err", err)
		}
	}()
	// The warehouse lives in this process (DuckDB takes one writer); the
	// ingester fills it and the dashboards read it.
	var wh *warehouse.Warehouse
	if !*noIngest {
		var ing *ingest.Ingester
		wh, ing, err = openIngester(&cfg, store)
		if err != nil {
			return err
		}
		defer wh.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ing.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
				log.Error("ingester stopped", "err", err)
			}
		}()
	}

	// Staff area (issue 4): the staff service on the same database, its
	// guard deciding every Staff route, its pages mounted on the site.
	staffSvc, err := staff.Open(ctx, store.DB(), staff.WithSecretKey(staffKey(secret)), staff.WithLogger(log))
	if err != nil {
		return err
	}
	// Retention (issue 14): purges are audited by the staff service.
	scheduler.SetRetention(ctx, jobs.Retention{Store: store, Audit: staffSvc})
	staffBox, mailWhere := mailboxFor(os.Getenv, mailbox)
	staffArea, err := staffweb.New(staffSvc, staffweb.Options{Store: store, Logger: log, Secure: *secure, BaseURL: *baseURL,
		SendLink: sendStaffLink(messages), ShowSentLinks: mailToMailbox,
		Deliveries: staffnotify.NewDeliveries(messages), Mailbox: staffBox, MailWhere: mailWhere, Alerts: staffAlerts{messages}})
	if err != nil {
		return err
	}
	// End of the staff wiring (continued by Attach below).

	// The officials' workspace (issue 10): its phase edits and transitions
	// reschedule the phase jobs.
	campaigns := &campaignSource{}
	ws, err := workspace.New(workspace.Config{Store: store, Audit: staffSvc, Scheduler: scheduler,
		Guard: staffArea.Guard, Logger: log, Campaigns: campaigns, Channels: campaigns, BaseURL: *baseURL,
		Staff: staffSvc, SendInquiryAnswer: sendInquiryAnswer(messages, *baseURL)})
	if err != nil {
		return err
	}

	trusted, err := parsePrefixes(*proxies)
	if err != nil {
		return fmt.Errorf("serve: --trusted-proxies: %w", err)
	}
	site, err := web.New(web.Config{
		Store:            store,
		Logger:           log,
		SecretKey:        secret,
		Secure:           *secure,
		BaseURL:          *baseURL,
		StaffGuard:       staffArea.Guard,
		PreviewAllowed:   ws.PreviewAllowed,
		SendVerification: sendVerification(messages, store),
		Messages:         citizenMessages{messages},
		TrustedProxies:   trusted,
		RateLimits:       web.RateLimits{PerIPPerMinute: *perIP, PerParticipantPerMinute: *perParticipant},
	})
	if err != nil {
		return err
	}
	staffArea.Attach(site)
	ws.Attach(site, staffArea)
	// The citizens' guide and the officials' manual (issue 19), rendered
	// once here so that a broken page stops the start.
	help, err := guides.New(guides.Options{Logger: log})
	if err != nil {
		return err
	}
	help.Attach(site)
	if wh != nil {
		if err := mountDashboards(runCtx, site, staffArea, wh, store, staffSvc, &wg, scheduler, messages, campaigns, *baseURL); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: unable to listen on %s: %w", *addr, err)
	}
	srv := &http.Server{
		Handler:           site,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      0, // server-sent events stream for as long as a monitor is open
		IdleTimeout:       120 * time.Second,
	}
	log.Info("civicpulse serving", "url", "http://"+ln.Addr().String()+"/", "store", storeKind(cfg.storeURL()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	srv.Shutdown(shutCtx)
	stopIngest()
	wg.Wait()
	return nil
}

// mountDashboards adds the dashboards (issue 5) to the site, links them from
// each process's staff page and starts the scheduled alert check.
func mountDashboards(ctx context.Context, site *web.Server, area *staffweb.Area, wh *warehouse.Warehouse, store *sqlstore.Store, audit *staff.Service, wg *sync.WaitGroup, sched *jobs.Scheduler, messages *notify.Service, campaigns *campaignSource, baseURL string) error {
	d, err := dashboards.New(ctx, wh.Read(), nil)
	if err != nil {
		return err
	}
	campaigns.d.Store(d)
	// The low-engagement alerts reach the officials by email too.
	sched.SetAlerts(jobs.Alerts{Rules: store, Eval: d, Staff: audit, Messages: messages})
	// Themes, campaigns and opinion groups (issue 6): the jobs follow the
	// warehouse; officials' theme edits reach them through the dashboards.
	jobs, err := insights.New(wh, insights.Options{Logger: slog.Default()})
	if err != nil {
		return err
	}
	d.SetThemeEditor(themeEditor{jobs})
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := jobs.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			slog.Error("insights stopped", "err", err)
		}
	}()
	// The complete export reads the same read pool: the export command
	// cannot open the file while serve holds it (issue 15).
	ex, err := export.New(wh.Read())
	if err != nil {
		return err
	}
	// The overview documents too, with what only the store knows (the
	// process's language and summary, scores, section responses).
	rep, err := report.New(wh.Read(), store)
	if err != nil {
		return err
	}
	site.Mount(dashweb.New(dashweb.Config{Dash: d, BaseURL: baseURL, Live: wh, Decisions: store, Audit: audit, Authorize: audit.Authorize, Regions: store, Results: store,
		Exports: ex, Reports: rep, Assets: site, Logger: slog.Default()}).Routes)
	// The analysts' SQL console reads the same pool, each query scoped to
	// its process (issue 15).
	con, err := console.New(wh.Read(), console.Limits{})
	if err != nil {
		return err
	}
	// Published processes' results as open data, suppressed as the
	// results page is.
	site.Mount(opendata.New(opendata.Config{Dash: d, Logger: slog.Default()}).Routes)
	site.Mount(consoleweb.New(consoleweb.Config{Console: con, Processes: store, Audit: audit, Assets: site, Logger: slog.Default()}).Routes)
	for _, l := range dashboardLinks() {
		area.AddProcessLink(l)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		d.RunAlerts(ctx, time.Minute, slog.Default())
	}()
	return nil
}

// dashboardLinks are the process page's links to the dashboards and to the
// complete export. A dashboard about one tool is linked only from processes
// that have it: the survey dashboard of a survey-less process answers 404.
func dashboardLinks() []staffweb.ProcessLink {
	needs := map[string]participation.ComponentKind{
		"survey": participation.KindSurvey, "document": participation.KindDocument, "proposals": participation.KindProposals,
	}
	var out []staffweb.ProcessLink
	for _, db := range dashboards.All() {
		out = append(out, staffweb.ProcessLink{
			Label: db.Title,
			Perm:  staff.ViewDashboard,
			Path:  func(id int64) string { return fmt.Sprintf("/staff/p/%d/dashboards/%s", id, db.Name) },
			Needs: needs[db.Name],
		})
	}
	// The complete export (zip) and the overview documents, for those who
	// may export; a document about one tool only where the process has it.
	out = append(out, staffweb.ProcessLink{Label: "export.link", Perm: staff.Export, Path: dashweb.ExportPath},
		staffweb.ProcessLink{Label: "export.parquet_link", Perm: staff.Export, Path: dashweb.ParquetPath},
		staffweb.ProcessLink{Label: "console.link", Perm: staff.Export, Path: consoleweb.Path})
	for _, kind := range report.Kinds {
		for _, format := range []string{report.PDF, report.HTML} {
			out = append(out, staffweb.ProcessLink{Label: "report.link." + kind + "_" + format, Perm: staff.Export,
				Path: dashweb.ReportPath(kind, format), Needs: reportNeeds[kind]})
		}
	}
	return out
}

// reportNeeds is the tool each overview document is about.
var reportNeeds = map[string]participation.ComponentKind{
	report.Ideas: participation.KindProposals, report.Comments: participation.KindDocument, report.Survey: participation.KindSurvey,
}

// fillKenyaMaps gives the ready-made Kenya set its built-in county map in
// stores made before the set carried it (the dashboards once drew Kenya's
// map for it themselves); a set with a map keeps its own, so every start
// may run it. A failure costs only the map, so it is logged, not fatal.
func fillKenyaMaps(ctx context.Context, store *sqlstore.Store) {
	sets, err := store.ListRegionSets(ctx)
	if err != nil {
		slog.Warn("unable to list the region sets to fill Kenya's map", "err", err)
		return
	}
	for _, rs := range sets {
		if !participation.KenyaCounties(rs) {
			continue
		}
		filled, err := store.FillRegionSetMap(ctx, rs.ID, civicpulse.KenyaCountiesGeoJSON)
		if err != nil {
			slog.Warn("unable to fill Kenya's map", "region_set", rs.ID, "err", err)
			continue
		}
		if filled {
			slog.Info("region set given Kenya's built-in county map", "region_set", rs.ID)
		}
	}
}

// demoOnFirstStart creates the demo processes when the store holds none, so
// that make run shows a live consultation on a bare clone and keeps what was
// added on later starts.
func demoOnFirstStart(ctx context.Context, store *sqlstore.Store, participants int) error {
	ps, err := store.ListProcesses(ctx, false)
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		return nil
	}
	slog.Info("first start: generating the demo processes", "participants", participants)
	res, err := demo.Generate(ctx, store, demo.Options{Participants: participants})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	// The public results page of the demo shows what an official would
	// publish at the end of a consultation (staff 0: the system).
	for _, panel := range demoPublicPanels {
		if dashboards.FindPanel(panel) == nil {
			return fmt.Errorf("demo: no panel %q to publish", panel)
		}
		if _, err := store.PublishPanel(ctx, res.ProcessID, panel, 0); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	slog.Info("demo ready", "process", res.Slug, "participants", res.Participants, "proposals", res.Proposals,
		"comments", res.Comments, "responses", res.Responses, "visits", res.Visits, "took", res.Elapsed.Round(time.Millisecond))
	return nil
}

var demoPublicPanels = []string{"inputs", "regions", "proposal-ranking", "proposal-budget-regions", "document-sections", "survey-questions", "themes"}

func openIngester(cfg *config, store *sqlstore.Store) (*warehouse.Warehouse, *ingest.Ingester, error) {
	key, err := pseudonymKey(cfg)
	if err != nil {
		return nil, nil, err
	}
	wh, err := warehouse.Open(cfg.warehousePath())
	if err != nil {
		return nil, nil, err
	}
	ing, err := ingest.New(store, wh, ingest.Options{Key: key})
	if err != nil {
		wh.Close()
		return nil, nil, err
	}
	return wh, ing, nil
}

// pseudonymKey is the HMAC key that turns participant ids into pseudonyms in
// the warehouse: from CIVICPULSE_PSEUDONYM_KEY, or generated once under the
// data folder for the embedded default.
func pseudonymKey(cfg *config) ([]byte, error) {
	if v := os.Getenv("CIVICPULSE_PSEUDONYM_KEY"); v != "" {
		return ingest.ParseKey(v)
	}
	return ingest.LoadOrCreateKey(filepath.Join(cfg.dataDir, "pseudonym.key"))
}

func storeKind(url string) string {
	if len(url) > 7 && url[:7] == "sqlite:" {
		return "sqlite " + filepath.Clean(url[7:])
	}
	return "postgres"
}

// siteURL is the address links in messages start with: --base-url, or on
// a server bound to one host the address it listens on (the embedded
// default, 127.0.0.1:8080). Listening on every interface, the public
// address cannot be known, and taking it from a request's Host header
// would let a stranger choose where invitation links point.
func siteURL(base, addr string, secure bool) (string, error) {
	if base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("serve: --base-url %q is not an absolute http(s) address", base)
		}
		return strings.TrimRight(base, "/"), nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("serve: --addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return "", fmt.Errorf("serve: listening on %s, set --base-url (or CIVICPULSE_BASE_URL) to the site's public address for the links it sends", addr)
	}
	scheme := "http"
	if secure {
		scheme = "https"
	}
	return scheme + "://" + net.JoinHostPort(host, port), nil
}
