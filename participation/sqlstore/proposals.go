package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

type proposalCreated struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	BudgetMinor int64    `json:"budget_minor"`
	Tags        []string `json:"tags"`
	RegionCode  string   `json:"region_code"`
	Lat         *float64 `json:"lat"`
	Lng         *float64 `json:"lng"`
}

// CreateProposal stores a proposal with its tags and (already processed)
// images.
func (s *Store) CreateProposal(ctx context.Context, p participation.Proposal) (int64, error) {
	p.Title, p.Description = strings.TrimSpace(p.Title), strings.TrimSpace(p.Description)
	p.Tags = cleanTags(p.Tags)
	tags := p.Tags
	for _, im := range p.Images {
		if len(im.Data) > participation.ImageMaxBytes {
			return 0, participation.Errorf(participation.CodeTooLarge, "images", "err.too_large", "a picture may be at most %d MB", participation.ImageMaxBytes>>20)
		}
	}
	var id int64
	err := s.write(ctx, func(w *Store) error {
		t, err := w.open(ctx, p.ComponentID, participation.KindProposals, p.ParticipantID)
		if err != nil {
			return err
		}
		regions, err := w.knownRegion(ctx, t.ProcessID, p.RegionCode)
		if err != nil {
			return err
		}
		v := participation.ValidateProposal(p, regions)
		c, err := w.GetComponent(ctx, p.ComponentID)
		if err != nil {
			return err
		}
		v = append(v, participation.CheckProposalSettings(c.Proposals, p)...)
		if len(v) == 0 && p.Lat != nil && p.Lng != nil {
			shapes, err := w.processShapes(ctx, t.ProcessID)
			if err != nil {
				return err
			}
			v = participation.CheckPointInRegions(shapes, p.Lat, p.Lng)
		}
		if len(v) > 0 {
			return v
		}
		if id, err = w.insertID(ctx, "insert-proposal", t.ProcessID, p.ComponentID, p.ParticipantID, p.Title,
			p.Description, p.BudgetMinor, p.RegionCode, p.Lat, p.Lng, w.now(ctx)); err != nil {
			return fmt.Errorf("store: unable to create proposal: %w", err)
		}
		for i, tag := range tags {
			if _, err := w.exec(ctx, "insert-proposal-tag", id, i, tag); err != nil {
				return fmt.Errorf("store: unable to tag proposal: %w", err)
			}
		}
		for i, im := range p.Images {
			if _, err := w.exec(ctx, "insert-proposal-image", id, i+1, im.ContentType, im.Width, im.Height, im.Data, im.Thumb); err != nil {
				return fmt.Errorf("store: unable to store proposal image: %w", err)
			}
		}
		if err := w.emit(ctx, event{typ: participation.EvProposalCreated, processID: t.ProcessID, componentID: p.ComponentID,
			entityID: id, participantID: p.ParticipantID, region: t.region(),
			payload: proposalCreated{p.Title, p.Description, p.BudgetMinor, tags, p.RegionCode, p.Lat, p.Lng}}); err != nil {
			return err
		}
		return w.holdIfPremoderated(ctx, participation.ContributionRef{Kind: participation.ContribProposal, ID: id},
			contribution{ProcessID: t.ProcessID, ComponentID: p.ComponentID, ParticipantID: p.ParticipantID, Status: participation.StatusPublished})
	})
	return id, err
}

// cleanTags trims tags and drops repeats, keeping the first spelling.
func cleanTags(tags []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	return out
}

// GetProposal returns a published proposal with its tags and image
// metadata (not the picture bytes: see GetImage).
func (s *Store) GetProposal(ctx context.Context, id int64) (participation.Proposal, error) {
	var p participation.Proposal
	if err := s.get(ctx, &p, "get-proposal", id); err != nil {
		if noRows(err) {
			return p, notFound("id", "proposal")
		}
		return p, fmt.Errorf("store: unable to get proposal: %w", err)
	}
	if p.Status != participation.StatusPublished {
		return participation.Proposal{}, notFound("id", "proposal")
	}
	ps := []participation.Proposal{p}
	if err := s.fillTags(ctx, ps); err != nil {
		return p, err
	}
	p = ps[0]
	if err := s.sel(ctx, &p.Images, "list-proposal-images", id); err != nil {
		return p, fmt.Errorf("store: unable to list proposal images: %w", err)
	}
	return p, nil
}

