package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

type surveyAnswer struct {
	QuestionID int64    `json:"question_id"`
	Choices    []int    `json:"choices"`
	Number     *float64 `json:"number"`
	Text       string   `json:"text"`
}

type surveyAnswered struct {
	Page    int            `json:"page"`
	Answers []surveyAnswer `json:"answers"`
}

type surveyCompleted struct {
	Page      int            `json:"page"`
	Answers   []surveyAnswer `json:"answers"`
	StartedAt time.Time      `json:"started_at"`
}

// SetSurvey stores a survey component's questions in their page order.
// Questions carrying the ID of an existing one are changed in place (so
// answers and translations stay with them), those without are added, and
// existing ones left out are removed. Once anyone has answered, texts may
// change and questions be added, but an answered question cannot be
// removed, retyped or lose options (CodeConflict).
func (s *Store) SetSurvey(ctx context.Context, sv participation.Survey) error {
	if sv.Pages == 0 {
		for _, q := range sv.Questions {
			sv.Pages = max(sv.Pages, q.Page)
		}
	}
	if v := participation.ValidateSurvey(sv); len(v) > 0 {
		return v
	}
	sv = participation.OrderSurvey(sv)
	if v := participation.ValidateConditions(sv); len(v) > 0 {
		return v
	}
	return s.write(ctx, func(w *Store) error {
		c, err := w.editableComponent(ctx, sv.ComponentID)
		if err != nil {
			return err
		}
		if c.Kind != participation.KindSurvey {
			return participation.Errorf(participation.CodeInvalid, "component_id", "err.wrong_component", "this is not a survey component")
		}
		old, err := w.GetSurvey(ctx, sv.ComponentID)
		if err != nil && !participation.IsNotFound(err) {
			return err
		}
		byID := map[int64]participation.Question{}
		for _, q := range old.Questions {
			byID[q.ID] = q
		}
		var answered []int64
		if err := w.sel(ctx, &answered, "answered-questions", sv.ComponentID); err != nil {
			return fmt.Errorf("store: unable to read answered questions: %w", err)
		}
		kept := map[int64]bool{}
		var v participation.ValidationErrors
		for i, q := range sv.Questions {
			if q.ID == 0 {
				continue
			}
			if _, ok := byID[q.ID]; !ok || kept[q.ID] {
				v.Add("questions", "err.unknown_question", "question %d: %d is not a question of this survey", i+1, q.ID)
			}
			kept[q.ID] = true
		}
		if len(v) > 0 {
			return v
		}
		for _, id := range answered {
			o := byID[id]
			var n participation.Question
			for _, q := range sv.Questions {
				if q.ID == id {
					n = q
				}
			}
			switch {
			case !kept[id]:
				return participation.Errorf(participation.CodeConflict, "questions", "err.survey_answered", "the question %q has answers; it cannot be removed", o.Prompt)
			case n.Type != o.Type:
				return participation.Errorf(participation.CodeConflict, "questions", "err.survey_answered", "the question %q has answers; its type cannot change", o.Prompt)
			case len(n.Options) < len(o.Options):
				return participation.Errorf(participation.CodeConflict, "questions", "err.survey_answered", "the question %q has answers; its options cannot be removed", o.Prompt)
			}
		}
		for _, q := range old.Questions {
			if kept[q.ID] {
				continue
			}
			if _, err := w.exec(ctx, "delete-entity-translations", string(participation.EntityQuestion), q.ID); err != nil {
				return fmt.Errorf("store: unable to remove question translations: %w", err)
			}
			if _, err := w.exec(ctx, "delete-question", q.ID); err != nil {
				return fmt.Errorf("store: unable to remove question: %w", err)
			}
		}
		if _, err := w.exec(ctx, "upsert-survey", sv.ComponentID, sv.Pages); err != nil {
			return fmt.Errorf("store: unable to store survey: %w", err)
		}
		ids := make([]int64, len(sv.Questions))
		for i, q := range sv.Questions {
			// Conditions name earlier questions, whose ids are known by now.
			var cond any
			choices := "[]"
			if q.ShowIf != nil {
				cond, choices = ids[q.ShowIf.QuestionPosition-1], jsonList(q.ShowIf.Choices)
			}
			args := []any{q.Page, q.Position, string(q.Type), q.Prompt, q.Help, q.Required, jsonList(q.Options), q.MaxChoices, q.Min, q.Max, cond, choices}
			if q.ID != 0 {
				ids[i] = q.ID
				if _, err := w.exec(ctx, "update-question", append(args, q.ID)...); err != nil {
					return fmt.Errorf("store: unable to update question: %w", err)
				}
				continue
			}
			if ids[i], err = w.insertID(ctx, "insert-question", append([]any{sv.ComponentID}, args...)...); err != nil {
				return fmt.Errorf("store: unable to store question: %w", err)
			}
		}
		return w.emit(ctx, event{typ: participation.EvSurveyChanged, processID: c.ProcessID, componentID: c.ID, entityID: c.ID})
	})
}

