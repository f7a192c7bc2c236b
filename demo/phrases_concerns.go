package demo

// The county concerns people write proposals and open answers about, in
// English, Kiswahili and the mixed English–Kiswahili of SMS and social
// media. Templates fill {town} and {town2} (two towns of the writer's
// county), {county}, {crop} (what the county farms or herds), {plant}
// (what it grows), {n} and {km}
// (numbers), and pick one of [a|b|c]; see expand in texts.go. They are
// invented, written the way submissions to county budget hearings read.

// byLang holds the variants of one phrase pool per register.
type byLang struct{ En, Sw, Mix []string }

func (b byLang) of(lang string) []string {
	switch lang {
	case langSw:
		if len(b.Sw) > 0 {
			return b.Sw
		}
	case langMix:
		if len(b.Mix) > 0 {
			return b.Mix
		}
		if len(b.Sw) > 0 {
			return b.Sw
		}
	}
	return b.En
}

type concern struct {
	Key   string
	Tags  []string
	Title byLang // proposal titles
	Core  byLang // what is wrong, or what the project is
	Ask   byLang // what the writer wants done
	Short byLang // a few words, as sent by SMS
}

const (
	cWater = iota
	cRoads
	cHealth
	cSchools
	cFarming
	cMarkets
	cYouth
	cSecurity
	cHousing
	cEnvironment
	cSocial
)

