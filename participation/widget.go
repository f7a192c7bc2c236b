package participation

import (
	"context"
	"net/url"
	"sort"
	"strings"
)

// The embeddable widget of the outreach kit (issue 19): the institution
// puts the process's card on its own website in an <iframe>. Browsers let
// a page be framed only by the origins its frame-ancestors directive
// names, so the official lists those origins here and every other site is
// refused; an empty list frames nowhere.

// EvWidgetOriginsSet records a new list (the warehouse keeps none of it).
const EvWidgetOriginsSet EventType = "widget_origins.set" // {"staff_id","origins"}

// WidgetOriginsMax keeps the header short: an institution has a site or
// two, not dozens.
const WidgetOriginsMax = 20

// WidgetOrigins is the store's part for the allow-list.
type WidgetOrigins interface {
	// WidgetOrigins lists the origins that may frame the process's
	// widget, sorted.
	WidgetOrigins(ctx context.Context, processID int64) ([]string, error)
	// SetWidgetOrigins replaces the list (ParseWidgetOrigins first) and
	// writes its widget_origins.set event; it returns the list stored.
	SetWidgetOrigins(ctx context.Context, processID, staffID int64, origins []string) ([]string, Written, error)
}

// ParseWidgetOrigins reads origins typed one a line (or separated by
// spaces or commas) and returns them normalised (scheme://host[:port],
// lower-case, without duplicates, sorted). Only https origins of a named
// host are taken: a framing page over plain http could be anyone on the
// path, and a wildcard or a path would not mean what the official thinks.
// Every refused line is reported with the line itself, on "origins".
func ParseWidgetOrigins(text string) ([]string, error) {
	var v ValidationErrors
	seen := map[string]bool{}
	var out []string
	for _, raw := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' || r == ' ' || r == '\t' || r == ',' }) {
		o, ok := widgetOrigin(raw)
		if !ok {
			v.Add("origins", "err.widget_origin", "%q is not an https origin such as https://www.county.go.ke", raw)
			continue
		}
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	if len(v) == 0 && len(out) > WidgetOriginsMax {
		v.Add("origins", "err.widget_origins_many", "at most %d origins", WidgetOriginsMax)
	}
	if len(v) > 0 {
		return nil, v
	}
	sort.Strings(out)
	return out, nil
}

// widgetOrigin normalises one origin, or says it is none.
func widgetOrigin(s string) (string, bool) {
	if len(s) > 200 {
		return "", false
	}
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || u.Scheme != "https" || u.Opaque != "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	if host == "" || strings.Trim(host, ".") != host || !strings.Contains(host, ".") && host != "localhost" {
		return "", false
	}
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return "", false // no wildcards, no IPv6 brackets, no quotes that would break the header
		}
	}
	o := "https://" + host
	if p := u.Port(); p != "" {
		for _, r := range p {
			if r < '0' || r > '9' {
				return "", false
			}
		}
		if p != "443" {
			o += ":" + p
		}
	}
	return o, true
}
