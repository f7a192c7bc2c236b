package participation

import (
	"sort"
	"strconv"
	"strings"
)

// OrderSurvey returns the survey's questions in page order, numbering the
// positions left at 0 after the page's last one as SetSurvey stores them.
// ShowIf positions count in this order.
func OrderSurvey(s Survey) Survey {
	qs := append([]Question(nil), s.Questions...)
	next := map[int]int{}
	for _, q := range qs {
		next[q.Page] = max(next[q.Page], q.Position)
	}
	for i := range qs {
		if qs[i].Position == 0 {
			next[qs[i].Page]++
			qs[i].Position = next[qs[i].Page]
		}
	}
	sort.SliceStable(qs, func(i, j int) bool {
		if qs[i].Page != qs[j].Page {
			return qs[i].Page < qs[j].Page
		}
		return qs[i].Position < qs[j].Position
	})
	s.Questions = qs
	return s
}

// ValidateConditions checks the ShowIf conditions of an ordered survey:
// each refers to an earlier single- or multiple-choice question and to
// options it has.
func ValidateConditions(s Survey) ValidationErrors {
	var v ValidationErrors
	for i, q := range s.Questions {
		c := q.ShowIf
		if c == nil {
			continue
		}
		if c.QuestionPosition < 1 || c.QuestionPosition > i {
			v.Add("questions", "err.condition_earlier", "question %d: the condition must refer to an earlier question", i+1)
			continue
		}
		ref := s.Questions[c.QuestionPosition-1]
		if ref.Type != QSingle && ref.Type != QMulti {
			v.Add("questions", "err.condition_type", "question %d: the condition must refer to a choice question", i+1)
			continue
		}
		if len(c.Choices) == 0 {
			v.Add("questions", "err.condition_choices", "question %d: the condition needs at least one option", i+1)
		}
		for _, ch := range c.Choices {
			if ch < 0 || ch >= len(ref.Options) {
				v.Add("questions", "err.condition_option", "question %d: option %d is not an option of question %d", i+1, ch+1, c.QuestionPosition)
			}
		}
	}
	return v
}

// Visible reports, for each question of an ordered survey, whether it is
// shown given the answers so far (by question id): a question whose
// condition's question is unanswered or hidden, or answered with none of
// its choices, is hidden.
func Visible(s Survey, answers map[int64]Answer) map[int64]bool {
	shown := make(map[int64]bool, len(s.Questions))
	for i, q := range s.Questions {
		c := q.ShowIf
		if c == nil || c.QuestionPosition < 1 || c.QuestionPosition > i {
			shown[q.ID] = true
			continue
		}
		ref := s.Questions[c.QuestionPosition-1]
		a, ok := answers[ref.ID]
		if !ok || !shown[ref.ID] {
			continue
		}
		for _, got := range a.Choices {
			for _, want := range c.Choices {
				if got == want {
					shown[q.ID] = true
				}
			}
		}
	}
	return shown
}

// ValidateProposalSettings checks a proposals component's settings.
func ValidateProposalSettings(ps ProposalSettings) ValidationErrors {
	var v ValidationErrors
	if ps.MaxBudgetMinor < 0 {
		v.Add("proposals.max_budget_minor", "err.negative", "must not be negative")
	}
	if !ps.Budget && ps.MaxBudgetMinor != 0 {
		v.Add("proposals.max_budget_minor", "err.not_allowed", "a maximum budget needs budgets switched on")
	}
	if ps.SupportLimit < 0 || ps.SupportLimit > MaxSupportLimit {
		v.Add("proposals.support_limit", "err.out_of_range", "must be between 0 and %d", MaxSupportLimit)
	}
	if ps.SupportThreshold < 0 {
		v.Add("proposals.support_threshold", "err.negative", "must not be negative")
	}
	return v
}

// CheckProposalSettings refuses what a proposal carries that its
// component's settings switch off.
func CheckProposalSettings(ps *ProposalSettings, p Proposal) ValidationErrors {
	var v ValidationErrors
	if ps == nil {
		return nil
	}
	switch {
	case !ps.Budget && p.BudgetMinor != 0:
		v.Add("budget_minor", "err.budget_off", "proposals here carry no budget")
	case ps.MaxBudgetMinor > 0 && p.BudgetMinor > ps.MaxBudgetMinor:
		v.Add("budget_minor", "err.budget_max", "the budget may be at most %s", GroupedMajor(ps.MaxBudgetMinor))
	}
	if !ps.Pictures && len(p.Images) > 0 {
		v.Add("images", "err.pictures_off", "proposals here carry no pictures")
	}
	if !ps.MapPoint && (p.Lat != nil || p.Lng != nil) {
		v.Add("location", "err.map_point_off", "proposals here carry no map point")
	}
	return v
}

// GroupedMajor writes an amount kept in minor units (cents) as the whole
// major units a citizen types, grouped by thousands: 500000000 → "5,000,000".
func GroupedMajor(minor int64) string {
	n := strconv.FormatInt(minor/100, 10)
	neg := strings.HasPrefix(n, "-")
	n = strings.TrimPrefix(n, "-")
	var b strings.Builder
	for i, c := range n {
		if i > 0 && (len(n)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
