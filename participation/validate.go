package participation

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Field limits, shared by the store and the forms that show them.
const (
	ProposalTitleMin  = 3
	ProposalTitleMax  = 150
	ProposalDescMin   = 10
	ProposalDescMax   = 5000
	CommentBodyMin    = 2
	CommentBodyMax    = 3000
	ProposedTextMax   = 5000
	MaxTags           = 8
	TagMax            = 30
	AnswerTextMax     = 5000
	ProcessTitleMax   = 200
	SlugMax           = 80
	ImageMaxBytes     = 10 << 20
	VisitPathMax      = 2000
	ProfileNameMax    = 150
	RegionCodeMax     = 32
	DocumentTitleMax  = 300
	SectionHeadingMax = 300
)

// The validators below are pure: they look only at their arguments and
// return every problem at once, with catalogue keys the web layer translates.

// ValidateProposal checks a new proposal. regions is the set of region codes
// of the process's region set; a non-empty RegionCode must be one of them.
func ValidateProposal(p Proposal, regions map[string]bool) ValidationErrors {
	var v ValidationErrors
	textLen(&v, "title", p.Title, ProposalTitleMin, ProposalTitleMax)
	textLen(&v, "description", p.Description, ProposalDescMin, ProposalDescMax)
	if p.BudgetMinor < 0 {
		v.Add("budget_minor", "err.negative", "must not be negative")
	}
	if len(p.Tags) > MaxTags {
		v.Add("tags", "err.too_many", "at most %d allowed", MaxTags)
	}
	for _, t := range p.Tags {
		t = strings.TrimSpace(t)
		if !PlainText(t) {
			v.Add("tags", "err.bad_characters", "must be valid text without control characters")
		} else if t == "" {
			v.Add("tags", "err.required", "a tag must not be empty")
		} else if utf8.RuneCountInString(t) > TagMax {
			v.Add("tags", "err.too_long", "each tag must be at most %d characters", TagMax)
		}
	}
	if p.RegionCode != "" && !regions[p.RegionCode] {
		v.Add("region_code", "err.unknown_region", "is not a region of this process")
	}
	if (p.Lat == nil) != (p.Lng == nil) {
		v.Add("lat", "err.incomplete_point", "a map point needs both latitude and longitude")
	}
	if p.Lat != nil && !(*p.Lat >= -90 && *p.Lat <= 90) {
		v.Add("lat", "err.out_of_range", "must be between %d and %d", -90, 90)
	}
	if p.Lng != nil && !(*p.Lng >= -180 && *p.Lng <= 180) {
		v.Add("lng", "err.out_of_range", "must be between %d and %d", -180, 180)
	}
	if len(p.Images) > MaxImagesPerProposal {
		v.Add("images", "err.too_many", "at most %d allowed", MaxImagesPerProposal)
	}
	for _, im := range p.Images {
		switch im.ContentType {
		case "image/jpeg", "image/png", "image/webp":
		default:
			v.Add("images", "err.image_type", "must be a JPEG, PNG or WebP picture")
		}
		if len(im.Data) == 0 || len(im.Thumb) == 0 || im.Width <= 0 || im.Height <= 0 {
			v.Add("images", "err.image_empty", "the picture is empty")
		}
	}
	return v
}