// MoveQuestion moves a question delta places within its page, stopping at
// either end. A move that would put a question before the one its
// condition names is refused.
func (s *Store) MoveQuestion(ctx context.Context, questionID int64, delta int) error {
	return s.write(ctx, func(w *Store) error {
		var place struct {
			ComponentID int64 `db:"component_id"`
			Page        int   `db:"page"`
		}
		if err := w.get(ctx, &place, "question-place", questionID); err != nil {
			if noRows(err) {
				return notFound("id", "question")
			}
			return fmt.Errorf("store: unable to find question: %w", err)
		}
		c, err := w.editableComponent(ctx, place.ComponentID)
		if err != nil {
			return err
		}
		sv, err := w.GetSurvey(ctx, place.ComponentID)
		if err != nil {
			return err
		}
		var page []int64
		for _, q := range sv.Questions {
			if q.Page == place.Page {
				page = append(page, q.ID)
			}
		}
		for i, id := range moved(page, questionID, delta) {
			if _, err := w.exec(ctx, "set-question-position", i+1, id); err != nil {
				return fmt.Errorf("store: unable to move question: %w", err)
			}
		}
		after, err := w.GetSurvey(ctx, place.ComponentID)
		if err != nil {
			return err
		}
		if v := participation.ValidateConditions(after); len(v) > 0 {
			return v
		}
		return w.emit(ctx, event{typ: participation.EvSurveyChanged, processID: c.ProcessID, componentID: c.ID, entityID: c.ID})
	})
}

type questionRow struct {
	participation.Question
	OptionsJSON    string `db:"options"`
	ShowIfQuestion *int64 `db:"show_if_question"`
	ShowIfChoices  string `db:"show_if_choices"`
}

// GetSurvey returns a survey's questions ordered by page and position.
func (s *Store) GetSurvey(ctx context.Context, componentID int64) (participation.Survey, error) {
	sv := participation.Survey{ComponentID: componentID, Questions: []participation.Question{}}
	if err := s.get(ctx, &sv.Pages, "get-survey", componentID); err != nil {
		if noRows(err) {
			return sv, notFound("component_id", "survey")
		}
		return sv, fmt.Errorf("store: unable to get survey: %w", err)
	}
	var rows []questionRow
	if err := s.sel(ctx, &rows, "list-questions", componentID); err != nil {
		return sv, fmt.Errorf("store: unable to list questions: %w", err)
	}
	at := map[int64]int{}
	for i, r := range rows {
		at[r.ID] = i + 1
	}
	for _, r := range rows {
		q := r.Question
		if err := json.Unmarshal([]byte(r.OptionsJSON), &q.Options); err != nil {
			return sv, fmt.Errorf("store: question %d holds broken options: %w", q.ID, err)
		}
		if r.ShowIfQuestion != nil {
			q.ShowIf = &participation.Condition{QuestionPosition: at[*r.ShowIfQuestion]}
			if err := json.Unmarshal([]byte(r.ShowIfChoices), &q.ShowIf.Choices); err != nil {
				return sv, fmt.Errorf("store: question %d holds a broken condition: %w", q.ID, err)
			}
		}
		sv.Questions = append(sv.Questions, q)
	}
	return sv, nil
}

