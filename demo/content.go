package demo

// The texts of the demo processes. The consultation is invented but shaped
// like the real thing: Kenya's National Treasury publishes a draft Budget
// Policy Statement every year and must consult the public on it
// (Constitution Art. 201, PFM Act 2012 s. 25). Names of officials are
// fictional.

const (
	mainSlug       = "budget-policy-2027"
	registeredSlug = "water-panel-2027"
	draftSlug      = "health-facilities-2028"
)

const mainSummary = "The National Treasury invites everyone in Kenya to comment on the draft 2027 Budget Policy Statement, " +
	"to propose projects for their county from the KES 12 billion Citizen Priorities Fund, and to tell us their spending " +
	"priorities before the 2027/28 budget ceilings go to the National Assembly."

const mainObjective = "Collect citizens' priorities and comments on the draft 2027 Budget Policy Statement from all 47 counties, " +
	"as Article 201 of the Constitution and section 25 of the Public Finance Management Act, 2012 require, and use them to " +
	"set the sector ceilings for the 2027/28 budget and to select the projects financed by the Citizen Priorities Fund."

const mainOutcome = "A public participation report that summarises every input by county and by theme, published with the final " +
	"Budget Policy Statement; sector ceilings adjusted where the evidence supports it; the most supported proposals screened " +
	"for financing from the KES 12 billion Citizen Priorities Fund in the 2027/28 development budget."

const mainFeedback = "Within 30 days of closing, the Treasury publishes a response report on this site stating, for each theme and " +
	"each of the 100 most supported proposals, what was changed and why. People who follow a proposal get a message when its " +
	"status changes, and county summaries are read out at the county budget and economic forums."

const mainPrivacy = "Privacy notice (version 1). The National Treasury is the data controller for this consultation under the " +
	"Data Protection Act, 2019. You can take part without an account: we keep a random identifier in a cookie so that you can " +
	"see and change your own contributions, and the county you choose to tell us. We do not record your IP address; page " +
	"visits are counted with a code that changes every day. Your comments, proposals and survey answers are published or " +
	"analysed without your identity and kept for five years after the consultation closes. You may ask for your data to be " +
	"erased at any time by writing to the Data Protection Officer, The National Treasury, P.O. Box 30007-00100, Nairobi."

var mainOfficials = []string{
	"Cabinet Secretary, National Treasury and Economic Planning (accountable)",
	"Principal Secretary, The National Treasury",
	"Dr. Achieng Mwangeka, Director General, Budget, Fiscal and Economic Affairs",
	"Joseph Kiprono Lagat, Head of Public Participation, Budget Department",
}

type sectionText struct {
	Heading    string
	Body       string
	Amendments []string // replacement texts citizens propose
	Questions  []string
}

const documentTitle = "Draft Budget Policy Statement 2027"

