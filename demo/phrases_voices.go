package demo

// Who the writer is, and the words people use for one another's. Both keep
// two people who make the same point from writing the same sentence: the
// campaign detector would take a few dozen identical "Employ the youth!!"
// for a form letter, and rightly, since it cannot know they were typed
// apart. Invented.

// whoIAm introduces the writer.
var whoIAm = byLang{
	En: []string{
		"I am a boda boda rider in {town}.", "I am a teacher at a primary school near {town}.", "I sell vegetables at {town} market.",
		"I am a {crop} farmer in {county}.", "I am a student at {town} TVC.", "I am a retired civil servant living in {town}.",
		"I am a nurse at the health centre in {town}.", "I am a mother of {n} in {town}.", "I run a small shop in {town}.",
		"I have lived in {town} for [ten|twenty|thirty|over forty] years.", "I am a youth leader in {town} ward.",
		"I am a person with a disability from {town}.", "As a pastor in {town}, I see this every week.", "I am a casual worker in {town2}.",
		"I am a community health volunteer in {town}.", "I drive a matatu on the {town}–{town2} route.", "I am a fisherman near {town}.",
		"I am a jobless graduate from {town}.", "I am {n}0 years old and I live in {town}.", "I am a chairlady of a women group in {town}.",
	},
	Sw: []string{
		"Mimi ni mwendeshaji wa boda boda {town}.", "Mimi ni mwalimu wa shule ya msingi karibu na {town}.", "Ninauza mboga sokoni {town}.",
		"Mimi ni mkulima wa {crop} {county}.", "Mimi ni mwanafunzi wa chuo cha ufundi {town}.", "Mimi ni mstaafu ninayeishi {town}.",
		"Nimeishi {town} kwa miaka [kumi|ishirini|thelathini|zaidi ya arobaini].", "Mimi ni kiongozi wa vijana wadi ya {town}.",
		"Nina duka dogo {town}.", "Mimi ni mama wa watoto {n} hapa {town}.", "Mimi ni mhudumu wa afya ya jamii {town}.",
		"Mimi ni mvuvi karibu na {town}.", "Mimi ni mlemavu kutoka {town}.", "Mimi ni dereva wa matatu njia ya {town} hadi {town2}.",
		"Mimi ni mwenyekiti wa kikundi cha akina mama {town}.", "Nina miaka {n}0 na ninaishi {town}.",
	},
	Mix: []string{
		"Mimi ni boda guy wa {town}.", "Niko campus pale {town}.", "Mimi ni hustler, nauza mboga {town} market.",
		"Mimi ni farmer wa {crop} huku {county}.", "Mimi ni youth wa {town}, niko jobless.", "Nimeishi {town} since [2010|2015|nikiwa mtoto].",
		"Mimi ni mama mboga pale {town} stage.", "Mimi ni fundi wa jua kali {town}.",
	},
}

// synonyms are words a writer may use instead of the pools' (per register:
// English, Kiswahili, and the Sheng a mixed writer adds to both).
var synonyms = map[string]map[string][]string{
	langEn: {
		"because": {"since", "as"}, "children": {"kids", "our children"}, "people": {"residents", "wananchi", "citizens", "folks"},
		"please": {"kindly", "we beg you,"}, "very": {"really", "so"}, "many": {"a lot of", "so many"}, "build": {"construct", "put up"},
		"need": {"want", "require"}, "money": {"funds", "cash"}, "fix": {"repair", "sort out"}, "help": {"assist", "support"},
		"problem": {"issue", "challenge"}, "every": {"each"}, "now": {"today", "at the moment"}, "nobody": {"no one"},
		"buy": {"purchase"}, "give": {"provide"}, "near": {"close to"}, "women": {"mothers", "ladies"}, "walk": {"trek"},
		"government": {"Government", "serikali", "state"}, "first": {"first of all", "before anything else"},
		"poor": {"needy", "poorest"}, "terrible": {"very bad", "pathetic"}, "again": {"once more"},
		"support": {"back"}, "oppose": {"am against", "reject"}, "agree": {"concur"}, "sick": {"ill"},
		"repair": {"fix", "rehabilitate"}, "employ": {"hire", "recruit"}, "cannot": {"can't", "are unable to"},
		"always": {"every time"}, "drugs": {"medicine", "medicines"}, "clean": {"safe"}, "town": {"town centre"}, "expensive": {"costly", "too dear"},
		"our": {"our own"}, "only": {"just"}, "still": {"even now"}, "youth": {"young people", "vijana"},
		"villages": {"villages", "rural areas"}, "farmers": {"wakulima", "growers"}, "traders": {"business people", "wafanyabiashara"},
		"big": {"large"}, "small": {"little"}, "fund": {"finance", "pay for"}, "should": {"must", "ought to"}, "must": {"should", "have to"},
	},
	langSw: {
		"sana": {"mno", "kabisa"}, "tafadhali": {"naomba", "tunaomba"}, "watu": {"wananchi", "wakazi"}, "pesa": {"fedha", "hela"},
		"shida": {"tatizo", "taabu"}, "mbaya": {"mbovu"}, "hakuna": {"hamna"}, "haraka": {"upesi"}, "pia": {"vilevile"},
		"tunaomba": {"tunasihi", "tunaiomba serikali", "tunaomba sana"}, "serikali": {"serikali kuu", "serikali ya kaunti"},
		"wanafunzi": {"watoto wa shule"}, "hospitali": {"hosipitali"}, "mno": {"kupita kiasi"}, "wazee": {"wakongwe"},
		"tena": {"kwa mara nyingine"}, "kubwa": {"kubwa mno"}, "watoto": {"wana", "watoto wetu"},
		"wakulima": {"wakulima wadogo"}, "barabara": {"njia"}, "vijana": {"vijana wetu", "barobaro"}, "maji": {"maji", "maji safi"},
		"zaidi": {"zaidi", "nyingi zaidi"}, "nyingi": {"tele", "chungu nzima"}, "mwaka": {"mwaka", "mwaka huu"}, "asanteni": {"ahsanteni", "shukran"},
		"wagonjwa": {"wanaougua"}, "lazima": {"sharti", "ni lazima"},
	},
	langMix: {
		"pesa": {"doh", "mulla", "ganji"}, "poa": {"fiti", "safi"}, "bana": {"manze", "kabisa"}, "job": {"mboka", "kibarua"},
		"polisi": {"karao", "makarao"}, "matatu": {"mat", "nganya"}, "sana": {"mbaya", "kabisa"}, "watu": {"watu", "wasee"},
		"vijana": {"youth", "mayouth"}, "kazi": {"job", "mboka"},
	},
}