// SaveSurveyPage validates and stores one page of answers (replacing that
// page's earlier answers) and completes the response on the last page.
func (s *Store) SaveSurveyPage(ctx context.Context, componentID, participantID int64, page int, answers []participation.Answer) (participation.Response, error) {
	var resp participation.Response
	err := s.write(ctx, func(w *Store) error {
		t, err := w.open(ctx, componentID, participation.KindSurvey, participantID)
		if err != nil {
			return err
		}
		sv, err := w.GetSurvey(ctx, componentID)
		if err != nil {
			return err
		}
		if page < 1 || page > sv.Pages {
			return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "page", "err.out_of_range", "must be between %d and %d", 1, sv.Pages)}
		}
		var prev participation.Response
		err = w.get(ctx, &prev, "get-response", componentID, participantID)
		switch {
		case err != nil && !noRows(err):
			return fmt.Errorf("store: unable to read response: %w", err)
		case err == nil && prev.CompletedAt != nil:
			return participation.Errorf(participation.CodeDuplicate, "", "err.survey_done", "you have already completed this survey")
		}
		earlier := map[int64]participation.Answer{}
		if err == nil {
			if ferr := w.fillAnswers(ctx, &prev); ferr != nil {
				return ferr
			}
			for _, a := range prev.Answers {
				earlier[a.QuestionID] = a
			}
		}
		given, cerr := checkPage(sv, page, answers, earlier)
		if cerr != nil {
			return cerr
		}
		now := w.now(ctx)
		var completed *time.Time
		if page == sv.Pages {
			completed = &now
		}
		if noRows(err) {
			prev = participation.Response{StartedAt: now}
			if prev.ID, err = w.insertID(ctx, "insert-response", t.ProcessID, componentID, participantID, page, now, now, completed); err != nil {
				if noRows(err) {
					return participation.Errorf(participation.CodeDuplicate, "", "err.survey_busy", "this response is being saved elsewhere; try again")
				}
				return fmt.Errorf("store: unable to start response: %w", err)
			}
		} else if _, err := w.exec(ctx, "update-response", max(prev.LastPage, page), now, completed, prev.ID); err != nil {
			return fmt.Errorf("store: unable to update response: %w", err)
		}
		if _, err := w.exec(ctx, "delete-page-answers", prev.ID, componentID, page); err != nil {
			return fmt.Errorf("store: unable to replace answers: %w", err)
		}
		payload := make([]surveyAnswer, 0, len(given))
		for _, a := range given {
			choices := a.Choices
			if choices == nil {
				choices = []int{}
			}
			if _, err := w.exec(ctx, "insert-answer", prev.ID, a.QuestionID, jsonList(choices), a.Number, a.Text); err != nil {
				return fmt.Errorf("store: unable to store answer: %w", err)
			}
			payload = append(payload, surveyAnswer{a.QuestionID, choices, a.Number, a.Text})
		}
		e := event{typ: participation.EvSurveyAnswered, processID: t.ProcessID, componentID: componentID,
			entityID: prev.ID, participantID: participantID, region: t.region(), payload: surveyAnswered{page, payload}}
		if completed != nil {
			e.typ, e.payload = participation.EvSurveyCompleted, surveyCompleted{page, payload, prev.StartedAt.UTC()}
		}
		if err := w.emit(ctx, e); err != nil {
			return err
		}
		resp, err = w.GetResponse(ctx, componentID, participantID)
		return err
	})
	return resp, err
}

