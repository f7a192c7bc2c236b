package insights

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/analysis/cluster"
	"github.com/civicpulse/civicpulse/analysis/text"
	"github.com/civicpulse/civicpulse/warehouse"
)

const (
	themeProcess   = 3
	themeComponent = 30
	themeSection   = 7
)

var analyzer = text.NewAnalyzer(text.Options{})

// argkpTopics reads ArgKP arguments grouped by topic, topics in file order.
func argkpTopics(t testing.TB) (topics []string, args map[string][]string) {
	args = map[string][]string{}
	for _, r := range argkpRows(t) {
		if args[r[2]] == nil {
			topics = append(topics, r[2])
		}
		args[r[2]] = append(args[r[2]], r[1])
	}
	return topics, args
}

// sectionComments are comments on one document section with their ledger
// events and the text features the ingester would store for them.
func (f *facts) sectionComments(texts []string, firstID int64) *warehouse.Batch {
	b := &warehouse.Batch{}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i, s := range texts {
		seq, id := f.next(), firstID+int64(i)
		when := at.Add(time.Duration(seq) * time.Minute)
		who := fmt.Sprint("p-", id)
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "comment.created", ProcessID: themeProcess,
			ComponentID: themeComponent, EntityID: id, Participant: who, RegionCode: "047", OccurredAt: when})
		b.Comments = append(b.Comments, warehouse.Comment{Seq: seq, CommentID: id, ProcessID: themeProcess,
			ComponentID: themeComponent, TargetKind: "section", TargetID: themeSection, Kind: "comment", Body: s,
			Participant: who, RegionCode: "047", OccurredAt: when})
		ft := analyzer.Features(strings.TrimSpace(s + "\n"))
		b.Texts = append(b.Texts, warehouse.TextFeatures{Seq: seq, EntityKind: "comment", EntityID: id,
			ProcessID: themeProcess, ComponentID: themeComponent, Lang: ft.Lang, Tokens: len(ft.Tokens),
			Stems: ft.Stems, Keywords: ft.Keywords, Hash: ft.Hash, MinHash: ft.MinHash, Places: ft.Places})
	}
	return b
}

func (f *facts) hide(ids ...int64) *warehouse.Batch {
	b := &warehouse.Batch{}
	for _, id := range ids {
		b.Moderation = append(b.Moderation, warehouse.Moderation{Seq: f.next(), ProcessID: themeProcess,
			ComponentID: themeComponent, EntityKind: "comment", EntityID: id, Status: "hidden",
			OccurredAt: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)})
	}
	return b
}

// corpus is texts on three ArgKP topics, with each text's topic.
type corpus struct {
	texts  []string
	topic  []int
	unused [][]string // more texts per topic, for later batches
}

func threeTopics(t testing.TB, per int) corpus {
	topics, args := argkpTopics(t)
	var c corpus
	for ti, name := range []string{topics[0], topics[5], topics[10]} {
		a := args[name]
		if len(a) < per+80 {
			t.Fatalf("topic %q has %d arguments", name, len(a))
		}
		for _, s := range a[:per] {
			c.texts = append(c.texts, s)
			c.topic = append(c.topic, ti)
		}
		c.unused = append(c.unused, a[per:])
	}
	return c
}

type themeInfo struct {
	id, parent, mergedInto, size int64
	label                        string
	renamed                      bool
}

func sectionThemes(t *testing.T, r *Runner) map[int64]themeInfo {
	t.Helper()
	rows, err := r.db.Query(`SELECT theme_id, parent_id, merged_into, size, label, renamed FROM themes
		WHERE process_id = ? AND scope = 'section' AND scope_id = ?`, themeProcess, themeSection)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]themeInfo{}
	for rows.Next() {
		var th themeInfo
		if err := rows.Scan(&th.id, &th.parent, &th.mergedInto, &th.size, &th.label, &th.renamed); err != nil {
			t.Fatal(err)
		}
		out[th.id] = th
	}
	return out
}

// sectionMembers maps comment id → theme id, failing on a text listed twice.
func sectionMembers(t *testing.T, r *Runner, how string) map[int64]int64 {
	t.Helper()
	rows, err := r.db.Query(`SELECT entity_id, theme_id FROM theme_members
		WHERE process_id = ? AND scope = 'section' AND scope_id = ? AND (how = ? OR ? = '')`, themeProcess, themeSection, how, how)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, th int64
		if err := rows.Scan(&id, &th); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[id]; dup {
			t.Fatalf("comment %d is a member twice", id)
		}
		out[id] = th
	}
	return out
}