// ValidateComment checks a new comment's own fields (not its target).
func ValidateComment(c Comment) ValidationErrors {
	var v ValidationErrors
	textLen(&v, "body", c.Body, CommentBodyMin, CommentBodyMax)
	switch c.TargetKind {
	case TargetProposal:
		if c.Kind != CommentPlain && c.Kind != "" {
			v.Add("kind", "err.bad_choice", "proposal comments are plain comments")
		}
	case TargetSection:
		switch c.Kind {
		case CommentPlain, CommentQuestion, CommentAmendment, "":
		default:
			v.Add("kind", "err.bad_choice", "must be comment, amendment or question")
		}
	default:
		v.Add("target_kind", "err.bad_choice", "must be proposal or section")
	}
	if c.Kind == CommentAmendment {
		textLen(&v, "proposed_text", c.ProposedText, 1, ProposedTextMax)
	} else if c.ProposedText != "" {
		v.Add("proposed_text", "err.not_allowed", "only amendments propose a text")
	}
	return v
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidateProcess checks a process's strategy fields.
func ValidateProcess(p Process) ValidationErrors {
	var v ValidationErrors
	if !slugRE.MatchString(p.Slug) || len(p.Slug) > SlugMax {
		v.Add("slug", "err.slug", "must be lower-case letters, digits and dashes, at most %d", SlugMax)
	}
	textLen(&v, "title", p.Title, 3, ProcessTitleMax)
	switch p.Level {
	case LevelInform, LevelConsult, LevelCoCreate:
	default:
		v.Add("level", "err.bad_choice", "must be inform, consult or co-create")
	}
	switch p.Scope {
	case ScopeLocal, ScopeProvincial, ScopeNational, ScopeRegional:
	default:
		v.Add("scope", "err.bad_choice", "must be local, provincial, national or regional")
	}
	switch p.Mode {
	case ModeOpen:
		if len(p.PersonalFields) > 0 {
			v.Add("personal_fields", "err.not_allowed", "an open process asks for no personal data")
		}
	case ModeRegistered:
	default:
		v.Add("mode", "err.bad_choice", "must be open or registered")
	}
	seen := map[PersonalField]bool{}
	for _, f := range p.PersonalFields {
		if !isPersonalField(f) || seen[f] {
			v.Add("personal_fields", "err.bad_choice", "unknown or repeated field %q", string(f))
		}
		seen[f] = true
	}
	if p.BudgetMinor < 0 {
		v.Add("budget_minor", "err.negative", "must not be negative")
	}
	if p.TargetParticipants < 0 {
		v.Add("target_participants", "err.negative", "must not be negative")
	}
	if p.StartsAt.IsZero() || p.EndsAt.IsZero() || !p.EndsAt.After(p.StartsAt) {
		v.Add("ends_at", "err.dates", "the end must come after the start")
	}
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil {
			v.Add("time_zone", "err.time_zone", "is not a known time zone")
		}
	}
	for _, l := range p.Languages {
		if l == "" || len(l) > 35 {
			v.Add("languages", "err.bad_choice", "a language must be a BCP 47 tag")
		}
	}
	return v
}

// ValidatePhase checks a phase's own fields.
func ValidatePhase(ph Phase) ValidationErrors {
	var v ValidationErrors
	textLen(&v, "name", ph.Name, 1, 200)
	if ph.StartsAt.IsZero() || ph.EndsAt.IsZero() || !ph.EndsAt.After(ph.StartsAt) {
		v.Add("ends_at", "err.dates", "the end must come after the start")
	}
	return v
}

// ValidateComponent checks a component's own fields.
func ValidateComponent(c Component) ValidationErrors {
	var v ValidationErrors
	switch c.Kind {
	case KindProposals, KindDocument, KindSurvey:
	default:
		v.Add("kind", "err.bad_choice", "must be proposals, document or survey")
	}
	textLen(&v, "title", c.Title, 1, 200)
	return v
}

// ValidateRegionSet checks a region set: named, codes present and unique.
func ValidateRegionSet(rs RegionSet) ValidationErrors {
	var v ValidationErrors
	textLen(&v, "name", rs.Name, 1, 200)
	seen := map[string]bool{}
	for _, r := range rs.Regions {
		if r.Code == "" || len(r.Code) > RegionCodeMax || seen[r.Code] {
			v.Add("regions", "err.region_code", "region code %q is empty, too long or repeated", r.Code)
		}
		seen[r.Code] = true
		if r.Population < 0 {
			v.Add("regions", "err.negative", "population of %q must not be negative", r.Code)
		}
	}
	return v
}

// ValidateDocument checks a document version before it is published.
func ValidateDocument(d Document) ValidationErrors {
	var v ValidationErrors
	textLen(&v, "title", d.Title, 1, DocumentTitleMax)
	if len(d.Sections) == 0 {
		v.Add("sections", "err.required", "a document needs at least one section")
	}
	for _, s := range d.Sections {
		if utf8.RuneCountInString(s.Heading) > SectionHeadingMax {
			v.Add("sections", "err.too_long", "a heading must be at most %d characters", SectionHeadingMax)
		}
		if strings.TrimSpace(s.Body) == "" {
			v.Add("sections", "err.required", "a section needs a text")
		}
	}
	return v
}

