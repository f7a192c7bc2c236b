package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// fuzzSurvey has a question of every type on page 1 and a condition on
// the second, the shapes answersFromForm reads.
var fuzzSurvey = func() participation.Survey {
	lo, hi := 0.0, 100.0
	return participation.Survey{Pages: 2, Questions: []participation.Question{
		{ID: 1, Page: 1, Position: 1, Type: participation.QSingle, Prompt: "Which ward?", Options: []string{"Likoni", "Mvita", "Nyali"}},
		{ID: 2, Page: 1, Position: 2, Type: participation.QMulti, Prompt: "What matters?", Options: []string{"Roads", "Water", "Clinics"}, MaxChoices: 2,
			ShowIf: &participation.Condition{QuestionPosition: 1, Choices: []int{0}}},
		{ID: 3, Page: 1, Position: 3, Type: participation.QLikert, Prompt: "How satisfied?"},
		{ID: 4, Page: 1, Position: 4, Type: participation.QNumeric, Prompt: "How many km?", Min: &lo, Max: &hi},
		{ID: 5, Page: 1, Position: 5, Type: participation.QRanking, Prompt: "Rank", Options: []string{"a", "b", "c"}},
		{ID: 6, Page: 1, Position: 6, Type: participation.QText, Prompt: "Anything else?"},
		{ID: 7, Page: 2, Position: 1, Type: participation.QText, Prompt: "Later"},
	}}
}()

// FuzzCitizenForms: the pure readers of the citizen pages' forms and
// links (the survey page's answers, the document page's comment view, a
// report's contribution, a map point) take any posted form or query
// without panicking; what they accept the store's own checks can judge,
// and the comment view survives the links it writes.
func FuzzCitizenForms(f *testing.F) {
	for _, q := range []string{
		"question_1=0&question_2=0&question_2=2&question_3=4&question_4=12.5&question_5_r0=2&question_5_r1=0&question_5_r2=1&question_6=Tarmac+the+feeder+roads",
		"question_1=abc&question_3=1e400&question_4=NaN&question_5_r0=-1",
		"question_2=7&question_2=1&question_2=1&question_6=%00",
		"order=most_voted&section=12&page=3&replies=40",
		"kind=comment&id=5&q=0", "kind=answer&id=9&q=3",
		"lat=-4.05&lng=39.66", "lat=Inf&lng=-Inf",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		form, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		answers, ve := answersFromForm(fuzzSurvey.Questions, 1, form)
		for _, e := range ve {
			if e.Code != participation.CodeInvalid || !strings.HasPrefix(e.Field, "question_") {
				t.Fatalf("%q: %+v", q, e)
			}
		}
		byID := map[int64]participation.Question{}
		for _, qu := range fuzzSurvey.Questions {
			byID[qu.ID] = qu
		}
		got := map[int64]participation.Answer{}
		for _, a := range answers {
			qu, ok := byID[a.QuestionID]
			if !ok || qu.Page != 1 {
				t.Fatalf("%q: an answer to question %d, not on page 1", q, a.QuestionID)
			}
			if err := participation.ValidateAnswer(qu, a); err != nil && err.Code != participation.CodeInvalid {
				t.Fatalf("%q: answer %+v refused with %v", q, a, err)
			}
			got[a.QuestionID] = a
		}
		participation.Visible(fuzzSurvey, got)

		v := readCommentView(form)
		if v.page < 1 || (v.page > 1 && v.section <= 0) {
			t.Fatalf("%q: comment view %+v", q, v)
		}
		if v.section > 0 {
			link := v.url("/p/budget/document", v.section, v.page, v.order)
			u, err := url.Parse(link)
			if err != nil {
				t.Fatalf("%q: wrote an unparsable link %q", q, link)
			}
			back := readCommentView(u.Query())
			if back.page != v.page || back.order != v.order || (v.page > 1 && back.section != v.section) {
				t.Fatalf("%q: %+v through its link %q became %+v", q, v, link, back)
			}
		}
		readRef(form)
		formPoint(form.Get)
	})
}