var concerns = []concern{
	cWater: {Key: "water", Tags: []string{"water", "sanitation"},
		Title: byLang{
			En: []string{"Borehole for {town} [village|ward|market|primary school]", "Piped water for {town} residents", "Water pan and dam for {town} [livestock|farmers]",
				"Repair the broken borehole at {town}", "Clean water kiosks in {town}", "Rain water tanks for schools in {county}", "Desilt the {town} dam before the rains"},
			Sw: []string{"Kisima cha maji {town}", "Maji safi ya bomba kwa wakazi wa {town}", "Bwawa la maji la {town}", "Tengeneza kisima kilichoharibika {town}",
				"Matangi ya maji ya mvua kwa shule za {county}"},
		},
		Core: byLang{
			En: []string{
				"[Women|Mothers|Girls] in {town} walk [two|three|four] hours to fetch water [in the dry season|every morning|from the river].",
				"The borehole at {town} has been broken since [last year|January|2024] and nobody has come to repair it.",
				"We buy a 20 litre jerrycan for KES {n}0 from vendors in {town}, and the water is not clean.",
				"The taps in {town} run only [twice a week|on Sundays|at night], so families store water in old drums.",
				"Children in {town} miss class because they go to fetch water at the river {km} km away.",
				"During the drought our [animals|goats|cows] and our families share the same dirty water pan near {town}.",
				"Cholera came to {town} [last year|twice] because there is no clean water and no toilets at the market.",
			},
			Sw: []string{
				"[Wanawake|Akina mama|Wasichana] wa {town} hutembea masaa [mawili|matatu|manne] kutafuta maji [wakati wa kiangazi|kila asubuhi|mtoni].",
				"Kisima cha {town} kimeharibika tangu [mwaka jana|Januari] na hakuna aliyekuja kukitengeneza.",
				"Tunanunua mtungi wa lita ishirini kwa shilingi {n}0 na maji hayo si safi.",
				"Maji ya bomba {town} yanatoka [mara mbili kwa wiki|usiku tu|siku ya Jumapili tu] na watu wanateseka sana.",
				"Watoto wa {town} hukosa shule kwa sababu wanaenda kuchota maji mtoni kilomita {km}.",
				"Wakati wa ukame mifugo na watu wanakunywa maji ya bwawa moja hapa {town}.",
			},
			Mix: []string{
				"Maji {town} ni shida mingi, tap zinatoa maji once a week tu.",
				"Hii borehole ya {town} iliharibika kitambo and hakuna mtu amekuja kuifix.",
				"Mtungi ya maji ni {n}0 bob kwa vendors, hatuwezi afford kila siku.",
			},
		},
		Ask: byLang{
			En: []string{"Please drill a borehole [near the market|at the primary school|next to the dispensary] in {town}.", "Give us piped water before the next dry season.",
				"Repair the borehole and train a local committee to maintain it.", "Build a water pan for the [livestock|animals] so that people and animals do not share water.",
				"Put clean water kiosks in every ward of {county}."},
			Sw: []string{"Tafadhali tuchimbiwe kisima karibu na [soko|shule ya msingi|zahanati] ya {town}.", "Tunaomba maji ya bomba kabla ya kiangazi kijacho.",
				"Serikali itengeneze kisima na kufundisha kamati ya wakazi kukitunza.", "Tujengewe bwawa la maji kwa ajili ya mifugo na watu wa {town}."},
			Mix: []string{"Serikali tafadhali mtuchimbie borehole hapa {town}.", "Tunaomba maji safi, hii ni basic need bana."},
		},
		Short: byLang{
			En:  []string{"water for {town}", "We need clean water in {town}", "borehole {town} please", "no water in {town} for {n} weeks", "Water water water. {county} is dry."},
			Sw:  []string{"maji safi {town} tafadhali", "Tunaomba maji {town}", "hatuna maji {town}", "kisima {town}", "Maji ni uhai, tusaidieni {county}"},
			Mix: []string{"maji {town} pls", "tunaomba borehole {town}", "hakuna maji {town} manze"},
		},
	},
	cRoads: {Key: "roads", Tags: []string{"roads", "transport"},
		Title: byLang{
			En: []string{"Tarmac the {town}–{town2} road", "Murram and culverts for the {town} feeder roads", "Footbridge over the river at {town}",
				"Street lights on the {town} road", "Bus park and matatu stage for {town}", "Grade the road to {town} market before the rains"},
			Sw: []string{"Lami kwa barabara ya {town} hadi {town2}", "Daraja la waenda kwa miguu {town}", "Taa za barabarani {town}", "Kituo cha matatu cha {town}", "Kurekebisha barabara za mashambani {county}"},
		},
		Core: byLang{
			En: []string{
				"The road from {town} to {town2} is [impassable|full of potholes|a river of mud] every rainy season.",
				"It takes {n} hours to reach {town2} by boda boda because the road has not been graded since [2019|the last elections|2022].",
				"Children cross the river at {town} on foot and [two|three|some] have drowned when it flooded.",
				"Our {crop} rots at the farm gate because lorries cannot reach {town} when it rains.",
				"The contractor left the {town}–{town2} road half done [two|three] years ago.",
				"Ambulances cannot reach {town} at night: there are no street lights and the road is broken.",
			},
			Sw: []string{
				"Barabara ya {town} hadi {town2} haipitiki kila msimu wa mvua.",
				"Barabara hii ina mashimo mengi sana na magari yanaharibika kila siku.",
				"Watoto huvuka mto kwa miguu hapa {town} na wengine wamezama mafuriko yalipokuja.",
				"{crop} yetu huoza shambani kwa sababu lori haziwezi kufika {town} wakati wa mvua.",
				"Mkandarasi aliacha barabara ya {town} nusu miaka [miwili|mitatu] iliyopita.",
			},
			Mix: []string{
				"Hii road ya {town} to {town2} ni mbaya sana, matatu haziwezi pita when it rains.",
				"Boda inachaji 300 bob juu ya potholes za {town}, hii ni too much.",
				"Contractor alikula doh akaacha barabara ya {town} half done.",
			},
		},
		Ask: byLang{
			En: []string{"Please tarmac the {town}–{town2} road.", "Grade the feeder roads and put culverts before the long rains.", "Build a footbridge at {town} for the school children.",
				"Finish the road the contractor abandoned and publish what he was paid.", "Put street lights on the main road in {town}."},
			Sw: []string{"Tafadhali barabara ya {town} iwekwe lami.", "Tunaomba daraja kwa ajili ya watoto wa shule wa {town}.", "Serikali imalize barabara ile na itueleze mkandarasi alilipwa kiasi gani.",
				"Tuwekewe taa za barabarani {town} kwa usalama wetu."},
			Mix: []string{"Tafadhali tarmac hii road ya {town} hadi {town2}.", "Fix the roads za {town} bana, tumechoka na matope."},
		},
		Short: byLang{
			En:  []string{"fix {town} road", "Tarmac {town}–{town2} road please", "roads in {county} are terrible", "potholes everywhere in {town}", "{town} road!!"},
			Sw:  []string{"barabara ya {town} tafadhali", "tunaomba lami {town}", "barabara mbovu {county}", "Rekebisheni barabara ya {town}"},
			Mix: []string{"barabara ya {town} pls fix", "road ya {town} ni mbaya manze", "tarmac {town} pls"},
		},
	},
	cHealth: {Key: "health", Tags: []string{"health"},
		Title: byLang{
			En: []string{"Maternity wing for {town} Health Centre", "Drugs and nurses for {town} dispensary", "Ambulance for {town} sub-county", "Upgrade {town} dispensary to a health centre",
				"Dialysis unit at the {county} County Referral Hospital", "Staff houses for nurses in {town}"},
			Sw: []string{"Wodi ya kujifungua katika kituo cha afya cha {town}", "Dawa na wauguzi kwa zahanati ya {town}", "Gari la wagonjwa kwa {town}", "Kupanua zahanati ya {town} kuwa kituo cha afya"},
		},
		Core: byLang{
			En: []string{
				"The [dispensary|health centre|clinic] at {town} has had no [drugs|medicine|paracetamol even] for [three|four|six] months; patients are told to buy them [in town|at the chemist|in {town2}].",
				"[Mothers|Women] in {town} give birth [on the floor|at home|on the way] because the health centre has [one bed|no maternity ward|no electricity|no midwife].",
				"There is [one nurse|a single nurse|only one nurse] for the whole of {town} ward and the [clinical officer|doctor] comes [twice a week|once a week|when he wants].",
				"The nearest hospital with a [doctor|theatre|laboratory] is in {town2}, {km} km away, and there is no [ambulance|transport at night|road for a car].",
				"Patients from {county} travel to Nairobi for dialysis and cancer treatment and sell their land to pay.",
				"Nurses at {town} went on strike [twice|three times] this year because they were not paid.",
			},
			Sw: []string{
				"[Zahanati|Kituo cha afya] ya {town} haina dawa kwa miezi [mitatu|minne|sita]; wagonjwa wanaambiwa wakanunue [mjini|kwa kemia|{town2}].",
				"Akina mama wa {town} hujifungulia sakafuni kwa sababu kituo cha afya hakina vitanda vya kutosha.",
				"Kuna muuguzi mmoja tu kwa wadi nzima ya {town} na [daktari|afisa wa kliniki] hufika [mara moja kwa wiki|mara mbili kwa mwezi|akitaka].",
				"Hospitali iliyo karibu iko {town2}, kilomita {km}, na hakuna gari la wagonjwa.",
				"Wagonjwa wa {county} husafiri hadi Nairobi kwa matibabu ya figo na saratani.",
			},
			Mix: []string{
				"Dispensary ya {town} haina dawa, wanakuambia uende ununue chemist.",
				"Hospitali iko mbali sana na hakuna ambulance, watu wanakufa njiani.",
				"Nurses wa {town} wako kwa strike tena, hii ni mara ya {n}.",
			},
		},
		Ask: byLang{
			En: []string{"Please stock the dispensary and employ more nurses.", "Build a maternity wing at {town} Health Centre.", "Buy an ambulance for {town} and the villages around it.",
				"Pay health workers on time so that the clinics stay open.", "Upgrade {town} dispensary so that we do not travel to {town2}."},
			Sw: []string{"Tunaomba dawa na wauguzi zaidi katika zahanati ya {town}.", "Tujengewe wodi ya kujifungua {town}.", "Serikali inunue gari la wagonjwa kwa ajili ya {town}.",
				"Walipeni wahudumu wa afya kwa wakati ili hospitali zisifungwe."},
			Mix: []string{"Tunaomba dawa na nurses zaidi pale {town}.", "Tuletewe ambulance hapa {town} please."},
		},
		Short: byLang{
			En:  []string{"drugs in {town} dispensary", "more nurses {county}", "Maternity ward {town}", "no medicine at {town} clinic", "Hospital for {town} please"},
			Sw:  []string{"dawa hospitalini {town}", "tunaomba wauguzi {town}", "hospitali ya {town} haina dawa", "afya kwanza {county}"},
			Mix: []string{"dispensary {town} haina dawa", "ambulance {town} pls", "hospitali {town} ni shida"},
		},
	},
	cSchools: {Key: "schools", Tags: []string{"education", "schools"},
		Title: byLang{
			En: []string{"Classrooms for {town} Primary School", "Bursaries for needy students in {county}", "Laboratory for {town} Secondary School",
				"School feeding programme for {town}", "Desks and books for {town} schools", "Hire more teachers for {county} junior schools"},
			Sw: []string{"Madarasa kwa shule ya msingi ya {town}", "Basari kwa wanafunzi maskini wa {county}", "Chakula cha mchana kwa shule za {town}", "Walimu zaidi kwa shule za {county}"},
		},
		Core: byLang{
			En: []string{
				"{town} [Primary|Junior] School has {n}0 pupils in one classroom and [some learn under a tree|many sit on the floor|three share one book].",
				"Bright children in {town} drop out of secondary school because parents cannot pay the fees.",
				"The junior school at {town} has no laboratory and only [two|three] teachers for all subjects.",
				"The bursary money in {county} goes to the children of people who know the MCA.",
				"Pupils in {town} walk {km} km to school and many come without breakfast.",
				"Our school roof was blown off [last year|in April] and the children still learn in the church.",
			},
			Sw: []string{
				"Shule ya msingi ya {town} ina wanafunzi {n}0 katika darasa moja na wengine husomea chini ya mti.",
				"Watoto wenye akili wa {town} huacha shule kwa sababu wazazi hawawezi kulipa karo.",
				"Shule ya sekondari ya {town} haina maabara na ina walimu [wawili|watatu] tu.",
				"Pesa za basari {county} hupewa watoto wa watu wanaojuana na MCA.",
				"Wanafunzi wa {town} hutembea kilomita {km} kwenda shule bila kula chochote.",
			},
			Mix: []string{
				"Watoto wa {town} wanasomea under a tree, hakuna madarasa.",
				"Bursary ni ya wale wako connected tu, sisi hatupati kitu.",
				"Fees ni mingi sana, watoto wetu wanakaa nyumbani.",
			},
		},
		Ask: byLang{
			En: []string{"Please build [two|four|more] classrooms at {town} Primary School.", "Give bursaries through the schools, not through politicians.", "Employ more teachers for the junior schools in {county}.",
				"Start a school feeding programme in {town}.", "Equip a science laboratory at {town} Secondary School."},
			Sw: []string{"Tunaomba madarasa mapya katika shule ya msingi ya {town}.", "Basari zitolewe kupitia shule, si kupitia wanasiasa.", "Serikali iajiri walimu zaidi kwa shule za {county}.",
				"Tunaomba chakula cha mchana kwa watoto wa shule za {town}."},
			Mix: []string{"Tunaomba classrooms mpya pale {town}.", "Bursary ipewe wanafunzi wanaohitaji, si marafiki wa MCA."},
		},
		Short: byLang{
			En:  []string{"more teachers {county}", "bursaries for poor students", "classrooms {town} primary", "school fees too high", "Books and desks for {town}"},
			Sw:  []string{"walimu zaidi {county}", "basari kwa maskini", "madarasa {town}", "karo ni ghali sana", "elimu bure tafadhali"},
			Mix: []string{"bursary {town} pls", "fees ni mingi", "walimu zaidi pls"},
		},
	},
	cFarming: {Key: "farming", Tags: []string{"agriculture", "farming"},
		Title: byLang{
			En: []string{"Subsidised fertiliser for {county} {plant} farmers", "Cooling plant for {town} dairy farmers", "Irrigation scheme for {town}", "Extension officers for {town} ward",
				"Cattle dip and vaccination for {town}", "Cold store for {crop} at {town}"},
			Sw: []string{"Mbolea ya bei nafuu kwa wakulima wa {plant} {county}", "Mradi wa unyunyiziaji maji {town}", "Maafisa wa kilimo kwa wadi ya {town}", "Josho la mifugo {town}"},
		},
		Core: byLang{
			En: []string{
				"{plant} farmers in {county} pay KES {n},500 for a bag of fertiliser and the subsidised one never reaches {town}.",
				"Brokers buy our {crop} at half the price because we have no cooperative and no store in {town}.",
				"The rains failed [twice|again] and farmers around {town} lost everything; there is no irrigation.",
				"We have not seen an extension officer in {town} for {n} years.",
				"Fall armyworm destroyed the maize around {town} and nobody came to help.",
				"The cattle dip at {town} has been dry since [2021|the drought] and ticks are killing our animals.",
			},
			Sw: []string{
				"Wakulima wa {plant} {county} hulipa shilingi {n},500 kwa gunia la mbolea na ile ya ruzuku haifiki {town}.",
				"Madalali hununua {crop} yetu kwa bei ya chini kwa sababu hatuna chama cha ushirika wala ghala.",
				"Mvua imekosa [mara mbili|tena] na wakulima wa {town} wamepoteza kila kitu.",
				"Hatujaona afisa wa kilimo hapa {town} kwa miaka {n}.",
				"Josho la {town} halifanyi kazi na kupe wanaua mifugo yetu.",
			},
			Mix: []string{
				"Fertiliser ni expensive sana, ile ya subsidy haifiki {town} kabisa.",
				"Brokers wanatununulia {crop} kwa bei ya hasara, tunaomba cooperative.",
				"Mvua haikunyesha, shamba zote za {town} zimekauka.",
			},
		},
		Ask: byLang{
			En: []string{"Deliver subsidised fertiliser through the cooperatives before planting.", "Build a cold store and a collection centre for {crop} at {town}.",
				"Fund a small irrigation scheme on the river near {town}.", "Employ extension officers for every ward.", "Repair the cattle dip and vaccinate the animals."},
			Sw: []string{"Mbolea ya ruzuku ifike kupitia vyama vya ushirika kabla ya kupanda.", "Tujengewe ghala na kituo cha kukusanya {crop} {town}.", "Tunaomba mradi wa unyunyiziaji maji karibu na {town}.",
				"Serikali iajiri maafisa wa kilimo kila wadi."},
			Mix: []string{"Tunaomba fertiliser ya bei poa kabla ya planting season.", "Tujengewe cooler ya maziwa pale {town}."},
		},
		Short: byLang{
			En:  []string{"cheap fertiliser", "help {plant} farmers", "irrigation for {town}", "extension officers please", "Farmers of {county} are suffering"},
			Sw:  []string{"mbolea bei nafuu", "wasaidieni wakulima wa {plant}", "kilimo {county}", "Tunaomba mbegu na mbolea"},
			Mix: []string{"fertiliser bei poa pls", "wakulima wa {plant} tunaumia"},
		},
	},
	cMarkets: {Key: "markets", Tags: []string{"markets", "trade"},
		Title: byLang{
			En: []string{"Modern market shed for {town} traders", "Toilets and lights at {town} market", "Fish market and cold room at {town}", "Livestock market for {town}"},
			Sw: []string{"Soko la kisasa kwa wafanyabiashara wa {town}", "Vyoo na taa katika soko la {town}", "Soko la mifugo {town}"},
		},
		Core: byLang{
			En: []string{
				"Traders at {town} market sell on the ground in the mud and pay KES {n}0 cess every day.",
				"The market at {town} has no toilets, no water and no lights, and the county still collects fees.",
				"Mama mbogas in {town} are chased by county askaris every morning because there is no market space.",
				"The new market at {town} was built [two|three] years ago and has never been opened.",
			},
			Sw: []string{
				"Wafanyabiashara wa soko la {town} huuza chini kwenye matope na hulipa ushuru kila siku.",
				"Soko la {town} halina vyoo, maji wala taa, lakini kaunti bado inachukua ushuru.",
				"Mama mboga wa {town} hufukuzwa na askari wa kaunti kila asubuhi kwa sababu hakuna nafasi sokoni.",
				"Soko jipya la {town} lilijengwa miaka [miwili|mitatu] iliyopita na halijafunguliwa hadi leo.",
			},
			Mix: []string{
				"Tunauza sokoni kwa matope, na kanjo wanataka ushuru kila siku.",
				"Market ya {town} haina toilets wala maji, ni aibu.",
			},
		},
		Ask: byLang{
			En:  []string{"Build a roofed market with toilets and water at {town}.", "Open the new market and give stalls to the traders who sell on the road.", "Reduce the daily cess for small traders."},
			Sw:  []string{"Tujengewe soko lenye paa, vyoo na maji {town}.", "Soko jipya lifunguliwe na wafanyabiashara wapewe vibanda.", "Ushuru wa kila siku upunguzwe kwa wafanyabiashara wadogo."},
			Mix: []string{"Fungueni ile market mpya ya {town} tafadhali.", "Kanjo waache kuharass mama mboga."},
		},
		Short: byLang{
			En:  []string{"market shed {town}", "toilets at {town} market", "reduce market cess in {county}", "A roof for {town} market!", "stalls for traders in {town}", "open the new {town} market"},
			Sw:  []string{"soko la {town}", "vyoo sokoni {town}", "punguzeni ushuru wa soko {county}", "soko jipya {town} lifunguliwe", "vibanda kwa wafanyabiashara wa {town}"},
			Mix: []string{"market ya {town} pls", "kanjo wa {town} wanatusumbua", "cess ya {county} iko juu sana"},
		},
	},
	cYouth: {Key: "youth", Tags: []string{"youth", "jobs"},
		Title: byLang{
			En: []string{"Youth workshop and digital hub in {town}", "Boda boda SACCO and training for {town} youth", "Jua kali sheds for {town} artisans",
				"Internships for graduates in {county}", "Sports ground and talent centre for {town}"},
			Sw: []string{"Kituo cha vijana na kompyuta {town}", "Mafunzo na SACCO kwa vijana wa boda boda {town}", "Vibanda vya jua kali {town}", "Uwanja wa michezo kwa vijana wa {town}"},
		},
		Core: byLang{
			En: []string{
				"Young people in {town} finish [college|university|Form Four] and sit at home for [years|a long time|five years] without [work|a job|anything to do].",
				"Most youth in {town} ride boda boda because there is nothing else, and many have no licence or insurance.",
				"The youth fund loans go to the same few groups in {county} every year.",
				"I am a graduate from {town}; I have applied for [forty|over fifty|many] jobs and the answer is always 'experience'.",
				"There is no place in {town} where a young person can get internet or learn a trade.",
			},
			Sw: []string{
				"Vijana wa {town} humaliza [chuo|chuo kikuu|kidato cha nne] na kukaa nyumbani [miaka mingi|muda mrefu] bila [kazi|ajira].",
				"Vijana wengi wa {town} huendesha boda boda kwa sababu hakuna kazi nyingine.",
				"Mikopo ya hazina ya vijana hupewa vikundi vile vile kila mwaka {county}.",
				"Mimi ni mhitimu kutoka {town}; nimeomba kazi nyingi lakini jibu ni 'uzoefu'.",
			},
			Mix: []string{
				"Vijana wa {town} hawana kazi, tumekaa tu bila kitu ya kufanya.",
				"Tuko na degree lakini hakuna job, tunaishia kuendesha boda.",
				"Hustlers wa {town} tunahitaji kazi, si ahadi.",
				"Youth fund ni ya wale wako connected, sisi wa mtaa hatupati.",
			},
		},
		Ask: byLang{
			En: []string{"Build a youth workshop with internet in {town}.", "Give the jobs of county projects to local youth first.", "Train boda boda riders and help them form a SACCO.",
				"Fund paid internships for graduates in the county offices.", "Build jua kali sheds so that artisans can work in the rains."},
			Sw: []string{"Tujengewe kituo cha vijana chenye mtandao {town}.", "Kazi za miradi ya kaunti wapewe vijana wa hapa kwanza.", "Tunaomba mafunzo na mikopo kwa vijana wa boda boda.",
				"Serikali ifadhili mafunzo ya kazi kwa wahitimu."},
			Mix: []string{"Tupatiwe kazi za miradi hizi, si watu wa nje.", "Tunaomba digital hub pale {town}, vijana wajiajiri."},
		},
		Short: byLang{
			En:  []string{"jobs for youth", "youth of {town} need jobs", "internships please", "Employ the youth!!", "jobs jobs jobs {county}"},
			Sw:  []string{"kazi kwa vijana", "vijana wa {town} hawana kazi", "ajira kwa vijana tafadhali", "Tunataka kazi"},
			Mix: []string{"kazi kwa youth pls", "vijana tunahitaji job", "hustlers wa {town} tunataka kazi"},
		},
	},
	cSecurity: {Key: "security", Tags: []string{"security"},
		Title: byLang{
			En: []string{"Police post at {town}", "Street lights for security in {town}", "Patrol vehicle for {town} police station", "Community policing in {town} estates"},
			Sw: []string{"Kituo cha polisi {town}", "Taa za usalama {town}", "Gari la doria kwa polisi wa {town}"},
		},
		Core: byLang{
			En: []string{
				"Cattle rustlers attacked {town} [last month|in March|again] and the nearest police post is {km} km away.",
				"People are mugged at night on the way from the stage in {town} because there are no lights.",
				"The police station at {town} has one vehicle and no fuel, so they ask victims to pay for the fuel.",
				"Young men in {town} are recruited into gangs because they have nothing to do.",
			},
			Sw: []string{
				"Wezi wa mifugo walivamia {town} [mwezi uliopita|tena] na kituo cha polisi kiko kilomita {km}.",
				"Watu huibiwa usiku wakitoka stejini {town} kwa sababu hakuna taa.",
				"Kituo cha polisi cha {town} kina gari moja na hakina mafuta.",
			},
			Mix: []string{
				"Usiku {town} ni hatari, kuna wakora kila mahali.",
				"Polisi wa {town} wanataka tuwape fuel ndio waje, hii si sawa.",
			},
		},
		Ask: byLang{
			En:  []string{"Build a police post at {town} and give it a vehicle.", "Put up high-mast lights at the stage and the market.", "Fund community policing and pay the reservists."},
			Sw:  []string{"Tujengewe kituo cha polisi {town}.", "Tunaomba taa kubwa za usalama sokoni na stejini.", "Serikali ifadhili ulinzi wa jamii."},
			Mix: []string{"Tunaomba police post pale {town}.", "Wekeni street lights za security."},
		},
		Short: byLang{
			En:  []string{"security in {town}", "police post {town}", "stop cattle rustling in {county}", "lights for security at {town} stage", "more police patrols in {town}", "{town} is not safe at night"},
			Sw:  []string{"usalama {town}", "polisi {town} tafadhali", "wezi wa mifugo {county}", "taa za usalama {town}", "doria za polisi {town}"},
			Mix: []string{"usalama {town} ni zero", "police {town} pls", "wakora wamezidi {town}"},
		},
	},
	cHousing: {Key: "housing", Tags: []string{"housing", "urban"},
		Title: byLang{
			En: []string{"Sewer line and toilets for {town}", "Upgrade {town} informal settlement", "Garbage collection in {town}", "Affordable houses in {town}: let tenants buy"},
			Sw: []string{"Mfumo wa maji taka {town}", "Kuboresha mtaa wa mabanda wa {town}", "Kuzoa taka {town}"},
		},
		Core: byLang{
			En: []string{
				"In {town} [{n}0|{n}00] families share one toilet and sewage runs between the houses.",
				"Garbage has not been collected in {town} for weeks and children play on the dump.",
				"Rent in {town} has doubled and the affordable houses cost more than we earn.",
				"When it rains, {town} floods because the drains are blocked.",
			},
			Sw: []string{
				"Hapa {town} familia nyingi hutumia choo kimoja na maji taka yanapita katikati ya nyumba.",
				"Taka hazijazolewa {town} kwa wiki kadhaa na watoto wanacheza kwenye jaa.",
				"Kodi ya nyumba {town} imepanda sana na nyumba za bei nafuu ni ghali kuliko mshahara wetu.",
			},
			Mix: []string{
				"Taka {town} haijazolewa for weeks, ni uchafu mtupu.",
				"Rent ni juu sana, hizi affordable houses si affordable kwa hustler.",
			},
		},
		Ask: byLang{
			En:  []string{"Connect {town} to the sewer and build public toilets.", "Collect garbage every week and fine those who dump.", "Let tenants pay for the affordable houses in small instalments."},
			Sw:  []string{"Tunaomba mfumo wa maji taka na vyoo vya umma {town}.", "Taka zizolewe kila wiki.", "Wapangaji walipe nyumba kidogo kidogo."},
			Mix: []string{"Zoeni taka za {town} kila wiki tafadhali."},
		},
		Short: byLang{
			En:  []string{"sewer for {town}", "collect garbage {town}", "affordable housing for {town}?", "drainage {town}", "public toilets in {town}", "{town} floods every rain"},
			Sw:  []string{"taka {town}", "vyoo vya umma {town}", "nyumba nafuu {county}", "mitaro ya maji {town}", "zoeni taka {town}"},
			Mix: []string{"taka {town} pls", "rent ya {town} iko juu sana", "sewer ya {town} imeblock"},
		},
	},
	cEnvironment: {Key: "environment", Tags: []string{"environment", "climate"},
		Title: byLang{
			En: []string{"Protect the river banks at {town}", "Tree nursery for {town} schools", "Stop sand harvesting on the {town} river", "Clean up the {town} dumpsite"},
			Sw: []string{"Kulinda kingo za mto {town}", "Kitalu cha miche kwa shule za {town}", "Kuzuia uchimbaji wa mchanga mto {town}"},
		},
		Core: byLang{
			En: []string{
				"The river at {town} is drying because people farm right to its banks and cut the trees.",
				"Sand harvesters have destroyed the river near {town} and the county does nothing.",
				"Every year we plant trees in {town} and nobody checks how many survive.",
				"The factory upstream pours waste into the river and our animals at {town} drink it.",
			},
			Sw: []string{
				"Mto wa {town} unakauka kwa sababu watu wanalima hadi kingo zake na kukata miti.",
				"Wachimbaji wa mchanga wameharibu mto karibu na {town}.",
				"Kila mwaka tunapanda miti {town} lakini hakuna anayeangalia kama inakua.",
			},
			Mix: []string{
				"Mto ya {town} inakauka, watu wamekata miti yote.",
				"Sand harvesting imeharibu river yetu kabisa.",
			},
		},
		Ask: byLang{
			En:  []string{"Fence and replant the river banks, and pay the youth to look after the seedlings.", "Stop sand harvesting on the river.", "Make the factory clean the river and pay the levy here."},
			Sw:  []string{"Kingo za mto zipandwe miti na vijana walipwe kuitunza.", "Uchimbaji wa mchanga usimamishwe.", "Kiwanda kilazimishwe kusafisha mto."},
			Mix: []string{"Tunaomba miti ipandwe kando ya mto na vijana walipwe kuitunza."},
		},
		Short: byLang{
			En: []string{"plant trees {county}", "save {town} river", "stop sand harvesting at {town}", "protect the forest near {town}", "clean the {town} dumpsite"},
			Sw: []string{"panda miti {county}", "linda mto {town}", "mazingira kwanza {county}", "acheni kukata miti {town}", "zuieni uchimbaji wa mchanga {town}"},
		},
	},
	cSocial: {Key: "social", Tags: []string{"social-protection"},
		Title: byLang{
			En: []string{"Cash transfers for the elderly in {town}", "Support for people with disabilities in {county}", "Food relief for drought-hit families in {town}"},
			Sw: []string{"Pesa za wazee {town}", "Msaada kwa walemavu wa {county}", "Chakula cha msaada kwa familia za {town}"},
		},
		Core: byLang{
			En: []string{
				"The Inua Jamii money for the elderly in {town} comes [late|every four months|only sometimes] and many old people are not registered.",
				"People with disabilities in {county} cannot reach the offices to register for support.",
				"Families in {town} eat once a day since the drought killed the animals.",
			},
			Sw: []string{
				"Pesa za Inua Jamii kwa wazee wa {town} huchelewa na wazee wengi hawajasajiliwa.",
				"Walemavu wa {county} hawawezi kufika ofisini kujiandikisha kupata msaada.",
				"Familia za {town} hula mara moja kwa siku tangu ukame uue mifugo.",
			},
			Mix: []string{"Wazee wa {town} hawapati pesa ya Inua Jamii on time."},
		},
		Ask: byLang{
			En: []string{"Register every elderly person in {town} and pay them on time.", "Send officers to the villages to register people with disabilities."},
			Sw: []string{"Wazee wote wa {town} wasajiliwe na walipwe kwa wakati.", "Maafisa waende vijijini kuwasajili walemavu."},
		},
		Short: byLang{
			En: []string{"help the elderly in {town}", "food relief {town}", "Inua Jamii on time please", "register the disabled in {county}", "cash transfers for {town} widows"},
			Sw: []string{"wasaidieni wazee wa {town}", "chakula cha msaada {town}", "pesa za wazee {county}", "msaada kwa walemavu {town}", "Inua Jamii ilipwe kwa wakati"},
		},
	},
}

