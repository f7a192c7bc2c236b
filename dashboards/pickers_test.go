package dashboards

import (
	"net/url"
	"slices"
	"testing"
)

func pickerOf(t *testing.T, r *Result, param string) Picker {
	t.Helper()
	for _, p := range r.Pickers {
		if p.Param == param {
			return p
		}
	}
	t.Fatalf("no %q picker in %+v", param, r.Pickers)
	return Picker{}
}

func optionsOf(p Picker) (values, labels []string, selected string) {
	for _, o := range p.Options {
		values, labels = append(values, o.Value), append(labels, o.Label)
		if o.Selected {
			selected = o.Value
		}
	}
	return
}

// The cross-tab offers its two questions as choices: any categorical
// question against region or another question.
func TestCrosstabPicker(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "survey-crosstab", Filter{Question: fxQ2})
	vals, labels, sel := optionsOf(pickerOf(t, r, "question"))
	if !slices.Equal(vals, []string{"501", "502"}) || !slices.Equal(labels, []string{"Own a car?", "Urban?"}) || sel != "502" {
		t.Errorf("question picker = %q %q selected %q", vals, labels, sel)
	}
	vals, labels, sel = optionsOf(pickerOf(t, r, "question2"))
	if !slices.Equal(vals, []string{"", "501"}) || labels[0] != "Region" || sel != "" {
		t.Errorf("second picker = %q %q selected %q", vals, labels, sel)
	}
	r = run(t, d, "survey-crosstab", Filter{Question: fxQ1, Question2: fxQ2})
	if _, _, sel := optionsOf(pickerOf(t, r, "question2")); sel != "502" {
		t.Errorf("question2 selected %q, want 502", sel)
	}
}

// The themes panel offers the scopes that have themes: the whole process
// and each section or open question with its own.
func TestThemesScopePicker(t *testing.T) {
	_, d := insightsFixture(t)
	r := ixRun(t, d, "themes", Filter{})
	vals, labels, sel := optionsOf(pickerOf(t, r, "scope"))
	if !slices.Equal(vals, []string{"", "section:900"}) || !slices.Equal(labels, []string{"Every text of the process", "Section 1. Transport"}) || sel != "" {
		t.Errorf("scope picker = %q %q selected %q", vals, labels, sel)
	}
	f := ParseFilter(ixProcess, url.Values{"scope": {"section:900"}})
	if f.Section != 900 {
		t.Fatalf("scope=section:900 parsed as %+v", f)
	}
	r = ixRun(t, d, "themes", f)
	if _, _, sel := optionsOf(pickerOf(t, r, "scope")); sel != "section:900" {
		t.Errorf("selected %q, want section:900", sel)
	}
	if f := ParseFilter(ixProcess, url.Values{"scope": {"question:7"}}); f.Question != 7 || f.Section != 0 {
		t.Errorf("scope=question:7 parsed as %+v", f)
	}
}