// reasons follow a request ("Build a footbridge at Sagana, so that …"):
// why it matters, in words that fit any concern.
var reasons = byLang{
	En: []string{
		"so that we also feel like Kenyans", "before the next dry season", "this financial year, not next", "because we pay taxes like everyone else",
		"and let the youth of {town} do the work", "it will save lives", "since the last promise was in [2017|2019|2022]", "and publish what it costs",
		"so that our children have a future here", "before the long rains", "because {town} has waited for [ten|fifteen|twenty] years",
		"and let the ward committee follow the work", "it is not a big amount for the Government", "so that people stop moving to Nairobi",
	},
	Sw: []string{
		"ili nasi tujione kuwa Wakenya", "kabla ya kiangazi kijacho", "mwaka huu wa fedha, si ujao", "kwa sababu tunalipa ushuru kama wengine",
		"na vijana wa {town} wapewe kazi hiyo", "itaokoa maisha", "tangu ahadi ya mwisho mwaka [2017|2019|2022]", "na gharama yake itangazwe",
		"ili watoto wetu wawe na maisha mazuri hapa", "kabla ya mvua za masika", "kwa sababu {town} imesubiri miaka [kumi|kumi na tano|ishirini]",
		"na kamati ya wadi ifuatilie kazi", "hizi si pesa nyingi kwa serikali",
	},
	Mix: []string{
		"ili sisi pia tuone maendeleo", "before the next elections", "juu tunalipa tax kama wengine", "na youth wa {town} wapewe hiyo job",
		"hii ni kitu ya kuokoa maisha", "si ahadi tu kama kawaida",
	},
}

// signOffs name where the writer is, as many sign their submissions.
var signOffs = byLang{
	En:  []string{"– {town}", "({county})", "From {town}.", "{town} resident.", "A concerned citizen, {town}.", "Ward: {town}."},
	Sw:  []string{"Kutoka {town}.", "Mkazi wa {town}.", "Mwananchi wa {county}.", "– {town}"},
	Mix: []string{"– {town} hustler", "Kutoka {town}.", "Huku {town}."},
}

// toFrames come before an English imperative request; askHeadings before any.
var (
	toFrames = []string{"We ask the Government to", "We are requesting the Treasury to", "Kindly", "I humbly request you to",
		"The national government should", "It is time to", "Our ward is asking you to", "We beg the Treasury to"}
	askHeadings = byLang{
		En:  []string{"My request:", "Request:", "To the Treasury:", "One thing only:", "Our prayer:", "Simply put:"},
		Sw:  []string{"Ombi letu:", "Ombi langu ni hili:", "Kwa Hazina ya Taifa:", "Jambo moja tu:", "Mheshimiwa,", "Tunachoomba ni hiki:"},
		Mix: []string{"Ombi langu:", "Request yetu ni hii:", "Kwa Treasury:", "Kitu moja tu:"},
	}
)