var sections = []sectionText{
	{
		Heading: "1. Economic outlook and fiscal framework",
		Body: "The economy is projected to grow by 5.4 percent in 2027, supported by agriculture, a recovery in construction and " +
			"steady growth in services. Public debt stands at 66 percent of GDP and interest payments take one shilling in every " +
			"three of ordinary revenue. The Government will therefore narrow the fiscal deficit from 4.3 percent of GDP in " +
			"2026/27 to 3.5 percent in 2027/28. It will do so mainly by doing less itself: recurrent spending will be held flat " +
			"in nominal terms, 18 loss-making state corporations will be merged, leased or sold, and more services, from vehicle " +
			"inspection to port handling, will be opened to private providers under regulation. Total expenditure is set at " +
			"KES 4.61 trillion, of which KES 437 billion is the equitable share for counties.",
		Amendments: []string{
			"The Government will narrow the fiscal deficit to 3.9 percent of GDP in 2027/28 and protect health, education and social protection spending from the freeze on recurrent expenditure.",
			"No state corporation providing water, electricity or health services will be sold or leased without a vote of the National Assembly and a public hearing in the counties it serves.",
		},
		Questions: []string{
			"Which 18 state corporations are on the list to be merged, leased or sold?",
			"How much of the KES 4.61 trillion goes to paying interest on debt?",
			"Will the freeze on recurrent spending stop the hiring of teachers and nurses?",
		},
	},
	{
		Heading: "2. Education and skills: TVET capitation",
		Body: "Half of the young people who finish secondary school each year do not find a place at university, and employers " +
			"report shortages of electricians, plumbers, welders and technicians. The Government proposes to raise the annual " +
			"capitation for trainees in public technical and vocational education and training (TVET) institutions from KES 30,000 " +
			"to KES 45,000, to equip 60 more TVET centres so that every constituency has one, and to link bursaries to " +
			"apprenticeships with registered employers. The allocation rises from KES 29 billion to KES 41 billion.",
		Amendments: []string{
			"The capitation for TVET trainees will rise to KES 45,000, and half of the new TVET centres will be built in the counties with the lowest secondary-school transition rates.",
			"Bursaries will be linked to apprenticeships with registered employers, including informal-sector (jua kali) workshops certified by the National Industrial Training Authority.",
		},
		Questions: []string{
			"Will the higher capitation also cover trainees in private TVET colleges?",
			"How will the 60 new TVET centres be shared among the counties?",
			"What happens to a bursary if the apprenticeship employer closes?",
		},
	},
	{
		Heading: "3. Rural growth centres and urbanisation",
		Body: "Nairobi, Mombasa, Kisumu and Nakuru grow by close to 4 percent a year, faster than their water, sewerage and housing. " +
			"Rather than chase this growth with ever larger city budgets, the Government will direct KES 38 billion to 120 rural " +
			"growth centres: markets, storage, last-mile electricity and roads, so that young people can find work and services " +
			"close to home. City infrastructure spending will be held at its 2026/27 level, and the affordable housing programme " +
			"will give priority to county headquarters outside the five largest cities.",
		Amendments: []string{
			"The Government will direct KES 38 billion to rural growth centres and, in addition, fund the informal settlement upgrading programme in the five largest cities at its 2026/27 level plus inflation.",
			"The 120 rural growth centres will be chosen by each county assembly after public hearings, using published criteria of population, distance to markets and poverty.",
		},
		Questions: []string{
			"How were the 120 rural growth centres chosen, and is there a list per county?",
			"Does holding city spending flat mean no new sewer lines in Nairobi's informal settlements?",
			"Who will own the markets and storage built at the growth centres?",
		},
	},
	{
		Heading: "4. Environment, water towers and biodiversity",
		Body: "Kenya's five main water towers supply three quarters of the country's renewable surface water, and their forests " +
			"are still being lost. The Government will spend KES 24 billion to restore degraded forest in the water towers, " +
			"protect wetlands and riparian land, support community conservancies, and continue the national tree-growing " +
			"programme with survival checks rather than planting counts. Counties that protect catchments will receive a " +
			"performance grant, and polluters of rivers and lakes will pay a levy that goes back into restoration.",
		Amendments: []string{
			"The Government will spend KES 24 billion on water towers and biodiversity, and publish every year the number of seedlings that survived after two years in each county.",
			"The pollution levy will be paid into a ring-fenced restoration fund that communities living along the affected river or lake can apply to directly.",
		},
		Questions: []string{
			"How will the catchment performance grant be measured, and by whom?",
			"Will communities living in the forests be moved to restore the water towers?",
			"How much is the pollution levy and who collects it?",
		},
	},
	{
		Heading: "5. Public service: ending the mandatory retirement age for specialists",
		Body: "The public service loses about 1,200 doctors, lecturers, engineers and other scarce specialists every year to the " +
			"mandatory retirement age of 60, often at the peak of their experience, while training replacements takes a decade. " +
			"The Government proposes to end the mandatory retirement age for specialist cadres: officers may continue to serve " +
			"while they meet annual performance and medical standards. The measure saves an estimated KES 6.8 billion a year in " +
			"pensions paid early and in the cost of contract re-hiring.",
		Amendments: []string{
			"Specialist officers may serve up to the age of 65, on two-year renewable terms, and every extension must be matched by the hiring of a young professional in the same department.",
			"The mandatory retirement age of 60 is kept; specialists who retire may be re-hired on part-time contracts to train their successors.",
		},
		Questions: []string{
			"Which cadres count as specialists under this proposal?",
			"How will this affect the hiring of young graduates in the public service?",
			"Who sets the performance and medical standards officers must meet?",
		},
	},
	{
		Heading: "6. Access to information: a Public Interest Media Fund",
		Body: "Many counties have no local newspaper and only one community radio station, and most local journalism depends on " +
			"advertising that is disappearing. To help citizens follow how public money is spent, the Government will create a " +
			"KES 2 billion Public Interest Media Fund for community radio, local and investigative journalism, and budget reporting " +
			"in local languages. Grants will be awarded by an independent panel at arm's length from Government, and no grant may " +
			"be tied to coverage of any public body.",
		Amendments: []string{
			"The Public Interest Media Fund will be run by a board appointed through open competition by Parliament, and will publish every grant, its recipient and the reasons for the award.",
			"At least half of the Public Interest Media Fund will go to community radio stations broadcasting in local languages.",
		},
		Questions: []string{
			"Who sits on the independent panel that awards the grants?",
			"Can a county government's own radio station apply to the fund?",
			"How will the fund stop grants being used to buy favourable coverage?",
		},
	},
	{
		Heading: "7. Science and technology: the Kenya Space Agency",
		Body: "Satellite data already guides drought early warning, crop insurance and the mapping of informal settlements, but " +
			"Kenya buys almost all of it abroad. The Government will allocate KES 3.5 billion over three years to the Kenya Space " +
			"Agency for a constellation of two earth-observation satellites built with universities, a ground station in Malindi, " +
			"and open data services for farmers, counties and researchers.",
		Amendments: []string{
			"The KES 3.5 billion for the Kenya Space Agency is reduced to KES 1.5 billion for buying satellite data, and the difference goes to drought response in arid counties.",
			"All data from the earth-observation satellites will be free and open to counties, farmers' cooperatives and Kenyan universities.",
		},
		Questions: []string{
			"How will a farmer in my county get the satellite data?",
			"What do two earth-observation satellites cost to run each year after launch?",
			"Which universities will build the satellites?",
		},
	},
	{
		Heading: "8. Security: regulating private security and military contractors",
		Body: "Public bodies increasingly hire private security and military contractors to guard installations and escort " +
			"convoys, at a cost of KES 9 billion last year and with little oversight. The Government proposes to prohibit public " +
			"bodies from hiring private military companies, to bring every armed private guard under licensing by the Private " +
			"Security Regulatory Authority, and to move KES 5 billion of the savings to community policing and the National " +
			"Police Service's rural stations.",
		Amendments: []string{
			"Public bodies may hire private security firms for unarmed guarding only; any armed protection must be provided by the National Police Service.",
			"The KES 5 billion moved to community policing will be shared among counties according to reported crime and distance to the nearest police station.",
		},
		Questions: []string{
			"Does the ban cover foreign companies protecting mining and oil sites?",
			"How many private military contractors do public bodies use today?",
			"Will community policing money be managed by counties or by the National Police Service?",
		},
	},
}