func (s *Store) fillTags(ctx context.Context, ps []participation.Proposal) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]int64, len(ps))
	at := map[int64]int{}
	for i := range ps {
		ids[i] = ps[i].ID
		at[ps[i].ID] = i
		ps[i].Tags = []string{}
		ps[i].CreatedAt = ps[i].CreatedAt.UTC()
	}
	q, args, err := s.in("list-tags", ids)
	if err != nil {
		return fmt.Errorf("store: unable to list tags: %w", err)
	}
	var tags []struct {
		ProposalID int64  `db:"proposal_id"`
		Tag        string `db:"tag"`
	}
	if err := s.q.SelectContext(ctx, &tags, q, args...); err != nil {
		return fmt.Errorf("store: unable to list tags: %w", err)
	}
	for _, t := range tags {
		i := at[t.ProposalID]
		ps[i].Tags = append(ps[i].Tags, t.Tag)
	}
	return nil
}

// ListProposals returns a page of published proposals and how many match.
func (s *Store) ListProposals(ctx context.Context, f participation.ProposalFilter) ([]participation.Proposal, int, error) {
	if f.Limit <= 0 {
		f.Limit = 20
	}
	f.Limit = min(f.Limit, 100)
	f.Offset = max(f.Offset, 0)
	like := ""
	if q := strings.TrimSpace(f.Query); q != "" {
		like = "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
	}
	filter := []any{f.ComponentID, f.ComponentID, f.Tag, f.Tag, f.RegionCode, f.RegionCode, like, like, like}
	var total int
	if err := s.get(ctx, &total, "count-proposals", filter...); err != nil {
		return nil, 0, fmt.Errorf("store: unable to count proposals: %w", err)
	}
	stmt := "list-proposals-recent"
	switch f.Order {
	case "supports":
		stmt = "list-proposals-supports"
	case "comments":
		stmt = "list-proposals-comments"
	}
	ps := []participation.Proposal{}
	if err := s.sel(ctx, &ps, stmt, append(filter, f.Limit, f.Offset)...); err != nil {
		return nil, 0, fmt.Errorf("store: unable to list proposals: %w", err)
	}
	if err := s.fillTags(ctx, ps); err != nil {
		return nil, 0, err
	}
	return ps, total, nil
}

// GetImage returns one picture of a published proposal, bytes included.
func (s *Store) GetImage(ctx context.Context, proposalID int64, position int) (participation.Image, error) {
	var im participation.Image
	if err := s.get(ctx, &im, "get-proposal-image", proposalID, position); err != nil {
		if noRows(err) {
			return im, notFound("position", "image")
		}
		return im, fmt.Errorf("store: unable to get image: %w", err)
	}
	return im, nil
}

// Support adds or revokes a participant's support of a proposal.
func (s *Store) Support(ctx context.Context, proposalID, participantID int64, on bool) error {
	if on && s.oneStatement() {
		var n int
		if err := s.get(ctx, &n, "support-one", proposalID, participantID, s.now(ctx), string(participation.EvSupportAdded)); err != nil {
			return fmt.Errorf("store: unable to support proposal: %w", err)
		}
		if n > 0 {
			s.emitted()
			return nil
		}
	}
	// A support must count the participant's earlier ones under a lock
	// held to its commit, so it takes a transaction; a revocation is one
	// fused statement.
	write := s.writeOne
	if on {
		write = s.write
	}
	return write(ctx, func(w *Store) error {
		var t target
		if err := w.rules(ctx, &t, "proposal-write-rules", participantID, proposalID); err != nil {
			if noRows(err) {
				return notFound("proposal_id", "proposal")
			}
			return fmt.Errorf("store: unable to find proposal: %w", err)
		}
		if err := t.check(participation.KindProposals); err != nil {
			return err
		}
		if on {
			var lim struct {
				Limit int `db:"support_limit"`
				Used  int `db:"used"`
			}
			var locked int64
			if err := w.get(ctx, &locked, "lock-participant-supports", participantID); err != nil {
				if noRows(err) {
					return notFound("participant_id", "participant")
				}
				return fmt.Errorf("store: unable to lock the participant's supports: %w", err)
			}
			if err := w.get(ctx, &lim, "component-support-limit", participantID, t.ComponentID); err != nil {
				return fmt.Errorf("store: unable to read the support limit: %w", err)
			}
			if lim.Limit > 0 && lim.Used >= lim.Limit {
				return participation.Errorf(participation.CodeConflict, "", "err.support_limit", "you may support at most %d proposals here", lim.Limit)
			}
		}
		typ, delta := participation.EvSupportAdded, 1
		if !on {
			typ, delta = participation.EvSupportRemoved, -1
		}
		ev := event{typ: typ, processID: t.ProcessID, componentID: t.ComponentID, entityID: proposalID,
			participantID: participantID, region: t.region()}
		refused := func() error {
			if on {
				return participation.Errorf(participation.CodeDuplicate, "", "err.already_supported", "you already support this proposal")
			}
			return participation.Errorf(participation.CodeNotFound, "", "err.not_supported", "you do not support this proposal")
		}
		if w.fused() {
			evArgs, err := w.fusedEventArgs(ctx, ev)
			if err != nil {
				return err
			}
			stmt, args := "support-fused", []any{proposalID, participantID, w.now(ctx)}
			if !on {
				stmt, args = "unsupport-fused", args[:2]
			}
			var n int
			if err := w.get(ctx, &n, stmt, append(args, evArgs...)...); err != nil {
				return fmt.Errorf("store: unable to change support: %w", err)
			}
			if n == 0 {
				return refused()
			}
			w.emitted()
			return nil
		}
		var n int64
		var err error
		if on {
			if n, err = w.exec(ctx, "insert-support", proposalID, participantID, w.now(ctx)); err != nil {
				return fmt.Errorf("store: unable to support proposal: %w", err)
			}
		} else if n, err = w.exec(ctx, "delete-support", proposalID, participantID); err != nil {
			return fmt.Errorf("store: unable to revoke support: %w", err)
		}
		if n == 0 {
			return refused()
		}
		if _, err := w.exec(ctx, "add-support-count", delta, proposalID); err != nil {
			return fmt.Errorf("store: unable to count support: %w", err)
		}
		return w.emit(ctx, ev)
	})
}