func sectionRuns(t *testing.T, r *Runner) int64 {
	return scalar[int64](t, r.db, `SELECT count(*) FROM theme_runs WHERE process_id = ? AND scope = 'section' AND scope_id = ?`, themeProcess, themeSection)
}

// checkSizes compares each theme's size with its members.
func checkSizes(t *testing.T, r *Runner) {
	t.Helper()
	members := sectionMembers(t, r, "")
	count := map[int64]int64{}
	for _, th := range members {
		count[th]++
	}
	themes := sectionThemes(t, r)
	for id, th := range themes {
		if th.size != count[id] {
			t.Errorf("theme %d: size %d, %d members", id, th.size, count[id])
		}
	}
	for id := range count {
		if _, ok := themes[id]; !ok {
			t.Errorf("members in theme %d, which is not listed", id)
		}
	}
}

func pass(t *testing.T, r *Runner) {
	t.Helper()
	if err := r.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestStoredStemsAreClusterStems(t *testing.T) {
	// The job fits over the ingester's stems; that is only right if they are
	// what cluster.Fit would make of the text.
	_, args := argkpTopics(t)
	var texts []string
	for _, a := range args {
		texts = append(texts, a...)
	}
	for _, p := range []string{"scoop-hivemind.biodiversity", "vtaiwan.uberx"} {
		f, err := os.Open("../testdata/polis/" + p + "/comments.csv")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		col := 0
		for i, h := range rows[0] {
			if h == "comment-body" {
				col = i
			}
		}
		for _, r := range rows[1:] {
			texts = append(texts, r[col])
		}
	}
	texts = append(texts, "Serikali inapaswa kujenga barabara 2026 na hospitali", "A 12,5 b 3.4 km")
	differ := 0
	for _, s := range texts {
		got, want := analyzer.Features(s).Stems, cluster.Stems(s)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			if differ < 3 {
				t.Errorf("%q: stored stems %q, cluster.Stems %q", s, got, want)
			}
			differ++
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d texts differ", differ, len(texts))
	}
}

func TestThemesFitAssignRefit(t *testing.T) {
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	c := threeTopics(t, 60)
	f.write(t, f.sectionComments(c.texts, 1))
	pass(t, r)

	// Every scope with enough texts has one run: the process, the
	// component and the section.
	for _, scope := range []string{"process", "component", "section"} {
		if n := scalar[int64](t, r.db, `SELECT count(*) FROM theme_runs WHERE process_id = ? AND scope = ? AND model IS NOT NULL`, themeProcess, scope); n != 1 {
			t.Errorf("%s: %d runs", scope, n)
		}
	}
	members := sectionMembers(t, r, "fit")
	if len(members) != len(c.texts) {
		t.Fatalf("%d texts fitted, want %d", len(members), len(c.texts))
	}
	themes := sectionThemes(t, r)
	for id, th := range themes {
		if th.label == "" || th.size == 0 {
			t.Errorf("theme %d: label %q size %d", id, th.label, th.size)
		}
		if n := scalar[int64](t, r.db, `SELECT count(*) FROM theme_members WHERE scope = 'section' AND theme_id = ? AND rep = 1`, id); n != 1 {
			t.Errorf("theme %d: %d first representatives", id, n)
		}
	}
	checkSizes(t, r)
	// Meaningful: most of a theme's texts come from one topic.
	major := majorityTheme(members, c.topic, 1)
	pure := 0
	for id, th := range members {
		if major[c.topic[id-1]] == th {
			pure++
		}
	}
	t.Logf("%d themes; %d/%d texts in their topic's main theme", len(themes), pure, len(members))
	for id, th := range themes {
		t.Logf("theme %d (%d): %s", id, th.size, th.label)
	}
	if pure < len(members)/2 {
		t.Errorf("themes do not follow the topics: %d/%d texts in their topic's main theme", pure, len(members))
	}

	// A pass without new texts writes nothing.
	at := scalar[time.Time](t, r.db, `SELECT max(fitted_at) FROM theme_runs`)
	pass(t, r)
	if n := sectionRuns(t, r); n != 1 {
		t.Fatalf("%d runs after an idle pass", n)
	}
	if got := scalar[time.Time](t, r.db, `SELECT max(fitted_at) FROM theme_runs`); !got.Equal(at) {
		t.Fatal("an idle pass re-fitted")
	}

	// A few new texts are assigned with the stored model.
	var fresh []string
	var freshTopic []int
	for ti := range 3 {
		for _, s := range c.unused[ti][:4] {
			fresh = append(fresh, s)
			freshTopic = append(freshTopic, ti)
		}
	}
	f.write(t, f.sectionComments(fresh, 1001))
	r2 := newRunner(t, wh) // a restarted runner reads the model back
	pass(t, r2)
	if n := sectionRuns(t, r2); n != 1 {
		t.Fatalf("%d runs after %d new texts, want the first only", n, len(fresh))
	}
	assigned := sectionMembers(t, r2, "assign")
	if len(assigned) != len(fresh) {
		t.Fatalf("%d texts assigned, want %d", len(assigned), len(fresh))
	}
	agree := 0
	for i := range fresh {
		if assigned[int64(1001+i)] == major[freshTopic[i]] {
			agree++
		}
	}
	t.Logf("%d/%d new texts joined their topic's main theme", agree, len(fresh))
	if agree < len(fresh)/2 {
		t.Errorf("only %d/%d new texts joined their topic's main theme", agree, len(fresh))
	}
	checkSizes(t, r2)
	before := sectionMembers(t, r2, "")

	// Enough new texts make a re-fit; most texts keep their theme id.
	fresh = nil
	for ti := range 3 {
		fresh = append(fresh, c.unused[ti][4:24]...)
	}
	f.write(t, f.sectionComments(fresh, 2001))
	pass(t, r2)
	if n := sectionRuns(t, r2); n != 2 {
		t.Fatalf("%d runs after %d more texts, want 2", n, len(fresh))
	}
	if n := scalar[int64](t, r2.db, `SELECT count(*) FROM theme_runs WHERE model IS NOT NULL AND scope = 'section'`); n != 1 {
		t.Errorf("%d section runs keep a model, want the current one", n)
	}
	after := sectionMembers(t, r2, "fit")
	if len(after) != len(c.texts)+12+len(fresh) {
		t.Fatalf("%d texts in the re-fit", len(after))
	}
	kept := 0
	for id, th := range before {
		if after[id] == th {
			kept++
		}
	}
	t.Logf("%d/%d texts kept their theme id across the re-fit", kept, len(before))
	if kept*10 < len(before)*6 {
		t.Errorf("only %d/%d texts kept their theme id", kept, len(before))
	}
	checkSizes(t, r2)
}

// majorityTheme is, per topic, the theme holding most of its texts
// (members keyed by comment id, ids from first).
func majorityTheme(members map[int64]int64, topic []int, first int64) map[int]int64 {
	votes := map[int]map[int64]int{}
	for id, th := range members {
		tp := topic[id-first]
		if votes[tp] == nil {
			votes[tp] = map[int64]int{}
		}
		votes[tp][th]++
	}
	out := map[int]int64{}
	for tp, v := range votes {
		best := 0
		for th, n := range v {
			if n > best || (n == best && th < out[tp]) {
				out[tp], best = th, n
			}
		}
	}
	return out
}

// bySize lists the section's shown themes, largest first.
func bySize(themes map[int64]themeInfo) []themeInfo {
	var out []themeInfo
	for _, th := range themes {
		if th.mergedInto == 0 && th.size > 0 {
			out = append(out, th)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].size != out[b].size {
			return out[a].size > out[b].size
		}
		return out[a].id < out[b].id
	})
	return out
}

