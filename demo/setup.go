package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/civicpulse/civicpulse"
	"github.com/civicpulse/civicpulse/participation"
)

const regionSource = "Kenya National Bureau of Statistics, 2019 Kenya Population and Housing Census, Volume I, Table 2.2. " +
	"Boundaries: geoBoundaries (Runfola, D. et al. 2020, PLoS ONE 15(4): e0231866), KEN-ADM1-32016919, " +
	"source RCMRD GeoPortal / Africa GeoPortal, Public Domain. Simplified."

const day = 24 * time.Hour

// panelOpens is when the water panel starts, after the main consultation's
// launch; people arriving earlier do not see it yet.
const panelOpens = 3 * day

// kenyaRegionSet is the ready-made Kenya set: the 47 counties with their
// 2019 census populations and the built-in county map, stored with the set
// (the store keeps it as it keeps an uploaded map) so that its choropleths
// are served like any other set's.
func kenyaRegionSet(counties []county) participation.RegionSet {
	rs := participation.RegionSet{Name: "Kenya counties (2019 census)", Source: regionSource,
		GeoJSON: civicpulse.KenyaCountiesGeoJSON}
	for _, c := range counties {
		rs.Regions = append(rs.Regions, participation.Region{Code: c.Code, Name: c.Name, Population: c.Population})
	}
	return rs
}

// setup creates the region set and the three processes, dated before the
// participation starts, as an official would have prepared them.
func (g *generator) setup(ctx context.Context, st participation.Store) error {
	prepared := participation.AsOf(ctx, g.day0.Add(-12*day+10*time.Hour))
	published := participation.AsOf(ctx, g.day0.Add(-day+9*time.Hour))
	return st.Batch(ctx, func(tx participation.Store) error {
		id, err := tx.CreateRegionSet(prepared, kenyaRegionSet(g.counties))
		if err != nil {
			return err
		}
		g.res.RegionSetID = id
		if err := g.setupMain(prepared, tx); err != nil {
			return err
		}
		if err := g.setupRegistered(prepared, tx); err != nil {
			return err
		}
		if err := g.setupDraft(prepared, tx); err != nil {
			return err
		}
		for _, pid := range []int64{g.res.ProcessID, g.res.RegisteredProcessID} {
			if err := tx.SetPublished(published, pid, true); err != nil {
				return err
			}
		}
		return nil
	})
}

func (g *generator) setupMain(ctx context.Context, tx participation.Store) error {
	target := int(math.Round(float64(g.opts.Participants)*1.6/100) * 100)
	if target < 100 {
		target = 100
	}
	// Participation stays open a week past the simulated period, whatever
	// its length, so the process is live at its end.
	open := time.Duration(max(35, g.opts.Days+7)) * day
	p := participation.Process{
		Slug:               mainSlug,
		Title:              "Draft Budget Policy Statement 2027: have your say on the 2027/28 budget",
		Summary:            mainSummary,
		Objective:          mainObjective,
		Level:              participation.LevelConsult,
		Sector:             "Public finance",
		Scope:              participation.ScopeNational,
		BudgetMinor:        12_000_000_000 * 100,
		Currency:           "KES",
		StartsAt:           g.day0,
		EndsAt:             g.day0.Add(open + 28*day),
		Officials:          mainOfficials,
		ExpectedOutcome:    mainOutcome,
		FeedbackMethod:     mainFeedback,
		Languages:          []string{"en", "sw"},
		TimeZone:           "Africa/Nairobi",
		Mode:               participation.ModeOpen,
		RegionSetID:        g.res.RegionSetID,
		TargetParticipants: target,
	}
	id, err := tx.CreateProcess(ctx, p)
	if err != nil {
		return err
	}
	g.res.ProcessID, g.res.Slug = id, mainSlug
	if _, err := tx.PublishDataAgreement(ctx, id, participation.PrivacyNotice{Text: mainPrivacy, AgreementTerms: participation.AgreementTerms{
		Purpose:     "To hear residents on the Citizen Priorities Fund and report what became of their input.",
		LawfulBasis: participation.BasisPublicTask, RetentionDays: 5 * 365,
		Access: "The National Treasury's budget team; contributions are published without names."}}); err != nil {
		return err
	}
	comps := []participation.Component{
		{ProcessID: id, Kind: participation.KindProposals, Position: 1, Title: "County project proposals",
			Description: "Propose a project for your county to be financed from the KES 12 billion Citizen Priorities Fund, and support the proposals you like. The 100 most supported proposals are screened for the 2027/28 development budget."},
		{ProcessID: id, Kind: participation.KindDocument, Position: 2, Title: documentTitle,
			Description: "Read the draft section by section. Comment, propose a better wording, or ask the Treasury a question; agree or disagree with what others wrote."},
		{ProcessID: id, Kind: participation.KindSurvey, Position: 3, Title: "Your budget priorities",
			Description: "Thirteen questions on three short pages, about five minutes. You can stop after any page and come back later."},
	}
	ids := make([]int64, len(comps))
	for i, c := range comps {
		if ids[i], err = tx.AddComponent(ctx, c); err != nil {
			return err
		}
	}
	g.res.ProposalsComponent, g.res.DocumentComponent, g.res.SurveyComponent = ids[0], ids[1], ids[2]
	phases := []participation.Phase{
		{ProcessID: id, Position: 1, Name: "Public participation",
			Description: "Proposals, comments on the draft statement and the survey are open in all 47 counties.",
			StartsAt:    g.day0, EndsAt: g.day0.Add(open), OpenComponents: ids},
		{ProcessID: id, Position: 2, Name: "Analysis and Treasury response",
			Description: "The Treasury analyses every input by county and theme and screens the most supported proposals.",
			StartsAt:    g.day0.Add(open), EndsAt: g.day0.Add(open + 14*day)},
		{ProcessID: id, Position: 3, Name: "Final statement and response report",
			Description: "The final Budget Policy Statement goes to the National Assembly with the public participation report, and the response report is published here.",
			StartsAt:    g.day0.Add(open + 14*day), EndsAt: g.day0.Add(open + 28*day)},
	}
	for _, ph := range phases {
		if _, err := tx.AddPhase(ctx, ph); err != nil {
			return err
		}
	}
	doc := participation.Document{ComponentID: ids[1], Title: documentTitle}
	for i, s := range sections {
		doc.Sections = append(doc.Sections, participation.Section{Position: i + 1, Heading: s.Heading, Body: s.Body})
	}
	if _, err := tx.PublishDocument(ctx, doc); err != nil {
		return err
	}
	d, err := tx.GetDocument(ctx, ids[1])
	if err != nil {
		return err
	}
	if len(d.Sections) != len(sections) {
		return fmt.Errorf("document has %d sections, want %d", len(d.Sections), len(sections))
	}
	for i, s := range d.Sections {
		g.sectionIDs[i] = s.ID
	}
	qs, err := g.setSurvey(ctx, tx, ids[2], 3, surveyQuestions)
	if err != nil {
		return err
	}
	g.questions = qs
	return nil
}

