package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

func TestAPIEndToEnd(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		a := newAPI(t, fx)
		pub := &api{t: t, base: fx.URL}

		var list struct{ Processes []participation.Process }
		res := pub.call("GET", "/api/v1/processes", nil)
		want(t, res.Status, 200, res.Body)
		res.json(t, &list)
		if len(list.Processes) != 3 {
			t.Fatalf("%d published processes, want 3", len(list.Processes))
		}
		var proc participation.Process
		pub.call("GET", fmt.Sprintf("/api/v1/processes/%d", fx.Open.ID), nil).json(t, &proc)
		if proc.Slug != "budget-2026" || len(proc.Components) != 4 || proc.PrivacyNotice == nil {
			t.Fatalf("process %+v", proc)
		}
		want(t, pub.call("GET", fmt.Sprintf("/api/v1/components/%d", fx.Proposals), nil).Status, 200, nil)

		// Proposals: create with a picture, read, list with filters.
		res = a.call("POST", fmt.Sprintf("/api/v1/components/%d/proposals", fx.Proposals), map[string]any{
			"title": "Solar street lights", "description": "Lights along Moi Avenue for night traders.",
			"budget_minor": 90000000, "tags": []string{"lighting"}, "region_code": "001",
			"images": []map[string]any{{"data": photoWithExif(t, 100, 80)}},
		})
		want(t, res.Status, http.StatusCreated, res.Body)
		var created participation.Proposal
		res.json(t, &created)
		if created.ID == 0 || len(created.Images) != 1 || res.Header.Get("Location") != fmt.Sprintf("/api/v1/proposals/%d", created.ID) {
			t.Fatalf("created %+v, Location %q", created, res.Header.Get("Location"))
		}
		img := pub.call("GET", fmt.Sprintf("/api/v1/proposals/%d/images/1", created.ID), nil)
		if img.Status != 200 || strings.Contains(string(img.Body), "Exif") {
			t.Fatal("API image missing or not stripped")
		}
		var page struct {
			Proposals []participation.Proposal
			Total     int
		}
		pub.call("GET", fmt.Sprintf("/api/v1/components/%d/proposals?tag=lighting&order=supports&limit=5", fx.Proposals), nil).json(t, &page)
		if page.Total != 1 || page.Proposals[0].ID != created.ID {
			t.Fatalf("filtered list %+v", page)
		}

		// Support, second support, unsupport, follow.
		sup := fmt.Sprintf("/api/v1/proposals/%d/support", fx.Proposal)
		res = a.call("POST", sup, nil)
		want(t, res.Status, 200, res.Body)
		if !strings.Contains(string(res.Body), `"support_count":1`) {
			t.Fatalf("support answer %s", res.Body)
		}
		res = a.call("POST", sup, nil)
		want(t, res.Status, http.StatusConflict, res.Body)
		if p := res.problem(t); p.Detail != "You already support this proposal." || p.Instance != sup {
			t.Fatalf("duplicate problem %+v", p)
		}
		want(t, a.call("DELETE", sup, nil).Status, 200, nil)
		want(t, a.call("DELETE", sup, nil).Status, http.StatusNotFound, nil)
		want(t, a.call("POST", fmt.Sprintf("/api/v1/proposals/%d/follow", fx.Proposal), nil).Status, 200, nil)
		want(t, a.call("DELETE", fmt.Sprintf("/api/v1/proposals/%d/follow", fx.Proposal), nil).Status, 200, nil)

		// Comments on a proposal, with a reply.
		cpath := fmt.Sprintf("/api/v1/proposals/%d/comments", fx.Proposal)
		res = a.call("POST", cpath, map[string]any{"body": "Who maintains it?", "parent_id": fx.Comment})
		want(t, res.Status, http.StatusCreated, res.Body)
		var comments struct{ Comments []participation.Comment }
		pub.call("GET", cpath, nil).json(t, &comments)
		if len(comments.Comments) != 1 || len(comments.Comments[0].Replies) != 1 {
			t.Fatalf("comments %+v", comments)
		}

		// Document, section comments, votes.
		var doc participation.Document
		pub.call("GET", fmt.Sprintf("/api/v1/components/%d/document", fx.Document), nil).json(t, &doc)
		if len(doc.Sections) != 2 {
			t.Fatalf("document %+v", doc)
		}
		res = a.call("POST", fmt.Sprintf("/api/v1/sections/%d/comments", fx.Sections[1]), map[string]any{"kind": "question", "body": "Which wards?"})
		want(t, res.Status, http.StatusCreated, res.Body)
		want(t, pub.call("GET", fmt.Sprintf("/api/v1/sections/%d/comments", fx.Sections[1]), nil).Status, 200, nil)
		vote := fmt.Sprintf("/api/v1/comments/%d/vote", fx.SectionComm)
		want(t, a.call("PUT", vote, map[string]any{"vote": "agree"}).Status, 200, nil)
		res = a.call("PUT", vote, map[string]any{"vote": "pass"})
		want(t, res.Status, 200, res.Body)
		if !strings.Contains(string(res.Body), `"pass":1`) || !strings.Contains(string(res.Body), `"agree":0`) {
			t.Fatalf("changed vote not counted: %s", res.Body)
		}

		// Survey: read, two pages, my response.
		var sv participation.Survey
		pub.call("GET", fmt.Sprintf("/api/v1/components/%d/survey", fx.Survey), nil).json(t, &sv)
		if sv.Pages != 2 || len(sv.Questions) != 6 {
			t.Fatalf("survey %+v", sv)
		}
		pages := fmt.Sprintf("/api/v1/components/%d/response/pages/", fx.Survey)
		res = a.call("POST", pages+"1", map[string]any{"answers": []map[string]any{
			{"question_id": fx.Questions["single"], "choices": []int{0}},
			{"question_id": fx.Questions["likert"], "number": 5},
		}})
		want(t, res.Status, 200, res.Body)
		res = a.call("POST", pages+"2", map[string]any{"answers": []map[string]any{
			{"question_id": fx.Questions["numeric"], "number": 12.5},
			{"question_id": fx.Questions["ranking"], "choices": []int{1, 2, 0}},
			{"question_id": fx.Questions["text"], "text": "Thanks"},
		}})
		want(t, res.Status, 200, res.Body)
		var resp participation.Response
		a.call("GET", fmt.Sprintf("/api/v1/components/%d/response", fx.Survey), nil).json(t, &resp)
		if resp.CompletedAt == nil || len(resp.Answers) != 5 {
			t.Fatalf("response %+v", resp)
		}

		// My submissions.
		var subs participation.Submissions
		a.call("GET", "/api/v1/me/submissions", nil).json(t, &subs)
		if len(subs.Proposals) != 1 || len(subs.Comments) != 2 || len(subs.Responses) != 1 {
			t.Fatalf("submissions %+v", subs)
		}

		// Registration and verification, then a write to the registered process.
		reg := fmt.Sprintf("/api/v1/processes/%d/registration", fx.Registered.ID)
		res = a.call("POST", reg, map[string]any{"consent": true, "notice_version": 1, "name": "Kamau", "email": "kamau@example.org"})
		want(t, res.Status, http.StatusAccepted, res.Body)
		sent := fx.Sent()
		if len(sent) != 1 {
			t.Fatalf("sent %v", sent)
		}
		ver := fmt.Sprintf("/api/v1/processes/%d/verification", fx.Registered.ID)
		want(t, a.call("POST", ver, map[string]any{"secret": "nope"}).Status, http.StatusUnprocessableEntity, nil)
		want(t, a.call("POST", ver, map[string]any{"secret": sent[0].Secret}).Status, 200, nil)
		res = a.call("POST", fmt.Sprintf("/api/v1/components/%d/proposals", fx.RegProposals), map[string]any{
			"title": "Bakery", "description": "A shared oven for five young bakers."})
		want(t, res.Status, http.StatusCreated, res.Body)
	})
}