func TestThemeEditsSurviveRefit(t *testing.T) {
	ctx := context.Background()
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	c := threeTopics(t, 60)
	f.write(t, f.sectionComments(c.texts, 1))
	pass(t, r)
	shown := bySize(sectionThemes(t, r))
	if len(shown) < 3 {
		t.Fatalf("%d themes, want 3 or more", len(shown))
	}
	a, b := shown[0], shown[1]
	off := officials{t, f, r}

	// Rename, merge and split show at once.
	if err := off.RenameTheme(ctx, themeProcess, a.id, "  Cost of care  ", 9); err != nil {
		t.Fatal(err)
	}
	if th := sectionThemes(t, r)[a.id]; th.label != "Cost of care" || !th.renamed {
		t.Fatalf("after rename: %+v", th)
	}
	if err := off.MergeThemes(ctx, themeProcess, b.id, a.id, 9); err != nil {
		t.Fatal(err)
	}
	themes := sectionThemes(t, r)
	if themes[b.id].mergedInto != a.id || themes[b.id].size != 0 || themes[a.id].size != a.size+b.size {
		t.Fatalf("after merge: %+v into %+v", themes[b.id], themes[a.id])
	}
	checkSizes(t, r)
	if err := off.SplitTheme(ctx, themeProcess, a.id, 9); err != nil {
		t.Fatal(err)
	}
	children := childrenOf(sectionThemes(t, r), a.id)
	if len(children) != 2 || children[0].size+children[1].size != a.size+b.size {
		t.Fatalf("after split: children %+v", children)
	}
	if sectionThemes(t, r)[a.id].size != 0 {
		t.Fatal("the split theme kept members")
	}
	if err := off.RenameTheme(ctx, themeProcess, children[0].id, "First half", 9); err != nil {
		t.Fatal(err)
	}
	checkSizes(t, r)
	membersBefore := sectionMembers(t, r, "")
	if n := scalar[int64](t, r.db, `SELECT count(*) FROM theme_edits WHERE process_id = ? AND staff_id = 9`, themeProcess); n != 4 {
		t.Fatalf("%d edits recorded, want 4", n)
	}

	// A forced re-fit, by a runner that starts afresh, keeps all of it.
	r2 := newRunner(t, wh)
	if err := r2.refitThemes(ctx, themeProcess); err != nil {
		t.Fatal(err)
	}
	if n := sectionRuns(t, r2); n != 2 {
		t.Fatalf("%d runs after the forced re-fit", n)
	}
	themes = sectionThemes(t, r2)
	if th := themes[a.id]; th.label != "Cost of care" || !th.renamed || th.size != 0 {
		t.Errorf("renamed, split theme after re-fit: %+v", th)
	}
	if th := themes[b.id]; th.mergedInto != a.id || th.size != 0 {
		t.Errorf("merged theme after re-fit: %+v", th)
	}
	after := childrenOf(themes, a.id)
	if len(after) != 2 {
		t.Fatalf("children after re-fit: %+v", after)
	}
	var renamed themeInfo
	for _, ch := range after {
		if ch.id == children[0].id {
			renamed = ch
		}
	}
	if renamed.label != "First half" || !renamed.renamed {
		t.Errorf("renamed child after re-fit: %+v (children %+v)", renamed, after)
	}
	membersAfter := sectionMembers(t, r2, "")
	kept := 0
	for id, th := range membersBefore {
		if membersAfter[id] == th {
			kept++
		}
	}
	t.Logf("%d/%d texts kept their theme across the forced re-fit with edits", kept, len(membersBefore))
	if kept*10 < len(membersBefore)*8 {
		t.Errorf("only %d/%d texts kept their theme", kept, len(membersBefore))
	}
	checkSizes(t, r2)

	// Bad edits.
	off2 := officials{t, f, r2}
	other := shown[2]
	procTheme := scalar[int64](t, r2.db, `SELECT min(theme_id) FROM themes WHERE process_id = ? AND scope = 'process'`, themeProcess)
	for name, err := range map[string]error{
		"unknown":         off2.RenameTheme(ctx, themeProcess, 99999, "x", 9),
		"other process":   off2.RenameTheme(ctx, themeProcess+1, other.id, "x", 9),
		"merge unknown":   off2.MergeThemes(ctx, themeProcess, other.id, 99999, 9),
		"split unknown":   off2.SplitTheme(ctx, themeProcess, 99999, 9),
		"empty label":     off2.RenameTheme(ctx, themeProcess, other.id, "   ", 9),
		"long label":      off2.RenameTheme(ctx, themeProcess, other.id, strings.Repeat("é", MaxThemeLabel+1), 9),
		"two lines":       off2.RenameTheme(ctx, themeProcess, other.id, "a\nb", 9),
		"self merge":      off2.MergeThemes(ctx, themeProcess, other.id, other.id, 9),
		"across scopes":   off2.MergeThemes(ctx, themeProcess, other.id, procTheme, 9),
		"merged again":    off2.MergeThemes(ctx, themeProcess, b.id, other.id, 9),
		"into merged":     off2.MergeThemes(ctx, themeProcess, other.id, b.id, 9),
		"split twice":     off2.SplitTheme(ctx, themeProcess, a.id, 9),
		"split of merged": off2.SplitTheme(ctx, themeProcess, b.id, 9),
	} {
		want := ErrBadEdit
		if strings.Contains(name, "unknown") || name == "other process" {
			want = ErrUnknownTheme
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: err = %v, want %v", name, err, want)
		}
	}
	if ok := off2.RenameTheme(ctx, themeProcess, other.id, strings.Repeat("é", MaxThemeLabel), 9); ok != nil {
		t.Errorf("a label of %d runes: %v", MaxThemeLabel, ok)
	}
	if n := scalar[int64](t, r2.db, `SELECT count(*) FROM theme_edits`); n != 5 {
		t.Errorf("%d edits recorded, want the 4 and the last rename", n)
	}
}

