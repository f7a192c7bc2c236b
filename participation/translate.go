package participation

import (
	"sort"
	"strconv"
	"strings"
)

// fieldText is one translatable field with its first-language text.
type fieldText struct {
	Entity   EntityKind
	EntityID int64
	Field    string
	Base     string
}

// translatable lists every field of the set-up that takes a translation,
// with its first-language text, in the order the workspace lists them.
func translatable(p Process, docs []Document, surveys []Survey) []fieldText {
	var out []fieldText
	add := func(e EntityKind, id int64, field, base string) {
		out = append(out, fieldText{e, id, field, base})
	}
	add(EntityProcess, p.ID, "title", p.Title)
	add(EntityProcess, p.ID, "summary", p.Summary)
	add(EntityProcess, p.ID, "sector", p.Sector)
	add(EntityProcess, p.ID, "objective", p.Objective)
	add(EntityProcess, p.ID, "expected_outcome", p.ExpectedOutcome)
	add(EntityProcess, p.ID, "feedback_method", p.FeedbackMethod)
	if p.PrivacyNotice != nil {
		add(EntityProcess, p.ID, "privacy_notice", p.PrivacyNotice.Text)
		// The data agreement's own words, shown beside the notice.
		add(EntityProcess, p.ID, "agreement_purpose", p.PrivacyNotice.Purpose)
		add(EntityProcess, p.ID, "agreement_access", p.PrivacyNotice.Access)
	}
	for _, ph := range p.Phases {
		add(EntityPhase, ph.ID, "name", ph.Name)
		add(EntityPhase, ph.ID, "description", ph.Description)
	}
	for _, c := range p.Components {
		add(EntityComponent, c.ID, "title", c.Title)
		add(EntityComponent, c.ID, "description", c.Description)
	}
	for _, c := range p.Criteria {
		add(EntityCriterion, c.ID, "name", c.Name)
		add(EntityCriterion, c.ID, "description", c.Description)
	}
	for _, d := range docs {
		add(EntityComponent, d.ComponentID, "document_title", d.Title)
		for _, s := range d.Sections {
			add(EntitySection, s.ID, "heading", s.Heading)
			add(EntitySection, s.ID, "body", s.Body)
		}
	}
	for _, sv := range surveys {
		for _, q := range sv.Questions {
			add(EntityQuestion, q.ID, "prompt", q.Prompt)
			add(EntityQuestion, q.ID, "help", q.Help)
			for i, o := range q.Options {
				add(EntityQuestion, q.ID, "option."+strconv.Itoa(i), o)
			}
		}
	}
	return out
}

// TranslatableField reports whether field of entity kind e takes a
// translation.
func TranslatableField(e EntityKind, field string) bool {
	switch e {
	case EntityProcess:
		switch field {
		case "title", "summary", "sector", "objective", "expected_outcome", "feedback_method", "privacy_notice",
			"agreement_purpose", "agreement_access":
			return true
		}
	case EntityPhase:
		return field == "name" || field == "description"
	case EntityComponent:
		return field == "title" || field == "description" || field == "document_title"
	case EntitySection:
		return field == "heading" || field == "body"
	case EntityCriterion:
		return field == "name" || field == "description"
	case EntityQuestion:
		if field == "prompt" || field == "help" {
			return true
		}
		if n, ok := strings.CutPrefix(field, "option."); ok {
			i, err := strconv.Atoi(n)
			return err == nil && i >= 0 && strconv.Itoa(i) == n
		}
	}
	return false
}

// Untranslated lists the fields of the process, its documents and surveys
// that are set in the first language but have no translation into one of
// the other languages, language by language.
func Untranslated(p Process, docs []Document, surveys []Survey, tr []Translation) []Missing {
	if len(p.Languages) < 2 {
		return nil
	}
	have := map[textKey]bool{}
	for _, t := range tr {
		if strings.TrimSpace(t.Text) != "" {
			have[textKey{t.Entity, t.EntityID, t.Field, t.Lang}] = true
		}
	}
	var out []Missing
	fields := translatable(p, docs, surveys)
	for _, lang := range p.Languages[1:] {
		for _, f := range fields {
			if strings.TrimSpace(f.Base) != "" && !have[textKey{f.Entity, f.EntityID, f.Field, lang}] {
				out = append(out, Missing{f.Entity, f.EntityID, f.Field, lang})
			}
		}
	}
	return out
}

// CheckPhases refuses phases that end before they start or overlap one
// another (a phase may start when the previous one ends).
func CheckPhases(phases []Phase) ValidationErrors {
	var v ValidationErrors
	ps := append([]Phase(nil), phases...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].StartsAt.Before(ps[j].StartsAt) })
	for i, ph := range ps {
		if !ph.EndsAt.After(ph.StartsAt) {
			v.Add("ends_at", "err.dates", "phase %q must end after it starts", ph.Name)
		}
		if i > 0 && ph.StartsAt.Before(ps[i-1].EndsAt) {
			v.Add("starts_at", "err.phase_overlap", "phase %q overlaps phase %q", ph.Name, ps[i-1].Name)
		}
	}
	return v
}

