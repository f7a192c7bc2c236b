package demo

import (
	"math"
	"time"
)

// nairobi is East Africa Time. It has had no daylight saving since 1960, so a
// fixed offset is exact and the generator needs no time-zone database.
var nairobi = time.FixedZone("EAT", 3*3600)

// hourly is the share of a weekday's visits in each local hour: a night
// trough, a morning rise, a lunch bump and an evening peak after work, as
// mobile traffic in Kenya looks.
var hourly = [24]float64{
	0.25, 0.12, 0.07, 0.05, 0.07, 0.2, 0.5, 0.8, 0.95, 1.0, 0.95, 0.9,
	1.05, 1.1, 0.9, 0.85, 0.9, 1.0, 1.2, 1.6, 1.85, 1.7, 1.1, 0.55,
}

// campaign is a communication push that brings people in over some hours.
type campaign struct {
	Name     string // utm_campaign
	Source   string // utm_source
	Medium   string // utm_medium
	Visitors float64
	Joiners  float64 // boost of participants; lower than Visitors, so conversion differs by channel
	Peaks    []peak
}

// peak is one broadcast: at Day (from the first local midnight) and Hour
// (local), its effect decays with half-life HalfLife.
type peak struct {
	Day      int
	Hour     float64
	Strength float64
	HalfLife time.Duration
}

// Week 2: a morning show and the evening news on national radio for four
// days. Week 3: one bulk SMS and a reminder two days later.
var campaigns = []campaign{
	{Name: "radio-week2", Source: "radio", Medium: "offline", Visitors: 6, Joiners: 4, Peaks: []peak{
		{8, 7, 1, 90 * time.Minute}, {8, 19.5, 1, 60 * time.Minute},
		{9, 7, 1, 90 * time.Minute}, {9, 19.5, 1, 60 * time.Minute},
		{10, 7, 1, 90 * time.Minute}, {10, 19.5, 1, 60 * time.Minute},
		{11, 7, 1, 90 * time.Minute}, {11, 19.5, 1, 60 * time.Minute},
	}},
	{Name: "sms-week3", Source: "sms", Medium: "sms", Visitors: 40, Joiners: 18, Peaks: []peak{
		{16, 10, 1, 2 * time.Hour}, {18, 17, 0.4, 2 * time.Hour},
	}},
}

// formLetterWindow: the campaign against section 5 spreads on messaging
// apps from day 19 at 18:00 and fades over three days.
var formLetterPeak = peak{Day: 19, Hour: 18, Strength: 1, HalfLife: 10 * time.Hour}

// intensity returns how strongly the peak pulls people at t (0 before it).
func (p peak) intensity(day0, t time.Time) float64 {
	at := day0.AddDate(0, 0, p.Day).Add(time.Duration(p.Hour * float64(time.Hour)))
	if t.Before(at) {
		return 0
	}
	return p.Strength * math.Exp2(-float64(t.Sub(at))/float64(p.HalfLife))
}

func (c campaign) intensity(day0, t time.Time) float64 {
	var s float64
	for _, p := range c.Peaks {
		s += p.intensity(day0, t)
	}
	return s
}

// base is the organic rhythm at t: hour of day, day of week, and the launch
// (press coverage in the first days, then a slow fade).
func base(day0, t time.Time) float64 {
	l := t.In(nairobi)
	w := hourly[l.Hour()]
	switch l.Weekday() {
	case time.Saturday:
		w *= 0.7
		if l.Hour() >= 6 && l.Hour() < 10 {
			w *= 0.6 // people sleep in
		}
	case time.Sunday:
		w *= 0.8
		if l.Hour() >= 6 && l.Hour() < 11 {
			w *= 0.5
		}
	}
	days := t.Sub(day0).Hours() / 24
	return w * (0.85 + 1.2*math.Exp(-days/2.5))
}

// spread distributes total over the hours weighted by w, rounding so the
// counts add up to total exactly.
func spread(total int, w []float64) []int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	out := make([]int, len(w))
	if sum == 0 || total == 0 {
		return out
	}
	var cum float64
	prev := 0
	for i, x := range w {
		cum += x
		next := int(math.Round(float64(total) * cum / sum))
		out[i] = next - prev
		prev = next
	}
	return out
}
