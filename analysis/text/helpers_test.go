package text

import (
	"encoding/csv"
	"os"
	"testing"
)

// readColumn returns one column of a CSV file under the repository's
// testdata (tests run in the package folder).
func readColumn(t testing.TB, path, column string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, name := range rows[0] {
		if name == column {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s: no column %q", path, column)
	}
	out := make([]string, 0, len(rows)-1)
	for _, r := range rows[1:] {
		out = append(out, r[col])
	}
	return out
}

const (
	polisComments  = "../../testdata/polis/scoop-hivemind.biodiversity/comments.csv"
	taiwanComments = "../../testdata/polis/vtaiwan.uberx/comments.csv"
	argkpArguments = "../../testdata/argkp/arguments_train.csv"
	kenyaCounties  = "../../testdata/kenya/kenya_county_crosswalk.csv"
)

// realComments are citizen comments (Pol.is) and crowd-written arguments
// (ArgKP): the kind of text the ingester sees.
func realComments(t testing.TB) []string {
	texts := readColumn(t, polisComments, "comment-body")
	return append(texts, readColumn(t, argkpArguments, "argument")...)
}

// kiswahili are sentences of the kind citizens write to a county: budgets,
// water, roads, health.
var kiswahili = []string{
	"Serikali ya kaunti inapaswa kuongeza bajeti ya maji safi katika vijiji vyetu kwa sababu wanawake hutembea mbali kila siku.",
	"Barabara ya kutoka sokoni hadi hospitali imeharibika sana wakati wa mvua, tunaomba ikarabatiwe mwaka huu.",
	"Hospitali ya rufaa haina dawa za kutosha na wagonjwa wanalazimika kununua dawa katika maduka ya kibinafsi.",
	"Tunapendekeza fedha za maendeleo zigawanywe kwa usawa kati ya wadi zote za kaunti.",
	"Mradi wa maji wa Kaunti ya Kitui haujakamilika ingawa pesa zilitengwa katika bajeti ya mwaka jana.",
	"Vijana wanahitaji ajira na mafunzo ya ufundi ili waweze kujitegemea.",
	"Ni muhimu kwamba wananchi washirikishwe katika kupanga bajeti ya kaunti kabla haijapitishwa na bunge la kaunti.",
	"Zahanati ya kijiji chetu haina muuguzi wa kudumu, na akina mama wajawazito wanapata shida kubwa.",
	"Tunaomba taa za barabarani ziwekwe katika soko letu ili wafanyabiashara wafanye kazi hadi usiku.",
	"Bei ya maji imepanda mara mbili lakini maji yanakuja mara moja tu kwa wiki.",
}
