package processfile

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// Reader is what Export reads from the store.
type Reader interface {
	GetProcess(ctx context.Context, id int64, onlyPublished bool) (participation.Process, error)
	GetRegionSet(ctx context.Context, id int64) (participation.RegionSet, error)
	GetDocument(ctx context.Context, componentID int64) (participation.Document, error)
	GetSurvey(ctx context.Context, componentID int64) (participation.Survey, error)
	Translations(ctx context.Context, processID int64) ([]participation.Translation, error)
}

type entity struct {
	kind participation.EntityKind
	id   int64
}

// Export writes the set-up of process id (draft or not) as a File.
func Export(ctx context.Context, s Reader, id int64) (File, error) {
	p, err := s.GetProcess(ctx, id, false)
	if err != nil {
		return File{}, err
	}
	tr, err := s.Translations(ctx, id)
	if err != nil {
		return File{}, fmt.Errorf("processfile: unable to read translations: %w", err)
	}
	texts := map[entity]Texts{}
	for _, t := range tr {
		if t.Text == "" {
			continue
		}
		e := entity{t.Entity, t.EntityID}
		if texts[e] == nil {
			texts[e] = Texts{}
		}
		if texts[e][t.Lang] == nil {
			texts[e][t.Lang] = map[string]string{}
		}
		texts[e][t.Lang][t.Field] = t.Text
	}
	f := File{Version: Version, Process: fileProcess(p, texts[entity{participation.EntityProcess, p.ID}])}
	if p.RegionSetID != 0 {
		rs, err := s.GetRegionSet(ctx, p.RegionSetID)
		if err != nil {
			return File{}, fmt.Errorf("processfile: unable to read the region set: %w", err)
		}
		f.RegionSet = &RegionSet{Name: rs.Name, Source: rs.Source, Regions: rs.Regions, GeoJSON: rs.GeoJSON}
	}
	comps := slices.Clone(p.Components)
	slices.SortStableFunc(comps, func(a, b participation.Component) int { return a.Position - b.Position })
	keys := componentKeys(comps)
	f.Components = make([]Component, 0, len(comps))
	for i, c := range comps {
		fc := Component{Key: keys[i], Kind: c.Kind, Title: c.Title, Description: c.Description,
			Translations: texts[entity{participation.EntityComponent, c.ID}]}
		switch c.Kind {
		case participation.KindProposals:
			fc.Proposals = c.Proposals
		case participation.KindDocument:
			d, err := s.GetDocument(ctx, c.ID)
			if err != nil && !participation.IsNotFound(err) {
				return File{}, fmt.Errorf("processfile: unable to read document %d: %w", c.ID, err)
			}
			if err == nil && len(d.Sections) > 0 {
				fd := &Document{Title: d.Title}
				for _, sec := range d.Sections {
					fd.Sections = append(fd.Sections, Section{Heading: sec.Heading, Body: sec.Body,
						Translations: texts[entity{participation.EntitySection, sec.ID}]})
				}
				fc.Document = fd
			}
		case participation.KindSurvey:
			sv, err := s.GetSurvey(ctx, c.ID)
			if err != nil && !participation.IsNotFound(err) {
				return File{}, fmt.Errorf("processfile: unable to read survey %d: %w", c.ID, err)
			}
			if err == nil && len(sv.Questions) > 0 {
				fs := &Survey{Pages: sv.Pages}
				for _, q := range sv.Questions {
					fs.Questions = append(fs.Questions, Question{Page: q.Page, Type: q.Type, Prompt: q.Prompt, Help: q.Help,
						Required: q.Required, Options: q.Options, MaxChoices: q.MaxChoices, Min: q.Min, Max: q.Max,
						ShowIf: q.ShowIf, Translations: texts[entity{participation.EntityQuestion, q.ID}]})
				}
				fc.Survey = fs
			}
		}
		f.Components = append(f.Components, fc)
	}
	keyOf := map[int64]string{}
	posOf := map[int64]int{}
	for i, c := range comps {
		keyOf[c.ID], posOf[c.ID] = keys[i], i
	}
	phases := slices.Clone(p.Phases)
	slices.SortStableFunc(phases, func(a, b participation.Phase) int { return a.StartsAt.Compare(b.StartsAt) })
	f.Phases = make([]Phase, 0, len(phases))
	for _, ph := range phases {
		open := slices.Clone(ph.OpenComponents)
		slices.SortFunc(open, func(a, b int64) int { return posOf[a] - posOf[b] })
		fp := Phase{Name: ph.Name, Description: ph.Description, StartsAt: ph.StartsAt, EndsAt: ph.EndsAt,
			Translations: texts[entity{participation.EntityPhase, ph.ID}]}
		for _, c := range open {
			fp.Opens = append(fp.Opens, keyOf[c])
		}
		f.Phases = append(f.Phases, fp)
	}
	normalise(&f)
	return f, nil
}