// ValidateSurvey checks a survey's questions: known types, options where the
// type needs them, pages within 1..Pages, sane numeric bounds.
func ValidateSurvey(s Survey) ValidationErrors {
	var v ValidationErrors
	if len(s.Questions) == 0 {
		v.Add("questions", "err.required", "a survey needs at least one question")
	}
	for i, q := range s.Questions {
		f := "questions"
		if q.Page < 1 || (s.Pages > 0 && q.Page > s.Pages) {
			v.Add(f, "err.out_of_range", "question %d: page must be between 1 and the number of pages", i+1)
		}
		if strings.TrimSpace(q.Prompt) == "" {
			v.Add(f, "err.required", "question %d: a prompt is required", i+1)
		}
		switch q.Type {
		case QSingle, QMulti, QRanking:
			if len(q.Options) < 2 {
				v.Add(f, "err.options", "question %d: needs at least two options", i+1)
			}
			if q.Type == QMulti && (q.MaxChoices < 0 || q.MaxChoices > len(q.Options)) {
				v.Add(f, "err.out_of_range", "question %d: max choices must be between 1 and the number of options", i+1)
			}
		case QNumeric:
			if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
				v.Add(f, "err.out_of_range", "question %d: min must not exceed max", i+1)
			}
		case QLikert, QText:
		default:
			v.Add(f, "err.bad_choice", "question %d: unknown type %q", i+1, string(q.Type))
		}
	}
	return v
}

// AnswerIsEmpty reports whether a carries no value at all (a skipped
// optional question).
func AnswerIsEmpty(a Answer) bool {
	return len(a.Choices) == 0 && a.Number == nil && strings.TrimSpace(a.Text) == ""
}

// ValidateAnswer checks one non-empty answer against its question's type:
// single takes one valid option index in Choices; multi up to MaxChoices
// distinct valid indexes (all options when MaxChoices is 0); likert a whole
// Number from 1 to 5; numeric a Number within [Min, Max]; ranking every option
// index exactly once, in order of preference; text at most AnswerTextMax
// characters. Setting a field the type does not take is an error too.
func ValidateAnswer(q Question, a Answer) *Error {
	field := "question_" + strconv.FormatInt(q.ID, 10)
	bad := func(key, format string, args ...any) *Error {
		return Errorf(CodeInvalid, field, key, format, args...)
	}
	usesChoices := q.Type == QSingle || q.Type == QMulti || q.Type == QRanking
	usesNumber := q.Type == QLikert || q.Type == QNumeric
	if (len(a.Choices) > 0 && !usesChoices) || (a.Number != nil && !usesNumber) || (a.Text != "" && q.Type != QText) {
		return bad("err.answer_type", "this answer does not fit a %s question", string(q.Type))
	}
	validIndexes := func() *Error {
		seen := map[int]bool{}
		for _, c := range a.Choices {
			if c < 0 || c >= len(q.Options) {
				return bad("err.bad_choice", "choice %d is not an option", c)
			}
			if seen[c] {
				return bad("err.repeated_choice", "choice %d is given twice", c)
			}
			seen[c] = true
		}
		return nil
	}
	switch q.Type {
	case QSingle:
		if len(a.Choices) != 1 {
			return bad("err.one_choice", "choose exactly one option")
		}
		return validIndexes()
	case QMulti:
		max := q.MaxChoices
		if max <= 0 {
			max = len(q.Options)
		}
		if len(a.Choices) > max {
			return bad("err.too_many", "choose at most %d options", max)
		}
		return validIndexes()
	case QRanking:
		if len(a.Choices) != len(q.Options) {
			return bad("err.ranking", "rank all %d options", len(q.Options))
		}
		return validIndexes()
	case QLikert:
		n := *a.Number
		if n != math.Trunc(n) || n < 1 || n > 5 {
			return bad("err.out_of_range", "must be a whole number from %d to %d", 1, 5)
		}
	case QNumeric:
		n := *a.Number
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return bad("err.number", "must be a number")
		}
		if (q.Min != nil && n < *q.Min) || (q.Max != nil && n > *q.Max) {
			return bad("err.out_of_range", "must be between %s and %s", bound(q.Min, "-∞"), bound(q.Max, "∞"))
		}
	case QText:
		if !PlainText(a.Text) {
			return bad("err.bad_characters", "must be valid text without control characters")
		}
		if utf8.RuneCountInString(a.Text) > AnswerTextMax {
			return bad("err.too_long", "must be at most %d characters", AnswerTextMax)
		}
	default:
		return bad("err.bad_choice", "unknown question type %q", string(q.Type))
	}
	return nil
}

