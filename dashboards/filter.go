package dashboards

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Filter is what a viewer narrows a dashboard to. It round-trips through
// the URL (Values / ParseFilter) so a view can be shared as a link.
type Filter struct {
	Process   int64
	From, To  time.Time // UTC, To exclusive; zero: the process's start / now
	Phase     int64     // narrows From/To to the phase's dates
	Region    string
	Component int64
	Bucket    string // "hour" or "day"; "" picks by the range's length

	// Panel-specific choices.
	Question  int64
	Question2 int64 // 0: cross with region
	Section   int64
	Theme     int64 // the insights dashboard's drill-down
}

const dateLayout = "2006-01-02"

// ParseFilter reads the filter of a dashboard URL; malformed values are
// ignored (a mistyped link shows the default view, not an error).
func ParseFilter(process int64, v url.Values) Filter {
	f := Filter{Process: process, Region: v.Get("region")}
	if len(f.Region) > 32 {
		f.Region = ""
	}
	f.From = parseDate(v.Get("from"))
	if t := parseDate(v.Get("to")); !t.IsZero() {
		f.To = t.Add(24 * time.Hour) // the "to" day is included
	}
	f.Phase = parseID(v.Get("phase"))
	f.Component = parseID(v.Get("component"))
	f.Question = parseID(v.Get("question"))
	f.Question2 = parseID(v.Get("question2"))
	f.Section = parseID(v.Get("section"))
	f.Theme = parseID(v.Get("theme"))
	// The themes' scope picker names one scope: it stands for the
	// section, question or component it names.
	if kind, id, ok := strings.Cut(v.Get("scope"), ":"); ok {
		switch n := parseID(id); kind {
		case "section":
			f.Section, f.Question = n, 0
		case "question":
			f.Section, f.Question = 0, n
		case "component":
			f.Section, f.Question, f.Component = 0, 0, n
		}
	}
	if b := v.Get("bucket"); b == "hour" || b == "day" {
		f.Bucket = b
	}
	return f
}

// Values encodes the filter for a URL (zero fields are left out).
func (f Filter) Values() url.Values {
	v := url.Values{}
	if !f.From.IsZero() {
		v.Set("from", f.From.UTC().Format(dateLayout))
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.Add(-24*time.Hour).UTC().Format(dateLayout))
	}
	set := func(k string, n int64) {
		if n != 0 {
			v.Set(k, strconv.FormatInt(n, 10))
		}
	}
	set("phase", f.Phase)
	set("component", f.Component)
	set("question", f.Question)
	set("question2", f.Question2)
	set("section", f.Section)
	set("theme", f.Theme)
	if f.Region != "" {
		v.Set("region", f.Region)
	}
	if f.Bucket != "" {
		v.Set("bucket", f.Bucket)
	}
	return v
}

func parseDate(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func parseID(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// Refusal is a filter or request the dashboards refuse, with its message
// as a catalogue key and arguments, so the page says it in the viewer's
// language. It is an ErrInvalid.
type Refusal struct {
	Key  string
	Args []any
}

func (e *Refusal) Error() string { return "dashboards: invalid: " + Messages("en").T(e.Key, e.Args...) }

func (e *Refusal) Is(target error) bool { return target == ErrInvalid }

// Check refuses what the process cannot have: a region outside its region
// set (an unknown code used to show everything, as if no region were asked).
func (v View) Check() error {
	if v.Region == "" {
		return nil
	}
	if _, ok := v.P.RegionNames[v.Region]; !ok {
		return &Refusal{Key: "dash.err.region", Args: []any{v.Region}}
	}
	return nil
}
