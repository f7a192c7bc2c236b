// Package stats holds the survey statistics the dashboards show: intervals
// for proportions (Wilson) and means (Student's t), cross-tabulations with a
// chi-square test, two-proportion tests, histograms and Likert summaries.
//
// Every function is pure and answers degenerate input (no responses, empty
// rows, a single value) with a documented, NaN-free result or an error, so a
// panel never shows "NaN%".
package stats

// Z95 is the standard normal quantile for a two-sided 95% interval.
const Z95 = 1.959963984540054