// Survey: the options whose index the generator reasons about are named.
const (
	qAge = iota
	qLocation
	qPriorities
	qDeficit
	qSpentWell
	qListens
	qPayTax
	qWaterMinutes
	qHeard
	qRealistic
	qCountyShare
	qChange
	qAgain
)

var ageBands = []string{"18–24", "25–34", "35–44", "45–54", "55–64", "65 or older"}

const (
	locUrban = iota
	locPeri
	locRural
)

// Priority options (qPriorities); priorityConcern (phrases_concerns.go)
// says what a person with that priority writes about.
const (
	prHealth = iota
	prEducation
	prWater
	prRoads
	prAgriculture
	prSecurity
	prHousing
	prEnvironment
	prYouth
	prSocial
)

const (
	heardRadio = iota
	heardSMS
	heardSocial
	heardFriends
	heardPress
	heardBaraza
	heardOther
)

func f(v float64) *float64 { return &v }

type questionText struct {
	Page       int
	Type       string
	Prompt     string
	Help       string
	Required   bool
	Options    []string
	MaxChoices int
	Min, Max   *float64
}

var surveyQuestions = []questionText{
	qAge:      {1, "single", "Which age group are you in?", "", true, ageBands, 0, nil, nil},
	qLocation: {1, "single", "Where do you live?", "", true, []string{"In a city or town", "On the edge of a town", "In a rural area"}, 0, nil, nil},
	qPriorities: {1, "multi", "Which areas should get more money in 2027/28?", "Choose up to three.", true, []string{
		"Health", "Education and TVET", "Water and sanitation", "Roads and transport", "Agriculture and food security",
		"Security", "Affordable housing and urban services", "Environment and climate", "Youth jobs and enterprise", "Social protection",
	}, 3, nil, nil},
	qDeficit: {1, "ranking", "Rank these ways of closing the budget gap, most preferred first.", "", true, []string{
		"Cut recurrent spending and waste", "Collect tax from those who do not pay", "Fight corruption and recover stolen assets",
		"Borrow less and restructure debt", "Sell or lease state corporations",
	}, 0, nil, nil},
	qSpentWell:    {2, "likert", "Public money in my county is well spent.", "1 = strongly disagree, 5 = strongly agree", true, nil, 0, nil, nil},
	qListens:      {2, "likert", "The national government listens to citizens when it sets the budget.", "1 = strongly disagree, 5 = strongly agree", true, nil, 0, nil, nil},
	qPayTax:       {2, "likert", "I would pay a little more tax if services clearly improved.", "1 = strongly disagree, 5 = strongly agree", true, nil, 0, nil, nil},
	qWaterMinutes: {2, "numeric", "How many minutes does it take you to reach the nearest water point?", "Walking, one way. 0 if you have water at home.", false, nil, 0, f(0), f(300)},
	qHeard: {2, "single", "How did you hear about this consultation?", "", true, []string{
		"Radio", "SMS", "Social media", "Friends or family", "Newspaper or TV", "Chief's baraza or county office", "Other",
	}, 0, nil, nil},
	qRealistic:   {3, "likert", "Reducing the deficit to 3.5 percent of GDP next year is realistic.", "1 = strongly disagree, 5 = strongly agree", true, nil, 0, nil, nil},
	qCountyShare: {3, "numeric", "Of every KES 100 of new development spending, how many shillings should the counties spend?", "", true, nil, 0, f(0), f(100)},
	qChange:      {3, "text", "What one change would you make to this budget?", "", false, nil, 0, nil, nil},
	qAgain:       {3, "single", "Would you take part in a future consultation?", "", false, []string{"Yes", "Maybe", "No"}, 0, nil, nil},
}