// CheckPublish lists every problem that keeps a process from being
// published: its strategy, the privacy notice and a reason per personal
// field in registered mode, its phases, its components' content and every
// first-language text translated into the other languages.
func CheckPublish(p Process, docs []Document, surveys []Survey, tr []Translation) ValidationErrors {
	v := ValidateProcess(p)
	v = append(v, ValidateStrategy(p)...)
	if p.IsTemplate {
		v = append(v, Errorf(CodeConflict, "is_template", "err.template_publish", "a template cannot be published; copy it into a process first"))
	}
	if len(p.Languages) == 0 {
		v.Add("languages", "err.required", "a process needs at least one language")
	}
	if p.Mode == ModeRegistered {
		if p.PrivacyNotice == nil || strings.TrimSpace(p.PrivacyNotice.Text) == "" {
			v.Add("privacy_notice", "err.privacy_notice", "a registered process needs a privacy notice")
		}
		for _, f := range p.PersonalFields {
			if strings.TrimSpace(p.FieldReasons[f]) == "" {
				v.Add("field_reasons."+string(f), "err.field_reason", "say why the field %q is asked", string(f))
			}
		}
	}
	if len(p.Phases) == 0 {
		v.Add("phases", "err.no_phases", "a process needs at least one phase")
	}
	v = append(v, CheckPhases(p.Phases)...)
	hasDoc, hasSurvey := map[int64]bool{}, map[int64]bool{}
	for _, d := range docs {
		hasDoc[d.ComponentID] = len(d.Sections) > 0
	}
	for _, s := range surveys {
		hasSurvey[s.ComponentID] = len(s.Questions) > 0
		for i, q := range s.Questions {
			switch q.Type {
			case QSingle, QMulti, QRanking:
				if len(q.Options) == 0 {
					v.Add("questions", "err.options", "question %d of %q has no options", i+1, componentTitle(p, s.ComponentID))
				}
			}
		}
	}
	for _, c := range p.Components {
		switch {
		case c.Kind == KindDocument && !hasDoc[c.ID]:
			v.Add("components", "err.document_missing", "the document %q has no text yet", c.Title)
		case c.Kind == KindSurvey && !hasSurvey[c.ID]:
			v.Add("components", "err.survey_missing", "the survey %q has no questions yet", c.Title)
		}
	}
	for _, m := range Untranslated(p, docs, surveys, tr) {
		v = append(v, Errorf(CodeInvalid, "translations", "err.untranslated", "%s %d: %s is not translated into %s",
			string(m.Entity), m.EntityID, m.Field, m.Lang))
	}
	return v
}

func componentTitle(p Process, id int64) string {
	for _, c := range p.Components {
		if c.ID == id {
			return c.Title
		}
	}
	return strconv.FormatInt(id, 10)
}

// Limits of the strategy fields the set-up adds.
const (
	FieldReasonMax  = 500
	FaceToFaceMax   = 20
	FaceToFaceItem  = 200
	ClosedReasonMax = 1000
	TranslationMax  = 20000
	MaxSupportLimit = 1000
)

// ValidateStrategy checks the strategy fields of the set-up: reasons only
// for fields the process asks, none too long; face-to-face formats short
// and non-empty.
func ValidateStrategy(p Process) ValidationErrors {
	var v ValidationErrors
	asked := map[PersonalField]bool{}
	for _, f := range p.PersonalFields {
		asked[f] = true
	}
	keys := make([]string, 0, len(p.FieldReasons))
	for f := range p.FieldReasons {
		keys = append(keys, string(f))
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := PersonalField(k)
		r := p.FieldReasons[f]
		switch {
		case !asked[f] && strings.TrimSpace(r) != "":
			v.Add("field_reasons."+k, "err.reason_unasked", "the process does not ask for %q", k)
		case len([]rune(r)) > FieldReasonMax:
			v.Add("field_reasons."+k, "err.too_long", "must be at most %d characters", FieldReasonMax)
		}
	}
	if len(p.FaceToFace) > FaceToFaceMax {
		v.Add("face_to_face", "err.too_many", "at most %d allowed", FaceToFaceMax)
	}
	for _, f := range p.FaceToFace {
		if strings.TrimSpace(f) == "" || len([]rune(f)) > FaceToFaceItem {
			v.Add("face_to_face", "err.too_long", "each format must be 1 to %d characters", FaceToFaceItem)
		}
	}
	return v
}
