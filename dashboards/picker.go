package dashboards

import (
	"context"
	"database/sql"
	"strconv"
)

// Picker is a choice a panel offers over its own parameter (the questions
// of a cross-tab, the scope of the themes): the page draws it as a select
// in a GET form, so a choice is a link, with or without JavaScript.
type Picker struct {
	Param   string // the URL parameter it sets
	Label   string
	Options []Option
}

// Option is one choice; Value "" is the panel's default.
type Option struct {
	Value, Label string
	Selected     bool
}

func (p *Picker) add(value, label string, selected bool) {
	p.Options = append(p.Options, Option{value, label, selected})
}

// PickerParams are the parameters pickers set: a picker's form carries
// the view's other filters along, and drops these.
var PickerParams = []string{"question", "question2", "scope", "section", "theme"}

// crosstabPickers offer every categorical question as the rows, and region
// or any other categorical question as the columns.
func crosstabPickers(v View, qs []Question, categorical func(Question) bool, qa, qb *Question) []Picker {
	rows := Picker{Param: "question", Label: v.T("dash.pick.rows")}
	cols := Picker{Param: "question2", Label: v.T("dash.pick.cols")}
	cols.add("", v.T("dash.col.region"), qb == nil)
	for _, q := range qs {
		if !categorical(q) {
			continue
		}
		id := strconv.FormatInt(q.ID, 10)
		rows.add(id, q.Prompt, q.ID == qa.ID)
		if q.ID != qa.ID {
			cols.add(id, q.Prompt, qb != nil && q.ID == qb.ID)
		}
	}
	return []Picker{rows, cols}
}

// scopeValue is a theme scope as the picker's value ("" for the process).
func scopeValue(s Scope) string {
	if s.Kind == "process" {
		return ""
	}
	return s.Kind + ":" + strconv.FormatInt(s.ID, 10)
}

// scopePicker offers the scopes that have themes: the whole process, a
// component, a document section, an open question.
func (d *Dashboards) scopePicker(ctx context.Context, v View, shown Scope) (Picker, error) {
	p := Picker{Param: "scope", Label: v.T("dash.pick.scope")}
	p.add("", v.T("dash.scope.process"), shown.Kind == "process")
	err := d.each(ctx, "insight-theme-scopes", map[string]any{"process": v.P.ID}, func(r *sql.Rows) error {
		var s Scope
		var label string
		var pos int32
		if err := r.Scan(&s.Kind, &s.ID, &label, &pos); err != nil {
			return err
		}
		switch s.Kind {
		case "process":
			return nil
		case "section":
			label = v.T("dash.scope.section", SectionLabel(int(pos), label))
		case "question":
			label = v.T("dash.scope.question", label)
		case "component":
			label = v.T("dash.scope.component", label)
		}
		p.add(scopeValue(s), label, s == shown)
		return nil
	})
	return p, err
}
