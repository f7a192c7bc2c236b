package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// questionView is one question with the value to show: the citizen's input
// after a failed post, else what they saved before.
type questionView struct {
	participation.Question
	Field  string // form name and error key: "question_<id>"
	Value  string
	Values []int // multi: chosen indexes; ranking: option index per rank
	Error  string
}

func (q questionView) Chosen(i int) bool {
	for _, v := range q.Values {
		if v == i {
			return true
		}
	}
	return false
}

// RankIs reports whether option opt sits at rank (0-based) in the saved ranking.
func (q questionView) RankIs(rank, opt int) bool {
	return rank < len(q.Values) && q.Values[rank] == opt
}

type surveyData struct {
	processCtx
	C         participation.Component
	Page      int
	Pages     int
	Questions []questionView
	Errors    map[string]string
	Done      bool
	Progress  int // percent of pages saved
}

func (s *Server) surveyPage(w http.ResponseWriter, r *http.Request, pc processCtx, c participation.Component, page, status int, form url.Values, errs map[string]string) {
	sv, err := s.store.GetSurvey(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sv = pc.localSurvey(sv)
	var resp *participation.Response
	if me, err := s.participant(r); err != nil {
		s.fail(w, r, err)
		return
	} else if me != nil {
		got, err := s.store.GetResponse(r.Context(), c.ID, me.ID)
		if err != nil && !participation.IsNotFound(err) {
			s.fail(w, r, err)
			return
		}
		if err == nil {
			resp = &got
		}
	}
	d := surveyData{processCtx: pc, C: c, Pages: max(sv.Pages, 1), Errors: errs}
	if resp != nil && resp.CompletedAt != nil {
		d.Done, d.Progress = true, 100
		s.render(w, r, http.StatusOK, "survey", c.Title, d)
		return
	}
	last := 0
	if resp != nil {
		last = resp.LastPage
	}
	if page == 0 {
		page, _ = strconv.Atoi(r.URL.Query().Get("page"))
		if page == 0 {
			page = last + 1 // resume where the citizen left off
		}
	}
	d.Page = min(max(page, 1), min(last+1, d.Pages))
	d.Progress = 100 * last / d.Pages
	saved := map[int64]participation.Answer{}
	if resp != nil {
		for _, a := range resp.Answers {
			saved[a.QuestionID] = a
		}
	}
	for _, q := range sv.Questions {
		if q.Page != d.Page {
			continue
		}
		qv := questionView{Question: q, Field: fmt.Sprintf("question_%d", q.ID)}
		if form != nil {
			fillFromForm(&qv, form)
		} else if a, ok := saved[q.ID]; ok {
			qv.Values = a.Choices
			qv.Value = a.Text
			if a.Number != nil {
				qv.Value = strconv.FormatFloat(*a.Number, 'f', -1, 64)
			}
			if q.Type == participation.QSingle && len(a.Choices) == 1 {
				qv.Value = strconv.Itoa(a.Choices[0])
			}
		}
		qv.Error = errs[qv.Field]
		d.Questions = append(d.Questions, qv)
	}
	s.render(w, r, status, "survey", c.Title, d)
}

func fillFromForm(qv *questionView, form url.Values) {
	switch qv.Type {
	case participation.QMulti:
		for _, v := range form[qv.Field] {
			if n, err := strconv.Atoi(v); err == nil {
				qv.Values = append(qv.Values, n)
			}
		}
	case participation.QRanking:
		for rank := range qv.Options {
			n, err := strconv.Atoi(form.Get(fmt.Sprintf("%s_r%d", qv.Field, rank)))
			if err != nil {
				n = -1
			}
			qv.Values = append(qv.Values, n)
		}
	default:
		qv.Value = form.Get(qv.Field)
	}
}

// answersFromForm reads one page's answers. Unanswered questions are left
// out (the store decides whether they were required); input that is not
// even a number is reported here.
func answersFromForm(qs []participation.Question, page int, form url.Values) ([]participation.Answer, participation.ValidationErrors) {
	var out []participation.Answer
	var ve participation.ValidationErrors
	for _, q := range qs {
		if q.Page != page {
			continue
		}
		field := fmt.Sprintf("question_%d", q.ID)
		a := participation.Answer{QuestionID: q.ID}
		bad := func() { ve.Add(field, "err.bad_choice", "choose one of the options") }
		switch q.Type {
		case participation.QSingle:
			if v := form.Get(field); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					bad()
					continue
				}
				a.Choices = []int{n}
			}
		case participation.QMulti:
			for _, v := range form[field] {
				n, err := strconv.Atoi(v)
				if err != nil {
					bad()
					continue
				}
				a.Choices = append(a.Choices, n)
			}
		case participation.QRanking:
			for rank := range q.Options {
				v := form.Get(fmt.Sprintf("%s_r%d", field, rank))
				if v == "" {
					continue
				}
				n, err := strconv.Atoi(v)
				if err != nil {
					bad()
					continue
				}
				a.Choices = append(a.Choices, n)
			}
		case participation.QLikert, participation.QNumeric:
			if v := strings.TrimSpace(form.Get(field)); v != "" {
				n, err := strconv.ParseFloat(v, 64)
				if err != nil {
					ve.Add(field, "err.number", "must be a number")
					continue
				}
				a.Number = &n
			}
		case participation.QText:
			a.Text = form.Get(field)
		}
		if !participation.AnswerIsEmpty(a) {
			out = append(out, a)
		}
	}
	return out, ve
}

func (s *Server) answerSurvey(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, ok := pc.Component(varID(r, "cid"))
	if !ok || c.Kind != participation.KindSurvey {
		s.fail(w, r, errNotFound)
		return
	}
	sv, err := s.store.GetSurvey(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page, _ := strconv.Atoi(r.PostFormValue("page"))
	if page < 1 || page > max(sv.Pages, 1) {
		s.failStatus(w, r, http.StatusUnprocessableEntity, "err.bad_page")
		return
	}
	answers, ve := answersFromForm(sv.Questions, page, r.PostForm)
	if len(ve) > 0 {
		s.surveyPage(w, r, pc, c, page, http.StatusUnprocessableEntity, r.PostForm, s.fieldMessages(r, ve))
		return
	}
	resp, err := s.store.SaveSurveyPage(r.Context(), c.ID, state(r).participant.ID, page, answers)
	if err != nil {
		if isFormError(err) {
			s.surveyPage(w, r, pc, c, page, http.StatusUnprocessableEntity, r.PostForm, s.fieldMessages(r, err))
			return
		}
		s.failWrite(w, r, pc, err)
		return
	}
	if resp.CompletedAt != nil {
		redirect(w, r, fmt.Sprintf("/p/%s/c/%d", pc.P.Slug, c.ID))
		return
	}
	redirect(w, r, fmt.Sprintf("/p/%s/c/%d?page=%d", pc.P.Slug, c.ID, page+1))
}
