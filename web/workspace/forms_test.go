package workspace_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
)

const goodCSV = "code,name,population,parent_code\nN,North ward,12000,\nS,South ward,8000,\nS1,South market,900,S\n"

const goodGeoJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"N"},"geometry":{"type":"Polygon","coordinates":[[[36.8,-1.2],[36.9,-1.2],[36.9,-1.3],[36.8,-1.2]]]}},
{"type":"Feature","properties":{"code":"S"},"geometry":{"type":"Polygon","coordinates":[[[36.8,-1.3],[36.9,-1.3],[36.9,-1.4],[36.8,-1.3]]]}},
{"type":"Feature","properties":{"code":"S1"},"geometry":{"type":"Point","coordinates":[36.85,-1.35]}}]}`

// TestProcessThroughTheForms sets a process up from nothing through the
// plain HTML forms, as an official would without JavaScript, and runs it
// through its whole life; every refusal is checked for its status, its
// message and that nothing was saved.
func TestProcessThroughTheForms(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		admin := fx.browser(t, "admin")
		if home := admin.open("/staff"); !home.Has(`href="/staff/processes/new"`) {
			t.Fatal("the staff home does not offer admins a new process")
		}
		if home := fx.browser(t, "official").open("/staff"); !home.Has(`href="/staff/processes/new"`) {
			t.Fatal("the staff home does not offer an official a new process")
		}
		for _, who := range []string{"moderator", "analyst"} {
			if home := fx.browser(t, who).open("/staff"); home.Has(`href="/staff/processes/new"`) {
				t.Fatalf("the staff home offers a new process to a %s, who may not create one", who)
			}
		}

		// Create: a half-finished form comes back with what was typed.
		p := admin.submit("/staff/processes/new", "/staff/processes", url.Values{"title": {""}, "slug": {"water-2027"},
			"time_zone": {"Africa/Nairobi"}, "languages": {"en, sw"}})
		wantRefused(t, p, http.StatusUnprocessableEntity, "This is required.", "create without a title")
		if !p.Has(`value="water-2027"`) {
			t.Fatal("the refused create form lost the slug typed")
		}
		// An official of another process opens this one and becomes its
		// official, recorded as their own grant; nobody else gains a role.
		b := fx.browser(t, "official")
		p = b.submit("/staff/processes/new", "/staff/processes", url.Values{"title": {"Water plan 2027"}, "slug": {"water-2027"},
			"time_zone": {"Africa/Nairobi"}, "languages": {"en, sw"}})
		wantRedirect(t, p, "/staff/processes/", "create")
		id := lastID(t, p.Location())
		P := fmt.Sprintf("/staff/processes/%d", id)
		roles, err := fx.Staff.RolesOf(fx.ctx, fx.People["official"].ID)
		must(t, err)
		if !slices.Contains(roles, staff.Grant{ProcessID: id, Role: staff.RoleOfficial}) {
			t.Fatalf("the creating official's roles %v lack official of the new process %d", roles, id)
		}
		granted := false
		for _, rec := range fx.audited(t, id) {
			granted = granted || rec.Action == "role.grant" && rec.ActorID == fx.People["official"].ID
		}
		if !granted {
			t.Error("the creator's role on the new process is not in the audit log")
		}
		if err := fx.Staff.AdoptProcess(fx.ctx, staff.User{ID: fx.People["official_b"].ID}, id); err == nil {
			t.Error("another official adopted a process that already has its official")
		}
		mod := fx.browser(t, "moderator")
		mod.open("/staff")
		if pg := mod.Post("/staff/processes", mod.tok, url.Values{"title": {"Sneaky"}, "slug": {"sneaky"}}); pg.Status != http.StatusForbidden {
			t.Errorf("a moderator created a process: %d", pg.Status)
		}
		if page := b.open("/staff/processes/" + fmt.Sprint(id)); !page.Has(P + "/setup") {
			t.Fatal("the staff process page does not link the workspace set-up page")
		}

		// Strategy: a bad budget is refused with everything typed kept.
		strategy := url.Values{"title": {"Water plan 2027"}, "summary": {"Where should the **new** water points go?"},
			"objective": {"Choose 40 sites for water points."}, "level": {"consult"}, "sector": {"Water"}, "scope": {"local"},
			"budget": {"12,500,000"}, "currency": {"KES"}, "starts_at": {"2026-03-01"}, "ends_at": {"2026-04-30"},
			"time_zone": {"Africa/Nairobi"}, "responsible_officials": {"A. Wanjiru, water officer"}, "target_participants": {"2000"},
			"expected_outcome": {"A list of sites."}, "feedback_method": {"A report on this site."},
			"face_to_face": {"Ward barazas\nMarket days"}, "languages": {"en, sw"}}
		bad := cloneValues(strategy)
		bad.Set("budget", "lots")
		p = b.submit(P+"/strategy", P+"/strategy", bad)
		wantRefused(t, p, http.StatusUnprocessableEntity, "Please write a number", "strategy with a bad budget")
		if !p.Has("Choose 40 sites for water points.") || !p.Has(`value="lots"`) {
			t.Fatal("the refused strategy form lost what was typed")
		}
		if got := fx.process(t, id); got.Objective != "" {
			t.Fatalf("a refused strategy was saved: %q", got.Objective)
		}
		wantRedirect(t, b.submit(P+"/strategy", P+"/strategy", strategy), P+"/setup", "strategy")
		got := fx.process(t, id)
		if got.BudgetMinor != 1_250_000_000 || got.Level != participation.LevelConsult || len(got.FaceToFace) != 2 || got.TargetParticipants != 2000 {
			t.Fatalf("strategy not stored: %+v", got)
		}

		regionForms(t, fx, b, id)
		comps := componentForms(t, fx, b, id)
		phaseForms(t, fx, b, id, comps)
		lifeForms(t, fx, b, id, comps)

		// Save as template, then a new process from the template.
		wantRedirect(t, b.submit(P+"/setup", P+"/copy", url.Values{"as_template": {"yes"}, "copy_title": {"Water template"},
			"copy_slug": {"water-template"}}), P+"/setup", "save as template")
		tpls, err := fx.Store.ListTemplates(fx.ctx)
		must(t, err)
		if len(tpls) != 1 || tpls[0].Title != "Water template" || !tpls[0].IsTemplate {
			t.Fatalf("templates: %d", len(tpls))
		}
		if page := admin.open("/staff/processes/new"); !page.Has("Water template") {
			t.Fatal("the new process page does not offer the template")
		}
		p = admin.submit("/staff/processes/new", "/staff/processes", url.Values{"title": {"Water plan 2028"}, "slug": {"water-2028"},
			"template": {fmt.Sprint(tpls[0].ID)}})
		wantRedirect(t, p, "/staff/processes/", "new from template")
		copied := fx.process(t, lastID(t, p.Location()))
		if copied.State != participation.StateDraft || copied.IsTemplate || len(copied.Components) != 3 || len(copied.Phases) != 1 ||
			copied.Title != "Water plan 2028" || copied.RegionSetID != fx.process(t, id).RegionSetID {
			t.Fatalf("copy: %s template=%v %d components %d phases %q", copied.State, copied.IsTemplate, len(copied.Components), len(copied.Phases), copied.Title)
		}
		for _, c := range copied.Components {
			if c.Kind == participation.KindSurvey {
				if sv, err := fx.Store.GetSurvey(fx.ctx, c.ID); err != nil || len(sv.Questions) != 3 {
					t.Fatalf("copied survey: %d questions, %v", len(sv.Questions), err)
				}
			}
		}

		// Every write is in the audit log with the values before and after.
		recs := fx.audited(t, id)
		seen := map[string]bool{}
		for _, r := range recs {
			seen[r.Action] = true
			if r.ActorID == 0 {
				t.Errorf("audit %s has no actor", r.Action)
			}
			if r.Action != "role.grant" && len(r.After) == 0 && len(r.Before) == 0 {
				t.Errorf("audit %s records neither before nor after", r.Action)
			}
			if strings.HasSuffix(r.Action, ".update") || r.Action == "process.strategy" || r.Action == "process.state" {
				if len(r.Before) == 0 || len(r.After) == 0 {
					t.Errorf("audit %s lacks before or after", r.Action)
				}
			}
		}
		for _, a := range []string{"process.create", "process.strategy", "region_set.create", "process.region_set", "component.add", "component.update",
			"component.move", "document.publish", "survey.set", "question.move", "phase.add", "process.translations", "process.participation",
			"process.privacy_notice", "process.state"} {
			if !seen[a] {
				t.Errorf("no audit record %q (have %v)", a, keys(seen))
			}
		}
		for _, r := range recs {
			if r.Action == "process.strategy" {
				var before, after map[string]any
				_ = json.Unmarshal(r.Before, &before)
				_ = json.Unmarshal(r.After, &after)
				if before["objective"] != "" || after["objective"] != "Choose 40 sites for water points." {
					t.Errorf("strategy audit before/after: %v → %v", before["objective"], after["objective"])
				}
			}
		}
	})
}

func regionForms(t *testing.T, fx *fixture, b *browser, id int64) {
	P := fmt.Sprintf("/staff/processes/%d", id)
	sets := func() int {
		rs, err := fx.Store.ListRegionSets(fx.ctx)
		must(t, err)
		return len(rs)
	}
	n := sets()
	for _, c := range []struct {
		name, csv, msg string
	}{
		{"missing column", "code,name\nN,North\n", "the column population is missing"},
		{"duplicate code", "code,name,population\nN,North,1\nN,Again,2\n", "the code N is already on line 2"},
		{"empty code", "code,name,population\n,North,1\n", "the code is empty"},
		{"negative population", "code,name,population\nN,North,-5\n", "the population must not be negative"},
		{"non-numeric population", "code,name,population\nN,North,many\n", "is not a whole number"},
		{"not UTF-8", "code,name,population\nN,Nj\xe9ru,5\n", "not UTF-8"},
	} {
		p := b.upload(P+"/regions", P+"/regions/upload", map[string]string{"name": "Wards " + c.name}, map[string][]byte{"csv": []byte(c.csv)})
		if p.Status != http.StatusBadRequest && p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("CSV with %s: got %d, want 400 or 422", c.name, p.Status)
		}
		wantRefused(t, p, p.Status, c.msg, "CSV with "+c.name)
		if !p.Has(`value="Wards ` + c.name + `"`) {
			t.Errorf("CSV with %s: the set's name typed is lost", c.name)
		}
		if sets() != n {
			t.Fatalf("CSV with %s: a region set was saved", c.name)
		}
	}
	for what, geo := range map[string]string{
		"without the codes' features": `{"type":"FeatureCollection","features":[]}`,
		"that is not GeoJSON":         `{"hello":"world"}`,
		"that is not JSON":            `<kml></kml>`,
		"too large":                   `{"type":"FeatureCollection","features":[` + strings.Repeat(" ", participation.MaxGeoJSONBytes) + `]}`,
	} {
		p := b.upload(P+"/regions", P+"/regions/upload", map[string]string{"name": "Wards"},
			map[string][]byte{"csv": []byte(goodCSV), "geojson": []byte(geo)})
		if p.Status != http.StatusUnprocessableEntity && p.Status != http.StatusRequestEntityTooLarge {
			t.Fatalf("GeoJSON %s: got %d, want 422 or 413\n%s", what, p.Status, errorsIn(p.Body))
		}
		if errorsIn(p.Body) == "" && p.Status == http.StatusUnprocessableEntity {
			t.Fatalf("GeoJSON %s: refused without a message", what)
		}
		if sets() != n {
			t.Fatalf("a region set with a GeoJSON %s was saved", what)
		}
	}
	p := b.upload(P+"/regions", P+"/regions/upload", map[string]string{"name": "Wards", "source": "County survey office"},
		map[string][]byte{"csv": []byte(goodCSV), "geojson": []byte(goodGeoJSON)})
	wantRedirect(t, p, P+"/regions", "region upload")
	got := fx.process(t, id)
	rs, err := fx.Store.GetRegionSet(fx.ctx, got.RegionSetID)
	must(t, err)
	if rs.Name != "Wards" || len(rs.Regions) != 3 || len(rs.GeoJSON) == 0 {
		t.Fatalf("region set: %s, %d regions, %d bytes of GeoJSON", rs.Name, len(rs.Regions), len(rs.GeoJSON))
	}
}

// componentForms adds the three tools and their content; it returns the
// component ids by kind.
func componentForms(t *testing.T, fx *fixture, b *browser, id int64) map[participation.ComponentKind]int64 {
	P := fmt.Sprintf("/staff/processes/%d", id)
	out := map[participation.ComponentKind]int64{}
	p := b.submit(P+"/setup", P+"/components", url.Values{"kind": {"survey"}, "title": {""}, "description": {"Half typed"}})
	wantRefused(t, p, http.StatusUnprocessableEntity, "This is required.", "component without a title")
	if !p.Has("Half typed") {
		t.Fatal("the refused component form lost the description typed")
	}
	for _, k := range []participation.ComponentKind{participation.KindProposals, participation.KindDocument, participation.KindSurvey} {
		p := b.submit(P+"/setup", P+"/components", url.Values{"kind": {string(k)}, "title": {"The " + string(k)}, "description": {"About the " + string(k)}})
		wantRedirect(t, p, P+"/components/", "add "+string(k))
		out[k] = lastID(t, p.Location())
	}
	C := func(k participation.ComponentKind) string { return fmt.Sprintf("%s/components/%d", P, out[k]) }

	// A component without contributions is deleted once confirmed.
	p = b.submit(P+"/setup", P+"/components", url.Values{"kind": {"proposals"}, "title": {"Spare"}})
	wantRedirect(t, p, P+"/components/", "add a spare")
	spare := p.Location()[:strings.IndexByte(p.Location(), '?')]
	wantRefused(t, b.submit(spare, spare+"/delete", nil), http.StatusUnprocessableEntity, "Tick the box to confirm.", "delete unconfirmed")
	wantRedirect(t, b.submit(spare, spare+"/delete", url.Values{"confirm": {"yes"}}), P+"/setup", "delete the spare")
	if _, err := fx.Store.GetComponent(fx.ctx, lastID(t, spare)); !participation.IsNotFound(err) {
		t.Fatalf("the spare component is still there: %v", err)
	}

	// Proposals settings.
	wantRedirect(t, b.submit(C("proposals"), C("proposals"), url.Values{"title": {"Water point ideas"}, "budget": {"on"},
		"max_budget": {"500000"}, "map_point": {"on"}, "support_limit": {"3"}, "support_threshold": {"50"}}), C("proposals"), "proposal settings")
	pc, err := fx.Store.GetComponent(fx.ctx, out[participation.KindProposals])
	must(t, err)
	if pc.Title != "Water point ideas" || !strings.Contains(dump(pc), `"support_limit":3`) {
		t.Fatalf("proposal settings not stored: %s", dump(pc))
	}

	// Document: pasted Markdown split at its headings.
	doc := "# Where\n\nNear schools.\n\n# How\n\nBoreholes *first*."
	p = b.upload(C("document"), C("document")+"/document/import", map[string]string{"title": "Siting rules", "markdown": doc}, nil)
	wantRedirect(t, p, C("document"), "document import")
	d, err := fx.Store.GetDocument(fx.ctx, out[participation.KindDocument])
	must(t, err)
	if len(d.Sections) != 2 || d.Sections[0].Heading != "Where" {
		t.Fatalf("document sections: %s", dump(d.Sections))
	}
	// A new version from a .md file.
	p = b.upload(C("document"), C("document")+"/document/import", map[string]string{"title": "Siting rules"},
		map[string][]byte{"file": []byte("# Where\n\nNear schools.\n\n# How\n\nBoreholes first.\n\n# Who pays\n\nThe county.")})
	wantRedirect(t, p, C("document"), "document file")
	if d, _ := fx.Store.GetDocument(fx.ctx, out[participation.KindDocument]); d.Version != 2 || len(d.Sections) != 3 {
		t.Fatalf("document from a file: version %d, %d sections", d.Version, len(d.Sections))
	}
	p = b.upload(C("document"), C("document")+"/document/import", map[string]string{"title": "Siting rules"},
		map[string][]byte{"file": []byte("\xff\xfe bad")})
	wantRefused(t, p, http.StatusUnprocessableEntity, "not UTF-8", "non-UTF-8 document file")

	// Survey: a choice question with options, a question shown only if the
	// first was answered "Boreholes".
	S := C("survey")
	wantRedirect(t, b.submit(S, S+"/questions", url.Values{"type": {"single"}, "prompt": {"Which source?"}, "options": {"Boreholes\nRain tanks\nPipes"},
		"required": {"on"}, "page": {"1"}}), S, "question 1")
	wantRedirect(t, b.submit(S, S+"/questions", url.Values{"type": {"text"}, "prompt": {"Where exactly?"}, "page": {"1"},
		"show_if": {"1"}, "show_if_choices": {"1"}}), S, "question 2")
	p = b.submit(S, S+"/questions", url.Values{"type": {"text"}, "prompt": {"Typed prompt"}, "page": {"1"}, "show_if": {"1"}, "show_if_choices": {"x"}})
	wantRefused(t, p, http.StatusUnprocessableEntity, "Please give the numbers of the options", "bad show-if choices")
	if !p.Has(`value="Typed prompt"`) {
		t.Fatal("the refused question form lost the prompt typed")
	}
	sv, err := fx.Store.GetSurvey(fx.ctx, out[participation.KindSurvey])
	must(t, err)
	if len(sv.Questions) != 2 || len(sv.Questions[0].Options) != 3 || sv.Questions[1].ShowIf == nil ||
		sv.Questions[1].ShowIf.QuestionPosition != 1 || fmt.Sprint(sv.Questions[1].ShowIf.Choices) != "[0]" {
		t.Fatalf("survey: %s", dump(sv))
	}
	// Reorder with the plain buttons. A conditional question cannot move
	// above the question it depends on; a third one moves up freely.
	q2 := sv.Questions[1].ID
	wantRefused(t, b.submit(S, fmt.Sprintf("%s/questions/%d/move", P, q2), url.Values{"direction": {"up"}}),
		http.StatusUnprocessableEntity, "the condition must refer to an earlier question", "move a conditional question above its condition")
	wantRedirect(t, b.submit(S, S+"/questions", url.Values{"type": {"likert"}, "prompt": {"How urgent?"}, "page": {"1"}}), S, "question 3")
	sv, _ = fx.Store.GetSurvey(fx.ctx, out[participation.KindSurvey])
	q3 := sv.Questions[2].ID
	wantRedirect(t, b.submit(S, fmt.Sprintf("%s/questions/%d/move", P, q3), url.Values{"direction": {"up"}}), S, "move question")
	sv, _ = fx.Store.GetSurvey(fx.ctx, out[participation.KindSurvey])
	if sv.Questions[1].ID != q3 || sv.Questions[2].ID != q2 {
		t.Fatalf("question not moved up: %s", dump(sv.Questions))
	}
	wantRedirect(t, b.submit(P+"/setup", S+"/move", url.Values{"direction": {"up"}}), P+"/setup", "move component")
	got := fx.process(t, id)
	if got.Components[1].ID != out[participation.KindSurvey] {
		t.Fatalf("component not moved up: %v", titles(got.Components))
	}
	wantRedirect(t, b.submit(P+"/setup", S+"/move", url.Values{"direction": {"down"}}), P+"/setup", "move component back")
	return out
}

func phaseForms(t *testing.T, fx *fixture, b *browser, id int64, comps map[participation.ComponentKind]int64) {
	P := fmt.Sprintf("/staff/processes/%d", id)
	before := fx.sched.count(id)
	all := []string{fmt.Sprint(comps["proposals"]), fmt.Sprint(comps["document"]), fmt.Sprint(comps["survey"])}
	wantRedirect(t, b.submit(P+"/phases", P+"/phases", url.Values{"name": {"Ideas"}, "description": {"Send ideas"},
		"starts_at": {"2026-03-01T08:00"}, "ends_at": {"2026-03-31T17:00"}, "open_components": all}), P+"/phases", "phase 1")
	p := b.submit(P+"/phases", P+"/phases", url.Values{"name": {"Overlapping"}, "starts_at": {"2026-03-20T08:00"},
		"ends_at": {"2026-04-10T17:00"}, "open_components": all[:1]})
	wantRefused(t, p, http.StatusUnprocessableEntity, "overlaps", "overlapping phase")
	if !p.Has(`value="Overlapping"`) {
		t.Fatal("the refused phase form lost the name typed")
	}
	p = b.submit(P+"/phases", P+"/phases", url.Values{"name": {"Backwards"}, "starts_at": {"2026-04-20T08:00"}, "ends_at": {"2026-04-10T17:00"}})
	wantRefused(t, p, http.StatusUnprocessableEntity, "end", "phase ending before it starts")
	got := fx.process(t, id)
	if len(got.Phases) != 1 || len(got.Phases[0].OpenComponents) != 3 {
		t.Fatalf("phases: %s", dump(got.Phases))
	}
	if got.Phases[0].StartsAt.UTC().Hour() != 5 { // 08:00 in Nairobi
		t.Fatalf("phase start not read in the process's time zone: %v", got.Phases[0].StartsAt)
	}
	if fx.sched.count(id) <= before {
		t.Fatal("saving a phase did not schedule the phase jobs")
	}
}

var trField = regexp.MustCompile(`name="(t\|[a-z]+\|\d+\|[a-z_.0-9]+)"`)

// translateAll fills every translation field of the Kiswahili page.
func translateAll(t *testing.T, b *browser, P string) {
	t.Helper()
	page := b.open(P + "/translations/sw")
	v := url.Values{}
	for _, m := range trField.FindAllStringSubmatch(page.Body, -1) {
		v.Set(m[1], "Kiswahili: "+m[1])
	}
	wantRedirect(t, b.Post(P+"/translations/sw", b.tok, v), P+"/translations/sw", "translations")
}

func lifeForms(t *testing.T, fx *fixture, b *browser, id int64, comps map[participation.ComponentKind]int64) {
	P := fmt.Sprintf("/staff/processes/%d", id)
	// Untranslated: the set-up page and the translations page say so, and
	// publishing is refused for the missing Kiswahili title.
	if page := b.open(P + "/translations/sw"); !page.Has("not translated yet") {
		t.Fatal("the translations page does not list what is not translated")
	}
	wantRedirect(t, b.submit(P+"/setup", P+"/state", url.Values{"to": {"preview"}}), P+"/setup", "to preview")
	p := b.submit(P+"/setup", P+"/state", url.Values{"to": {"published"}})
	wantRefused(t, p, http.StatusUnprocessableEntity, "texts are not translated into Kiswahili yet", "publish untranslated")
	if p.Has("is not translated into sw") {
		t.Error("the set-up page lists each untranslated field in the store's words")
	}
	if fx.process(t, id).State != participation.StatePreview {
		t.Fatal("a refused publish changed the state")
	}

	// Registered mode: a field without a reason is refused; then no notice.
	p = b.submit(P+"/participation", P+"/participation", url.Values{"mode": {"registered"}, "fields": {"region"}})
	wantRefused(t, p, http.StatusUnprocessableEntity, "Say why you ask for this field", "registered field without a reason")
	if fx.process(t, id).Mode != participation.ModeOpen {
		t.Fatal("a refused participation form was saved")
	}
	wantRedirect(t, b.submit(P+"/participation", P+"/participation", url.Values{"mode": {"registered"}, "fields": {"region"},
		"reason.region": {"To count engagement by ward."}}), P+"/participation", "registered mode")
	translateAll(t, b, P)
	p = b.submit(P+"/setup", P+"/state", url.Values{"to": {"published"}})
	wantRefused(t, p, http.StatusUnprocessableEntity, "A registered process needs a privacy notice", "publish without a notice")
	// The data agreement: bad terms are refused beside their fields, with
	// what was typed kept; nothing is published until they are right.
	agreement := url.Values{"text": {"We keep your ward for one year."}, "purpose": {"To count engagement by ward."}, "lawful_basis": {"public_task"},
		"access": {"The planning office only."}, "retention_days": {"365"}, "policy_url": {"https://county.example/privacy"}}
	bad := cloneValues(agreement)
	bad.Set("retention_days", "a year")
	p = b.submit(P+"/participation", P+"/privacy", bad)
	wantRefused(t, p, http.StatusUnprocessableEntity, "Please write a whole number", "agreement with a retention in words")
	if !p.Has(`value="a year"`) || !p.Has("We keep your ward for one year.") || !p.Has(`value="https://county.example/privacy"`) {
		t.Fatalf("the refused agreement form lost what was typed:\n%s", errorsIn(p.Body))
	}
	bad = cloneValues(agreement)
	bad.Set("policy_url", "ftp://county.example/privacy")
	bad.Set("lawful_basis", "whim")
	bad.Del("access")
	p = b.submit(P+"/participation", P+"/privacy", bad)
	wantRefused(t, p, http.StatusUnprocessableEntity, "Please write a full web address", "agreement with a bad policy address")
	if !p.Has(`value="ftp://county.example/privacy"`) || !p.Has("To count engagement by ward.") {
		t.Fatal("the refused agreement form lost what was typed")
	}
	if fx.process(t, id).PrivacyNotice != nil {
		t.Fatal("a refused agreement was published")
	}
	wantRedirect(t, b.submit(P+"/participation", P+"/privacy", agreement), P+"/participation", "notice")
	if n := fx.process(t, id).PrivacyNotice; n == nil || n.Version != 1 || n.RetentionDays != 365 || n.LawfulBasis != participation.BasisPublicTask ||
		n.Access != "The planning office only." || len(n.Fields) != 1 || n.Fields[0].Reason != "To count engagement by ward." {
		t.Fatalf("published agreement %+v", n)
	}
	if page := b.open(P + "/participation"); !page.Has(`value="365"`) || !page.Has(`<option value="public_task" selected>`) {
		t.Fatal("the agreement form does not show the current version")
	}
	p = b.submit(P+"/participation", P+"/privacy", agreement)
	wantRefused(t, p, http.StatusUnprocessableEntity, "This is the text of the current version", "the same agreement again")

	// A choice question without options is refused when it is saved, so it
	// never reaches publication (the store checks both).
	S := fmt.Sprintf("%s/components/%d", P, comps["survey"])
	p = b.submit(S, S+"/questions", url.Values{"type": {"multi"}, "prompt": {"Pick any"}, "page": {"1"}})
	wantRefused(t, p, http.StatusUnprocessableEntity, "A question needs at least two options.", "choice question without options")
	if !p.Has(`value="Pick any"`) {
		t.Fatal("the refused question form lost the prompt typed")
	}
	if sv, _ := fx.Store.GetSurvey(fx.ctx, comps["survey"]); len(sv.Questions) != 3 {
		t.Fatalf("a refused question was saved: %d questions", len(sv.Questions))
	}
	translateAll(t, b, P)

	// Preview: the citizen page for staff of the process only.
	slug := fx.process(t, id).Slug
	if pg := b.Get("/p/" + slug + "?lang=sw"); pg.Status != http.StatusOK || !pg.Has("Kiswahili: t|process|") {
		t.Fatalf("preview in Kiswahili: %d", pg.Status)
	}
	if pg := fx.Client(t).Get("/p/" + slug); pg.Status != http.StatusNotFound {
		t.Fatalf("an anonymous visitor sees the preview: %d", pg.Status)
	}
	if pg := fx.browser(t, "official_b").Get("/p/" + slug); pg.Status != http.StatusNotFound {
		t.Fatalf("an official of another process sees the preview: %d", pg.Status)
	}
	b.open(P + "/setup?lang=en") // back to English for the messages below

	before := fx.sched.count(id)
	wantRedirect(t, b.submit(P+"/setup", P+"/state", url.Values{"to": {"published"}}), P+"/setup", "publish")
	if fx.process(t, id).State != participation.StatePublished || fx.sched.count(id) <= before {
		t.Fatal("publishing did not publish or did not schedule the phases")
	}
	if pg := fx.Client(t).Get("/p/" + slug); pg.Status != http.StatusOK {
		t.Fatalf("the published process is not public: %d", pg.Status)
	}

	// Illegal transition: published → draft.
	p = b.submit(P+"/setup", P+"/state", url.Values{"to": {"draft"}})
	wantRefused(t, p, http.StatusConflict, "cannot go from published to draft", "published → draft")

	// A component with contributions cannot be deleted (the fixture's open
	// process, where citizens have sent proposals; the official holds it too).
	C := fmt.Sprintf("/staff/processes/%d/components/%d", fx.ProcessA, fx.Proposals)
	p = b.submit(C, C+"/delete", url.Values{"confirm": {"yes"}})
	wantRefused(t, p, http.StatusConflict, "close it instead", "delete a component with contributions")
	if _, err := fx.Store.GetComponent(fx.ctx, fx.Proposals); err != nil {
		t.Fatal("the component with contributions was deleted")
	}

	// Close early with a reason, then archive.
	p = b.submit(P+"/setup", P+"/state", url.Values{"to": {"closed"}, "reason": {""}})
	wantRefused(t, p, http.StatusUnprocessableEntity, "reason", "close early without a reason")
	wantRedirect(t, b.submit(P+"/setup", P+"/state", url.Values{"to": {"closed"}, "reason": {"Funds withdrawn"}}), P+"/setup", "close")
	if got := fx.process(t, id); got.State != participation.StateClosed || got.ClosedReason != "Funds withdrawn" {
		t.Fatalf("closed: %s %q", got.State, got.ClosedReason)
	}
	wantRedirect(t, b.submit(P+"/setup", P+"/state", url.Values{"to": {"archived"}}), P+"/setup", "archive")
	if got := fx.process(t, id); got.State != participation.StateArchived {
		t.Fatalf("state %s, want archived", got.State)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func titles(cs []participation.Component) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Title)
	}
	return out
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
