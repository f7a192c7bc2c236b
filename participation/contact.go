package participation

import (
	"net/mail"
	"regexp"
	"strings"
)

// Contacts are checked and normalised before anything is stored: a message
// to an address that cannot exist is a delivery that fails for ever, and one
// participant typing "0712 345 678" and another "+254712345678" must be the
// same number to the messages that reach them.

// EmailMax is the longest address a mail server has to accept (RFC 5321).
const EmailMax = 254

// PhonePlan is how a country's people write their mobile numbers at home:
// a trunk 0, then NationalDigits digits starting with one of MobilePrefixes.
type PhonePlan struct {
	Country        string   // ISO 3166 alpha-2
	CallingCode    string   // without the +
	NationalDigits int      // after the trunk 0 or the calling code
	MobilePrefixes []string // first digits of a mobile number, after the trunk 0
}

// phonePlans are the countries whose local form is understood, by the time
// zone a process runs in (the process names no country; its time zone is the
// closest it comes, and these zones each cover one country). Others' numbers
// must be given with their + and calling code.
var phonePlans = map[string]PhonePlan{
	"Africa/Nairobi":       {Country: "KE", CallingCode: "254", NationalDigits: 9, MobilePrefixes: []string{"7", "1"}},
	"Africa/Dar_es_Salaam": {Country: "TZ", CallingCode: "255", NationalDigits: 9, MobilePrefixes: []string{"6", "7"}},
	"Africa/Kampala":       {Country: "UG", CallingCode: "256", NationalDigits: 9, MobilePrefixes: []string{"7"}},
}

// PhonePlanFor returns the phone plan of the country a process in timeZone
// runs in, if it is one whose local form is understood.
func PhonePlanFor(timeZone string) (PhonePlan, bool) {
	p, ok := phonePlans[timeZone]
	return p, ok
}

func planByCallingCode(digits string) (PhonePlan, bool) {
	for _, p := range phonePlans {
		if strings.HasPrefix(digits, p.CallingCode) {
			return p, true
		}
	}
	return PhonePlan{}, false
}

// national checks a number's digits after the calling code or trunk 0: a
// wrong length is no number of the country's (err.phone), a right one
// outside its mobile ranges cannot take text messages (err.phone_mobile).
func (p PhonePlan) national(digits string) *Error {
	if len(digits) != p.NationalDigits {
		return Errorf(CodeInvalid, "phone", "err.phone", "is not a phone number")
	}
	for _, pre := range p.MobilePrefixes {
		if strings.HasPrefix(digits, pre) {
			return nil
		}
	}
	return Errorf(CodeInvalid, "phone", "err.phone_mobile", "is not a mobile number: it cannot receive text messages")
}

var (
	digitsRE    = regexp.MustCompile(`^[0-9]+$`)
	phoneJunkRE = strings.NewReplacer(" ", "", "-", "", ".", "", "(", "", ")", "", "\u00a0", "")
)

// NormalizePhone returns raw in E.164 form ("+254712345678"), or the reason
// it cannot: err.phone (not a number, or not one of its country's length),
// err.phone_mobile (a number of a country we know that cannot take text
// messages), err.phone_country (a local
// form without a country we can read it in: the participant must add +
// and the calling code). Spaces, dashes, dots and brackets are dropped; 00
// stands for +; a local 07xx/01xx form is read in the country of timeZone.
func NormalizePhone(raw, timeZone string) (string, *Error) {
	bad := func(key, msg string) (string, *Error) {
		return "", Errorf(CodeInvalid, "phone", key, "%s", msg)
	}
	s := phoneJunkRE.Replace(strings.TrimSpace(raw))
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	if rest, intl := strings.CutPrefix(s, "+"); intl {
		if !digitsRE.MatchString(rest) || rest[0] == '0' || len(rest) < 8 || len(rest) > 15 {
			return bad("err.phone", "is not a phone number")
		}
		if plan, ok := planByCallingCode(rest); ok {
			national := strings.TrimPrefix(rest[len(plan.CallingCode):], "0") // "+254 0712…" is common
			if err := plan.national(national); err != nil {
				return "", err
			}
			return "+" + plan.CallingCode + national, nil
		}
		return "+" + rest, nil
	}
	if !digitsRE.MatchString(s) {
		return bad("err.phone", "is not a phone number")
	}
	plan, ok := PhonePlanFor(timeZone)
	if !ok || !strings.HasPrefix(s, "0") {
		return bad("err.phone_country", "give the number with + and its country code")
	}
	if err := plan.national(s[1:]); err != nil {
		return "", err
	}
	return "+" + plan.CallingCode + s[1:], nil
}

// NormalizeEmail returns raw as it is stored and written to: a bare address
// (no display name, no comments) whose domain has a dot and no empty label,
// with the domain in lower case (the part before the @ is the mailbox's own
// business). ok is false when raw is not such an address.
func NormalizeEmail(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > EmailMax {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	domain := strings.ToLower(s[at+1:])
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return "", false
		}
	}
	return s[:at+1] + domain, true
}

// NormalizeContact returns p with its email and phone in their stored form
// (see NormalizeEmail and NormalizePhone); a value that cannot be normalised
// is left as given, for ValidateProfile to refuse. The web layer calls it
// too, so that the verification goes where the store says it went.
func NormalizeContact(p Profile, timeZone string) Profile {
	if e, ok := NormalizeEmail(p.Email); ok {
		p.Email = e
	}
	if strings.TrimSpace(p.Phone) != "" {
		if n, err := NormalizePhone(p.Phone, timeZone); err == nil {
			p.Phone = n
		}
	}
	return p
}

var langRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// ProfileLang returns the language to keep on a profile: lang, the language
// the participant registered in, when it is a plain BCP 47 tag, else the
// process's first language (messages reach them in it).
func ProfileLang(lang string, processLanguages []string) string {
	lang = strings.TrimSpace(lang)
	if len(lang) <= 35 && langRE.MatchString(lang) {
		return lang
	}
	if len(processLanguages) > 0 {
		return processLanguages[0]
	}
	return ""
}