// priorityConcern: what someone who chose a survey priority writes about.
// Farming people write about markets too; housing and urban services about
// sewers and rubbish.
var priorityConcern = [][]int{
	prHealth: {cHealth}, prEducation: {cSchools}, prWater: {cWater}, prRoads: {cRoads},
	prAgriculture: {cFarming, cFarming, cMarkets}, prSecurity: {cSecurity}, prHousing: {cHousing, cMarkets},
	prEnvironment: {cEnvironment, cWater}, prYouth: {cYouth}, prSocial: {cSocial, cHealth},
}

// Openings, closings and the complaints people repeat, for any concern.
var (
	openers = byLang{
		En:  []string{"Good morning.", "Dear Treasury,", "Thank you for this chance.", "As a resident of {town},", "I am a mother of {n} from {town}.", "I am a farmer in {county}.", "Greetings from {town}.", "To whom it may concern,"},
		Sw:  []string{"Habari za asubuhi.", "Salamu kutoka {town}.", "Asanteni kwa nafasi hii.", "Mimi ni mkazi wa {town}.", "Mimi ni mama wa watoto {n} kutoka {town}.", "Ndugu Hazina ya Taifa,", "Hamjambo."},
		Mix: []string{"Niaje,", "Sasa wadau,", "Mimi ni hustler wa {town}.", "Hello Treasury,", "Wasee,"},
	}
	closers = byLang{
		En:  []string{"Thank you.", "God bless Kenya.", "We are waiting.", "Please act this year.", "Thanks.", "Kindly consider."},
		Sw:  []string{"Asanteni.", "Mungu ibariki Kenya.", "Tunasubiri.", "Tafadhali tusikizwe.", "Asanteni sana."},
		Mix: []string{"Asanteni.", "Thanks bana.", "Tunangoja.", "Mungu awabariki."},
	}
	repeats = byLang{
		En:  []string{"We have asked for this every year.", "This is the third time I am writing about this.", "Every politician promises this and nothing happens.", "Nobody listens to us."},
		Sw:  []string{"Tumeomba hili kila mwaka.", "Tumechoka na ahadi.", "Kila mwaka ni ahadi tu.", "Hakuna anayetusikiliza."},
		Mix: []string{"Kila mwaka ni ahadi tu, we are tired.", "Tumechoka na hizi promises."},
	}
)

// Registers a text is written in: English, Kiswahili, or the mixed
// English–Kiswahili of SMS and social media.
const (
	langEn  = "en"
	langSw  = "sw"
	langMix = "mix"
)
