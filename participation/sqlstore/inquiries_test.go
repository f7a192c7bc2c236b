package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// An inquiry's life in the store: asked with an address (normalised),
// assigned, answered, published as an FAQ entry in edited words, hidden,
// closed; each step one event that carries neither the address nor the
// texts; refusals write nothing; another process's id finds nothing.
func TestInquiryLife(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		_, err := x.s.Ask(x.ctx, participation.Inquiry{ProcessID: x.proc, ParticipantID: x.citizen.ID, Question: "  ", Email: "not an address"})
		wantField(t, err, "question", "err.required")
		wantField(t, err, "email", "err.email")
		_, err = x.s.Ask(x.ctx, participation.Inquiry{ProcessID: x.proc, ParticipantID: x.citizen.ID, Question: strings.Repeat("a", participation.InquiryQuestionMax+1)})
		wantField(t, err, "question", "err.too_long")

		n := x.count()
		q := must(x.s.Ask(x.ctx, participation.Inquiry{ProcessID: x.proc, ParticipantID: x.citizen.ID,
			Question: " How do I register without a phone? ", Email: " amina@example.org ", Lang: "sw"}))(t)
		if q.ID == 0 || q.Status != participation.InquiryNew || q.Question != "How do I register without a phone?" || q.Email != "amina@example.org" || q.Lang != "sw" {
			t.Fatalf("asked %+v", q)
		}
		if x.count() != n+1 {
			t.Fatal("asking wrote no event")
		}
		asked := x.last(participation.EvInquiryAsked)
		if asked.EntityID != q.ID || asked.ProcessID != x.proc || strings.Contains(string(asked.Payload), "amina") || strings.Contains(string(asked.Payload), "phone") {
			t.Fatalf("asked event %+v %s", asked, asked.Payload)
		}

		// Another process's id finds nothing; a draft takes no questions.
		other := must(x.s.CreateProcess(x.ctx, process("other-2026", x.rs, participation.ModeOpen)))(t)
		_, err = x.s.GetInquiry(x.ctx, other, q.ID)
		wantCode(t, err, participation.CodeNotFound)
		_, err = x.s.AnswerInquiry(x.ctx, other, q.ID, "no", 7)
		wantCode(t, err, participation.CodeNotFound)
		_, err = x.s.Ask(x.ctx, participation.Inquiry{ProcessID: other, ParticipantID: x.citizen.ID, Question: "Draft?"})
		wantCode(t, err, participation.CodeNotFound)

		// Publishing before an answer is refused.
		_, err = x.s.PublishFAQ(x.ctx, x.proc, q.ID, true, "Q", "A", 7)
		wantCode(t, err, participation.CodeConflict)

		q = must(x.s.AssignInquiry(x.ctx, x.proc, q.ID, 12, 7))(t)
		if q.AssigneeID != 12 || x.last(participation.EvInquiryAssigned).EntityID != q.ID {
			t.Fatalf("assigned %+v", q)
		}
		_, err = x.s.AnswerInquiry(x.ctx, x.proc, q.ID, " ", 12)
		wantField(t, err, "answer", "err.required")
		q = must(x.s.AnswerInquiry(x.ctx, x.proc, q.ID, "Register by email at the ward office.", 12))(t)
		if q.Status != participation.InquiryAnswered || q.AnsweredBy != 12 || q.AnsweredAt == nil || q.Answer != "Register by email at the ward office." {
			t.Fatalf("answered %+v", q)
		}
		q = must(x.s.PublishFAQ(x.ctx, x.proc, q.ID, true, "Can I take part without a phone?", "Yes: register by email.", 7))(t)
		faq := must(x.s.FAQ(x.ctx, x.proc))(t)
		if !q.FAQ || len(faq) != 1 || faq[0].FAQQuestion != "Can I take part without a phone?" || faq[0].FAQAnswer != "Yes: register by email." {
			t.Fatalf("FAQ %+v", faq)
		}
		_, err = x.s.HideInquiry(x.ctx, x.proc, q.ID, true, "", 7)
		wantField(t, err, "reason", "err.required")
		must(x.s.HideInquiry(x.ctx, x.proc, q.ID, true, "names a neighbour", 7))(t)
		if faq := must(x.s.FAQ(x.ctx, x.proc))(t); len(faq) != 0 {
			t.Fatalf("a hidden entry is in the FAQ: %+v", faq)
		}
		must(x.s.HideInquiry(x.ctx, x.proc, q.ID, false, "", 7))(t)
		if faq := must(x.s.FAQ(x.ctx, x.proc))(t); len(faq) != 1 {
			t.Fatalf("a restored entry is not in the FAQ: %+v", faq)
		}

		q = must(x.s.CloseInquiry(x.ctx, x.proc, q.ID, 7))(t)
		n = x.count()
		_, err = x.s.AnswerInquiry(x.ctx, x.proc, q.ID, "late", 7)
		wantCode(t, err, participation.CodeConflict)
		_, err = x.s.CloseInquiry(x.ctx, x.proc, q.ID, 7)
		wantCode(t, err, participation.CodeConflict)
		if x.count() != n {
			t.Fatal("a refused change wrote an event")
		}

		// The inbox and its filters.
		must(x.s.Ask(x.ctx, participation.Inquiry{ProcessID: x.proc, ParticipantID: x.citizen2.ID, Question: "When are the hearings?"}))(t)
		all, total := mustList(t, x, "")
		news, nNew := mustList(t, x, participation.InquiryNew)
		if total != 2 || len(all) != 2 || nNew != 1 || news[0].Question != "When are the hearings?" {
			t.Fatalf("inbox: all %d %+v, new %d %+v", total, all, nNew, news)
		}
		counts := must(x.s.InquiryCounts(x.ctx, x.proc))(t)
		if counts[participation.InquiryNew] != 1 || counts[participation.InquiryClosed] != 1 {
			t.Fatalf("counts %v", counts)
		}
	})
}