func childrenOf(themes map[int64]themeInfo, parent int64) []themeInfo {
	var out []themeInfo
	for _, th := range themes {
		if th.parent == parent {
			out = append(out, th)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].id < out[b].id })
	return out
}

func TestHiddenTextsLeaveTheirThemes(t *testing.T) {
	ctx := context.Background()
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	c := threeTopics(t, 60)
	f.write(t, f.sectionComments(c.texts, 1))
	pass(t, r)
	members := sectionMembers(t, r, "")
	themes := sectionThemes(t, r)
	victim := int64(5)
	th := members[victim]

	f.write(t, f.hide(victim))
	pass(t, r)
	after := sectionMembers(t, r, "")
	if _, ok := after[victim]; ok {
		t.Fatal("a hidden comment is still a theme member")
	}
	if got := sectionThemes(t, r)[th].size; got != themes[th].size-1 {
		t.Errorf("theme %d: size %d after hiding one of %d", th, got, themes[th].size)
	}
	if n := sectionRuns(t, r); n != 1 {
		t.Errorf("hiding one text re-fitted (%d runs)", n)
	}
	checkSizes(t, r)

	// Hide all but three of a theme, with re-fits held off: it stays, and
	// is too small to split.
	var ids []int64
	for id, x := range after {
		if x == th {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	if len(ids) < 25 {
		t.Fatalf("theme %d has only %d members", th, len(ids))
	}
	r.SetThemeOptions(ThemeOptions{RefitMin: 1000})
	f.write(t, f.hide(ids[3:]...))
	pass(t, r)
	if n := sectionRuns(t, r); n != 1 {
		t.Fatalf("%d runs with re-fits held off", n)
	}
	if got := sectionThemes(t, r)[th].size; got != 3 {
		t.Fatalf("theme %d: size %d, want 3", th, got)
	}
	if err := (officials{t, f, r}).SplitTheme(ctx, themeProcess, th, 9); !errors.Is(err, ErrBadEdit) {
		t.Errorf("split of a 3-text theme: err = %v", err)
	}
	checkSizes(t, r)

	// With the default options, that many hidden texts make a re-fit.
	r.SetThemeOptions(ThemeOptions{})
	pass(t, r)
	if n := sectionRuns(t, r); n != 2 {
		t.Fatalf("%d runs after hiding %d of %d fitted texts, want a re-fit", n, len(ids)-2, len(c.texts))
	}
	if got, want := len(sectionMembers(t, r, "fit")), len(c.texts)-1-(len(ids)-3); got != want {
		t.Errorf("re-fit over %d texts, want %d", got, want)
	}
	checkSizes(t, r)
}

func TestQuestionAndComponentScopes(t *testing.T) {
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	c := threeTopics(t, 20)
	b := &warehouse.Batch{}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i, s := range c.texts {
		seq, resp := f.next(), int64(500+i)
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "survey.answered", ProcessID: themeProcess,
			ComponentID: 40, EntityID: resp, Participant: fmt.Sprint("p-", i), RegionCode: "047", OccurredAt: at})
		b.SurveyAnswers = append(b.SurveyAnswers, warehouse.SurveyAnswer{Seq: seq, ResponseID: resp, ProcessID: themeProcess,
			ComponentID: 40, Participant: fmt.Sprint("p-", i), RegionCode: "047", QuestionID: 41, Text: &s, OccurredAt: at})
		ft := analyzer.Features(s)
		b.Texts = append(b.Texts, warehouse.TextFeatures{Seq: seq, EntityKind: "answer", EntityID: resp, QuestionID: 41,
			ProcessID: themeProcess, ComponentID: 40, Stems: ft.Stems, Keywords: ft.Keywords, MinHash: ft.MinHash, Places: ft.Places})
	}
	f.write(t, b)
	// Ten comments elsewhere: too few for a section of their own.
	f.write(t, f.sectionComments(c.unused[0][:10], 1))
	pass(t, r)
	got := map[string]int64{}
	rows, err := r.db.Query(`SELECT scope || ' ' || scope_id, count(*) FROM theme_members WHERE process_id = ? GROUP BY 1`, themeProcess)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		got[k] = n
	}
	want := map[string]int64{"process 0": 70, "component 40": 60, "question 41": 60}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members per scope = %v, want %v", got, want)
	}
	if n := scalar[int64](t, r.db, `SELECT count(DISTINCT theme_id) FROM themes WHERE process_id = ?`, themeProcess); n != scalar[int64](t, r.db, `SELECT count(*) FROM themes WHERE process_id = ?`, themeProcess) {
		t.Error("theme ids repeat across the scopes of a process")
	}
}

