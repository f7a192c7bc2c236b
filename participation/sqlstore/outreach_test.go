package sqlstore_test

import (
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// A campaign link gets a code, UTM values derived from its names and one
// outbox event; a second link of the same campaign and channel is refused
// and writes nothing; the code and the id find it, and only in its process.
func TestCampaignLinks(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		radio, w, err := x.s.CreateCampaignLink(x.ctx, participation.CampaignLink{ProcessID: x.proc, StaffID: 7,
			Channel: "  Radio  Citizen ", Campaign: "Bajeti Yetu 2026"})
		ok(t, err)
		if !participation.ValidCampaignCode(radio.Code) || radio.Channel != "Radio Citizen" || radio.UTMSource != "radio-citizen" ||
			radio.UTMMedium != "broadcast" || radio.UTMCampaign != "bajeti-yetu-2026-radio-citizen" || w.ID != radio.ID || w.Seq == 0 {
			t.Fatalf("link %+v written %+v", radio, w)
		}
		if e := x.last(participation.EvCampaignLinkCreated); e.Seq != w.Seq || e.ProcessID != x.proc || e.EntityID != radio.ID {
			t.Fatalf("event %+v", e)
		}
		baraza, _, err := x.s.CreateCampaignLink(x.ctx, participation.CampaignLink{ProcessID: x.proc, Channel: "Chief's baraza", Campaign: "Bajeti Yetu 2026"})
		ok(t, err)
		if baraza.UTMMedium != "event" || baraza.UTMCampaign != "bajeti-yetu-2026-chief-s-baraza" || baraza.Code == radio.Code {
			t.Fatalf("second link %+v", baraza)
		}

		n := x.count()
		_, _, err = x.s.CreateCampaignLink(x.ctx, participation.CampaignLink{ProcessID: x.proc, Channel: "radio citizen", Campaign: "bajeti yetu 2026"})
		wantCode(t, err, participation.CodeConflict)
		_, _, err = x.s.CreateCampaignLink(x.ctx, participation.CampaignLink{ProcessID: x.proc, Channel: "", Campaign: "«»"})
		wantField(t, err, "channel", "err.required")
		wantField(t, err, "campaign", "err.campaign_letters")
		_, _, err = x.s.CreateCampaignLink(x.ctx, participation.CampaignLink{ProcessID: 9999, Channel: "sms", Campaign: "x"})
		wantCode(t, err, participation.CodeNotFound)
		if x.count() != n {
			t.Fatal("a refused link wrote an event")
		}

		list := must(x.s.CampaignLinks(x.ctx, x.proc))(t)
		if len(list) != 2 || list[0].ID != baraza.ID || list[1].Code != radio.Code || list[1].CreatedAt.IsZero() {
			t.Fatalf("list %+v", list)
		}
		if got := must(x.s.CampaignLinkByCode(x.ctx, radio.Code))(t); got.ID != radio.ID || got.UTMCampaign != radio.UTMCampaign {
			t.Fatalf("by code %+v", got)
		}
		_, err = x.s.CampaignLinkByCode(x.ctx, "zzzzzzzz")
		wantCode(t, err, participation.CodeNotFound)
		_, err = x.s.CampaignLinkByCode(x.ctx, "../etc'--")
		wantCode(t, err, participation.CodeNotFound)
		if got := must(x.s.CampaignLink(x.ctx, x.proc, radio.ID))(t); got.Code != radio.Code {
			t.Fatalf("by id %+v", got)
		}
		other := must(x.s.CreateProcess(x.ctx, process("other-2026", x.rs, participation.ModeOpen)))(t)
		_, err = x.s.CampaignLink(x.ctx, other, radio.ID)
		wantCode(t, err, participation.CodeNotFound)
		if l := must(x.s.CampaignLinks(x.ctx, other))(t); len(l) != 0 {
			t.Fatalf("another process lists %+v", l)
		}
	})
}