// HasSupported reports whether the participant supports the proposal.
func (s *Store) HasSupported(ctx context.Context, proposalID, participantID int64) (bool, error) {
	var n int
	if err := s.get(ctx, &n, "has-supported", proposalID, participantID); err != nil {
		return false, fmt.Errorf("store: unable to read support: %w", err)
	}
	return n > 0, nil
}

// Follow subscribes (on) or unsubscribes a participant to a proposal's
// updates. It is idempotent and no contribution: no phase rule, no event.
func (s *Store) Follow(ctx context.Context, proposalID, participantID int64, on bool) error {
	return s.write(ctx, func(w *Store) error {
		var componentID int64
		if err := w.get(ctx, &componentID, "published-proposal-component", proposalID); err != nil {
			if noRows(err) {
				return notFound("proposal_id", "proposal")
			}
			return fmt.Errorf("store: unable to find proposal: %w", err)
		}
		if _, err := w.participantRegion(ctx, participantID, 0); err != nil {
			return err
		}
		stmt, args := "delete-follow", []any{proposalID, participantID}
		if on {
			stmt, args = "insert-follow", append(args, w.now(ctx))
		}
		if _, err := w.exec(ctx, stmt, args...); err != nil {
			return fmt.Errorf("store: unable to follow proposal: %w", err)
		}
		return nil
	})
}

// IsFollowing reports whether the participant follows the proposal.
func (s *Store) IsFollowing(ctx context.Context, proposalID, participantID int64) (bool, error) {
	var n int
	if err := s.get(ctx, &n, "is-following", proposalID, participantID); err != nil {
		return false, fmt.Errorf("store: unable to read follow: %w", err)
	}
	return n > 0, nil
}

// SetProposalStatus moderates a proposal: hidden and withdrawn ones leave
// the lists and read as not found; the row and its counts stay.
func (s *Store) SetProposalStatus(ctx context.Context, proposalID int64, st participation.Status) error {
	switch st {
	case participation.StatusPublished, participation.StatusHidden, participation.StatusWithdrawn:
	default:
		return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "status", "err.bad_choice", "must be published, hidden or withdrawn")}
	}
	return s.write(ctx, func(w *Store) error {
		var p participation.Proposal
		if err := w.get(ctx, &p, "get-proposal", proposalID); err != nil {
			if noRows(err) {
				return notFound("id", "proposal")
			}
			return fmt.Errorf("store: unable to find proposal: %w", err)
		}
		if p.Status == st {
			return nil
		}
		if _, err := w.exec(ctx, "set-proposal-status", string(st), proposalID); err != nil {
			return fmt.Errorf("store: unable to set proposal status: %w", err)
		}
		region, err := w.participantRegion(ctx, p.ParticipantID, p.ProcessID)
		if err != nil {
			return err
		}
		return w.emit(ctx, event{typ: participation.EvContributionHidden, processID: p.ProcessID, componentID: p.ComponentID,
			entityID: proposalID, participantID: p.ParticipantID, region: region, payload: contributionHidden{"proposal", st}})
	})
}