func (g *generator) setSurvey(ctx context.Context, tx participation.Store, comp int64, pages int, qt []questionText) ([]int64, error) {
	sv := participation.Survey{ComponentID: comp, Pages: pages}
	pos := map[int]int{}
	for _, q := range qt {
		pos[q.Page]++
		sv.Questions = append(sv.Questions, participation.Question{
			ComponentID: comp, Page: q.Page, Position: pos[q.Page], Type: participation.QuestionType(q.Type),
			Prompt: q.Prompt, Help: q.Help, Required: q.Required, Options: q.Options, MaxChoices: q.MaxChoices,
			Min: q.Min, Max: q.Max,
		})
	}
	if err := tx.SetSurvey(ctx, sv); err != nil {
		return nil, err
	}
	got, err := tx.GetSurvey(ctx, comp)
	if err != nil {
		return nil, err
	}
	if len(got.Questions) != len(qt) {
		return nil, fmt.Errorf("survey has %d questions, want %d", len(got.Questions), len(qt))
	}
	ids := make([]int64, len(qt))
	for i, q := range got.Questions { // ordered by page and position, as written
		ids[i] = q.ID
	}
	return ids, nil
}

func (g *generator) setupRegistered(ctx context.Context, tx participation.Store) error {
	p := participation.Process{
		Slug:      registeredSlug,
		Title:     "Citizens' panel: Water Harvesting and Storage Programme 2027–2030",
		Summary:   registeredSummary,
		Objective: "Recruit a standing panel of residents from every county to advise on where community water pans and small dams are built and to report every year whether they work.",
		Level:     participation.LevelCoCreate, Sector: "Water and sanitation", Scope: participation.ScopeNational,
		BudgetMinor: 45_000_000_000 * 100, Currency: "KES",
		StartsAt: g.day0.Add(panelOpens), EndsAt: g.day0.Add(time.Duration(max(40, g.opts.Days+7)) * day),
		Officials:       registeredOfficials,
		ExpectedOutcome: "A panel of at least 20 residents per county, a baseline of water access for the programme's evaluation, and a shortlist of community-proposed sites for the first 300 water pans.",
		FeedbackMethod:  "Panel members receive a yearly email report on the sites built and the panel's survey results; the shortlist of sites is published here.",
		Languages:       []string{"en", "sw"}, TimeZone: "Africa/Nairobi",
		Mode:           participation.ModeRegistered,
		PersonalFields: []participation.PersonalField{participation.FieldEmail, participation.FieldRegion},
		FieldReasons: map[participation.PersonalField]string{participation.FieldEmail: "To send you the panel's surveys and its yearly report.",
			participation.FieldRegion: "To make sure every county is heard."},
		RegionSetID: g.res.RegionSetID, TargetParticipants: 940,
	}
	id, err := tx.CreateProcess(ctx, p)
	if err != nil {
		return err
	}
	g.res.RegisteredProcessID = id
	if _, err := tx.PublishDataAgreement(ctx, id, participation.PrivacyNotice{
		Text: "Privacy notice (version 1). The State Department for Water and Sanitation keeps your email address and county to send you the panel's surveys and yearly report, and for no other purpose. They are never published or shared. You can leave the panel and have them erased at any time from the link in every email.",
		AgreementTerms: participation.AgreementTerms{Purpose: "To run a citizens' panel on the water harvesting programme: its surveys and its yearly report.",
			LawfulBasis: participation.BasisConsent, RetentionDays: 365, PolicyURL: "https://www.odpc.go.ke/dpa-act/",
			Access: "The programme's monitoring team at the State Department for Water and Sanitation; never published or shared."}}); err != nil {
		return err
	}
	survey, err := tx.AddComponent(ctx, participation.Component{ProcessID: id, Kind: participation.KindSurvey, Position: 1,
		Title: "Baseline survey", Description: "Four questions about water where you live."})
	if err != nil {
		return err
	}
	props, err := tx.AddComponent(ctx, participation.Component{ProcessID: id, Kind: participation.KindProposals, Position: 2,
		Title: "Sites for community water pans", Description: "Suggest a site in your county and say why."})
	if err != nil {
		return err
	}
	g.panelSurvey, g.panelProposals = survey, props
	if _, err := tx.AddPhase(ctx, participation.Phase{ProcessID: id, Position: 1, Name: "Panel recruitment and baseline",
		Description: "Register, answer the baseline survey and suggest sites.",
		StartsAt:    p.StartsAt, EndsAt: p.EndsAt, OpenComponents: []int64{survey, props}}); err != nil {
		return err
	}
	g.panelQuestions, err = g.setSurvey(ctx, tx, survey, 1, []questionText{
		{1, "single", "What is your household's main source of water?", "", true, waterSources, 0, nil, nil},
		{1, "numeric", "How many minutes does it take to fetch water, one way?", "", true, nil, 0, f(0), f(300)},
		{1, "likert", "Our water supply is reliable throughout the year.", "1 = strongly disagree, 5 = strongly agree", true, nil, 0, nil, nil},
		{1, "text", "Where should the first community water pan in your county be built, and why?", "", false, nil, 0, nil, nil},
	})
	return err
}

