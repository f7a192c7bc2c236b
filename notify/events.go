package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/participation"
)

// notice is what one event tells: the kind of message, who hears of it,
// the source of its idempotency key, the page it links to and the fields
// its template reads, per language.
type notice struct {
	kind     Kind
	audience participation.Audience
	source   string
	path     string // after BaseURL
	fields   func(lang string) map[string]string
}

// dispatched lists the events that make messages.
func dispatched(t participation.EventType) bool {
	switch t {
	case participation.EvCommentCreated, participation.EvProposalDecided, participation.EvDocumentPublished,
		participation.EvPhaseOpened, participation.EvPhaseClosed, participation.EvProcessState,
		participation.EvPanelPublished, participation.EvResultsPublished, participation.EvContributionHidden:
		return true
	}
	return false
}

// fixed is fields that read the same in every language.
func fixed(f map[string]string) func(string) map[string]string {
	return func(string) map[string]string { return f }
}

// notice maps an event to what it tells, or ok=false when it tells nobody
// (a process going back to draft, a contribution its author withdrew).
func (d *Dispatcher) notice(ctx context.Context, ev participation.Event, pc *procInfo) (n notice, ok bool, err error) {
	source := fmt.Sprintf("event:%d", ev.Seq)
	slug := "/p/" + pc.p.Slug
	switch ev.Type {
	case participation.EvCommentCreated:
		// The author of the proposal commented on, or of the comment
		// answered; the store's audience never names the commenter.
		var pl struct {
			TargetKind participation.TargetKind `json:"target_kind"`
			TargetID   int64                    `json:"target_id"`
			ParentID   *int64                   `json:"parent_id"`
		}
		if err := decode(ev, &pl); err != nil {
			return n, false, err
		}
		n = notice{kind: KindReply, source: source,
			audience: participation.Audience{Kind: participation.AudienceRepliedTo, CommentID: ev.EntityID}}
		on := "proposal"
		if pl.ParentID != nil {
			on = "comment"
		}
		switch pl.TargetKind {
		case participation.TargetProposal:
			p, err := d.store.GetProposal(ctx, pl.TargetID)
			if err != nil {
				return n, false, err
			}
			n.path = fmt.Sprintf("%s/proposals/%d#comment-%d", slug, p.ID, ev.EntityID)
			n.fields = fixed(map[string]string{"title": p.Title, "on": on})
		case participation.TargetSection:
			if pl.ParentID == nil {
				return n, false, nil // a section comment answers nobody
			}
			sec, err := d.store.GetSection(ctx, pl.TargetID)
			if err != nil {
				return n, false, err
			}
			n.path = fmt.Sprintf("%s/c/%d#section-%d", slug, sec.ComponentID, sec.ID)
			n.fields = func(lang string) map[string]string {
				h, _ := pc.texts.Get(participation.EntitySection, sec.ID, "heading", lang, sec.Heading)
				return map[string]string{"title": h, "on": on}
			}
		default:
			return n, false, nil
		}
		return n, true, nil

	case participation.EvProposalDecided:
		var pl struct {
			To     string `json:"to"`
			Reason string `json:"reason"`
		}
		if err := decode(ev, &pl); err != nil {
			return n, false, err
		}
		p, err := d.store.GetProposal(ctx, ev.EntityID)
		if err != nil {
			return n, false, err
		}
		return notice{kind: KindDecision, source: source, path: fmt.Sprintf("%s/proposals/%d", slug, p.ID),
			audience: participation.Audience{Kind: participation.AudienceProposalFollowers, ProposalID: p.ID},
			fields:   fixed(map[string]string{"title": p.Title, "status": pl.To, "reason": pl.Reason})}, true, nil

	case participation.EvDocumentPublished:
		var pl struct {
			Version int `json:"version"`
		}
		if err := decode(ev, &pl); err != nil {
			return n, false, err
		}
		if pl.Version <= 1 {
			return n, false, nil // nobody commented on a version that did not exist
		}
		c, found := component(pc.p, ev.ComponentID)
		if !found {
			return n, false, nil
		}
		return notice{kind: KindDocumentVersion, source: source, path: fmt.Sprintf("%s/c/%d", slug, c.ID),
			audience: participation.Audience{Kind: participation.AudienceDocumentCommenters, ComponentID: c.ID},
			fields: func(lang string) map[string]string {
				t, _ := pc.texts.Get(participation.EntityComponent, c.ID, "title", lang, c.Title)
				return map[string]string{"title": t, "version": fmt.Sprint(pl.Version)}
			}}, true, nil

	case participation.EvPhaseOpened, participation.EvPhaseClosed:
		var pl struct {
			PhaseID int64  `json:"phase_id"`
			Name    string `json:"name"`
		}
		if err := decode(ev, &pl); err != nil {
			return n, false, err
		}
		kind := KindPhaseOpened
		if ev.Type == participation.EvPhaseClosed {
			kind = KindPhaseClosed
		}
		return notice{kind: kind, source: source, path: slug,
			audience: participation.Audience{Kind: participation.AudienceProcess, ProcessID: pc.p.ID},
			fields: func(lang string) map[string]string {
				t, _ := pc.texts.Get(participation.EntityPhase, pl.PhaseID, "name", lang, pl.Name)
				return map[string]string{"title": t}
			}}, true, nil

	case participation.EvProcessState:
		var pl struct {
			To     participation.State `json:"to"`
			Reason string              `json:"reason"`
		}
		if err := decode(ev, &pl); err != nil {
			return n, false, err
		}
		kind := KindPhaseOpened
		switch pl.To {
		case participation.StatePublished:
		case participation.StateClosed:
			if pl.Reason == participation.ClosedByLastPhase {
				return n, false, nil // the last phase's phase.closed told them
			}
			kind = KindPhaseClosed
		default:
			return n, false, nil
		}
		// No title: the templates then speak of the process itself.
		return notice{kind: kind, source: source, path: slug,
			audience: participation.Audience{Kind: participation.AudienceProcess, ProcessID: pc.p.ID},
			fields:   fixed(map[string]string{"reason": pl.Reason})}, true, nil

	case participation.EvPanelPublished, participation.EvResultsPublished:
		// Officials publish a results page panel by panel, and its report
		// ("what we heard, what we did") beside them: people hear of it
		// once a day at most, whatever the number of publications. A
		// withdrawal tells nobody.
		if ev.Type == participation.EvResultsPublished {
			var pl struct {
				Published bool `json:"published"`
			}
			if err := decode(ev, &pl); err != nil {
				return n, false, err
			}
			if !pl.Published {
				return n, false, nil
			}
		}
		day := ev.OccurredAt.In(pc.loc).Format("2006-01-02")
		return notice{kind: KindResults, source: fmt.Sprintf("results:%d:%s", pc.p.ID, day),
			path:     fmt.Sprintf("/results/%d", pc.p.ID),
			audience: participation.Audience{Kind: participation.AudienceProcess, ProcessID: pc.p.ID},
			fields:   fixed(map[string]string{})}, true, nil

	case participation.EvContributionHidden:
		var pl struct {
			Kind   string               `json:"kind"`
			Status participation.Status `json:"status"`
		}
		if err := decode(ev, &pl); err != nil {
			return n, false, err
		}
		if pl.Status != participation.StatusHidden && pl.Status != participation.StatusPublished {
			return n, false, nil // the author withdrew it: nothing to tell them
		}
		title, err := d.ownTitle(ctx, ev.ParticipantID, pl.Kind, ev.EntityID)
		if err != nil {
			return n, false, err
		}
		a := participation.Audience{Kind: participation.AudienceProposalAuthor, ProposalID: ev.EntityID}
		if pl.Kind == "comment" {
			a = participation.Audience{Kind: participation.AudienceCommentAuthor, CommentID: ev.EntityID}
		}
		return notice{kind: KindModeration, source: source, path: "/me", audience: a,
			fields: fixed(map[string]string{"title": title, "status": string(pl.Status)})}, true, nil
	}
	return n, false, nil
}

