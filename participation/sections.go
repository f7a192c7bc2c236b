package participation

import (
	"sort"
	"strings"
	"unicode"
)

// SplitMarkdown splits a Markdown text into a document's ordered sections at
// its ATX headings (# … ######); headings inside fenced code blocks do not
// count. Text before the first heading becomes a section with an empty
// heading; blank text makes no section.
func SplitMarkdown(title, markdown string) Document {
	d := Document{Title: strings.TrimSpace(title), Sections: []Section{}}
	var heading string
	var body []string
	started := false
	flush := func() {
		b := strings.Trim(strings.Join(body, "\n"), "\n")
		if strings.TrimSpace(b) != "" || (started && heading != "") {
			d.Sections = append(d.Sections, Section{Position: len(d.Sections) + 1, Heading: heading, Body: b})
		}
		body = body[:0]
	}
	fence := ""
	for _, line := range strings.Split(strings.ReplaceAll(markdown, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if fence == "" && len(line)-len(trimmed) < 4 {
			if h, ok := atxHeading(trimmed); ok {
				flush()
				heading, started = h, true
				continue
			}
		}
		if f := fenceMark(trimmed); f != "" {
			switch {
			case fence == "":
				fence = f
			case strings.HasPrefix(f, fence) && strings.TrimLeft(trimmed, fence[:1]) == "":
				fence = ""
			}
		}
		body = append(body, strings.TrimRight(line, " \t"))
	}
	flush()
	return d
}

// atxHeading returns the text of an ATX heading line.
func atxHeading(line string) (string, bool) {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(line) && line[n] != ' ' && line[n] != '\t') {
		return "", false
	}
	text := strings.TrimSpace(line[n:])
	// A closing sequence of #s goes, unless it is the whole text.
	if t := strings.TrimRight(text, "#"); t != text && (t == "" || strings.HasSuffix(t, " ")) {
		text = strings.TrimSpace(t)
	}
	return text, true
}

func fenceMark(line string) string {
	for _, c := range []string{"```", "~~~"} {
		if strings.HasPrefix(line, c) {
			n := 0
			for n < len(line) && line[n] == c[0] {
				n++
			}
			return line[:n]
		}
	}
	return ""
}

// MatchSections gives each section of a new version the lineage of the
// previous version's section it descends from: the one with the same
// heading first, then the one with the most similar body (at least half
// the words in common). LineageID stays 0 for a new section; Changed says
// the text differs from its ancestor.
func MatchSections(prev, next []Section) []Section {
	out := make([]Section, len(next))
	copy(out, next)
	used := make([]bool, len(prev))
	matched := make([]int, len(out))
	for i := range matched {
		matched[i] = -1
	}
	for i, s := range out {
		h := normalise(s.Heading)
		if h == "" {
			continue
		}
		for j, p := range prev {
			if !used[j] && normalise(p.Heading) == h {
				used[j], matched[i] = true, j
				break
			}
		}
	}
	type pair struct {
		i, j int
		sim  float64
	}
	var pairs []pair
	for i, s := range out {
		if matched[i] >= 0 {
			continue
		}
		w := words(s.Heading + " " + s.Body)
		for j, p := range prev {
			if used[j] {
				continue
			}
			if sim := jaccard(w, words(p.Heading+" "+p.Body)); sim >= 0.5 {
				pairs = append(pairs, pair{i, j, sim})
			}
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].sim > pairs[b].sim })
	for _, p := range pairs {
		if matched[p.i] < 0 && !used[p.j] {
			used[p.j], matched[p.i] = true, p.j
		}
	}
	for i := range out {
		out[i].LineageID, out[i].Changed = 0, false
		if j := matched[i]; j >= 0 {
			p := prev[j]
			out[i].LineageID = p.LineageID
			if out[i].LineageID == 0 {
				out[i].LineageID = p.ID
			}
			out[i].Changed = strings.TrimSpace(p.Body) != strings.TrimSpace(out[i].Body) ||
				strings.TrimSpace(p.Heading) != strings.TrimSpace(out[i].Heading)
		}
	}
	return out
}

func normalise(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		m[w] = true
	}
	return m
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return float64(n) / float64(len(a)+len(b)-n)
}
