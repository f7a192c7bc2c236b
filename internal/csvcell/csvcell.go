// Package csvcell keeps text written to CSV from being run as a formula by
// a spreadsheet (CSV injection).
package csvcell

// Safe prefixes a cell that a spreadsheet would read as a formula with a
// quote, so that it shows as text.
func Safe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
