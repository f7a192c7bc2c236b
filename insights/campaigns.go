package insights

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/analysis/campaign"
	"github.com/civicpulse/civicpulse/warehouse"
)

// memo is what the campaign and opinion jobs remember between passes.
// Passes hold r.mu, so the maps need no lock of their own.
type memo struct {
	// textMark is the newest text or moderation seq each process's
	// campaigns were detected at.
	textMark map[int64]int64
	// campaignsAfter is when a big process's campaigns may be detected again.
	campaignsAfter map[int64]time.Time
	convs          map[convKey]*conv
}

func newMemo() *memo {
	return &memo{textMark: map[int64]int64{}, campaignsAfter: map[int64]time.Time{}, convs: map[convKey]*conv{}}
}

func (r *Runner) memo() *memo { return r.jobs }

// textKey names a text as the warehouse does.
type textKey struct {
	kind    string
	id, qid int64
}

func (k textKey) String() string {
	return k.kind + ":" + strconv.FormatInt(k.id, 10) + ":" + strconv.FormatInt(k.qid, 10)
}

func parseTextKey(s string) (textKey, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return textKey{}, fmt.Errorf("insights: bad text id %q", s)
	}
	id, err1 := strconv.ParseInt(parts[1], 10, 64)
	qid, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return textKey{}, fmt.Errorf("insights: bad text id %q", s)
	}
	return textKey{parts[0], id, qid}, nil
}

// campaigns detects the form letters of a process again when its texts
// changed since the last detection, and replaces its campaign rows. A rerun
// over every text is simpler than an incremental one and cheap enough: a
// few seconds for 100,000 texts.
func (r *Runner) campaigns(ctx context.Context, process int64) error {
	m := r.memo()
	var mark int64
	if err := r.db.QueryRowContext(ctx, r.q.Get("campaign-texts-mark"), process).Scan(&mark); err != nil {
		return fmt.Errorf("insights: unable to read the texts' mark: %w", err)
	}
	if last, ok := m.textMark[process]; ok && last == mark {
		return nil
	}
	// Detection reads the whole process; on a big one, wait long enough
	// that it takes at most a tenth of the time (the run loop comes back
	// within a minute, so the texts are never left unchecked for long).
	if r.opt.Now().Before(m.campaignsAfter[process]) {
		return nil
	}
	began := time.Now()
	items, err := r.campaignItems(ctx, process)
	if err != nil {
		return err
	}
	found := campaign.Detect(items, campaign.Options{})
	if took := time.Since(began); took > time.Second {
		m.campaignsAfter[process] = r.opt.Now().Add(9 * took)
	}
	ids, err := r.campaignIDs(ctx, process, found)
	if err != nil {
		return err
	}
	if err := r.writeCampaigns(ctx, process, found, ids); err != nil {
		return err
	}
	m.textMark[process] = mark
	return nil
}

func (r *Runner) campaignItems(ctx context.Context, process int64) ([]campaign.Item, error) {
	rows, err := r.db.QueryContext(ctx, r.q.Get("campaign-texts"), process)
	if err != nil {
		return nil, fmt.Errorf("insights: unable to read the texts of process %d: %w", process, err)
	}
	defer rows.Close()
	var items []campaign.Item
	for rows.Next() {
		var k textKey
		var it campaign.Item
		if err := rows.Scan(&k.kind, &k.id, &k.qid, &it.Text, &it.Region, &it.Time); err != nil {
			return nil, fmt.Errorf("insights: unable to read a text: %w", err)
		}
		// text_items joins body and proposed text with a newline that its
		// trim() keeps (DuckDB trims spaces only); the template is shown.
		it.ID, it.Text = k.String(), strings.TrimSpace(it.Text)
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insights: unable to read the texts of process %d: %w", process, err)
	}
	return items, nil
}

