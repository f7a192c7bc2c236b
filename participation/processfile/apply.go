package processfile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/civicpulse/civicpulse/participation"
)

// Store is what Apply writes through: the set-up API and the process by
// its slug.
type Store interface {
	participation.Setup
	GetProcessBySlug(ctx context.Context, slug string, onlyPublished bool) (participation.Process, error)
}

// batcher is a store that can run several writes in one transaction
// (participation.Store does).
type batcher interface {
	Batch(ctx context.Context, fn func(tx participation.Store) error) error
}

// Apply creates the process f names by slug (as a draft), or updates it to
// match f, and reports whether it wrote anything. f must come from Decode.
//
// An unchanged process is left alone: no write, no outbox event. Otherwise
// only what differs is written, in one transaction when the store offers
// one, so a write the store refuses (a component with contributions cannot
// be deleted, an answered question cannot be retyped) leaves the process
// as it was. Things a file cannot take back are kept: an older privacy
// notice or document version stays in the history, a notice or document
// missing from the file is not removed, and the state (draft, published, …)
// is not the file's business.
func Apply(ctx context.Context, s Store, f File) (id int64, changed bool, err error) {
	var existing *participation.Process
	p, err := s.GetProcessBySlug(ctx, f.Process.Slug, false)
	switch {
	case err == nil:
		existing = &p
		cur, err := Export(ctx, s, p.ID)
		if err != nil {
			return 0, false, err
		}
		a, err := canonical(cur)
		if err != nil {
			return 0, false, err
		}
		b, err := canonical(f)
		if err != nil {
			return 0, false, err
		}
		if bytes.Equal(a, b) {
			return p.ID, false, nil
		}
	case participation.IsNotFound(err):
	default:
		return 0, false, fmt.Errorf("processfile: unable to look up %q: %w", f.Process.Slug, err)
	}
	run := func(st Store) error {
		w := &writer{s: st, f: f, old: existing}
		if err := w.apply(ctx); err != nil {
			return err
		}
		id, changed = w.id, w.writes > 0
		return nil
	}
	if b, ok := s.(batcher); ok {
		err = b.Batch(ctx, func(tx participation.Store) error {
			st, ok := tx.(Store)
			if !ok {
				return fmt.Errorf("processfile: the store's transaction lacks the set-up API")
			}
			return run(st)
		})
	} else {
		err = run(s)
	}
	if err != nil {
		return 0, false, err
	}
	return id, changed, nil
}

// writer applies one file.
type writer struct {
	s      Store
	f      File
	old    *participation.Process
	id     int64
	writes int
	comps  []int64 // component ids, in file order
	tr     []participation.Translation
}

func (w *writer) apply(ctx context.Context) error {
	rsID, err := w.regionSet(ctx)
	if err != nil {
		return err
	}
	if err := w.process(ctx, rsID); err != nil {
		return err
	}
	if err := w.components(ctx); err != nil {
		return err
	}
	if err := w.contents(ctx); err != nil {
		return err
	}
	if err := w.phases(ctx); err != nil {
		return err
	}
	return w.translations(ctx)
}

// regionSet finds a set with the file's content (the process's own first)
// or creates one.
func (w *writer) regionSet(ctx context.Context) (int64, error) {
	rs := w.f.RegionSet
	if rs == nil {
		return 0, nil
	}
	want := participation.RegionSet{Name: rs.Name, Source: rs.Source, Regions: rs.Regions, GeoJSON: rs.GeoJSON}
	var candidates []int64
	if w.old != nil && w.old.RegionSetID != 0 {
		candidates = append(candidates, w.old.RegionSetID)
	}
	list, err := w.s.ListRegionSets(ctx)
	if err != nil {
		return 0, fmt.Errorf("processfile: unable to list region sets: %w", err)
	}
	for _, c := range list {
		if c.Name == rs.Name && c.Source == rs.Source && sameRegions(c.Regions, rs.Regions) && !slices.Contains(candidates, c.ID) {
			candidates = append(candidates, c.ID)
		}
	}
	for _, id := range candidates {
		have, err := w.s.GetRegionSet(ctx, id)
		if err != nil {
			return 0, fmt.Errorf("processfile: unable to read region set %d: %w", id, err)
		}
		if have.Name == want.Name && have.Source == want.Source && sameRegions(have.Regions, want.Regions) && sameJSON(have.GeoJSON, want.GeoJSON) {
			return id, nil
		}
	}
	w.writes++
	id, err := w.s.CreateRegionSet(ctx, want)
	if err != nil {
		return 0, fmt.Errorf("processfile: unable to create the region set: %w", err)
	}
	return id, nil
}

