package processfile

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// normalise puts times in UTC to the second and fills defaults the store
// would fill, so that a decoded file and an export of what it created
// compare equal.
func normalise(f *File) {
	t := func(x *time.Time) { *x = x.UTC().Truncate(time.Second) }
	trim := func(x *string) { *x = strings.TrimSpace(*x) }
	trim(&f.Process.Title)
	for i := range f.Phases {
		trim(&f.Phases[i].Name)
	}
	for _, c := range f.Components {
		if c.Document != nil {
			trim(&c.Document.Title)
			for i := range c.Document.Sections {
				trim(&c.Document.Sections[i].Heading)
			}
		}
	}
	for i := range f.Components {
		trim(&f.Components[i].Title)
	}
	t(&f.Process.StartsAt)
	t(&f.Process.EndsAt)
	for i := range f.Phases {
		t(&f.Phases[i].StartsAt)
		t(&f.Phases[i].EndsAt)
	}
	for _, c := range f.Components {
		if c.Survey == nil {
			continue
		}
		for i := range c.Survey.Questions {
			if c.Survey.Questions[i].Page == 0 {
				c.Survey.Questions[i].Page = 1
			}
		}
	}
	if f.Components == nil {
		f.Components = []Component{}
	}
	if f.Phases == nil {
		f.Phases = []Phase{}
	}
}

// textFields are the fields each kind of entity may translate (besides a
// question's "option.N").
var textFields = map[participation.EntityKind][]string{
	participation.EntityProcess:   {"title", "summary", "objective", "expected_outcome", "feedback_method", "privacy_notice", "agreement_purpose", "agreement_access"},
	participation.EntityPhase:     {"name", "description"},
	participation.EntityComponent: {"title", "description"},
	participation.EntitySection:   {"heading", "body"},
	participation.EntityQuestion:  {"prompt", "help"},
}

