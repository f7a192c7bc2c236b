package participation

import "testing"

func TestNormalizePhone(t *testing.T) {
	for _, c := range []struct {
		raw, tz string
		want    string // "" when refused
		key     string // the refusal's catalogue key
	}{
		{"+254712345678", "", "+254712345678", ""},
		{"+254 712 345 678", "Europe/Berlin", "+254712345678", ""},
		{"+254-0712-345-678", "", "+254712345678", ""}, // the trunk 0 after the code, a common slip
		{"00254 712 345678", "", "+254712345678", ""},
		{"0712 345 678", "Africa/Nairobi", "+254712345678", ""},
		{"0110-123-456", "Africa/Nairobi", "+254110123456", ""},
		{"(0712) 345.678", "Africa/Nairobi", "+254712345678", ""},
		{"0712 345 678", "Africa/Kampala", "+256712345678", ""},
		{"+49 30 1234567", "Africa/Nairobi", "+49301234567", ""},
		{"0712 345 678", "Europe/Berlin", "", "err.phone_country"}, // no country to read it in
		{"0712 345 678", "", "", "err.phone_country"},
		{"254712345678", "Africa/Nairobi", "", "err.phone_country"}, // the code without its +
		{"0712 345 67", "Africa/Nairobi", "", "err.phone"},          // a digit short
		{"020 222 2181", "Africa/Nairobi", "", "err.phone_mobile"},  // a landline
		{"+254 20 2222181", "", "", "err.phone_mobile"},
		{"+2547123456789", "", "", "err.phone"},
		{"+12", "", "", "err.phone"},
		{"+0712345678", "", "", "err.phone"},
		{"+254 712 ABC 678", "", "", "err.phone"},
		{"call me", "Africa/Nairobi", "", "err.phone"},
		{"+1234567890123456", "", "", "err.phone"}, // 16 digits: longer than E.164 allows
	} {
		got, err := NormalizePhone(c.raw, c.tz)
		switch {
		case c.want != "" && (err != nil || got != c.want):
			t.Errorf("%q in %q: got %q, %v; want %q", c.raw, c.tz, got, err, c.want)
		case c.want == "" && (err == nil || err.Key != c.key || err.Field != "phone" || err.Code != CodeInvalid):
			t.Errorf("%q in %q: got %q, %v; want a refusal %s", c.raw, c.tz, got, err, c.key)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	for raw, want := range map[string]string{
		" Amina.Otieno@Example.ORG ":      "Amina.Otieno@example.org", // the mailbox keeps its case, the domain does not
		"amina+budget@mail.example.co.ke": "amina+budget@mail.example.co.ke",
		"Amina <amina@example.org>":       "",
		"amina@localhost":                 "",
		"amina@example.":                  "",
		"amina@.example.org":              "",
		"amina@-example.org":              "",
		"amina@@example.org":              "",
		"amina":                           "",
		"":                                "",
	} {
		got, ok := NormalizeEmail(raw)
		if got != want || ok != (want != "") {
			t.Errorf("%q: got %q %v, want %q", raw, got, ok, want)
		}
	}
}

func TestNormalizeContactLeavesWhatItCannotRead(t *testing.T) {
	p := NormalizeContact(Profile{Email: "a@b", Phone: "0712 345 678", Name: "Amina"}, "Europe/Berlin")
	if p.Email != "a@b" || p.Phone != "0712 345 678" || p.Name != "Amina" {
		t.Fatalf("%+v", p)
	}
	p = NormalizeContact(Profile{Email: "a@B.org", Phone: "0712 345 678"}, "Africa/Nairobi")
	if p.Email != "a@b.org" || p.Phone != "+254712345678" {
		t.Fatalf("%+v", p)
	}
}

func TestProfileLang(t *testing.T) {
	for _, c := range []struct {
		lang  string
		langs []string
		want  string
	}{
		{"sw", []string{"en", "sw"}, "sw"},
		{"sw-KE", []string{"en"}, "sw-KE"},
		{"", []string{"sw", "en"}, "sw"},
		{"<script>", []string{"en"}, "en"},
		{"", nil, ""},
	} {
		if got := ProfileLang(c.lang, c.langs); got != c.want {
			t.Errorf("%q %v: got %q, want %q", c.lang, c.langs, got, c.want)
		}
	}
}
