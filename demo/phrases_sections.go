package demo

// What people write about each section of the draft Budget Policy
// Statement (content.go), for and against what it proposes, in the three
// registers of phrases_concerns.go. Local is the concern a writer names
// from home to make the point ("the dispensary at Mwingi has no drugs"),
// so that a comment on the economic outlook still sounds like it comes from
// a county. Invented, written the way submissions to budget hearings read.

type sectionVoice struct {
	Pro, Con  byLang
	Local     []int // concerns
	Questions byLang
}

var sectionVoices = [8]sectionVoice{
	{ // 1. fiscal framework: deficit, recurrent freeze, selling state corporations
		Pro: byLang{
			En: []string{
				"Kenya cannot keep borrowing. Interest already takes one shilling in three, money that should build roads and hospitals.",
				"Cut the fuel guzzlers, the trips abroad and the sitting allowances before anything else. That is where the waste is.",
				"Sell the loss-making parastatals; they are only jobs for the friends of politicians and we taxpayers keep paying their losses.",
				"Narrowing the deficit is right. Our children should not inherit this debt.",
				"Every year we borrow to pay [old loans|interest|salaries]. This has to stop [somewhere|now|this year].",
				"The [Eurobond|Chinese loans|SGR loan] should be a lesson. Borrow only for projects that pay back.",
				"Holding recurrent spending flat is fine as long as the [ghost workers|extra advisers|duplicate offices] go first.",
			},
			Sw: []string{
				"Kenya haiwezi kuendelea kukopa. Riba inachukua shilingi moja kati ya tatu ambazo zingejenga barabara na hospitali.",
				"Punguzeni magari ya kifahari, safari za nje na marupurupu ya vikao kwanza.",
				"Deni hili litalipwa na watoto wetu; [tuache kukopa|tukope kidogo|tulipe madeni kwanza].",
				"Mashirika kama [Kenya Airways|Mumias|KPC] yamekula mabilioni bila faida yoyote kwa mwananchi.",
				"Mashirika ya serikali yanayopata hasara yauzwe; ni kazi za marafiki wa wanasiasa tu.",
				"Ni sawa kupunguza nakisi ya bajeti ili watoto wetu wasirithi madeni haya.",
			},
			Mix: []string{
				"Deni ya Kenya ni mingi sana, tuache kukopa kila mwaka.",
				"Hawa parastatals wanakula pesa yetu tu, wauzwe.",
				"Cut allowances za wabunge first, hapo ndio pesa iko.",
			},
		},
		Con: byLang{
			En: []string{
				"[Freezing|Holding flat] recurrent spending means no new [nurses and teachers|teachers and nurses|health workers] in {county}. We already have [one nurse for a whole ward|{n}0 pupils to a teacher|one doctor for the sub-county].",
				"Selling state corporations to private investors will raise the price of water and electricity for the poor.",
				"You want to cut the deficit on the backs of ordinary people while corruption continues. Recover the stolen money first.",
				"Austerity always starts with the [poor|hospitals|schools] and never with the [MPs|big men|ministries].",
				"When services are given to private providers, people in {town} who cannot pay are left out.",
				"A flat recurrent budget with inflation at [six|seven] percent is a cut. Clinics in {county} will close.",
			},
			Sw: []string{
				"Kufungia matumizi ya kawaida kunamaanisha hakuna [wauguzi wala walimu|walimu wala wauguzi|wahudumu wa afya] wapya {county}.",
				"Bajeti hii inawaumiza maskini: [dawa|walimu|barabara] ndizo zitakatwa kwanza, si marupurupu ya viongozi.",
				"Tumesikia ahadi za kubana matumizi kila mwaka, lakini magari ya kifahari bado yananunuliwa.",
				"Kuuza mashirika ya umma kutapandisha bei ya maji na umeme kwa maskini.",
				"Mnataka kupunguza nakisi kwa kuwaumiza wananchi wa kawaida huku ufisadi ukiendelea. Rudisheni pesa zilizoibiwa kwanza.",
				"Huduma zikipewa watu binafsi, wakazi wa {town} wasioweza kulipa wataachwa nje.",
			},
			Mix: []string{
				"Mkiuza parastatals, bei ya stima na maji itapanda, sisi wa kawaida tutaumia.",
				"Mnasema austerity lakini wabunge bado wanapata allowances, hii si haki.",
				"Hakuna kuajiri nurses na teachers? {county} itaumia sana.",
			},
		},
		Local: []int{cHealth, cSocial, cSchools},
		Questions: byLang{
			Sw: []string{"Ni mashirika gani 18 ya serikali yatauzwa au kukodishwa?", "Kufungia matumizi kutazuia kuajiriwa kwa walimu na wauguzi?", "Ni kiasi gani cha trilioni 4.61 kitalipa riba ya madeni?", "Kwa nini mashirika ya maji na umeme yauzwe kwa watu binafsi?"},
		},
	},
	{ // 2. TVET capitation
		Pro: byLang{
			En: []string{
				"TVET is the way for our youth. The polytechnic in {town} has a waiting list every year.",
				"We need plumbers, welders and electricians more than more graduates without jobs. Raise the capitation.",
				"My son trained as an electrician at {town} TVC and now employs two boys. Fund more of these colleges.",
				"Linking bursaries to apprenticeships is good, the youth learn on the job and get paid.",
			},
			Sw: []string{
				"Vyuo vya ufundi ndivyo njia ya vijana wetu. Chuo cha {town} kina orodha ndefu ya wanaosubiri kila mwaka.",
				"Tunahitaji mafundi wa bomba, welding na umeme kuliko wahitimu wasio na kazi.",
				"Mwanangu alisomea umeme chuo cha ufundi {town} na sasa ameajiri vijana wawili.",
				"Ujuzi wa mikono ndio utakaowapa vijana wa {county} [kazi|riziki|maisha].",
			},
			Mix: []string{
				"TVET ndio future ya vijana, hii ni poa sana.",
				"Vijana wa {town} wanataka skills, si degree ya kukaa nyumbani.",
			},
		},
		Con: byLang{
			En: []string{
				"Fix the TVETs we have first. {town} polytechnic has no equipment and the instructors are on contract.",
				"More capitation will help only those who live near the towns. Children in {town} cannot even finish Form Four.",
				"Apprenticeships with registered employers leave out the jua kali, where most of our youth actually work.",
				"A new TVET centre in every constituency is a political project; the old ones in {county} are half empty.",
			},
			Sw: []string{
				"Tengenezeni vyuo vya ufundi vilivyopo kwanza. Chuo cha {town} hakina vifaa.",
				"Fedha hizi zitasaidia wanaoishi mijini tu. Watoto wa {town} hawamalizi hata kidato cha nne.",
				"Mafunzo kwa waajiri waliosajiliwa yanaacha nje jua kali, ambako vijana wengi wanafanya kazi.",
				"Vyuo vipya vitajengwa kwa wanasiasa, si kwa wanafunzi. Vya zamani {county} havina [walimu|vifaa|wanafunzi].",
			},
			Mix: []string{
				"TVET ya {town} haina machines, mtu anasoma theory tu.",
				"Hii ni siasa tu, vyuo za zamani ziko empty.",
			},
		},
		Local: []int{cSchools, cYouth},
		Questions: byLang{
			Sw: []string{"Vyuo 60 vipya vya ufundi vitagawanywa vipi kati ya kaunti?", "Basari itaendelea aje mwajiri akifunga biashara?", "Ada mpya itawahusu pia wanafunzi wa vyuo vya kibinafsi?", "Chuo cha ufundi kitajengwa wapi katika eneo bunge letu?"},
		},
	},
	{ // 3. rural growth centres
		Pro: byLang{
			En: []string{
				"Growth centres will keep young people at home in {town} instead of going to the slums of Nairobi.",
				"A market, a store and electricity at {town} will do more for farmers than another flyover in the city.",
				"Bring services closer to the villages. We travel to {town2} for everything.",
				"Last-mile electricity and roads to the growth centres is the best part of this budget.",
			},
			Sw: []string{
				"Vituo vya ukuaji vitawaweka vijana nyumbani {town} badala ya kwenda mitaa ya mabanda Nairobi.",
				"Soko, ghala na umeme {town} vitasaidia wakulima kuliko barabara nyingine ya juu mjini.",
				"Huduma zije karibu na vijiji. Tunasafiri hadi {town2} kwa kila kitu.",
				"Umeme na barabara vikifika {town}, vijana wataanzisha [biashara|viwanda vidogo|karakana] hapa hapa.",
			},
			Mix: []string{
				"Growth centre pale {town} itasaidia sana, vijana hawatahamia Nairobi.",
				"Stima na barabara za mashambani ni muhimu kuliko flyovers.",
			},
		},
		Con: byLang{
			En: []string{
				"Holding city spending flat ignores the informal settlements where sewage runs between the houses.",
				"Who chose the 120 growth centres? {town} is not on any list we have seen.",
				"The markets built at growth centres in {county} [stand empty|were never opened|have no roads]. Do not build more of them.",
				"People move to the city for jobs. Stopping sewer and water works in the towns will only make the slums worse.",
			},
			Sw: []string{
				"Kutoongeza matumizi ya miji kunasahau mitaa ya mabanda ambako maji taka yanapita katikati ya nyumba.",
				"Nani alichagua vituo 120? {town} haimo kwenye orodha yoyote.",
				"Masoko yaliyojengwa {county} hayajafunguliwa hadi leo, msijenge mengine.",
				"Miji inakua kila siku; mkisimamisha miradi ya maji na maji taka, mitaa ya mabanda [itaongezeka|itazidi kuwa mibaya].",
			},
			Mix: []string{
				"Kibera na Mathare pia ni Kenya, msisahau mitaa.",
				"Hizi growth centres zitachaguliwa na wanasiasa tu.",
			},
		},
		Local: []int{cRoads, cMarkets, cHousing},
		Questions: byLang{
			Sw: []string{"Vituo 120 vya ukuaji vilichaguliwa vipi, na kuna orodha kwa kila kaunti?", "Masoko ya vituo hivi yatamilikiwa na nani?", "Kutoongeza matumizi ya miji kunamaanisha hakuna mifereji mipya ya maji taka?"},
		},
	},
	{ // 4. water towers and biodiversity
		Pro: byLang{
			En: []string{
				"[The Mau, Mt Kenya and the Aberdares|Our water towers|The forests on the hills] [feed|fill] our rivers. [Restore|Protect|Save] them or there will be no water in {town} [one day|in ten years|soon].",
				"Counting seedlings that survive instead of seedlings planted is the right change. [Most|Half|Much] of what we plant in {county} dies [in the first dry season|within a year|because nobody waters it].",
				"Make polluters pay. The river at {town} is dying from factory waste.",
				"Paying counties that protect their catchments is good, but the community must get a share.",
			},
			Sw: []string{
				"Misitu ya Mau, Mlima Kenya na Aberdare inalisha mito yetu. Irudishwe la sivyo hakutakuwa na maji {town}.",
				"Kuhesabu miche inayoota badala ya miche iliyopandwa ni sawa. Mingi tunayopanda {county} hufa.",
				"Wanaochafua mito walipe. Mto wa {town} unakufa kwa uchafu wa viwanda.",
				"Tulinde [chemichemi|vyanzo vya maji|misitu] sasa, la sivyo watoto wetu hawatapata maji.",
				"Nakumbuka mto wa {town} ukijaa mwaka mzima; leo unakauka [Juni|Julai|baada ya mvua].",
			},
			Mix: []string{
				"Miti ikikatwa, maji itaisha. Tunaunga mkono hii ya water towers.",
				"Factory zinachafua river ya {town}, walipe levy.",
			},
		},
		Con: byLang{
			En: []string{
				"KES 24 billion for trees while people in {town} buy water from vendors. Drill boreholes first.",
				"Restoring forests must not mean evicting the communities who have lived there for generations.",
				"Every year there is a tree-planting budget and every year the seedlings dry up in {county}. Where does the money go?",
				"The pollution levy will be paid by small businesses while the big factories bribe their way out.",
			},
			Sw: []string{
				"Shilingi bilioni 24 za miti wakati wakazi wa {town} wananunua maji kwa wachuuzi. Chimbeni visima kwanza.",
				"Kurudisha misitu kusimaanishe kuwafukuza jamii zilizoishi huko kwa vizazi.",
				"Kila mwaka kuna bajeti ya kupanda miti na kila mwaka miche inakauka {county}.",
				"Watu wanahitaji [maji|chakula|kazi] leo, miti inaweza kusubiri.",
			},
			Mix: []string{
				"Miti ni sawa lakini sisi tunataka maji ya kunywa first.",
				"Hii tree planting ni story ya kila mwaka, pesa inaliwa tu.",
			},
		},
		Local: []int{cWater, cEnvironment},
		Questions: byLang{
			Sw: []string{"Ruzuku ya kulinda vyanzo vya maji itapimwa vipi, na nani?", "Jamii zinazoishi misituni zitahamishwa?", "Ushuru wa uchafuzi ni kiasi gani na unakusanywa na nani?"},
		},
	},
	{ // 5. ending the retirement age for specialists
		Pro: byLang{
			En: []string{
				"We lose our best doctors at sixty. The referral hospital in {town} has one surgeon left and he retires next year.",
				"A specialist takes ten years to train. Let those who are fit keep working and teach the young ones.",
				"Experience matters. The lecturers who retired from our university were replaced by nobody.",
				"The county hospital in {town} has no [anaesthetist|gynaecologist|paediatrician] since the last one retired. Keep them as long as they can work.",
				"Retirement at sixty made sense when people died at sixty-five. Let fit specialists [choose|decide] when to go.",
			},
			Sw: []string{
				"Tunapoteza madaktari bora wakifika miaka sitini. Hospitali ya rufaa ya {town} ina daktari mpasuaji mmoja tu.",
				"Mtaalamu huchukua miaka kumi kufunzwa. Wanaoweza waendelee kufanya kazi na kuwafundisha vijana.",
				"Hospitali ya {town} haina [daktari wa watoto|daktari wa nusukaputi|daktari wa akina mama] tangu aliyekuwepo astaafu.",
			},
			Mix: []string{
				"Madaktari wa experience wasistaafu, hospitali za {county} zinawahitaji.",
			},
		},
		Con: byLang{
			En: []string{
				"Young doctors and engineers in {county} are jobless. Old officers must retire and make room for them.",
				"Keeping people past sixty blocks [promotions|new hiring|succession] for everyone below them.",
				"My [brother|cousin|neighbour] is a qualified [engineer|doctor|lecturer] who has waited {n} years for a public job. Let the old ones go.",
				"If a specialist is so good, let them train others before they go, not stay forever.",
				"Annual medical checks will be bought. Everyone will be found fit.",
				"There are thousands of unemployed graduates in {town}. This proposal tells them to wait another ten years.",
			},
			Sw: []string{
				"Madaktari na wahandisi vijana wa {county} hawana kazi. Wazee wastaafu ili vijana wapate nafasi.",
				"Kuwaweka watu baada ya miaka sitini kunazuia [kupandishwa vyeo|ajira mpya|nafasi za vijana] kwa walio chini yao.",
				"Mzee akiendelea kazini hadi miaka [sabini|sitini na tano], kijana atapata kazi lini?",
				"Pensheni ni haki ya wazee, na ajira ni haki ya vijana. Wastaafu kwa wakati.",
				"Vijana wengi wamehitimu {town} na hawana ajira. Pendekezo hili linawaambia wasubiri miaka kumi zaidi.",
			},
			Mix: []string{
				"Wazee wastaafu, vijana tuko tarmacking na degree.",
				"Hii ni kuzuia vijana kupata job, tunakataa.",
			},
		},
		Local: []int{cYouth, cHealth},
		Questions: byLang{
			Sw: []string{"Ni kada gani zitahesabiwa kuwa za wataalamu?", "Hii itaathiri vipi kuajiriwa kwa vijana waliohitimu?", "Nani ataweka viwango vya utendaji na afya watakavyopimwa?", "Madaktari wangapi watabaki kazini kwa mpango huu?"},
		},
	},
	{ // 6. Public Interest Media Fund
		Pro: byLang{
			En: []string{
				"Community radio in our language is how people in {town} hear about the budget. Support the stations.",
				"Without local journalists nobody would know that the {town} road contractor was paid and never came back.",
				"Budget reporting in local languages will help people follow the money in {county}.",
			},
			Sw: []string{
				"Redio za jamii kwa lugha yetu ndizo zinawajulisha watu wa {town} kuhusu bajeti.",
				"Bila waandishi wa habari wa hapa, hakuna angejua mkandarasi wa barabara ya {town} alilipwa na hakurudi.",
				"Redio ya jamii ndiyo inayotangaza [bei za mazao|habari za kaunti|mikutano ya bajeti] kwa lugha tunayoelewa.",
			},
			Mix: []string{
				"Radio ya community ndio tunasikia news za county, support.",
			},
		},
		Con: byLang{
			En: []string{
				"Government money for media will buy praise. Use the KES 2 billion for dispensaries.",
				"Journalists should be independent of the Government. A fund from the Treasury can never be at arm's length.",
				"We have no drugs in {town} and you want to fund radio stations?",
			},
			Sw: []string{
				"Pesa za serikali kwa vyombo vya habari zitanunua sifa tu. Tumieni bilioni mbili kwa zahanati.",
				"Hatuna dawa {town} na mnataka kufadhili redio?",
				"Vyombo vya habari vitakavyopata pesa za serikali [vitaisifu serikali tu|havitaandika ukweli].",
			},
			Mix: []string{
				"Media fund ni ya kununua propaganda, hatutaki.",
				"Pesa hii ipelekwe hospitali, si kwa media.",
			},
		},
		Local: []int{cHealth, cRoads},
		Questions: byLang{
			Sw: []string{"Ni nani wataketi kwenye jopo la kugawa ruzuku?", "Redio ya serikali ya kaunti inaweza kuomba?", "Mfuko huu utazuia vipi ruzuku kununua habari za kusifu?"},
		},
	},
	{ // 7. Kenya Space Agency
		Pro: byLang{
			En: []string{
				"Satellite data warns herders in {county} about drought early. It pays for itself.",
				"Our universities must build things, not only teach. Two satellites is a good start.",
				"Farmers in {town} can get crop insurance if the data is free and open.",
			},
			Sw: []string{
				"Data ya satelaiti inawaonya wafugaji wa {county} mapema kuhusu ukame.",
				"Wakulima wa {town} watapata bima ya mazao kama data hii ni bure.",
				"Teknolojia ya anga itawafundisha vijana wetu [sayansi|uhandisi|ubunifu] wa kisasa.",
			},
			Mix: []string{
				"Satellites zitasaidia kujua ukame mapema, hii ni poa.",
			},
		},
		Con: byLang{
			En: []string{
				"KES 3.5 billion for satellites while children in {town} learn under a tree?",
				"Buy the data, do not build the satellites. Put the difference into drought response in the north.",
				"Space is for rich countries. In {county} we need water first.",
			},
			Sw: []string{
				"Bilioni 3.5 za satelaiti wakati watoto wa {town} wanasomea chini ya mti?",
				"Nunueni data, msijenge satelaiti. Pesa iliyobaki ipelekwe kukabili ukame.",
				"Satelaiti haziwezi kulisha watoto wa {county} wakati wa [ukame|njaa].",
			},
			Mix: []string{
				"Satellites? Sisi wa {town} hatuna hata maji, hii ni kuchezea pesa.",
				"Space agency ni luxury, tupeni boreholes.",
			},
		},
		Local: []int{cWater, cFarming, cSchools},
		Questions: byLang{
			Sw: []string{"Mkulima wa kaunti yangu atapata data ya satelaiti vipi?", "Satelaiti mbili zitagharimu kiasi gani kila mwaka?", "Ni vyuo vikuu vipi vitajenga satelaiti hizi?"},
		},
	},
	{ // 8. private security and military contractors
		Pro: byLang{
			En: []string{
				"Ban private armies. Put the money in police posts and reservists in {town}.",
				"Public bodies paid KES 9 billion for guards with no oversight. Licensing every armed guard is overdue.",
				"Community policing works in {county}; the savings should go there.",
			},
			Sw: []string{
				"Majeshi ya kibinafsi yapigwe marufuku. Pesa zipelekwe kwa vituo vya polisi {town}.",
				"Ulinzi wa jamii unafanya kazi {county}; pesa ziende huko.",
				"Bunduki zote za walinzi wa kibinafsi [zisajiliwe|zichunguzwe] na serikali.",
			},
			Mix: []string{
				"Private armies hapana, tupeni police post pale {town}.",
			},
		},
		Con: byLang{
			En: []string{
				"The police in {town} ask victims for fuel before they come. Private guards at least turn up.",
				"Mines and flower farms will be unprotected if the contractors go. The police are too few.",
				"Five billion shared by counties will be eaten. Give it straight to the stations.",
			},
			Sw: []string{
				"Polisi wa {town} wanataka tuwape mafuta ndipo waje. Walinzi wa kibinafsi angalau wanafika.",
				"Polisi ni wachache mno; bila walinzi wa kibinafsi migodi itakuwa hatarini.",
				"Polisi wa {town} hufika [saa mbili|kesho yake|baada ya wezi kuondoka]; walinzi wa kibinafsi hufika mara moja.",
			},
			Mix: []string{
				"Polisi wa {town} hawafiki, bora private security.",
			},
		},
		Local: []int{cSecurity},
		Questions: byLang{
			Sw: []string{"Marufuku hii inahusu kampuni za kigeni zinazolinda migodi na mafuta?", "Pesa za ulinzi wa jamii zitasimamiwa na kaunti au na polisi?", "Serikali inatumia kampuni ngapi za kijeshi za kibinafsi leo?"},
		},
	},
}

