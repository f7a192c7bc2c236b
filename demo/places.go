package demo

// Places and livelihoods the synthetic participants write about, by county
// code (the region codes of data/counties.csv, First Schedule order). The
// first town is the county headquarters; the others are towns, estates and
// trading centres people name in their submissions.
var countyTowns = map[string][]string{
	"01": {"Mombasa", "Likoni", "Changamwe", "Kisauni", "Nyali", "Mtongwe"},
	"02": {"Kwale", "Ukunda", "Msambweni", "Kinango", "Lunga Lunga"},
	"03": {"Kilifi", "Malindi", "Mtwapa", "Watamu", "Mariakani"},
	"04": {"Hola", "Garsen", "Bura", "Madogo"},
	"05": {"Lamu", "Mpeketoni", "Faza", "Witu"},
	"06": {"Voi", "Wundanyi", "Taveta", "Mwatate"},
	"07": {"Garissa", "Dadaab", "Masalani", "Modogashe"},
	"08": {"Wajir", "Habaswein", "Griftu", "Tarbaj"},
	"09": {"Mandera", "El Wak", "Rhamu", "Takaba"},
	"10": {"Marsabit", "Moyale", "Laisamis", "North Horr", "Loiyangalani"},
	"11": {"Isiolo", "Merti", "Garbatulla", "Kinna"},
	"12": {"Meru", "Maua", "Nkubu", "Timau"},
	"13": {"Chuka", "Marimanti", "Chogoria", "Kathwana"},
	"14": {"Embu", "Runyenjes", "Siakago", "Kiritiri"},
	"15": {"Kitui", "Mwingi", "Mutomo", "Kyuso"},
	"16": {"Machakos", "Athi River", "Kangundo", "Tala", "Masii"},
	"17": {"Wote", "Makindu", "Mtito Andei", "Sultan Hamud", "Emali"},
	"18": {"Ol Kalou", "Engineer", "Njabini", "Ol Joro Orok"},
	"19": {"Nyeri", "Karatina", "Othaya", "Mweiga", "Naro Moru"},
	"20": {"Kerugoya", "Kutus", "Sagana", "Wang'uru"},
	"21": {"Murang'a", "Kenol", "Kangema", "Maragua"},
	"22": {"Kiambu", "Thika", "Ruiru", "Limuru", "Kikuyu", "Githunguri"},
	"23": {"Lodwar", "Kakuma", "Lokichoggio", "Lokitaung", "Kalokol"},
	"24": {"Kapenguria", "Makutano", "Chepareria", "Sigor"},
	"25": {"Maralal", "Baragoi", "Wamba", "Archers Post"},
	"26": {"Kitale", "Endebess", "Kiminini"},
	"27": {"Eldoret", "Turbo", "Burnt Forest", "Moi's Bridge"},
	"28": {"Iten", "Kapsowar", "Chebiemit", "Tambach"},
	"29": {"Kapsabet", "Nandi Hills", "Mosoriot"},
	"30": {"Kabarnet", "Marigat", "Eldama Ravine", "Mogotio"},
	"31": {"Nanyuki", "Nyahururu", "Rumuruti", "Doldol"},
	"32": {"Nakuru", "Naivasha", "Gilgil", "Molo", "Njoro"},
	"33": {"Narok", "Kilgoris", "Ololulung'a", "Nairegie Enkare"},
	"34": {"Kajiado", "Kitengela", "Ngong", "Namanga", "Loitokitok", "Ongata Rongai"},
	"35": {"Kericho", "Litein", "Londiani", "Kipkelion"},
	"36": {"Bomet", "Sotik", "Mulot", "Longisa"},
	"37": {"Kakamega", "Mumias", "Malava", "Butere", "Lurambi"},
	"38": {"Mbale", "Luanda", "Majengo", "Chavakali"},
	"39": {"Bungoma", "Webuye", "Kimilili", "Chwele"},
	"40": {"Busia", "Malaba", "Nambale", "Port Victoria"},
	"41": {"Siaya", "Bondo", "Ugunja", "Usenge", "Yala"},
	"42": {"Kisumu", "Ahero", "Maseno", "Kondele", "Muhoroni"},
	"43": {"Homa Bay", "Mbita", "Kendu Bay", "Oyugis", "Ndhiwa"},
	"44": {"Migori", "Rongo", "Awendo", "Isebania"},
	"45": {"Kisii", "Ogembo", "Suneka", "Marani"},
	"46": {"Nyamira", "Keroka", "Nyansiongo", "Ekerenyo"},
	"47": {"Kibera", "Mathare", "Kayole", "Embakasi", "Kawangware", "Githurai", "Eastleigh", "Kasarani", "Dandora", "Mukuru", "Nairobi CBD"},
}

