package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

//go:embed axe/axe.min.js
var axeSource string

// Violation is one axe-core rule a page breaks, with where.
type Violation struct {
	Rule   string   `json:"id"`
	Impact string   `json:"impact"` // minor, moderate, serious, critical
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"` // CSS selectors of the offending elements (the first few)
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.Rule, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
}

// axeRun runs axe-core's WCAG 2.0–2.2 A and AA rules on the whole page.
// Devtools' evaluation is not bound by the page's CSP, so the strict
// policy the site sends stays as it is for the check.
const axeRun = `(async () => {
	const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]});
	return JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})));
})()`

// Axe checks the page open in ctx with axe-core and returns every
// violation of WCAG 2.2 A/AA rules it finds.
func Axe(ctx context.Context) ([]Violation, error) {
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("browsertest: axe: %w", err)
	}
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
			return nil, fmt.Errorf("browsertest: unable to load axe-core: %w", err)
		}
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("browsertest: axe run: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("browsertest: axe result: %w", err)
	}
	return vs, nil
}