func (g *generator) setupDraft(ctx context.Context, tx participation.Store) error {
	p := participation.Process{
		Slug:      draftSlug,
		Title:     "County Health Facilities Improvement Programme 2028 (draft)",
		Summary:   "Help choose which level 2 and 3 health facilities are upgraded first: maternity wings, water and power, staff housing.",
		Objective: "Rank the upgrades proposed by county health departments with the people who use the facilities.",
		Level:     participation.LevelCoCreate, Sector: "Health", Scope: participation.ScopeNational,
		BudgetMinor: 8_000_000_000 * 100, Currency: "KES",
		StartsAt: g.day0.Add(time.Duration(max(50, g.opts.Days+14)) * day), EndsAt: g.day0.Add(time.Duration(max(92, g.opts.Days+56)) * day),
		Officials:       []string{"Principal Secretary, State Department for Medical Services (accountable)"},
		ExpectedOutcome: "A ranked list of facility upgrades per county for the 2028/29 budget.",
		FeedbackMethod:  "The ranked list and the Ministry's decisions are published here.",
		Languages:       []string{"en", "sw"}, TimeZone: "Africa/Nairobi", Mode: participation.ModeOpen,
		RegionSetID: g.res.RegionSetID, TargetParticipants: 10000,
	}
	id, err := tx.CreateProcess(ctx, p)
	if err != nil {
		return err
	}
	g.res.DraftProcessID = id
	comp, err := tx.AddComponent(ctx, participation.Component{ProcessID: id, Kind: participation.KindProposals, Position: 1,
		Title: "Facility upgrades", Description: "Proposed upgrades, one per facility."})
	if err != nil {
		return err
	}
	_, err = tx.AddPhase(ctx, participation.Phase{ProcessID: id, Position: 1, Name: "Proposals and ranking",
		StartsAt: p.StartsAt, EndsAt: p.EndsAt, OpenComponents: []int64{comp}})
	return err
}
