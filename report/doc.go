package report

import (
	"embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// Doc is an overview document as both writers see it: a cover (title,
// process, summary, key figures) and a run of blocks. Building it once
// and writing it twice keeps the PDF and the printable HTML the same
// document.
type Doc struct {
	Lang      string
	Title     string // the document, e.g. "All ideas"
	Process   string // the process's title
	Summary   string
	Objective string
	Figures   []Figure
	Blocks    []Block

	process    int64
	budget     int64
	currency   string
	components []component
	criteria   []participation.Criterion
	tr         *tr
}

// Figure is one key figure of the cover.
type Figure struct{ Label, Value string }

// BlockKind says how a block is set.
type BlockKind int

// The blocks.
const (
	Heading    BlockKind = iota // a part: a component, a theme group
	Subheading                  // a proposal, a section, a question
	Paragraph
	Quote // a participant's words
	Note  // a muted line: counts, a hidden item, an empty part
	TableBlock
	ChartBlock
)

// Block is one piece of the document.
type Block struct {
	Kind  BlockKind
	Text  string
	Table *Table
	Chart *Chart
}

// Table is a small table; Align says which columns are numbers.
type Table struct {
	Header []string
	Rows   [][]string
	Right  []bool
}

// Chart is a horizontal bar chart: one bar per label, with an optional
// interval per bar (Lo, Hi in the values' unit).
type Chart struct {
	Title  string
	Labels []string
	Values []float64
	Lo, Hi []float64
	Unit   string // "%" or ""
	png    []byte // drawn once, set in both formats
}

func (d *Doc) add(k BlockKind, text string) { d.Blocks = append(d.Blocks, Block{Kind: k, Text: text}) }

func (d *Doc) table(t *Table) { d.Blocks = append(d.Blocks, Block{Kind: TableBlock, Table: t}) }

func (d *Doc) chart(c *Chart) { d.Blocks = append(d.Blocks, Block{Kind: ChartBlock, Chart: c}) }

// T gives a catalogue text in the document's language.
func (d *Doc) T(key string, args ...any) string { return d.tr.t(key, args...) }

// N writes a count with the language's thousands separator.
func (d *Doc) N(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Money writes an amount in minor units (cents) in its currency.
func (d *Doc) Money(minor int64, currency string) string {
	s := d.N(minor / 100)
	if c := minor % 100; c != 0 {
		s += fmt.Sprintf(".%02d", abs(c))
	}
	if currency != "" {
		s = currency + " " + s
	}
	return s
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// Pct writes a share (0–1) as a percentage with one decimal.
func (d *Doc) Pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + " %" }

//go:embed catalog/*.json
var catalogFS embed.FS

// tr is one language's catalogue, falling back to English key by key.
type tr struct {
	lang     string
	msgs, en map[string]string
}

var catalogs = map[string]map[string]string{}

func init() {
	for _, lang := range []string{"en", "sw"} {
		b, err := catalogFS.ReadFile("catalog/" + lang + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("report: catalog/%s.json: %v", lang, err)) // a build error, caught by any test
		}
		catalogs[lang] = m
	}
}

// translator picks a language by its BCP 47 tag ("sw-KE" is Kiswahili);
// one without a catalogue gets English.
func translator(tag string) *tr {
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if _, ok := catalogs[base]; !ok {
		base = "en"
	}
	return &tr{lang: base, msgs: catalogs[base], en: catalogs["en"]}
}

func (t *tr) t(key string, args ...any) string {
	s, ok := t.msgs[key]
	if !ok {
		if s, ok = t.en[key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
