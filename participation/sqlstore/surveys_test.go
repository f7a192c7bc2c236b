package sqlstore_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// survey sets a two-page survey with every question type and returns its
// questions by type.
func (x *fx) surveyQuestions() map[participation.QuestionType]participation.Question {
	x.t.Helper()
	ok(x.t, x.s.SetSurvey(x.ctx, participation.Survey{ComponentID: x.survey, Questions: []participation.Question{
		{Page: 1, Type: participation.QSingle, Prompt: "Top sector?", Required: true, Options: []string{"Health", "Roads", "Water"}},
		{Page: 1, Type: participation.QMulti, Prompt: "Which wards?", Options: []string{"A", "B", "C", "D"}, MaxChoices: 2},
		{Page: 1, Type: participation.QLikert, Prompt: "Trust the county?"},
		{Page: 2, Type: participation.QNumeric, Prompt: "Household size", Min: f64(1), Max: f64(30), Required: true},
		{Page: 2, Type: participation.QRanking, Prompt: "Rank these", Options: []string{"x", "y", "z"}},
		{Page: 2, Type: participation.QText, Prompt: "Anything else?"},
	}}))
	sv := must(x.s.GetSurvey(x.ctx, x.survey))(x.t)
	out := map[participation.QuestionType]participation.Question{}
	for _, q := range sv.Questions {
		out[q.Type] = q
	}
	return out
}

func TestSurveyDefinition(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		_, err := x.s.GetSurvey(x.ctx, x.survey)
		wantCode(t, err, participation.CodeNotFound)
		qs := x.surveyQuestions()
		e := x.last(participation.EvSurveyChanged)
		if e.ComponentID != x.survey || e.ProcessID != x.proc || string(e.Payload) != "{}" {
			t.Fatalf("survey.changed %+v", e)
		}
		sv := must(x.s.GetSurvey(x.ctx, x.survey))(t)
		if sv.Pages != 2 || len(sv.Questions) != 6 || sv.Questions[0].Type != participation.QSingle || sv.Questions[3].Position != 1 {
			t.Fatalf("survey %+v", sv)
		}
		if q := qs[participation.QNumeric]; *q.Min != 1 || *q.Max != 30 || !q.Required {
			t.Fatalf("numeric question %+v", q)
		}
		if q := qs[participation.QMulti]; q.MaxChoices != 2 || len(q.Options) != 4 || q.Options[3] != "D" {
			t.Fatalf("multi question %+v", q)
		}
		for _, bad := range []participation.Survey{
			{ComponentID: x.survey},
			{ComponentID: x.survey, Questions: []participation.Question{{Page: 1, Type: "essay", Prompt: "?"}}},
			{ComponentID: x.survey, Questions: []participation.Question{{Page: 1, Type: participation.QSingle, Prompt: "?", Options: []string{"only"}}}},
			{ComponentID: x.survey, Pages: 1, Questions: []participation.Question{{Page: 2, Type: participation.QText, Prompt: "?"}}},
			{ComponentID: x.survey, Questions: []participation.Question{{Page: 1, Type: participation.QNumeric, Prompt: "?", Min: f64(5), Max: f64(1)}}},
		} {
			wantCode(t, x.s.SetSurvey(x.ctx, bad), participation.CodeInvalid)
		}
		wantCode(t, x.s.SetSurvey(x.ctx, participation.Survey{ComponentID: x.props, Questions: []participation.Question{{Page: 1, Type: participation.QText, Prompt: "?"}}}), participation.CodeInvalid)
		wantCode(t, x.s.SetSurvey(x.ctx, participation.Survey{ComponentID: 9999, Questions: []participation.Question{{Page: 1, Type: participation.QText, Prompt: "?"}}}), participation.CodeNotFound)

		// Frozen once answered.
		must(x.s.SaveSurveyPage(x.ctx, x.survey, x.citizen.ID, 1, []participation.Answer{{QuestionID: qs[participation.QSingle].ID, Choices: []int{0}}}))(t)
		wantCode(t, x.s.SetSurvey(x.ctx, participation.Survey{ComponentID: x.survey, Questions: []participation.Question{{Page: 1, Type: participation.QText, Prompt: "?"}}}), participation.CodeConflict)
	})
}

