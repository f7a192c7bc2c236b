package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket per key (client address or participant).
// Buckets idle for longer than it takes to refill are forgotten, so the map
// stays as small as the set of recently active clients.
type limiter struct {
	perMinute int
	burst     int
	now       func() time.Time
	mu        sync.Mutex
	buckets   map[string]*bucket
	sweepAt   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	if perMinute <= 0 {
		return &limiter{}
	}
	return &limiter{
		perMinute: perMinute,
		// A citizen may post a few things in quick succession (a comment,
		// two votes) without waiting for the bucket to refill.
		burst:   max(5, perMinute/4),
		now:     now,
		buckets: map[string]*bucket{},
	}
}

// take spends one token for key and returns how long to wait when none is
// left (0: go ahead).
func (l *limiter) take(key string) time.Duration {
	if l.perMinute <= 0 {
		return 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.After(l.sweepAt) {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 2*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.sweepAt = now.Add(time.Minute)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	res := b.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}
