package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// KindDigest is the daily digest: a day's messages of the kinds a
// participant asked to get daily, in one message the next morning.
const KindDigest Kind = "digest"

// digestGroups bounds the digests one pass of SendDigests reads at once.
const digestGroups = 200

type digestGroup struct {
	ParticipantID int64  `db:"participant_id"`
	ProcessID     int64  `db:"process_id"`
	LocalDate     string `db:"local_date"`
}

type digestItem struct {
	ID      int64  `db:"id"`
	Kind    string `db:"kind"`
	Lang    string `db:"lang"`
	Payload string `db:"payload"`
}

// SendDigests queues every digest that is due: for each participant and
// process, the items of one local day, in one message, at DigestHour the
// next morning in the process's time zone (the items carry that moment,
// in UTC, from when they were kept). The digest's key is (process, local
// date, participant): a pass that runs twice, or on two servers, queues
// it once. A participant who unsubscribed from digests, withdrew their
// consent or was erased by the morning gets nothing, and their items go.
// It returns how many digests it queued.
func (d *Dispatcher) SendDigests(ctx context.Context) (int, error) {
	queued := 0
	procs := map[int64]*procInfo{}
	for {
		var groups []digestGroup
		if err := d.svc.db.SelectContext(ctx, &groups, d.svc.q["digest-due-groups"], d.svc.now(), digestGroups); err != nil {
			return queued, fmt.Errorf("notify: unable to find the due digests: %w", err)
		}
		for _, g := range groups {
			n, err := d.sendDigest(ctx, g, procs)
			if err != nil {
				return queued, err
			}
			queued += n
		}
		if len(groups) < digestGroups {
			return queued, nil
		}
	}
}

func (d *Dispatcher) sendDigest(ctx context.Context, g digestGroup, procs map[int64]*procInfo) (int, error) {
	var items []digestItem
	if err := d.svc.db.SelectContext(ctx, &items, d.svc.q["digest-items-of"], g.ParticipantID, g.ProcessID, g.LocalDate); err != nil {
		return 0, fmt.Errorf("notify: unable to read a digest: %w", err)
	}
	if len(items) == 0 {
		return 0, nil
	}
	drop := func() error {
		_, err := d.svc.db.ExecContext(ctx, d.svc.q["digest-items-delete"], g.ParticipantID, g.ProcessID, g.LocalDate, items[len(items)-1].ID)
		if err != nil {
			return fmt.Errorf("notify: unable to clear a digest's items: %w", err)
		}
		return nil
	}
	pc, ok := procs[g.ProcessID]
	if !ok {
		var err error
		if pc, err = d.process(ctx, g.ProcessID); err != nil && !participation.IsNotFound(err) {
			return 0, err
		}
		procs[g.ProcessID] = pc
	}
	if pc == nil {
		return 0, drop()
	}
	f, err := d.svc.Preference(ctx, g.ParticipantID, KindDigest)
	if err != nil {
		return 0, err
	}
	r, err := d.store.ParticipantContact(ctx, g.ProcessID, g.ParticipantID)
	if participation.IsNotFound(err) || (err == nil && f == Never) {
		return 0, drop()
	}
	if err != nil {
		return 0, err
	}
	lang := pc.lang(r.Lang)
	lines := make([]string, 0, len(items))
	for _, it := range items {
		var p payload
		if err := json.Unmarshal([]byte(it.Payload), &p); err != nil {
			d.log.Warn("notify: a digest item cannot be read", "id", it.ID, "err", err)
			continue
		}
		p.Process = pc.name(lang)
		rd, err := d.svc.tmpl.Render(Kind(it.Kind), lang, p, "")
		if err != nil {
			d.log.Warn("notify: a digest item cannot be rendered", "id", it.ID, "err", err)
			continue
		}
		line := "• " + rd.Subject
		if p.Link != "" {
			line += "\n  " + p.Link
		}
		lines = append(lines, line)
	}
	m := Message{Source: "digest:" + strconv.FormatInt(g.ProcessID, 10) + ":" + g.LocalDate, Kind: KindDigest,
		ParticipantID: g.ParticipantID, Lang: lang, Process: pc.name(lang), Link: d.svc.opts.BaseURL + "/p/" + pc.p.Slug,
		Fields: map[string]string{"items": strings.Join(lines, "\n\n"), "count": strconv.Itoa(len(lines)), "date": g.LocalDate}}
	if r.Email != "" {
		m.Channel, m.To = Email, r.Email
	} else {
		m.Channel, m.To = SMS, r.Phone
	}
	if m.check() != nil || len(lines) == 0 {
		return 0, drop()
	}
	// Queued, then cleared: a crash between the two queues it again on the
	// next pass, which its key makes nothing.
	n, err := d.svc.Queue(ctx, []Message{m})
	if err != nil {
		return 0, err
	}
	return n, drop()
}
