package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/gorilla/mux"
)

// Access is who may call a route. Every route states one: the registration
// functions take it as a required argument and refuse nil, so a route
// cannot slip in without a rule. The set is closed (the method is
// unexported): Public, Participant and Staff.
type Access interface {
	access()
	String() string
}

type publicAccess struct{}
type participantAccess struct{}

func (publicAccess) access()             {}
func (publicAccess) String() string      { return "public" }
func (participantAccess) access()        {}
func (participantAccess) String() string { return "participant" }

var (
	// Public routes answer anyone.
	Public Access = publicAccess{}
	// Participant routes act for a citizen: on pages the participant is
	// created on the first write (anonymous, bound to a signed cookie); on
	// the API the bearer token is required (401 without it).
	Participant Access = participantAccess{}
)

// Staff routes need a signed-in staff member holding Role for the process
// the request concerns. The staff package decides through Config.StaffGuard;
// without a guard they answer 404 (no hint that they exist).
type Staff struct{ Role string }

func (Staff) access()          {}
func (s Staff) String() string { return "staff:" + s.Role }

// RouteInfo describes one registered route.
type RouteInfo struct {
	Name   string
	Method string
	Path   string // mux template, e.g. /api/v1/proposals/{id}
	Access Access
	API    bool // under /api/: bearer-authenticated, no CSRF, problem+json errors
}

// Registrar adds routes through the recorder. Mount hands one to other
// packages so their routes get the same middleware and show in Routes().
type Registrar interface {
	// Handle registers h for method and path. rule must not be nil.
	Handle(name, method, path string, rule Access, h http.Handler, opts ...RouteOption) *mux.Route
	HandleFunc(name, method, path string, rule Access, h http.HandlerFunc, opts ...RouteOption) *mux.Route
}

// RouteOption tunes one route.
type RouteOption func(*routeOptions)

type routeOptions struct {
	maxBody  int64
	oneClick bool // RFC 8058 one-click POSTs pass without a CSRF token (messages.go)
}

// MaxBody raises (or lowers) the request body limit of a route, e.g. for uploads.
func MaxBody(n int64) RouteOption { return func(o *routeOptions) { o.maxBody = n } }

const defaultMaxBody = 1 << 20

type registrar struct{ s *Server }

func (g registrar) HandleFunc(name, method, path string, rule Access, h http.HandlerFunc, opts ...RouteOption) *mux.Route {
	return g.Handle(name, method, path, rule, h, opts...)
}

func (g registrar) Handle(name, method, path string, rule Access, h http.Handler, opts ...RouteOption) *mux.Route {
	s := g.s
	if rule == nil {
		panic(fmt.Sprintf("web: route %s %s %s registered without an access rule", name, method, path))
	}
	if name == "" || method == "" || path == "" {
		panic(fmt.Sprintf("web: route %q %q %q needs a name, a method and a path", name, method, path))
	}
	for _, ri := range s.routes {
		if ri.Name == name {
			panic("web: route name registered twice: " + name)
		}
	}
	o := routeOptions{maxBody: defaultMaxBody}
	for _, f := range opts {
		f(&o)
	}
	info := RouteInfo{Name: name, Method: method, Path: path, Access: rule, API: strings.HasPrefix(path, "/api/")}
	s.routes = append(s.routes, info)
	return s.router.Handle(path, s.wrap(info, o, h)).Methods(method).Name(name)
}

// Routes lists every registered route, sorted by path then method.
func (s *Server) Routes() []RouteInfo {
	out := append([]RouteInfo(nil), s.routes...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// Router is the underlying router, e.g. to build URLs by route name.
// Routes added to it directly bypass the recorder and its middleware:
// use Mount.
func (s *Server) Router() *mux.Router { return s.router }

// Mount lets another package (staff pages, dashboards) add its routes.
func (s *Server) Mount(f func(r *mux.Router, reg Registrar)) { f(s.router, registrar{s}) }