func sameRegions(a, b []participation.Region) bool {
	return slices.Equal(a, b) || (len(a) == 0 && len(b) == 0)
}

func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ca, _ := json.Marshal(x)
	cb, _ := json.Marshal(y)
	return bytes.Equal(ca, cb)
}

// strategy is the file's process over base (the stored one, or a new one).
func strategy(fp Process, base participation.Process, rsID int64) participation.Process {
	p := base
	p.Slug, p.Title, p.Summary, p.Objective, p.Level = fp.Slug, fp.Title, fp.Summary, fp.Objective, fp.Level
	p.Sector, p.Scope, p.BudgetMinor, p.Currency = fp.Sector, fp.Scope, fp.BudgetMinor, fp.Currency
	p.StartsAt, p.EndsAt, p.Officials = fp.StartsAt, fp.EndsAt, fp.Officials
	p.ExpectedOutcome, p.FeedbackMethod, p.Languages = fp.ExpectedOutcome, fp.FeedbackMethod, fp.Languages
	p.TimeZone, p.Mode, p.PersonalFields, p.FieldReasons = fp.TimeZone, fp.Mode, fp.PersonalFields, fp.FieldReasons
	p.FaceToFace, p.TargetParticipants, p.IsTemplate = fp.FaceToFace, fp.TargetParticipants, fp.IsTemplate
	p.RegionSetID = rsID
	// nil and empty are one thing to the store; make them one to the
	// comparison too.
	p.Officials, p.Languages = orEmpty(p.Officials), orEmpty(p.Languages)
	p.PersonalFields, p.FaceToFace = orEmpty(p.PersonalFields), orEmpty(p.FaceToFace)
	if len(p.FieldReasons) == 0 {
		p.FieldReasons = map[participation.PersonalField]string{}
	}
	if p.TimeZone == "" {
		p.TimeZone = "UTC"
	}
	return p
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (w *writer) process(ctx context.Context, rsID int64) error {
	fp := w.f.Process
	if w.old == nil {
		p := strategy(fp, participation.Process{State: participation.StateDraft}, rsID)
		w.writes++
		id, err := w.s.CreateProcess(ctx, p)
		if err != nil {
			return err
		}
		w.id = id
	} else {
		w.id = w.old.ID
		p := strategy(fp, *w.old, rsID)
		before := strategy(fileProcess(*w.old, nil), *w.old, w.old.RegionSetID)
		a, _ := json.Marshal(stripProcess(before))
		b, _ := json.Marshal(stripProcess(p))
		if !bytes.Equal(a, b) {
			w.writes++
			if err := w.s.UpdateProcess(ctx, p); err != nil {
				return err
			}
		}
	}
	old, oldTerms := "", participation.AgreementTerms{}
	if w.old != nil && w.old.PrivacyNotice != nil {
		old, oldTerms = w.old.PrivacyNotice.Text, w.old.PrivacyNotice.AgreementTerms
	}
	switch {
	case fp.PrivacyNotice == "":
	case fp.DataAgreement != nil && (fp.PrivacyNotice != old || *fp.DataAgreement != oldTerms):
		w.writes++
		if _, err := w.s.PublishDataAgreement(ctx, w.id, participation.PrivacyNotice{Text: fp.PrivacyNotice, AgreementTerms: *fp.DataAgreement}); err != nil {
			return fmt.Errorf("processfile: unable to publish the data agreement: %w", err)
		}
	case fp.DataAgreement == nil && fp.PrivacyNotice != old:
		// A file without terms keeps those of the current version.
		w.writes++
		if _, err := w.s.PublishPrivacyNotice(ctx, w.id, fp.PrivacyNotice); err != nil {
			return fmt.Errorf("processfile: unable to publish the privacy notice: %w", err)
		}
	}
	w.texts(participation.EntityProcess, w.id, fp.Translations)
	return nil
}

// stripProcess leaves the fields a file sets, for comparison.
func stripProcess(p participation.Process) participation.Process {
	p.PrivacyNotice, p.Phases, p.Components = nil, nil, nil
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p
}

func (w *writer) texts(e participation.EntityKind, id int64, t Texts) {
	for lang, fields := range t {
		for field, text := range fields {
			w.tr = append(w.tr, participation.Translation{Entity: e, EntityID: id, Field: field, Lang: lang, Text: text})
		}
	}
}

// components pairs the file's components with the stored ones of the same
// kind, in order: paired ones are updated, unpaired stored ones deleted
// (refused once they have contributions), unpaired file ones added; then
// they are moved into the file's order.
func (w *writer) components(ctx context.Context) error {
	var old []participation.Component
	if w.old != nil {
		old = slices.Clone(w.old.Components)
		slices.SortStableFunc(old, func(a, b participation.Component) int { return a.Position - b.Position })
	}
	used := make([]bool, len(old))
	w.comps = make([]int64, len(w.f.Components))
	for i, fc := range w.f.Components {
		want := participation.Component{ProcessID: w.id, Kind: fc.Kind, Title: fc.Title, Description: fc.Description, Proposals: fc.Proposals}
		if want.Kind == participation.KindProposals && want.Proposals == nil {
			want.Proposals = &participation.ProposalSettings{}
		}
		for j, oc := range old {
			if used[j] || oc.Kind != fc.Kind {
				continue
			}
			used[j] = true
			w.comps[i] = oc.ID
			want.ID, want.Position = oc.ID, oc.Position
			if oc.Title != want.Title || oc.Description != want.Description || !sameSettings(oc.Proposals, want.Proposals) {
				w.writes++
				if err := w.s.UpdateComponent(ctx, want); err != nil {
					return fmt.Errorf("processfile: unable to update component %q: %w", fc.Key, err)
				}
			}
			break
		}
	}
	var order []int64 // stored order after deletions and additions
	for j, oc := range old {
		if !used[j] {
			w.writes++
			if err := w.s.DeleteComponent(ctx, oc.ID); err != nil {
				return err
			}
			continue
		}
		order = append(order, oc.ID)
	}
	for i, fc := range w.f.Components {
		if w.comps[i] != 0 {
			continue
		}
		w.writes++
		id, err := w.s.AddComponent(ctx, participation.Component{ProcessID: w.id, Kind: fc.Kind, Title: fc.Title,
			Description: fc.Description, Proposals: fc.Proposals})
		if err != nil {
			return fmt.Errorf("processfile: unable to add component %q: %w", fc.Key, err)
		}
		w.comps[i] = id
		order = append(order, id)
	}
	// One step at a time: a move by ±1 means the same under any reading
	// of MoveComponent's delta.
	for i, id := range w.comps {
		j := slices.Index(order, id)
		for ; j > i; j-- {
			w.writes++
			if err := w.s.MoveComponent(ctx, id, -1); err != nil {
				return fmt.Errorf("processfile: unable to order component %q: %w", w.f.Components[i].Key, err)
			}
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	for i, fc := range w.f.Components {
		w.texts(participation.EntityComponent, w.comps[i], fc.Translations)
	}
	return nil
}

func sameSettings(a, b *participation.ProposalSettings) bool {
	var x, y participation.ProposalSettings
	if a != nil {
		x = *a
	}
	if b != nil {
		y = *b
	}
	return x == y
}

// contents publishes a document version or replaces a survey's questions
// where the file's differ from the stored ones.
func (w *writer) contents(ctx context.Context) error {
	for i, fc := range w.f.Components {
		id := w.comps[i]
		switch {
		case fc.Document != nil:
			have, err := w.s.GetDocument(ctx, id)
			if err != nil && !participation.IsNotFound(err) {
				return fmt.Errorf("processfile: unable to read document %q: %w", fc.Key, err)
			}
			if err != nil || !sameDocument(have, *fc.Document) {
				d := participation.Document{ComponentID: id, Title: fc.Document.Title}
				for _, s := range fc.Document.Sections {
					d.Sections = append(d.Sections, participation.Section{Heading: s.Heading, Body: s.Body})
				}
				w.writes++
				if _, err := w.s.PublishDocument(ctx, d); err != nil {
					return fmt.Errorf("processfile: unable to publish document %q: %w", fc.Key, err)
				}
				if have, err = w.s.GetDocument(ctx, id); err != nil {
					return fmt.Errorf("processfile: unable to read document %q: %w", fc.Key, err)
				}
			}
			for j, s := range fc.Document.Sections {
				if j < len(have.Sections) {
					w.texts(participation.EntitySection, have.Sections[j].ID, s.Translations)
				}
			}
		case fc.Survey != nil:
			have, err := w.s.GetSurvey(ctx, id)
			if err != nil && !participation.IsNotFound(err) {
				return fmt.Errorf("processfile: unable to read survey %q: %w", fc.Key, err)
			}
			want := survey(id, *fc.Survey)
			if err != nil || !sameSurvey(have, want) {
				w.writes++
				if err := w.s.SetSurvey(ctx, want); err != nil {
					return fmt.Errorf("processfile: unable to set survey %q: %w", fc.Key, err)
				}
				if have, err = w.s.GetSurvey(ctx, id); err != nil {
					return fmt.Errorf("processfile: unable to read survey %q: %w", fc.Key, err)
				}
			}
			for j, q := range fc.Survey.Questions {
				if j < len(have.Questions) {
					w.texts(participation.EntityQuestion, have.Questions[j].ID, q.Translations)
				}
			}
		}
	}
	return nil
}

func survey(componentID int64, fs Survey) participation.Survey {
	s := participation.Survey{ComponentID: componentID, Pages: fs.Pages}
	for _, q := range fs.Questions {
		s.Pages = max(s.Pages, q.Page)
		s.Questions = append(s.Questions, participation.Question{ComponentID: componentID, Page: q.Page, Type: q.Type,
			Prompt: q.Prompt, Help: q.Help, Required: q.Required, Options: q.Options, MaxChoices: q.MaxChoices,
			Min: q.Min, Max: q.Max, ShowIf: q.ShowIf})
	}
	return s
}

func sameDocument(have participation.Document, want Document) bool {
	if have.Title != want.Title || len(have.Sections) != len(want.Sections) {
		return false
	}
	for i, s := range want.Sections {
		if have.Sections[i].Heading != s.Heading || have.Sections[i].Body != s.Body {
			return false
		}
	}
	return true
}

func sameSurvey(have, want participation.Survey) bool {
	if have.Pages != want.Pages || len(have.Questions) != len(want.Questions) {
		return false
	}
	for i, q := range want.Questions {
		h := have.Questions[i]
		h.ID, h.ComponentID, h.Position, q.ComponentID, q.Position = 0, 0, 0, 0, 0
		a, _ := json.Marshal(h)
		b, _ := json.Marshal(q)
		if !bytes.Equal(a, b) {
			return false
		}
	}
	return true
}
