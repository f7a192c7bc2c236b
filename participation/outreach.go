package participation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Campaign links (GovStack INST-3 step 2, the communication campaign): an
// official names a channel (radio, WhatsApp, a flyer, a chief's baraza) and
// a campaign, and gets a short link /c/{code} that sends citizens to the
// process page with UTM parameters. The warehouse counts visits by
// utm_campaign (warehouse.Channel), so each link carries its own
// utm_campaign — the campaign and the channel joined — and its figures are
// the channels panel's row for it.

// EvCampaignLinkCreated records a new link; the warehouse keeps none of it
// (it sees the link's visits through their UTM parameters).
const EvCampaignLinkCreated EventType = "campaign_link.created" // {"staff_id","utm_campaign"}

// Limits of a link's names, in runes.
const (
	CampaignNameMax    = 60
	CampaignChannelMax = 30
	// CampaignCodeLen is the length of a short code: 31^8 codes, so a
	// guessed one finds nothing, and short enough to read out on radio.
	CampaignCodeLen = 8
)

// CampaignCodeAlphabet has no 0/o, 1/l/i: a code read from a poster or
// heard on radio is typed without doubt.
const CampaignCodeAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// CampaignLink is one short link of a process's campaign.
type CampaignLink struct {
	ID          int64     `db:"id" json:"id"`
	ProcessID   int64     `db:"process_id" json:"process_id"`
	Code        string    `db:"code" json:"code"`
	Channel     string    `db:"channel" json:"channel"`   // as the official typed it
	Campaign    string    `db:"campaign" json:"campaign"` // as the official typed it
	UTMSource   string    `db:"utm_source" json:"utm_source"`
	UTMMedium   string    `db:"utm_medium" json:"utm_medium"`
	UTMCampaign string    `db:"utm_campaign" json:"utm_campaign"`
	StaffID     int64     `db:"staff_id" json:"-"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
}

// Normalize trims the names, checks them and derives the UTM values: the
// source is the channel's slug, the medium its kind (mediumOf), the
// campaign the campaign's slug and the source's, so two channels of one
// campaign stay apart in the channels panel.
func (l CampaignLink) Normalize() (CampaignLink, error) {
	var v ValidationErrors
	l.Channel = strings.Join(strings.Fields(l.Channel), " ")
	l.Campaign = strings.Join(strings.Fields(l.Campaign), " ")
	check := func(field, val string, max int) string {
		switch {
		case val == "":
			v.Add(field, "err.required", "is required")
		case utf8.RuneCountInString(val) > max:
			v.Add(field, "err.too_long", "must be at most %d characters", max)
		case Slug(val) == "":
			v.Add(field, "err.campaign_letters", "needs letters or digits")
		}
		return Slug(val)
	}
	l.UTMSource = check("channel", l.Channel, CampaignChannelMax)
	campaign := check("campaign", l.Campaign, CampaignNameMax)
	if len(v) > 0 {
		return l, v
	}
	l.UTMMedium = mediumOf(l.UTMSource)
	l.UTMCampaign = campaign + "-" + l.UTMSource
	return l, nil
}

// Slug keeps the ASCII letters and digits of s, lower-cased, with one "-"
// for every run of anything else: UTM values travel in URLs and are shown
// in the panels, so they stay plain. Accented letters lose their accent
// only when they decompose simply; others become separators.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if a, ok := asciiOf(r); ok {
			r = a
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// asciiOf maps the accented letters of the languages we serve to their base
// letter.
func asciiOf(r rune) (rune, bool) {
	for base, set := range map[rune]string{'a': "àáâãäå", 'c': "ç", 'e': "èéêë", 'i': "ìíîï", 'n': "ñ", 'o': "òóôõö", 'u': "ùúûü", 'y': "ýÿ"} {
		if strings.ContainsRune(set, r) {
			return base, true
		}
	}
	return r, false
}

// mediumOf sorts a channel into the utm_medium analytics tools expect.
func mediumOf(source string) string {
	for medium, words := range map[string][]string{
		"broadcast": {"radio", "tv", "television", "redio", "televisheni"},
		"social":    {"whatsapp", "facebook", "twitter", "x", "instagram", "tiktok", "telegram", "youtube", "social"},
		"sms":       {"sms", "ujumbe"},
		"email":     {"email", "mail", "newsletter", "barua"},
		"print":     {"flyer", "poster", "leaflet", "brochure", "newspaper", "gazeti", "bango", "kipeperushi"},
		"event":     {"baraza", "meeting", "mkutano", "event", "church", "mosque", "school", "market", "soko"},
		"website":   {"website", "web", "tovuti"},
	} {
		for _, w := range words {
			if source == w || strings.HasPrefix(source, w+"-") || strings.HasSuffix(source, "-"+w) || strings.Contains(source, "-"+w+"-") {
				return medium
			}
		}
	}
	return "other"
}

// CampaignLinks is the store's part for the links. Code lookups serve the
// public redirect; the rest serves the officials' kit.
type CampaignLinks interface {
	// CreateCampaignLink stores a link with a fresh code (Normalize
	// first) and its campaign_link.created event; a second link with the
	// same campaign and channel in one process is refused (CodeConflict
	// on "campaign").
	CreateCampaignLink(ctx context.Context, l CampaignLink) (CampaignLink, Written, error)
	// CampaignLinks lists a process's links, newest first.
	CampaignLinks(ctx context.Context, processID int64) ([]CampaignLink, error)
	// CampaignLink returns one link of a process (CodeNotFound when the
	// link belongs to another).
	CampaignLink(ctx context.Context, processID, id int64) (CampaignLink, error)
	// CampaignLinkByCode finds the link a short code names.
	CampaignLinkByCode(ctx context.Context, code string) (CampaignLink, error)
}

// ValidCampaignCode reports whether s could be a code, so the redirect
// refuses junk without asking the store.
func ValidCampaignCode(s string) bool {
	if len(s) != CampaignCodeLen {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune(CampaignCodeAlphabet, r) {
			return false
		}
	}
	return true
}