func TestSurveyAnswers(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		qs := x.surveyQuestions()
		single, multi, likert := qs[participation.QSingle].ID, qs[participation.QMulti].ID, qs[participation.QLikert].ID
		numeric, ranking, text := qs[participation.QNumeric].ID, qs[participation.QRanking].ID, qs[participation.QText].ID
		field := func(id int64) string { return "question_" + itoa(id) }
		p1 := func(extra ...participation.Answer) []participation.Answer {
			return append([]participation.Answer{{QuestionID: single, Choices: []int{1}}}, extra...)
		}
		save := func(page int, as []participation.Answer) error {
			_, err := x.s.SaveSurveyPage(x.ctx, x.survey, x.citizen.ID, page, as)
			return err
		}
		before := x.count()
		cases := []struct {
			name       string
			page       int
			answers    []participation.Answer
			field, key string
		}{
			{"single none", 1, p1(), "", ""},
			{"single two", 1, []participation.Answer{{QuestionID: single, Choices: []int{0, 1}}}, field(single), "err.one_choice"},
			{"single out of range", 1, []participation.Answer{{QuestionID: single, Choices: []int{3}}}, field(single), "err.bad_choice"},
			{"single negative", 1, []participation.Answer{{QuestionID: single, Choices: []int{-1}}}, field(single), "err.bad_choice"},
			{"single as text", 1, []participation.Answer{{QuestionID: single, Text: "Health"}}, field(single), "err.answer_type"},
			{"required missing", 1, []participation.Answer{{QuestionID: likert, Number: f64(3)}}, field(single), "err.required"},
			{"required empty", 1, []participation.Answer{{QuestionID: single}}, field(single), "err.required"},
			{"multi too many", 1, p1(participation.Answer{QuestionID: multi, Choices: []int{0, 1, 2}}), field(multi), "err.too_many"},
			{"multi repeated", 1, p1(participation.Answer{QuestionID: multi, Choices: []int{1, 1}}), field(multi), "err.repeated_choice"},
			{"multi invalid", 1, p1(participation.Answer{QuestionID: multi, Choices: []int{4}}), field(multi), "err.bad_choice"},
			{"likert 0", 1, p1(participation.Answer{QuestionID: likert, Number: f64(0)}), field(likert), "err.out_of_range"},
			{"likert 6", 1, p1(participation.Answer{QuestionID: likert, Number: f64(6)}), field(likert), "err.out_of_range"},
			{"likert 2.5", 1, p1(participation.Answer{QuestionID: likert, Number: f64(2.5)}), field(likert), "err.out_of_range"},
			{"question of page 2", 1, p1(participation.Answer{QuestionID: numeric, Number: f64(3)}), field(numeric), "err.wrong_page"},
			{"question of another survey", 1, p1(participation.Answer{QuestionID: 9999, Text: "hi"}), field(9999), "err.unknown_question"},
			{"answered twice", 1, p1(participation.Answer{QuestionID: single, Choices: []int{1}}), field(single), "err.repeated_answer"},
			{"page 0", 0, nil, "page", "err.out_of_range"},
			{"page 3", 3, nil, "page", "err.out_of_range"},
			{"numeric low", 2, []participation.Answer{{QuestionID: numeric, Number: f64(0)}}, field(numeric), "err.out_of_range"},
			{"numeric high", 2, []participation.Answer{{QuestionID: numeric, Number: f64(31)}}, field(numeric), "err.out_of_range"},
			{"ranking partial", 2, []participation.Answer{{QuestionID: numeric, Number: f64(4)}, {QuestionID: ranking, Choices: []int{2, 0}}}, field(ranking), "err.ranking"},
			{"ranking repeated", 2, []participation.Answer{{QuestionID: numeric, Number: f64(4)}, {QuestionID: ranking, Choices: []int{2, 0, 2}}}, field(ranking), "err.repeated_choice"},
			{"text long", 2, []participation.Answer{{QuestionID: numeric, Number: f64(4)}, {QuestionID: text, Text: strings.Repeat("é", 5001)}}, field(text), "err.too_long"},
		}
		for _, c := range cases {
			err := save(c.page, c.answers)
			if c.key == "" {
				continue
			}
			if err == nil {
				t.Fatalf("%s: accepted", c.name)
			}
			wantField(t, err, c.field, c.key)
		}
		// Only the first, valid case wrote.
		if n := x.count() - before; n != 1 {
			t.Fatalf("%d events from the page saves, want 1", n)
		}

		// Page 1 again replaces its answers.
		r := must(x.s.SaveSurveyPage(x.ctx, x.survey, x.citizen.ID, 1, p1(
			participation.Answer{QuestionID: multi, Choices: []int{3, 0}},
			participation.Answer{QuestionID: likert, Number: f64(4)})))(t)
		if r.LastPage != 1 || r.CompletedAt != nil || len(r.Answers) != 3 || r.Answers[1].Choices[0] != 3 || *r.Answers[2].Number != 4 {
			t.Fatalf("response after page 1: %+v", r)
		}
		e := x.last(participation.EvSurveyAnswered)
		if e.EntityID != r.ID || e.ComponentID != x.survey || e.ParticipantID != x.citizen.ID || e.RegionCode != "047" {
			t.Fatalf("survey.answered %+v", e)
		}
		sameJSON(t, e.Payload, `{"page":1,"answers":[
			{"question_id":`+itoa(single)+`,"choices":[1],"number":null,"text":""},
			{"question_id":`+itoa(multi)+`,"choices":[3,0],"number":null,"text":""},
			{"question_id":`+itoa(likert)+`,"choices":[],"number":4,"text":""}]}`)

		// The last page completes the response; it is final afterwards.
		later := participation.AsOf(x.ctx, now.Add(90e9))
		r = must(x.s.SaveSurveyPage(later, x.survey, x.citizen.ID, 2, []participation.Answer{
			{QuestionID: numeric, Number: f64(5)}, {QuestionID: ranking, Choices: []int{2, 0, 1}}, {QuestionID: text, Text: "More water"}}))(t)
		if r.LastPage != 2 || r.CompletedAt == nil || !r.CompletedAt.Equal(now.Add(90e9)) || !r.StartedAt.Equal(now) || len(r.Answers) != 6 {
			t.Fatalf("completed response %+v", r)
		}
		e = x.last(participation.EvSurveyCompleted)
		sameJSON(t, e.Payload, `{"page":2,"started_at":"2026-03-10T12:00:00Z","answers":[
			{"question_id":`+itoa(numeric)+`,"choices":[],"number":5,"text":""},
			{"question_id":`+itoa(ranking)+`,"choices":[2,0,1],"number":null,"text":""},
			{"question_id":`+itoa(text)+`,"choices":[],"number":null,"text":"More water"}]}`)
		wantCode(t, save(1, p1()), participation.CodeDuplicate)
		got := must(x.s.GetResponse(x.ctx, x.survey, x.citizen.ID))(t)
		if got.ID != r.ID || len(got.Answers) != 6 || got.Answers[5].Text != "More water" {
			t.Fatalf("GetResponse %+v", got)
		}
		_, err := x.s.GetResponse(x.ctx, x.survey, x.citizen2.ID)
		wantCode(t, err, participation.CodeNotFound)

		// Rules.
		_, err = x.s.SaveSurveyPage(participation.AsOf(x.ctx, date(4, 1)), x.survey, x.citizen2.ID, 1, p1())
		wantCode(t, err, participation.CodeClosed)
		_, err = x.s.SaveSurveyPage(x.ctx, x.props, x.citizen2.ID, 1, p1())
		wantCode(t, err, participation.CodeInvalid)
		_, err = x.s.SaveSurveyPage(x.ctx, x.survey, 9999, 1, p1())
		wantCode(t, err, participation.CodeNotFound)
	})
}