func decode(ev participation.Event, into any) error {
	if len(ev.Payload) == 0 {
		return nil
	}
	if err := json.Unmarshal(ev.Payload, into); err != nil {
		return fmt.Errorf("%w: %v", errUnreadable, err)
	}
	return nil
}

func component(p participation.Process, id int64) (participation.Component, bool) {
	for _, c := range p.Components {
		if c.ID == id {
			return c, true
		}
	}
	return participation.Component{}, false
}

// excerptRunes bounds how much of their own comment a moderation message
// quotes to its author.
const excerptRunes = 60

// ownTitle names a moderated contribution to its author: a proposal's
// title, or the start of a comment. A hidden one reads as not found
// through GetProposal, so it is looked up among the author's own.
func (d *Dispatcher) ownTitle(ctx context.Context, author int64, kind string, id int64) (string, error) {
	subs, err := d.store.MySubmissions(ctx, author)
	if err != nil {
		return "", err
	}
	if kind == "comment" {
		for _, c := range subs.Comments {
			if c.ID == id {
				return excerpt(c.Body), nil
			}
		}
		return "", nil
	}
	for _, p := range subs.Proposals {
		if p.ID == id {
			return p.Title, nil
		}
	}
	return "", nil
}

func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= excerptRunes {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:excerptRunes])) + "…"
}