// check lists what the schema cannot say about a well-formed file.
func check(out *problems, f File) {
	p := f.Process
	langs := map[string]bool{}
	for _, l := range p.Languages[min(1, len(p.Languages)):] {
		langs[l] = true
	}
	checkTexts := func(path string, t Texts, options int) {
		for lang, fields := range t {
			if !langs[lang] {
				if len(p.Languages) > 0 && lang == p.Languages[0] {
					out.add(path+"/"+lang, "pf.first_language", "%q is the process's first language: its texts are the fields themselves", lang)
				} else {
					out.add(path+"/"+lang, "pf.unknown_language", "%q is not one of the process's languages", lang)
				}
			}
			for field := range fields {
				if n, ok := strings.CutPrefix(field, "option."); ok {
					if i, err := strconv.Atoi(n); err != nil || i >= options {
						out.add(path+"/"+lang+"/"+field, "pf.no_option", "the question has no option %s", n)
					}
				}
			}
		}
	}

	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil {
			out.add("/process/time_zone", "pf.time_zone", "%q is not a known time zone", p.TimeZone)
		}
	}
	if !p.EndsAt.After(p.StartsAt) {
		out.add("/process/ends_at", "pf.ends_before_start", "must come after the start")
	}
	if p.Mode == participation.ModeOpen && len(p.PersonalFields) > 0 {
		out.add("/process/personal_fields", "pf.open_personal", "an open process asks for no personal data")
	}
	for field := range p.FieldReasons {
		if !slices.Contains(p.PersonalFields, field) {
			out.add("/process/field_reasons/"+string(field), "pf.reason_not_asked", "gives a reason for %q, which the process does not ask for", string(field))
		}
	}
	checkTexts("/process/translations", p.Translations, 0)

	if rs := f.RegionSet; rs != nil {
		codes := map[string]int{}
		for i, r := range rs.Regions {
			if r.Code == "" {
				continue // the schema reports it
			}
			if j, dup := codes[r.Code]; dup {
				out.add(fmt.Sprintf("/region_set/regions/%d/code", i), "pf.duplicate_code", "repeats the code %q of region %d", r.Code, j)
			} else {
				codes[r.Code] = i
			}
		}
		for i, r := range rs.Regions {
			if r.ParentCode == "" {
				continue
			}
			if _, ok := codes[r.ParentCode]; !ok || r.ParentCode == r.Code {
				out.add(fmt.Sprintf("/region_set/regions/%d/parent_code", i), "pf.unknown_parent", "%q is not another region of the set", r.ParentCode)
			}
		}
		if len(rs.GeoJSON) > 0 && len(codes) == len(rs.Regions) {
			list := make([]string, 0, len(rs.Regions))
			for _, r := range rs.Regions {
				list = append(list, r.Code)
			}
			// Kept normalised, as the store keeps it, so that re-applying
			// an exported file compares equal.
			if norm, err := participation.CheckGeoJSON(rs.GeoJSON, list, participation.MaxGeoJSONBytes); err != nil {
				addStoreErrors(out, "/region_set/geojson", err, false)
			} else {
				rs.GeoJSON = norm
			}
		}
	}

	keys := map[string]int{}
	for i, c := range f.Components {
		at := fmt.Sprintf("/components/%d", i)
		if j, dup := keys[c.Key]; dup {
			out.add(at+"/key", "pf.duplicate_key", "repeats the key of component %d", j)
		} else {
			keys[c.Key] = i
		}
		checkTexts(at+"/translations", c.Translations, 0)
		if c.Proposals != nil && c.Kind != participation.KindProposals {
			out.add(at+"/proposals", "pf.proposals_block", "only a proposals component has proposal settings")
		}
		if c.Document != nil {
			if c.Kind != participation.KindDocument {
				out.add(at+"/document", "pf.document_block", "only a document component has a document")
			}
			for j, s := range c.Document.Sections {
				if strings.TrimSpace(s.Body) == "" {
					out.add(fmt.Sprintf("%s/document/sections/%d/body", at, j), "pf.empty", "must not be empty")
				}
				checkTexts(fmt.Sprintf("%s/document/sections/%d/translations", at, j), s.Translations, 0)
			}
		}
		if c.Survey != nil {
			if c.Kind != participation.KindSurvey {
				out.add(at+"/survey", "pf.survey_block", "only a survey component has questions")
			}
			checkSurvey(out, at+"/survey", *c.Survey, checkTexts)
		}
	}

	type span struct {
		i          int
		start, end time.Time
	}
	var spans []span
	for i, ph := range f.Phases {
		at := fmt.Sprintf("/phases/%d", i)
		if !ph.EndsAt.After(ph.StartsAt) {
			out.add(at+"/ends_at", "pf.ends_before_start", "must come after the start")
		} else {
			spans = append(spans, span{i, ph.StartsAt, ph.EndsAt})
		}
		for j, k := range ph.Opens {
			if _, ok := keys[k]; !ok {
				out.add(fmt.Sprintf("%s/opens/%d", at, j), "pf.unknown_key", "no component has the key %q", k)
			}
		}
		checkTexts(at+"/translations", ph.Translations, 0)
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a].start.Before(spans[b].start) })
	for k := 1; k < len(spans); k++ {
		// Every pair, so that each overlapping phase is named (at most 50).
		for j := 0; j < k; j++ {
			if spans[k].start.Before(spans[j].end) {
				a, b := min(spans[j].i, spans[k].i), max(spans[j].i, spans[k].i)
				out.add(fmt.Sprintf("/phases/%d", b), "pf.overlap", "overlaps phase %d", a)
			}
		}
	}
}

func checkSurvey(out *problems, at string, s Survey, checkTexts func(string, Texts, int)) {
	last := 1
	for i, q := range s.Questions {
		qat := fmt.Sprintf("%s/questions/%d", at, i)
		if q.Page < last {
			out.add(qat+"/page", "pf.page_order", "questions must be listed in page order (page %d comes after page %d)", q.Page, last)
		}
		last = max(last, q.Page)
		if s.Pages > 0 && q.Page > s.Pages {
			out.add(qat+"/page", "pf.page_range", "the survey has only %d pages", s.Pages)
		}
		choice := q.Type == participation.QSingle || q.Type == participation.QMulti || q.Type == participation.QRanking
		switch q.Type {
		case participation.QSingle, participation.QMulti, participation.QRanking, participation.QLikert,
			participation.QNumeric, participation.QText:
		default:
			continue // the schema reports the type; what fits it cannot be said
		}
		switch {
		case choice && len(q.Options) < 2:
			out.add(qat+"/options", "pf.options", "a %s question needs at least two options", string(q.Type))
		case !choice && len(q.Options) > 0:
			out.add(qat+"/options", "pf.no_options", "a %s question has no options", string(q.Type))
		}
		if q.MaxChoices != 0 && (q.Type != participation.QMulti || q.MaxChoices > len(q.Options)) {
			out.add(qat+"/max_choices", "pf.max_choices", "only a multiple-choice question has max choices, at most its number of options")
		}
		if (q.Min != nil || q.Max != nil) && q.Type != participation.QNumeric {
			out.add(qat, "pf.range", "only a numeric question has min and max")
		} else if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
			out.add(qat+"/max", "pf.min_max", "must not be below min")
		}
		if c := q.ShowIf; c != nil {
			if c.QuestionPosition < 1 || c.QuestionPosition > i {
				out.add(qat+"/show_if/question_position", "pf.condition_order", "must name an earlier question (1 to %d)", i)
			} else {
				ref := s.Questions[c.QuestionPosition-1]
				if ref.Type != participation.QSingle && ref.Type != participation.QMulti {
					out.add(qat+"/show_if/question_position", "pf.condition_type", "question %d is not a single or multiple choice", c.QuestionPosition)
				} else {
					for j, ch := range c.Choices {
						if ch >= len(ref.Options) {
							out.add(fmt.Sprintf("%s/show_if/choices/%d", qat, j), "pf.condition_choice", "question %d has no option %d", c.QuestionPosition, ch)
						}
					}
				}
			}
		}
		checkTexts(qat+"/translations", q.Translations, len(q.Options))
	}
}