// checkPage returns the non-empty answers of one page after checking that
// each belongs to the page, fits its question and that every required
// question of the page is answered.
//
// Questions hidden by their condition (given the earlier pages' answers
// and this page's) are not required, and answers to them are refused.
func checkPage(sv participation.Survey, page int, answers []participation.Answer, earlier map[int64]participation.Answer) ([]participation.Answer, error) {
	byID := map[int64]participation.Question{}
	for _, q := range sv.Questions {
		byID[q.ID] = q
	}
	var v participation.ValidationErrors
	var given []participation.Answer
	seen := map[int64]bool{}
	for _, a := range answers {
		field := "question_" + strconv.FormatInt(a.QuestionID, 10)
		q, ok := byID[a.QuestionID]
		switch {
		case !ok:
			v.Add(field, "err.unknown_question", "is not a question of this survey")
			continue
		case q.Page != page:
			v.Add(field, "err.wrong_page", "is not on page %d", page)
			continue
		case seen[a.QuestionID]:
			v.Add(field, "err.repeated_answer", "is answered twice")
			continue
		}
		seen[a.QuestionID] = true
		if participation.AnswerIsEmpty(a) {
			continue
		}
		if e := participation.ValidateAnswer(q, a); e != nil {
			v = append(v, e)
			continue
		}
		given = append(given, a)
	}
	known := map[int64]participation.Answer{}
	for id, a := range earlier {
		if byID[id].Page != page {
			known[id] = a
		}
	}
	for _, a := range given {
		known[a.QuestionID] = a
	}
	shown := participation.Visible(sv, known)
	kept := given[:0:0]
	for _, a := range given {
		if !shown[a.QuestionID] {
			v.Add("question_"+strconv.FormatInt(a.QuestionID, 10), "err.hidden_question", "is not asked given your earlier answers")
			continue
		}
		kept = append(kept, a)
	}
	given = kept
	answered := map[int64]bool{}
	for _, a := range given {
		answered[a.QuestionID] = true
	}
	for _, q := range sv.Questions {
		if q.Page == page && q.Required && shown[q.ID] && !answered[q.ID] && !hasError(v, q.ID) {
			v.Add("question_"+strconv.FormatInt(q.ID, 10), "err.required", "is required")
		}
	}
	return given, v.Err()
}

func hasError(v participation.ValidationErrors, questionID int64) bool {
	f := "question_" + strconv.FormatInt(questionID, 10)
	for _, e := range v {
		if e.Field == f {
			return true
		}
	}
	return false
}

type answerRow struct {
	participation.Answer
	ChoicesJSON string `db:"choices"`
}

// GetResponse returns a participant's response to a survey with every answer
// saved so far.
func (s *Store) GetResponse(ctx context.Context, componentID, participantID int64) (participation.Response, error) {
	var r participation.Response
	if err := s.get(ctx, &r, "get-response", componentID, participantID); err != nil {
		if noRows(err) {
			return r, notFound("component_id", "response")
		}
		return r, fmt.Errorf("store: unable to get response: %w", err)
	}
	if err := s.fillAnswers(ctx, &r); err != nil {
		return r, err
	}
	return r, nil
}

func (s *Store) fillAnswers(ctx context.Context, r *participation.Response) error {
	r.StartedAt, r.UpdatedAt = r.StartedAt.UTC(), r.UpdatedAt.UTC()
	if r.CompletedAt != nil {
		t := r.CompletedAt.UTC()
		r.CompletedAt = &t
	}
	var rows []answerRow
	if err := s.sel(ctx, &rows, "list-answers", r.ID); err != nil {
		return fmt.Errorf("store: unable to list answers: %w", err)
	}
	r.Answers = make([]participation.Answer, 0, len(rows))
	for _, row := range rows {
		a := row.Answer
		if err := json.Unmarshal([]byte(row.ChoicesJSON), &a.Choices); err != nil {
			return fmt.Errorf("store: answer holds broken choices: %w", err)
		}
		if len(a.Choices) == 0 {
			a.Choices = nil
		}
		r.Answers = append(r.Answers, a)
	}
	return nil
}