// ValidateProfile checks the personal fields a registration gives against
// what the process asks: a field it does not ask for is refused, email and
// phone must be real (see NormalizeEmail and NormalizePhone; a local phone
// form is read in the country of timeZone, the process's), and a process
// that asks for a contact channel gets one (either, when it asks for both:
// the verification goes there). Other asked fields may stay empty. regions
// is the process's set of region codes.
func ValidateProfile(p Profile, asked []PersonalField, regions map[string]bool, timeZone string) ValidationErrors {
	var v ValidationErrors
	ask := map[PersonalField]bool{}
	for _, f := range asked {
		ask[f] = true
	}
	given := map[PersonalField]string{
		FieldName: p.Name, FieldEmail: p.Email, FieldPhone: p.Phone,
		FieldRegion: p.RegionCode, FieldAgeBand: p.AgeBand, FieldGender: p.Gender,
	}
	for _, f := range AllPersonalFields {
		val := strings.TrimSpace(given[f])
		if val != "" && !ask[f] {
			v.Add(string(f), "err.not_asked", "this process does not ask for it")
			continue
		}
		if !ask[f] {
			continue
		}
		switch f {
		case FieldEmail:
			if val == "" {
				if !ask[FieldPhone] || strings.TrimSpace(p.Phone) == "" {
					v.Add("email", "err.required", "is required")
				}
			} else if _, ok := NormalizeEmail(val); !ok {
				v.Add("email", "err.email", "is not an email address")
			}
		case FieldPhone:
			if val == "" {
				if !ask[FieldEmail] {
					v.Add("phone", "err.required", "is required")
				}
			} else if _, err := NormalizePhone(val, timeZone); err != nil {
				v = append(v, err)
			}
		case FieldName:
			if utf8.RuneCountInString(val) > ProfileNameMax {
				v.Add("name", "err.too_long", "must be at most %d characters", ProfileNameMax)
			}
		case FieldRegion:
			if val != "" && !regions[val] {
				v.Add("region", "err.unknown_region", "is not a region of this process")
			}
		case FieldAgeBand, FieldGender:
			if utf8.RuneCountInString(val) > 40 {
				v.Add(string(f), "err.too_long", "must be at most %d characters", 40)
			}
		}
	}
	return v
}

// ValidateVisit checks a page-visit event.
func ValidateVisit(vi Visit) ValidationErrors {
	var v ValidationErrors
	if vi.VisitorHash == "" || len(vi.VisitorHash) > 128 {
		v.Add("visitor_hash", "err.required", "is required")
	}
	if vi.Path == "" || len(vi.Path) > VisitPathMax {
		v.Add("path", "err.required", "is required and at most %d characters", VisitPathMax)
	}
	for name, val := range map[string]string{"referrer": vi.Referrer, "utm_source": vi.UTMSource, "utm_medium": vi.UTMMedium, "utm_campaign": vi.UTMCampaign} {
		if len(val) > 200 {
			v.Add(name, "err.too_long", "must be at most %d characters", 200)
		}
	}
	switch vi.Device {
	case "mobile", "tablet", "desktop", "bot":
	default:
		v.Add("device", "err.bad_choice", "must be mobile, tablet, desktop or bot")
	}
	return v
}

func isPersonalField(f PersonalField) bool {
	for _, a := range AllPersonalFields {
		if a == f {
			return true
		}
	}
	return false
}

func textLen(v *ValidationErrors, field, s string, min, max int) {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	switch {
	case !PlainText(s):
		v.Add(field, "err.bad_characters", "must be valid text without control characters")
	case n == 0:
		v.Add(field, "err.required", "is required")
	case n < min:
		v.Add(field, "err.too_short", "must be at least %d characters", min)
	case n > max:
		v.Add(field, "err.too_long", "must be at most %d characters", max)
	}
}

func bound(f *float64, none string) string {
	if f == nil {
		return none
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// PlainText reports whether s is valid UTF-8 without control characters
// other than tab and line breaks. A NUL byte stored in a title or comment
// cuts it short in C-string consumers (exports, PDF, some terminals) and
// Postgres refuses it in text columns outright, so it is refused at the
// door rather than half-stored.
func PlainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return false
		}
	}
	return true
}