// livelihood is what people in a county farm, herd or fish, in English and
// Kiswahili, for the farming and market texts.
type livelihood struct{ En, Sw string }

var (
	pastoral = []livelihood{{"livestock", "mifugo"}, {"goats", "mbuzi"}, {"camels", "ngamia"}}
	lakeside = []livelihood{{"fish", "samaki"}, {"sugarcane", "miwa"}, {"maize", "mahindi"}}
	coast    = []livelihood{{"coconuts", "nazi"}, {"cashew nuts", "korosho"}, {"fish", "samaki"}, {"mangoes", "maembe"}}
	tea      = []livelihood{{"tea", "chai"}, {"milk", "maziwa"}, {"maize", "mahindi"}}
	coffee   = []livelihood{{"coffee", "kahawa"}, {"milk", "maziwa"}, {"bananas", "ndizi"}}
	grain    = []livelihood{{"maize", "mahindi"}, {"wheat", "ngano"}, {"milk", "maziwa"}}
	drylands = []livelihood{{"green grams", "ndengu"}, {"sorghum", "mtama"}, {"goats", "mbuzi"}, {"mangoes", "maembe"}}
	potatoes = []livelihood{{"potatoes", "viazi"}, {"milk", "maziwa"}, {"cabbages", "kabichi"}}
	city     = []livelihood{{"vegetables", "mboga"}, {"chicken", "kuku"}, {"milk", "maziwa"}}
)

var countyLivelihoods = map[string][]livelihood{
	"01": coast, "02": coast, "03": coast, "04": pastoral, "05": coast, "06": drylands,
	"07": pastoral, "08": pastoral, "09": pastoral, "10": pastoral, "11": pastoral,
	"12": {{"miraa", "miraa"}, {"tea", "chai"}, {"potatoes", "viazi"}}, "13": drylands, "14": coffee,
	"15": drylands, "16": drylands, "17": drylands, "18": potatoes, "19": coffee, "20": {{"rice", "mchele"}, {"coffee", "kahawa"}, {"tea", "chai"}},
	"21": coffee, "22": {{"tea", "chai"}, {"milk", "maziwa"}, {"vegetables", "mboga"}}, "23": {{"livestock", "mifugo"}, {"fish", "samaki"}, {"goats", "mbuzi"}},
	"24": pastoral, "25": pastoral, "26": grain, "27": grain, "28": grain, "29": tea, "30": {{"honey", "asali"}, {"goats", "mbuzi"}, {"livestock", "mifugo"}},
	"31": {{"wheat", "ngano"}, {"livestock", "mifugo"}, {"potatoes", "viazi"}}, "32": {{"maize", "mahindi"}, {"flowers", "maua"}, {"milk", "maziwa"}, {"potatoes", "viazi"}},
	"33": {{"wheat", "ngano"}, {"livestock", "mifugo"}, {"maize", "mahindi"}}, "34": {{"livestock", "mifugo"}, {"tomatoes", "nyanya"}, {"milk", "maziwa"}},
	"35": tea, "36": tea, "37": {{"sugarcane", "miwa"}, {"maize", "mahindi"}, {"chicken", "kuku"}}, "38": {{"tea", "chai"}, {"maize", "mahindi"}, {"bananas", "ndizi"}},
	"39": {{"maize", "mahindi"}, {"coffee", "kahawa"}, {"sugarcane", "miwa"}}, "40": lakeside, "41": lakeside, "42": lakeside, "43": lakeside, "44": {{"sugarcane", "miwa"}, {"tobacco", "tumbaku"}, {"fish", "samaki"}},
	"45": {{"bananas", "ndizi"}, {"tea", "chai"}, {"avocados", "parachichi"}}, "46": {{"tea", "chai"}, {"bananas", "ndizi"}, {"milk", "maziwa"}}, "47": city,
}

// animals are the livelihoods nobody spreads fertiliser on.
var animals = map[string]bool{"livestock": true, "goats": true, "camels": true, "chicken": true, "fish": true, "milk": true, "honey": true}

// plantsOf is what a county grows, for the fertiliser and seed texts; herding
// counties farm maize along their rivers.
func plantsOf(code string) []livelihood {
	var out []livelihood
	for _, l := range countyLivelihoods[code] {
		if !animals[l.En] {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		out = []livelihood{{"maize", "mahindi"}}
	}
	return out
}

// shortCounty is how people write the county's name in a sentence.
func shortCounty(name string) string {
	switch name {
	case "Nairobi City":
		return "Nairobi"
	case "Taita/Taveta":
		return "Taita Taveta"
	case "Elgeyo/Marakwet":
		return "Elgeyo Marakwet"
	}
	return name
}