// campaignIDs gives each campaign found the id of the current campaign it
// shares most members with, greedily from the largest overlap, so that a
// campaign keeps its id (and the officials' view of it) as copies arrive;
// the others take new ids above every id in use.
func (r *Runner) campaignIDs(ctx context.Context, process int64, found []campaign.Campaign) ([]int64, error) {
	old := map[string]int64{}
	rows, err := r.db.QueryContext(ctx, r.q.Get("campaign-old-members"), process)
	if err != nil {
		return nil, fmt.Errorf("insights: unable to read the current campaigns: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k textKey
		if err := rows.Scan(&id, &k.kind, &k.id, &k.qid); err != nil {
			return nil, fmt.Errorf("insights: unable to read a campaign member: %w", err)
		}
		old[k.String()] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insights: unable to read the current campaigns: %w", err)
	}
	var next int64
	if err := r.db.QueryRowContext(ctx, r.q.Get("campaign-max-id"), process).Scan(&next); err != nil {
		return nil, fmt.Errorf("insights: unable to read the campaign ids: %w", err)
	}
	return matchIDs(found, old, next), nil
}

// matchIDs assigns ids; maxID is the largest id in use.
func matchIDs(found []campaign.Campaign, old map[string]int64, maxID int64) []int64 {
	type pair struct {
		c       int
		id      int64
		overlap int
	}
	var pairs []pair
	for c, f := range found {
		overlap := map[int64]int{}
		for _, m := range f.Members {
			if id, ok := old[m]; ok {
				overlap[id]++
			}
		}
		for id, n := range overlap {
			pairs = append(pairs, pair{c, id, n})
		}
	}
	sort.Slice(pairs, func(a, b int) bool {
		if pairs[a].overlap != pairs[b].overlap {
			return pairs[a].overlap > pairs[b].overlap
		}
		if pairs[a].c != pairs[b].c {
			return pairs[a].c < pairs[b].c
		}
		return pairs[a].id < pairs[b].id
	})
	ids := make([]int64, len(found))
	taken := map[int64]bool{}
	for _, p := range pairs {
		if ids[p.c] == 0 && !taken[p.id] {
			ids[p.c], taken[p.id] = p.id, true
		}
	}
	for c := range ids {
		if ids[c] == 0 {
			maxID++
			ids[c] = maxID
		}
	}
	return ids
}

type regionJSON struct {
	Region string `json:"region"`
	Copies int    `json:"copies"`
}

func (r *Runner) writeCampaigns(ctx context.Context, process int64, found []campaign.Campaign, ids []int64) error {
	now := r.opt.Now().UTC()
	var camps, members [][]driver.Value
	for c, f := range found {
		tk, err := parseTextKey(f.TemplateID)
		if err != nil {
			return err
		}
		regions := make([]regionJSON, len(f.Regions))
		for i, rc := range f.Regions {
			regions[i] = regionJSON{rc.Region, rc.Copies}
		}
		js, err := json.Marshal(regions)
		if err != nil {
			return fmt.Errorf("insights: unable to encode regions: %w", err)
		}
		camps = append(camps, []driver.Value{process, ids[c], f.Template, tk.kind, tk.id, tk.qid,
			int64(f.Copies), int64(f.Exact), f.FirstSeen, f.LastSeen, int64(f.PeakPerHour), string(js), now})
		for _, id := range f.Members {
			k, err := parseTextKey(id)
			if err != nil {
				return err
			}
			members = append(members, []driver.Value{process, ids[c], k.kind, k.id, k.qid, id == f.TemplateID})
		}
	}
	return r.wh.InTx(ctx, func(tx *warehouse.Tx) error {
		for _, q := range []string{"campaign-delete", "campaign-delete-members"} {
			if err := tx.Exec(r.q.Get(q), process); err != nil {
				return fmt.Errorf("insights: unable to clear the campaigns of process %d: %w", process, err)
			}
		}
		if err := tx.Append("campaigns", camps); err != nil {
			return err
		}
		return tx.Append("campaign_members", members)
	})
}