func TestInheritIDs(t *testing.T) {
	next := int64(10)
	// Group 0 overlaps old 5 most, group 1 overlaps old 5 too but less and
	// takes old 6; group 2 is new.
	ids := inheritIDs([]int{0, 0, 0, 1, 1, 2, -1}, []int64{5, 5, 5, 5, 6, 0, 7}, 3, &next)
	if !reflect.DeepEqual(ids, []int64{5, 6, 11}) || next != 11 {
		t.Errorf("ids = %v, next = %d", ids, next)
	}
}

// TestThemesScale times a fit and write of a 100,000-text process scope
// (CIVICPULSE_THEMES_SCALE=100000 to run).
func TestThemesScale(t *testing.T) {
	n := envInt(t, "CIVICPULSE_THEMES_SCALE")
	if n == 0 {
		t.Skip("set CIVICPULSE_THEMES_SCALE to the number of texts")
	}
	ctx := context.Background()
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	texts, _ := cluster.Synthetic(n, 1)
	start := time.Now()
	for lo := 0; lo < n; lo += 50000 {
		f.write(t, f.sectionComments(texts[lo:min(n, lo+50000)], int64(lo+1)))
	}
	t.Logf("wrote %d comments in %v", n, time.Since(start))
	pt, err := r.loadProcessTexts(ctx, themeProcess)
	if err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	start = time.Now()
	pt, err = r.loadProcessTexts(ctx, themeProcess)
	if err != nil {
		t.Fatal(err)
	}
	tRead := time.Since(start)
	k := scopeKey{themeProcess, scopeProcess, 0}
	start = time.Now()
	if err := r.updateScope(ctx, scopeJob{key: k, texts: pt.scopes[k], next: &pt.nextID}); err != nil {
		t.Fatal(err)
	}
	tFit := time.Since(start)
	if got := scalar[int64](t, r.db, `SELECT count(*) FROM theme_members WHERE scope = 'process'`); got != int64(n) {
		t.Fatalf("%d members, want %d", got, n)
	}
	// New texts then take the assign path over the cached model.
	f.write(t, f.sectionComments(texts[:100], int64(n+1)))
	pt, _ = r.loadProcessTexts(ctx, themeProcess)
	start = time.Now()
	if err := r.updateScope(ctx, scopeJob{key: k, texts: pt.scopes[k], runID: pt.runs[k], next: &pt.nextID}); err != nil {
		t.Fatal(err)
	}
	tAssign := time.Since(start)
	r.mu.Unlock()
	t.Logf("%d texts: read %v, fit+write %v (%d themes); 100 new texts assigned+written %v",
		n, tRead, tFit, scalar[int64](t, r.db, `SELECT count(*) FROM themes WHERE scope = 'process'`), tAssign)

	// The whole process: its three scopes (process, component, section)
	// re-fitted, then a pass with nothing new.
	start = time.Now()
	if err := r.refitThemes(ctx, themeProcess); err != nil {
		t.Fatal(err)
	}
	tAll := time.Since(start)
	r.mu.Lock()
	r.themes(ctx, themeProcess) // records the fingerprint
	start = time.Now()
	if err := r.themes(ctx, themeProcess); err != nil {
		t.Fatal(err)
	}
	r.mu.Unlock()
	t.Logf("forced re-fit of the 3 scopes %v; idle pass %v", tAll, time.Since(start))
}
