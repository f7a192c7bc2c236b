package dashboards

import "time"

// Buckets are the consecutive local hours or days from From up to To, in a
// process's time zone: the x axis of every chart over time. A bucket with
// nothing in it is a zero, never a gap.
type Buckets struct {
	Grain  string // hour or day
	Loc    *time.Location
	Starts []time.Time // local starts, in order
	L      Localizer   // the labels' language; nil: English
	index  map[int64]int
}

// NewBuckets lays out the buckets covering [from, to).
func NewBuckets(grain string, loc *time.Location, from, to time.Time) *Buckets {
	b := &Buckets{Grain: grain, Loc: loc, index: map[int64]int{}}
	for t := b.Trunc(from); t.Before(to); t = b.next(t) {
		b.index[t.Unix()] = len(b.Starts)
		b.Starts = append(b.Starts, t)
		if len(b.Starts) > 24*800 { // a runaway range is cut, not looped over forever
			break
		}
	}
	return b
}

// Trunc returns the start of the local bucket holding t.
func (b *Buckets) Trunc(t time.Time) time.Time {
	t = t.In(b.Loc)
	if b.Grain == "hour" {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, b.Loc)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, b.Loc)
}

func (b *Buckets) next(t time.Time) time.Time {
	if b.Grain == "hour" {
		return t.Add(time.Hour)
	}
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, b.Loc)
}

// Index is the bucket holding t, or -1 outside the range.
func (b *Buckets) Index(t time.Time) int {
	i, ok := b.index[b.Trunc(t).Unix()]
	if !ok {
		return -1
	}
	return i
}

// Len is the number of buckets.
func (b *Buckets) Len() int { return len(b.Starts) }

// Labels are the axis labels.
func (b *Buckets) Labels() []string {
	l := b.L
	if l == nil {
		l = Messages("en")
	}
	out := make([]string, len(b.Starts))
	for i, t := range b.Starts {
		if b.Grain == "hour" {
			out[i] = whenIn(l, t)
		} else {
			out[i] = dayIn(l, t)
		}
	}
	return out
}

// Fill adds each (time, n) into its bucket and returns one value per
// bucket, zeros where nothing fell.
func (b *Buckets) Fill(points []Point) []int64 {
	out := make([]int64, b.Len())
	for _, p := range points {
		if i := b.Index(p.At); i >= 0 {
			out[i] += p.N
		}
	}
	return out
}

// Point is a count at a moment.
type Point struct {
	At time.Time
	N  int64
}

// pickGrain chooses hours for ranges up to three days.
func pickGrain(asked string, from, to time.Time) string {
	if asked != "" {
		return asked
	}
	if to.Sub(from) <= 72*time.Hour {
		return "hour"
	}
	return "day"
}
