package workspace

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// questionFields are the fields of a question's form.
var questionFields = []string{"type", "prompt", "help", "required", "page", "options", "max_choices", "min", "max", "show_if", "show_if_choices"}

func fnum(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// questionValues is a question's form. Choices of a condition are shown
// 1-based, as officials count options.
func questionValues(q participation.Question, sv participation.Survey) url.Values {
	v := url.Values{}
	v.Set("type", string(q.Type))
	v.Set("prompt", q.Prompt)
	v.Set("help", q.Help)
	if q.Required {
		v.Set("required", "on")
	}
	v.Set("page", strconv.Itoa(max(q.Page, 1)))
	v.Set("options", strings.Join(q.Options, "\n"))
	if q.MaxChoices > 0 {
		v.Set("max_choices", strconv.Itoa(q.MaxChoices))
	}
	v.Set("min", fnum(q.Min))
	v.Set("max", fnum(q.Max))
	if q.ShowIf != nil {
		v.Set("show_if", strconv.Itoa(q.ShowIf.QuestionPosition))
		var cs []string
		for _, c := range q.ShowIf.Choices {
			cs = append(cs, strconv.Itoa(c+1))
		}
		v.Set("show_if_choices", strings.Join(cs, ", "))
	}
	return v
}

// readQuestion reads a question's form; what cannot be parsed is refused
// here, the store checks the rest (options of a choice question, ranges).
func (ws *Workspace) readQuestion(r *http.Request, f *form, q *participation.Question) {
	loc := ws.loc(r)
	q.Type = participation.QuestionType(f.Get("type"))
	if !contains(typeNames(), string(q.Type)) {
		f.Errors["type"] = loc.T("err.choose")
	}
	q.Prompt, q.Help = strings.TrimSpace(f.Get("prompt")), strings.TrimSpace(f.Get("help"))
	if q.Prompt == "" {
		f.Errors["prompt"] = loc.T("err.required")
	}
	q.Required = f.Get("required") != ""
	q.Page = 1
	if s := strings.TrimSpace(f.Get("page")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 50 {
			f.Errors["page"] = loc.T("err.page")
		} else {
			q.Page = n
		}
	}
	q.Options = lines(f.Get("options"))
	q.MaxChoices = 0
	if s := strings.TrimSpace(f.Get("max_choices")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			f.Errors["max_choices"] = loc.T("err.whole_number")
		} else {
			q.MaxChoices = n
		}
	}
	q.Min, q.Max = nil, nil
	for _, k := range []string{"min", "max"} {
		s := strings.TrimSpace(f.Get(k))
		if s == "" {
			continue
		}
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			f.Errors[k] = loc.T("err.number")
			continue
		}
		if k == "min" {
			q.Min = &n
		} else {
			q.Max = &n
		}
	}
	q.ShowIf = nil
	if s := strings.TrimSpace(f.Get("show_if")); s != "" && s != "0" {
		pos, err := strconv.Atoi(s)
		if err != nil || pos < 1 {
			f.Errors["show_if"] = loc.T("err.choose")
			return
		}
		cond := participation.Condition{QuestionPosition: pos}
		for _, c := range strings.FieldsFunc(f.Get("show_if_choices"), func(r rune) bool { return r == ',' || r == ' ' }) {
			n, err := strconv.Atoi(c)
			if err != nil || n < 1 {
				f.Errors["show_if_choices"] = loc.T("err.option_numbers")
				break
			}
			cond.Choices = append(cond.Choices, n-1)
		}
		if len(cond.Choices) == 0 && f.Errors["show_if_choices"] == "" {
			f.Errors["show_if_choices"] = loc.T("err.option_numbers")
		}
		q.ShowIf = &cond
	}
}

func typeNames() []string {
	out := make([]string, len(questionTypes))
	for i, t := range questionTypes {
		out[i] = string(t)
	}
	return out
}

// normalise orders the questions by page and position and renumbers each
// page's positions from 1; Pages is the last page used.
func normalise(sv *participation.Survey) {
	sort.SliceStable(sv.Questions, func(i, j int) bool {
		a, b := sv.Questions[i], sv.Questions[j]
		if a.Page != b.Page {
			return a.Page < b.Page
		}
		return a.Position < b.Position
	})
	sv.Pages = 0
	pos := map[int]int{}
	for i := range sv.Questions {
		q := &sv.Questions[i]
		pos[q.Page]++
		q.Position = pos[q.Page]
		sv.Pages = max(sv.Pages, q.Page)
	}
	if sv.Pages == 0 {
		sv.Pages = 1
	}
}

// surveyOf reads a survey component's questions (none yet: empty).
func (ws *Workspace) surveyOf(r *http.Request, componentID int64) (participation.Survey, error) {
	sv, err := ws.store.GetSurvey(r.Context(), componentID)
	if participation.IsNotFound(err) {
		return participation.Survey{ComponentID: componentID, Pages: 1}, nil
	}
	return sv, err
}