// The form letter: a union-style campaign against section 5, forwarded on
// messaging apps. Each slot's first word is the template's; copies swap
// some for the alternatives, as real campaigns' senders do.
var formLetter = []any{
	"I am writing to", []string{"oppose", "object to", "reject", "register my opposition to"},
	"the proposal in Section 5 to", []string{"end", "abolish", "scrap", "remove"},
	"the mandatory retirement age for specialists.", []string{"Thousands of", "Many", "Countless", "So many"},
	"young graduates are", []string{"jobless", "unemployed", "without work", "tarmacking"},
	"and the public service must", []string{"make room", "create space", "open opportunities", "find places"},
	"for them. Keeping officers beyond sixty will", []string{"block", "freeze", "stall", "hold back"},
	"promotions,", []string{"raise", "increase", "inflate", "push up"},
	"the wage bill and", []string{"deny", "rob", "deprive"},
	"the youth of", []string{"a chance", "an opportunity", "the chance"},
	"to serve their country. I", []string{"urge", "ask", "call on", "appeal to"},
	"the National Treasury to", []string{"withdraw", "drop", "delete", "reconsider"},
	"this proposal and", []string{"fund internships", "invest in internships", "pay for internships"},
	"for young professionals instead.",
}

var formLetterSignoffs = []string{
	"I am a nurse from %s.", "I am a graduate engineer from %s.", "I am a teacher in %s.",
	"I am a clinical officer from %s County.", "I am a student from %s.", "Written from %s.",
}

// Process 2: registered mode, asks email and region only.
const registeredSummary = "Join the citizens' panel that will follow the Water Harvesting and Storage Programme for four years: " +
	"register with your email and county, answer a short baseline survey and suggest sites for community water pans."

var registeredOfficials = []string{
	"Principal Secretary, State Department for Water and Sanitation (accountable)",
	"Eng. Halima Abdi Warsame, Programme Coordinator, Water Harvesting and Storage",
}

var waterSources = []string{"Piped into the home", "Public tap or water kiosk", "Borehole or well", "River, dam or water pan", "Water vendor", "Rainwater tank"}

var waterPanSites = []string{
	"Near the market centre, where women walk two hours for water in the dry season.",
	"Next to the primary school, so children do not miss class fetching water.",
	"On the seasonal river below the dispensary; it floods every April and is dry by July.",
	"At the livestock watering point on the main road, to stop conflicts over the borehole.",
	"Behind the chief's camp: the land is public and the ground holds water.",
	"In the valley below the hills, where the old dam silted up years ago.",
	"Close to the health centre, which has no reliable water.",
	"At the junction near the cattle dip, used by four villages.",
}