func fileProcess(p participation.Process, tr Texts) Process {
	fp := Process{Slug: p.Slug, Title: p.Title, Summary: p.Summary, Objective: p.Objective, Level: p.Level,
		Sector: p.Sector, Scope: p.Scope, BudgetMinor: p.BudgetMinor, Currency: p.Currency,
		StartsAt: p.StartsAt, EndsAt: p.EndsAt, Officials: p.Officials, ExpectedOutcome: p.ExpectedOutcome,
		FeedbackMethod: p.FeedbackMethod, Languages: p.Languages, TimeZone: p.TimeZone, Mode: p.Mode,
		PersonalFields: p.PersonalFields, FieldReasons: p.FieldReasons, FaceToFace: p.FaceToFace,
		TargetParticipants: p.TargetParticipants, IsTemplate: p.IsTemplate, Translations: tr}
	if p.PrivacyNotice != nil {
		fp.PrivacyNotice = p.PrivacyNotice.Text
		if terms := p.PrivacyNotice.AgreementTerms; terms != (participation.AgreementTerms{}) {
			fp.DataAgreement = &terms
		}
	}
	return fp
}

// componentKeys names components by kind ("survey"), numbered when a kind
// repeats ("survey-1", "survey-2").
func componentKeys(comps []participation.Component) []string {
	count := map[participation.ComponentKind]int{}
	for _, c := range comps {
		count[c.Kind]++
	}
	seen := map[participation.ComponentKind]int{}
	keys := make([]string, len(comps))
	for i, c := range comps {
		seen[c.Kind]++
		keys[i] = keyFor(c.Kind, seen[c.Kind], count[c.Kind])
	}
	return keys
}

func keyFor(k participation.ComponentKind, n, of int) string {
	s := strings.ToLower(string(k))
	if of > 1 {
		s = fmt.Sprintf("%s-%d", s, n)
	}
	return s
}

// canonical is f as a comparable text: what Export would write for the
// process f describes. Keys (local to a file) are renamed the way Export
// names them, phases sorted by start, defaults filled in.
func canonical(f File) ([]byte, error) {
	f.Schema = ""
	comps := make([]participation.Component, len(f.Components))
	for i, c := range f.Components {
		comps[i] = participation.Component{Kind: c.Kind}
	}
	keys := componentKeys(comps)
	rename := map[string]string{}
	pos := map[string]int{}
	out := make([]Component, len(f.Components))
	for i, c := range f.Components {
		rename[c.Key], pos[c.Key] = keys[i], i
		c.Key = keys[i]
		if c.Proposals != nil && *c.Proposals == (participation.ProposalSettings{}) {
			c.Proposals = nil
		}
		if c.Survey != nil {
			sv := *c.Survey
			for _, q := range sv.Questions {
				sv.Pages = max(sv.Pages, q.Page)
			}
			c.Survey = &sv
		}
		out[i] = c
	}
	f.Components = out
	phases := slices.Clone(f.Phases)
	slices.SortStableFunc(phases, func(a, b Phase) int { return a.StartsAt.Compare(b.StartsAt) })
	for i, ph := range phases {
		opens := slices.Clone(ph.Opens)
		slices.SortFunc(opens, func(a, b string) int { return pos[a] - pos[b] })
		for j := range opens {
			opens[j] = rename[opens[j]]
		}
		phases[i].Opens = opens
	}
	f.Phases = phases
	if f.Process.TimeZone == "" {
		f.Process.TimeZone = "UTC"
	}
	if f.RegionSet != nil && len(f.RegionSet.GeoJSON) > 0 {
		rs := *f.RegionSet
		var v any
		if err := json.Unmarshal(rs.GeoJSON, &v); err != nil {
			return nil, fmt.Errorf("processfile: the region shapes are not JSON: %w", err)
		}
		rs.GeoJSON, _ = json.Marshal(v)
		f.RegionSet = &rs
	}
	normalise(&f)
	return json.Marshal(f)
}
