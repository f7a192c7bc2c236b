package workspace

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/civicpulse/civicpulse/participation"
)

// The strategy form: every field of the participation strategy
// (GovStack INST-3 step 1). Field names are the process's json names, so
// the store's refusals land beside the field they name.
var strategyFields = []string{"title", "slug", "summary", "objective", "level", "sector", "scope", "budget", "currency",
	"starts_at", "ends_at", "responsible_officials", "expected_outcome", "feedback_method", "target_participants",
	"time_zone", "languages", "face_to_face"}

// fieldAlias maps a store field name to the form field it belongs beside.
var fieldAlias = map[string]string{"budget_minor": "budget"}

func alias(m map[string]string) {
	for from, to := range fieldAlias {
		if v, ok := m[from]; ok {
			add(m, to, v)
			delete(m, from)
		}
	}
}

var (
	levels = []participation.Level{participation.LevelInform, participation.LevelConsult, participation.LevelCoCreate}
	scopes = []participation.Scope{participation.ScopeLocal, participation.ScopeProvincial, participation.ScopeNational, participation.ScopeRegional}
)

func zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}

const dayLayout, minuteLayout = "2006-01-02", "2006-01-02T15:04"

// strategyValues is the form as the process holds it.
func strategyValues(p participation.Process) url.Values {
	loc := zone(p.TimeZone)
	v := url.Values{}
	v.Set("title", p.Title)
	v.Set("slug", p.Slug)
	v.Set("summary", p.Summary)
	v.Set("objective", p.Objective)
	v.Set("level", string(p.Level))
	v.Set("sector", p.Sector)
	v.Set("scope", string(p.Scope))
	if p.BudgetMinor != 0 {
		v.Set("budget", minorToMajor(p.BudgetMinor))
	}
	v.Set("currency", p.Currency)
	if !p.StartsAt.IsZero() {
		v.Set("starts_at", p.StartsAt.In(loc).Format(dayLayout))
	}
	if !p.EndsAt.IsZero() {
		v.Set("ends_at", p.EndsAt.In(loc).Add(-time.Nanosecond).Format(dayLayout)) // the last day it runs
	}
	v.Set("responsible_officials", strings.Join(p.Officials, "\n"))
	v.Set("expected_outcome", p.ExpectedOutcome)
	v.Set("feedback_method", p.FeedbackMethod)
	if p.TargetParticipants != 0 {
		v.Set("target_participants", strconv.Itoa(p.TargetParticipants))
	}
	v.Set("time_zone", p.TimeZone)
	v.Set("languages", strings.Join(p.Languages, ", "))
	v.Set("face_to_face", strings.Join(p.FaceToFace, "\n"))
	return v
}

func minorToMajor(minor int64) string {
	if minor%100 == 0 {
		return strconv.FormatInt(minor/100, 10)
	}
	return fmt.Sprintf("%d.%02d", minor/100, abs(minor%100))
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// applyStrategy reads the strategy form into p. What cannot even be parsed
// (a budget that is no number, a date that is no date) is refused here, in
// the official's language; the store checks the rest.
func (ws *Workspace) applyStrategy(loc interface{ T(string, ...any) string }, f *form, p *participation.Process) {
	g := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	p.Title, p.Summary, p.Objective = g("title"), g("summary"), g("objective")
	if s := g("slug"); s != "" {
		p.Slug = s
	}
	p.Level, p.Scope, p.Sector = participation.Level(g("level")), participation.Scope(g("scope")), g("sector")
	p.ExpectedOutcome, p.FeedbackMethod = g("expected_outcome"), g("feedback_method")
	p.Currency = strings.ToUpper(g("currency"))
	p.Officials = lines(f.Get("responsible_officials"))
	p.FaceToFace = lines(f.Get("face_to_face"))
	if p.Title == "" {
		f.Errors["title"] = loc.T("err.required")
	}
	p.BudgetMinor = 0
	if s := strings.ReplaceAll(g("budget"), ",", ""); s != "" {
		n, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || math.IsNaN(n) || math.IsInf(n, 0):
			f.Errors["budget"] = loc.T("err.number")
		case n < 0:
			f.Errors["budget"] = loc.T("err.negative")
		case n > 1e15:
			f.Errors["budget"] = loc.T("err.too_large_number")
		default:
			p.BudgetMinor = int64(math.Round(n * 100))
		}
	}
	if p.BudgetMinor > 0 && len(p.Currency) != 3 {
		f.Errors["currency"] = loc.T("err.currency")
	}
	p.TargetParticipants = 0
	if s := g("target_participants"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			f.Errors["target_participants"] = loc.T("err.whole_number")
		} else {
			p.TargetParticipants = n
		}
	}
	p.TimeZone = g("time_zone")
	tz, err := time.LoadLocation(p.TimeZone)
	if p.TimeZone == "" || err != nil {
		f.Errors["time_zone"] = loc.T("err.time_zone")
		tz = time.UTC
	}
	for _, k := range []string{"starts_at", "ends_at"} {
		t, err := time.ParseInLocation(dayLayout, g(k), tz)
		if err != nil {
			f.Errors[k] = loc.T("err.date")
			continue
		}
		if k == "starts_at" {
			p.StartsAt = t.UTC()
		} else {
			// A process runs to the end of its last day.
			p.EndsAt = t.AddDate(0, 0, 1).UTC()
		}
	}
	p.Languages = nil
	for _, l := range strings.FieldsFunc(g("languages"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		tag, err := language.Parse(l)
		if err != nil {
			f.Errors["languages"] = loc.T("err.language", l)
			continue
		}
		if s := tag.String(); !contains(p.Languages, s) {
			p.Languages = append(p.Languages, s)
		}
	}
	if len(p.Languages) == 0 && f.Errors["languages"] == "" {
		f.Errors["languages"] = loc.T("err.required")
	}
}