func TestAPIBadInput(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		a := newAPI(t, fx)
		create := fmt.Sprintf("/api/v1/components/%d/proposals", fx.Proposals)
		good := map[string]any{"title": "Bus shelter", "description": "A shelter at the Thika road stage."}

		// Missing or wrong bearer: 401 problem.
		anon := &api{t: t, base: fx.URL}
		res := anon.call("POST", create, good)
		want(t, res.Status, http.StatusUnauthorized, res.Body)
		if res.problem(t).Status != 401 || res.Header.Get("WWW-Authenticate") == "" {
			t.Fatal("401 without problem or challenge")
		}
		for _, tok := range []string{"garbage", "12.wrongtoken", "abc.def", "999999.x"} {
			bad := &api{t: t, base: fx.URL, token: tok}
			want(t, bad.call("POST", create, good).Status, http.StatusUnauthorized, nil)
		}
		// Cookies do not authenticate the API.
		req, _ := http.NewRequest("POST", fx.URL+create, strings.NewReader(`{"title":"x"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", "cp_session=anything")
		r2, _ := http.DefaultClient.Do(req)
		r2.Body.Close()
		want(t, r2.StatusCode, http.StatusUnauthorized, nil)

		// Malformed JSON, unknown fields, wrong type, trailing data, wrong media type.
		for _, body := range []string{`{"title": "x"`, `{"title": "x", "colour": "red"}`, `{"title": 42}`, `{} {}`, ``, `[1,2]`} {
			res = a.raw("POST", create, "application/json", strings.NewReader(body))
			want(t, res.Status, http.StatusBadRequest, res.Body)
			if p := res.problem(t); !strings.HasPrefix(p.Detail, "The request body is not valid JSON") {
				t.Fatalf("malformed JSON %q: %+v", body, p)
			}
		}
		want(t, a.raw("POST", create, "text/plain", strings.NewReader(`{}`)).Status, http.StatusUnsupportedMediaType, nil)
		want(t, a.raw("POST", create, "", strings.NewReader(`{}`)).Status, http.StatusUnsupportedMediaType, nil)
		// Above the body limit.
		res = a.raw("POST", fmt.Sprintf("/api/v1/proposals/%d/comments", fx.Proposal), "application/json",
			strings.NewReader(`{"body":"`+strings.Repeat("a", 2<<20)+`"}`))
		want(t, res.Status, http.StatusRequestEntityTooLarge, res.Body)
		res.problem(t)

		// Validation: every field at once, in the caller's language.
		a.lang = "sw"
		res = a.call("POST", create, map[string]any{"title": "", "description": "short", "tags": []string{strings.Repeat("t", 31)}})
		want(t, res.Status, http.StatusUnprocessableEntity, res.Body)
		p := res.problem(t)
		fields := map[string]string{}
		for _, e := range p.Errors {
			fields[e.Field] = e.Message
		}
		if fields["title"] != "Hii ni lazima." || fields["description"] != "Iwe angalau herufi 10." || fields["tags"] == "" {
			t.Fatalf("validation problem %+v", p)
		}
		a.lang = ""
		// Uploads: not an image, too large.
		res = a.call("POST", create, map[string]any{"title": "Bus shelter", "description": "A shelter at the stage.",
			"images": []map[string]any{{"data": []byte("<svg onload=alert(1)>")}}})
		want(t, res.Status, http.StatusUnprocessableEntity, res.Body)
		if p := res.problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "images" || !strings.Contains(p.Errors[0].Message, "not a JPEG, PNG or WebP") {
			t.Fatalf("non-image problem %+v", p)
		}
		bigImg := append(photoWithExif(t, 16, 16), make([]byte, 5<<20)...)
		res = a.call("POST", create, map[string]any{"title": "Bus shelter", "description": "A shelter at the stage.",
			"images": []map[string]any{{"data": bigImg}}})
		want(t, res.Status, http.StatusRequestEntityTooLarge, res.Body)

		// Closed phase, unpublished process, registered-only, unknown ids.
		res = a.call("POST", fmt.Sprintf("/api/v1/components/%d/proposals", fx.ClosedProps), good)
		want(t, res.Status, http.StatusConflict, res.Body)
		res.problem(t)
		want(t, a.call("POST", fmt.Sprintf("/api/v1/components/%d/proposals", fx.DraftProps), good).Status, http.StatusNotFound, nil)
		want(t, a.call("GET", fmt.Sprintf("/api/v1/processes/%d", fx.Draft.ID), nil).Status, http.StatusNotFound, nil)
		want(t, a.call("GET", fmt.Sprintf("/api/v1/components/%d/proposals", fx.DraftProps), nil).Status, http.StatusNotFound, nil)
		res = a.call("POST", fmt.Sprintf("/api/v1/components/%d/proposals", fx.RegProposals), good)
		want(t, res.Status, http.StatusForbidden, res.Body)
		if !strings.Contains(res.problem(t).Detail, "register") {
			t.Fatal("registration problem unclear")
		}
		want(t, a.call("GET", "/api/v1/proposals/999999", nil).Status, http.StatusNotFound, nil)
		want(t, a.call("POST", "/api/v1/proposals/999999/support", nil).Status, http.StatusNotFound, nil)
		want(t, a.call("PUT", "/api/v1/comments/999999/vote", map[string]any{"vote": "agree"}).Status, http.StatusNotFound, nil)
		want(t, a.call("GET", "/api/v1/nothing-here", nil).Status, http.StatusNotFound, nil)
		res = a.call("PATCH", "/api/v1/processes", nil)
		want(t, res.Status, http.StatusMethodNotAllowed, res.Body)
		res.problem(t)

		// Survey: out of range, another survey's question, a second response.
		pages := fmt.Sprintf("/api/v1/components/%d/response/pages/", fx.Survey)
		res = a.call("POST", pages+"1", map[string]any{"answers": []map[string]any{
			{"question_id": fx.Questions["single"], "choices": []int{7}},
			{"question_id": fx.Questions["likert"], "number": 6},
		}})
		want(t, res.Status, http.StatusUnprocessableEntity, res.Body)
		if p := res.problem(t); len(p.Errors) < 2 {
			t.Fatalf("out of range problem %+v", p)
		}
		res = a.call("POST", pages+"1", map[string]any{"answers": []map[string]any{
			{"question_id": fx.Questions["single"], "choices": []int{0}},
			{"question_id": fx.Questions["likert"], "number": 3},
			{"question_id": fx.OtherQ, "number": 3},
		}})
		want(t, res.Status, http.StatusUnprocessableEntity, res.Body)
		other := fmt.Sprintf("/api/v1/components/%d/response/pages/1", fx.OtherSurvey)
		want(t, a.call("POST", other, map[string]any{"answers": []map[string]any{{"question_id": fx.OtherQ, "number": 4}}}).Status, 200, nil)
		res = a.call("POST", other, map[string]any{"answers": []map[string]any{{"question_id": fx.OtherQ, "number": 2}}})
		want(t, res.Status, http.StatusConflict, res.Body)

		// Votes: a second identical vote, a vote on a proposal comment.
		vote := fmt.Sprintf("/api/v1/comments/%d/vote", fx.SectionComm)
		want(t, a.call("PUT", vote, map[string]any{"vote": "agree"}).Status, 200, nil)
		want(t, a.call("PUT", vote, map[string]any{"vote": "agree"}).Status, http.StatusConflict, nil)
		want(t, a.call("PUT", fmt.Sprintf("/api/v1/comments/%d/vote", fx.Comment), map[string]any{"vote": "agree"}).Status, http.StatusUnprocessableEntity, nil)

		// Registration: no consent, open-mode process.
		reg := fmt.Sprintf("/api/v1/processes/%d/registration", fx.Registered.ID)
		res = a.call("POST", reg, map[string]any{"consent": false, "notice_version": 1, "email": "x@example.org"})
		want(t, res.Status, http.StatusForbidden, res.Body)
		want(t, a.call("POST", fmt.Sprintf("/api/v1/processes/%d/registration", fx.Open.ID), map[string]any{"consent": true, "notice_version": 1}).Status, http.StatusConflict, nil)
		res = a.call("POST", reg, map[string]any{"consent": true, "notice_version": 1, "phone": "0712345678"})
		want(t, res.Status, http.StatusUnprocessableEntity, res.Body)

		// Nothing of the refused writes reached the outbox.
		if n := len(events(t, fx, participation.EvProposalCreated)); n != 1 {
			t.Fatalf("%d proposals, want only the fixture's", n)
		}
	})
}