func (ws *Workspace) addQuestion(w http.ResponseWriter, r *http.Request) {
	c, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	refuse := func() {
		ws.refuseComponent(w, r, f, questionFields, func(d *componentData) { d.NewQ = f })
	}
	if c.Kind != participation.KindSurvey {
		f.Errors["type"] = ws.loc(r).T("err.not_survey")
		f.V.Set("_conflict", "1")
		refuse()
		return
	}
	before, err := ws.surveyOf(r, c.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var q participation.Question
	ws.readQuestion(r, f, &q)
	if len(f.Errors) > 0 {
		refuse()
		return
	}
	q.ComponentID = c.ID
	q.Position = 1 << 20 // last of its page
	sv := before
	sv.Questions = append(append([]participation.Question(nil), before.Questions...), q)
	ws.setSurvey(w, r, c, before, sv, f, questionKey(sv, len(sv.Questions)-1), refuse)
}

// questionKey is the field prefix store errors use for the i-th question.
func questionKey(sv participation.Survey, i int) string { return "questions[" + strconv.Itoa(i) + "]" }

// setSurvey stores the survey; the store's messages about the question
// being edited go beside its fields, others above the form.
func (ws *Workspace) setSurvey(w http.ResponseWriter, r *http.Request, c participation.Component, before, sv participation.Survey, f *form, key string, refuse func()) {
	normalise(&sv)
	ws.formWrite(w, r, f, func() error { return ws.store.SetSurvey(r.Context(), sv) }, func() error {
		return ws.audit(r, "survey.set", c.ProcessID, "component:"+itoa(c.ID), before, sv)
	}, func(int) {
		for k, msg := range f.Errors {
			// "questions[3].options" → "options" when it is this question.
			if rest, ok := strings.CutPrefix(k, key+"."); ok {
				delete(f.Errors, k)
				add(f.Errors, rest, msg)
			}
		}
		refuse()
	}, processPath(c.ProcessID)+"/components/"+itoa(c.ID)+"#questions", "saved")
}

// questionOf finds {question} among the surveys of {process}.
func (ws *Workspace) questionOf(r *http.Request) (participation.Component, participation.Survey, int, error) {
	p, err := ws.process(r)
	if err != nil {
		return participation.Component{}, participation.Survey{}, 0, err
	}
	id := varID(r, "question")
	for _, c := range p.Components {
		if c.Kind != participation.KindSurvey {
			continue
		}
		sv, err := ws.surveyOf(r, c.ID)
		if err != nil {
			return c, sv, 0, err
		}
		for i, q := range sv.Questions {
			if q.ID == id {
				return c, sv, i, nil
			}
		}
	}
	return participation.Component{}, participation.Survey{}, 0,
		participation.Errorf(participation.CodeNotFound, "", "err.not_found", "no such question")
}

func (ws *Workspace) saveQuestion(w http.ResponseWriter, r *http.Request) {
	c, before, i, err := ws.questionOf(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	qid := before.Questions[i].ID
	refuse := func() {
		ws.refuseComponentAt(w, r, c, f, questionFields, func(d *componentData) { d.Q[qid] = f })
	}
	sv := before
	sv.Questions = append([]participation.Question(nil), before.Questions...)
	q := sv.Questions[i]
	oldPage := q.Page
	ws.readQuestion(r, f, &q)
	if len(f.Errors) > 0 {
		refuse()
		return
	}
	if q.Page != oldPage {
		q.Position = 1 << 20
	}
	sv.Questions[i] = q
	ws.setSurvey(w, r, c, before, sv, f, questionKey(sv, i), refuse)
}

// refuseComponentAt renders the component page of c (the route names the
// question, not the component).
func (ws *Workspace) refuseComponentAt(w http.ResponseWriter, r *http.Request, c participation.Component, f *form, known []string, edit func(*componentData)) {
	vars := map[string]string{"process": itoa(c.ProcessID), "component": itoa(c.ID)}
	ws.refuseComponent(w, withVars(r, vars), f, known, edit)
}

func (ws *Workspace) deleteQuestion(w http.ResponseWriter, r *http.Request) {
	c, before, i, err := ws.questionOf(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	qid := before.Questions[i].ID
	refuse := func() {
		ws.refuseComponentAt(w, r, c, f, []string{"confirm"}, func(d *componentData) { d.Q[qid] = mergeErrors(d.Q[qid], f) })
	}
	if f.Get("confirm") != "yes" {
		f.Errors["confirm"] = ws.loc(r).T("err.confirm")
		refuse()
		return
	}
	sv := before
	sv.Questions = append(append([]participation.Question(nil), before.Questions[:i]...), before.Questions[i+1:]...)
	ws.setSurvey(w, r, c, before, sv, f, "-", refuse)
}

// mergeErrors shows f's messages on the stored question's form.
func mergeErrors(stored, f *form) *form {
	if stored == nil {
		return f
	}
	stored.Errors, stored.Other = f.Errors, f.Other
	return stored
}

func (ws *Workspace) moveQuestion(w http.ResponseWriter, r *http.Request) {
	c, before, i, err := ws.questionOf(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	q := before.Questions[i]
	d := delta(r.PostForm.Get("direction"))
	f := newForm(r.PostForm)
	if d == 0 {
		f.Errors["direction"] = ws.loc(r).T("err.choose")
	}
	ws.formWrite(w, r, f, func() error { return ws.store.MoveQuestion(r.Context(), q.ID, d) }, func() error {
		return ws.audit(r, "question.move", c.ProcessID, "question:"+itoa(q.ID),
			map[string]any{"page": q.Page, "position": q.Position}, map[string]any{"delta": d})
	}, func(int) {
		ws.refuseComponentAt(w, r, c, f, nil, func(cd *componentData) { cd.Q[q.ID] = mergeErrors(cd.Q[q.ID], f) })
	}, processPath(c.ProcessID)+"/components/"+itoa(c.ID)+"#q-"+itoa(q.ID), "moved")
}
