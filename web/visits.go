package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// visitorHasher turns (address, user agent) into a visitor id that is
// stable for one UTC day and unlinkable across days: the salt is random,
// lives only in memory and is replaced at midnight, so not even the
// operator can recompute yesterday's ids. Replicas have different salts;
// a visitor bouncing between them counts twice, which is the price of
// keeping the salt off disk.
type visitorHasher struct {
	now  func() time.Time
	mu   sync.Mutex
	day  string
	salt [32]byte
}

func newVisitorHasher(now func() time.Time) *visitorHasher { return &visitorHasher{now: now} }

func (v *visitorHasher) hash(ip, ua string) string {
	day := v.now().UTC().Format("2006-01-02")
	v.mu.Lock()
	if day != v.day {
		rand.Read(v.salt[:])
		v.day = day
	}
	salt := v.salt
	v.mu.Unlock()
	h := sha256.New()
	h.Write(salt[:])
	h.Write([]byte(ip))
	h.Write([]byte{0})
	h.Write([]byte(ua))
	h.Write([]byte("\x00civicpulse"))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// deviceClass sorts a user agent into mobile, tablet, desktop or bot.
func deviceClass(ua string) string {
	l := strings.ToLower(ua)
	switch {
	case l == "" || strings.Contains(l, "bot") || strings.Contains(l, "crawl") || strings.Contains(l, "spider") ||
		strings.Contains(l, "headless") || strings.Contains(l, "curl/") || strings.Contains(l, "wget/") ||
		strings.Contains(l, "python-") || strings.Contains(l, "go-http-client") || strings.Contains(l, "lighthouse"):
		return "bot"
	case strings.Contains(l, "ipad") || strings.Contains(l, "tablet") || (strings.Contains(l, "android") && !strings.Contains(l, "mobile")):
		return "tablet"
	case strings.Contains(l, "mobi") || strings.Contains(l, "iphone") || strings.Contains(l, "android") || strings.Contains(l, "opera mini") || strings.Contains(l, "kaios"):
		return "mobile"
	}
	return "desktop"
}

// referrerHost keeps only the host of an outside referrer: the full URL can
// carry search words or tokens, and internal navigation is not a source.
func referrerHost(ref, ownHost string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" || strings.EqualFold(u.Host, ownHost) {
		return ""
	}
	return strings.ToLower(strings.TrimPrefix(u.Hostname(), "www."))
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// recordVisit appends a page-view event. A failure is logged, never shown:
// the citizen came to read, not to be counted.
func (s *Server) recordVisit(r *http.Request, processID, componentID int64) {
	if r.Method != http.MethodGet || r.Header.Get("HX-Request") != "" {
		return // htmx fragments are part of a page already counted
	}
	ua := r.UserAgent()
	device := deviceClass(ua)
	if device == "bot" {
		return
	}
	q := r.URL.Query()
	v := participation.Visit{
		ProcessID:   processID,
		ComponentID: componentID,
		VisitorHash: s.visitors.hash(s.clientIP(r), ua),
		Path:        clip(r.URL.Path, 200),
		Referrer:    clip(referrerHost(r.Referer(), r.Host), 100),
		UTMSource:   clip(q.Get("utm_source"), 100),
		UTMMedium:   clip(q.Get("utm_medium"), 100),
		UTMCampaign: clip(q.Get("utm_campaign"), 100),
		Device:      device,
		OccurredAt:  s.now().UTC(),
	}
	if err := s.store.RecordVisit(r.Context(), v); err != nil {
		s.log.Warn("web: unable to record visit", "request_id", state(r).id, "err", err)
	}
}