func mustList(t *testing.T, x *fx, st participation.InquiryStatus) ([]participation.Inquiry, int) {
	t.Helper()
	list, n, err := x.s.ListInquiries(x.ctx, participation.InquiryFilter{ProcessID: x.proc, Status: st})
	ok(t, err)
	return list, n
}

// The contact address is the participant's: in their download, gone with
// their erasure (the question too when they remove their contributions).
func TestInquiryDataRights(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		q := must(x.s.Ask(x.ctx, participation.Inquiry{ProcessID: x.proc, ParticipantID: x.citizen.ID,
			Question: "Who reads my idea?", Email: "baraka@example.org", Lang: "en"}))(t)
		d := must(x.s.MyData(x.ctx, x.citizen.ID))(t)
		if len(d.Inquiries) != 1 || d.Inquiries[0].Email != "baraka@example.org" || d.Inquiries[0].Question != "Who reads my idea?" {
			t.Fatalf("download: %+v", d.Inquiries)
		}
		must(x.s.Erase(x.ctx, x.citizen.ID, false))(t)
		kept := must(x.s.GetInquiry(x.ctx, x.proc, q.ID))(t)
		if kept.Email != "" || kept.Question != "Who reads my idea?" {
			t.Fatalf("after erasure keeping contributions: %+v", kept)
		}
		must(x.s.Erase(x.ctx, x.citizen.ID, true))(t)
		gone := must(x.s.GetInquiry(x.ctx, x.proc, q.ID))(t)
		if gone.Question != "" || !gone.Hidden {
			t.Fatalf("after erasure removing contributions: %+v", gone)
		}
		for _, e := range x.events() {
			if strings.Contains(string(e.Payload), "baraka") {
				t.Fatalf("an event carries the address: %s %s", e.Type, e.Payload)
			}
		}
	})
}