// storeChecks runs the store's own validators over what Apply will write,
// so that nothing the store would refuse half-way gets past Decode. Their
// problems are listed only where the checks above found none.
func storeChecks(found *problems, f File) {
	var more problems
	addStoreErrors(&more, "/process", participation.ValidateProcess(strategy(f.Process, participation.Process{}, 0)).Err(), true)
	if a := f.Process.DataAgreement; a != nil {
		addStoreErrors(&more, "/process/data_agreement", participation.ValidateAgreementTerms(*a).Err(), true)
	}
	if rs := f.RegionSet; rs != nil {
		addStoreErrors(&more, "/region_set", participation.ValidateRegionSet(participation.RegionSet{Name: rs.Name, Source: rs.Source, Regions: rs.Regions}).Err(), true)
	}
	for i, c := range f.Components {
		at := fmt.Sprintf("/components/%d", i)
		addStoreErrors(&more, at, participation.ValidateComponent(participation.Component{Kind: c.Kind, Title: c.Title, Description: c.Description}).Err(), true)
		if d := c.Document; d != nil {
			doc := participation.Document{Title: d.Title}
			for _, s := range d.Sections {
				doc.Sections = append(doc.Sections, participation.Section{Heading: s.Heading, Body: s.Body})
			}
			addStoreErrors(&more, at+"/document", participation.ValidateDocument(doc).Err(), true)
		}
		if c.Survey != nil {
			sv := survey(0, *c.Survey)
			addStoreErrors(&more, at+"/survey", participation.ValidateSurvey(sv).Err(), true)
			addStoreErrors(&more, at+"/survey", participation.ValidateConditions(participation.OrderSurvey(sv)).Err(), true)
		}
		if c.Proposals != nil {
			addStoreErrors(&more, at, participation.ValidateProposalSettings(*c.Proposals).Err(), true)
		}
	}
	for i, ph := range f.Phases {
		addStoreErrors(&more, fmt.Sprintf("/phases/%d", i), participation.ValidatePhase(participation.Phase{Name: ph.Name,
			Description: ph.Description, StartsAt: ph.StartsAt, EndsAt: ph.EndsAt}).Err(), true)
	}
	for _, p := range more {
		if !found.covers(p.Field) {
			*found = append(*found, p)
		}
	}
}

// addStoreErrors lists a store validator's errors under prefix: a
// ValidationErrors' fields become JSON-pointer steps (or stay at the prefix
// when whole, for validators whose field names are not file fields).
func addStoreErrors(out *problems, prefix string, err error, fieldsArePaths bool) {
	if err == nil {
		return
	}
	list, ok := err.(participation.ValidationErrors)
	if !ok {
		if e, isE := err.(*participation.Error); isE {
			list = participation.ValidationErrors{e}
		} else {
			out.add(prefix, "pf.invalid", "is not valid: %v", err)
			return
		}
	}
	for _, e := range list {
		path := prefix
		if fieldsArePaths && e.Field != "" {
			path += "/" + strings.ReplaceAll(e.Field, ".", "/") // "proposals.support_limit"
		}
		c := *e
		c.Field, c.Code = path, participation.CodeInvalid
		*out = append(*out, &c)
	}
}
