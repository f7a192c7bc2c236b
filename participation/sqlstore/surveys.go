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

// SetSurvey replaces a survey component's questions; once anyone has
// answered, the questions are frozen (CodeConflict).
func (s *Store) SetSurvey(ctx context.Context, sv participation.Survey) error {
	if sv.Pages == 0 {
		for _, q := range sv.Questions {
			sv.Pages = max(sv.Pages, q.Page)
		}
	}
	if v := participation.ValidateSurvey(sv); len(v) > 0 {
		return v
	}
	return s.write(ctx, func(w *Store) error {
		c, err := w.GetComponent(ctx, sv.ComponentID)
		if err != nil {
			return err
		}
		if c.Kind != participation.KindSurvey {
			return participation.Errorf(participation.CodeInvalid, "component_id", "err.wrong_component", "this is not a survey component")
		}
		var n int
		if err := w.get(ctx, &n, "count-responses", sv.ComponentID); err != nil {
			return fmt.Errorf("store: unable to count responses: %w", err)
		}
		if n > 0 {
			return participation.Errorf(participation.CodeConflict, "", "err.survey_answered", "the survey already has responses; its questions can no longer change")
		}
		if _, err := w.exec(ctx, "delete-questions", sv.ComponentID); err != nil {
			return fmt.Errorf("store: unable to replace questions: %w", err)
		}
		if _, err := w.exec(ctx, "upsert-survey", sv.ComponentID, sv.Pages); err != nil {
			return fmt.Errorf("store: unable to store survey: %w", err)
		}
		pos := map[int]int{}
		for _, q := range sv.Questions {
			pos[q.Page]++
			p := q.Position
			if p == 0 {
				p = pos[q.Page]
			}
			if _, err := w.exec(ctx, "insert-question", sv.ComponentID, q.Page, p, string(q.Type), q.Prompt, q.Help,
				q.Required, jsonList(q.Options), q.MaxChoices, q.Min, q.Max); err != nil {
				return fmt.Errorf("store: unable to store question: %w", err)
			}
		}
		return w.emit(ctx, event{typ: participation.EvSurveyChanged, processID: c.ProcessID, componentID: c.ID, entityID: c.ID})
	})
}

type questionRow struct {
	participation.Question
	OptionsJSON string `db:"options"`
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
	for _, r := range rows {
		q := r.Question
		if err := json.Unmarshal([]byte(r.OptionsJSON), &q.Options); err != nil {
			return sv, fmt.Errorf("store: question %d holds broken options: %w", q.ID, err)
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
		given, err := checkPage(sv, page, answers)
		if err != nil {
			return err
		}
		var prev participation.Response
		err = w.get(ctx, &prev, "get-response", componentID, participantID)
		switch {
		case err != nil && !noRows(err):
			return fmt.Errorf("store: unable to read response: %w", err)
		case err == nil && prev.CompletedAt != nil:
			return participation.Errorf(participation.CodeDuplicate, "", "err.survey_done", "you have already completed this survey")
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
func checkPage(sv participation.Survey, page int, answers []participation.Answer) ([]participation.Answer, error) {
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
	answered := map[int64]bool{}
	for _, a := range given {
		answered[a.QuestionID] = true
	}
	for _, q := range sv.Questions {
		if q.Page == page && q.Required && !answered[q.ID] && !hasError(v, q.ID) {
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