// How a section comment takes its side, and how a reply answers another.
var (
	stanceIntro = map[int8]byLang{
		1: {
			En:  []string{"I support this section.", "This is a good proposal.", "I agree with the Treasury here.", "Finally a sensible plan.", "Yes."},
			Sw:  []string{"Naunga mkono sehemu hii.", "Hili ni pendekezo zuri.", "Nakubaliana na Hazina hapa.", "Ndiyo."},
			Mix: []string{"Hii iko sawa kabisa.", "Naunga mkono hii.", "Poa sana hii."},
		},
		-1: {
			En:  []string{"I oppose this.", "This will hurt ordinary people.", "I do not agree with this section.", "No.", "Please remove this."},
			Sw:  []string{"Sikubaliani na pendekezo hili.", "Hili litawaumiza wananchi wa kawaida.", "Hapana.", "Tafadhali ondoeni hili."},
			Mix: []string{"Hii haitatusaidia sisi wa mashinani.", "Tunakataa hii.", "Hapana bana."},
		},
	}
	replyAgree = byLang{
		En:  []string{"Exactly.", "Well said.", "I agree with you.", "True, and it is the same in {town}.", "You are right.", "Correct.", "This is the truth.", "I second this."},
		Sw:  []string{"Kweli kabisa.", "Umesema ukweli.", "Nakubaliana nawe.", "Ndivyo ilivyo.", "Sawa kabisa ndugu yangu.", "Nakuunga mkono."},
		Mix: []string{"Hapo umeongea ukweli.", "Uko sawa bro.", "Facts."},
	}
	replyDisagree = byLang{
		En:  []string{"I don't agree.", "That is not the whole story.", "With respect, you are wrong.", "Not in {town}.", "That is not true.", "I beg to differ.", "Not everyone sees it that way."},
		Sw:  []string{"Sikubaliani nawe.", "Hiyo si kweli.", "Si hivyo huku {town}.", "Umekosea ndugu.", "Hapo sikubaliani.", "Hilo si sahihi."},
		Mix: []string{"Hapana, hiyo si kweli.", "Bro, si hivyo.", "Wacha hiyo."},
	}
	amendIntro = byLang{
		En:  []string{"I propose this wording instead.", "Change the text as follows.", "Amend it like this:"},
		Sw:  []string{"Napendekeza maneno haya badala yake.", "Badilisheni maandishi hivi:"},
		Mix: []string{"Badilisheni hii hivi:"},
	}
	askPrefix = byLang{
		En:  []string{"", "Question: ", "Could the Treasury explain: ", "Please clarify. "},
		Sw:  []string{"", "Swali: ", "Hazina ituelezee: "},
		Mix: []string{"", "Swali: "},
	}
)
