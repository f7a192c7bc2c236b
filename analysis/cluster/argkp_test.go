package cluster

import (
	"encoding/csv"
	"github.com/civicpulse/civicpulse/internal/racecheck"
	"os"
	"sort"
	"testing"

	"github.com/civicpulse/civicpulse/analysis/metrics"
)

func readCSV(t testing.TB, path string) []map[string]string {
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
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

type argSet struct {
	topic, stance string
	texts         []string
	keyPoint      []int // index into keyPoints
	keyPoints     []string
}

// argkpSets groups the ArgKP arguments with exactly one matching key point
// by topic and stance.
func argkpSets(t testing.TB) []argSet {
	args := readCSV(t, "../../testdata/argkp/arguments_train.csv")
	kps := readCSV(t, "../../testdata/argkp/key_points_train.csv")
	labels := readCSV(t, "../../testdata/argkp/labels_train.csv")
	matches := map[string][]string{}
	for _, l := range labels {
		if l["label"] == "1" {
			matches[l["arg_id"]] = append(matches[l["arg_id"]], l["key_point_id"])
		}
	}
	kpText := map[string]string{}
	for _, k := range kps {
		kpText[k["key_point_id"]] = k["key_point"]
	}
	sets := map[string]*argSet{}
	var keys []string
	for _, a := range args {
		m := matches[a["arg_id"]]
		if len(m) != 1 {
			continue
		}
		key := a["topic"] + "|" + a["stance"]
		s := sets[key]
		if s == nil {
			s = &argSet{topic: a["topic"], stance: a["stance"]}
			sets[key] = s
			keys = append(keys, key)
		}
		kp := -1
		for i, id := range s.keyPoints {
			if id == m[0] {
				kp = i
			}
		}
		if kp < 0 {
			kp = len(s.keyPoints)
			s.keyPoints = append(s.keyPoints, m[0])
		}
		s.texts = append(s.texts, a["argument"])
		s.keyPoint = append(s.keyPoint, kp)
	}
	sort.Strings(keys)
	var out []argSet
	for _, k := range keys {
		s := sets[k]
		for i, id := range s.keyPoints {
			s.keyPoints[i] = kpText[id]
		}
		out = append(out, *s)
	}
	return out
}

// TestArgKPThemes is the external check on IBM ArgKP: within each topic and
// stance, themes against the expert key points. It reports adjusted Rand
// index and NMI (with k chosen by silhouette and with the true number of key
// points) and how often a theme's first representative has the key point of
// most of its members; the floors only catch regressions.
func TestArgKPThemes(t *testing.T) {
	if racecheck.Enabled {
		t.Skip("external check: runs in make test's pass without the race detector")
	}
	sets := argkpSets(t)
	if len(sets) < 40 {
		t.Fatalf("%d topic/stance sets, want 48", len(sets))
	}
	var ariAuto, nmiAuto, ariTrue, nmiTrue float64
	repHit, repAll := 0, 0
	for _, s := range sets {
		_, auto, err := Fit(s.texts, Options{})
		if err != nil {
			t.Fatal(err)
		}
		m, fixed, err := Fit(s.texts, Options{K: len(s.keyPoints)})
		if err != nil {
			t.Fatal(err)
		}
		a1, n1 := metrics.AdjustedRand(s.keyPoint, auto), metrics.NMI(s.keyPoint, auto)
		a2, n2 := metrics.AdjustedRand(s.keyPoint, fixed), metrics.NMI(s.keyPoint, fixed)
		ariAuto += a1
		nmiAuto += n1
		ariTrue += a2
		nmiTrue += n2
		for _, th := range m.Themes {
			if len(th.Representatives) == 0 {
				continue
			}
			votes := map[int]int{}
			for i, g := range fixed {
				if g == th.ID {
					votes[s.keyPoint[i]]++
				}
			}
			major, most := -1, 0
			for kp, n := range votes {
				if n > most || (n == most && kp < major) {
					major, most = kp, n
				}
			}
			repAll++
			if s.keyPoint[th.Representatives[0]] == major {
				repHit++
			}
		}
		t.Logf("%-55.55s %2s n=%3d kp=%d | auto k=%2d ARI %.3f NMI %.3f | true k ARI %.3f NMI %.3f",
			s.topic, s.stance, len(s.texts), len(s.keyPoints), maxLabel(auto)+1, a1, n1, a2, n2)
	}
	n := float64(len(sets))
	t.Logf("mean over %d topic/stance sets: auto k ARI %.3f NMI %.3f; true k ARI %.3f NMI %.3f; representative matches majority key point %d/%d (%.0f%%)",
		len(sets), ariAuto/n, nmiAuto/n, ariTrue/n, nmiTrue/n, repHit, repAll, 100*float64(repHit)/float64(repAll))
	if ariTrue/n < 0.05 || nmiTrue/n < 0.15 {
		t.Errorf("themes no better than chance: ARI %.3f NMI %.3f", ariTrue/n, nmiTrue/n)
	}
}

func maxLabel(a []int) int {
	m := -1
	for _, x := range a {
		m = max(m, x)
	}
	return m
}
