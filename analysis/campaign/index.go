package campaign

import "sort"

// coreIndex finds the cores whose consensus signature equals a signature on
// a whole band: one open-addressing table keyed by band keys (which differ
// between bands), since every item of the input is looked up once per band.
type coreIndex struct {
	rows  int
	slots []indexSlot
	cores []int32 // a slot's cores are cores[start : start+n]
	shift uint
	// maybe has a bit set for every key's low bits: most texts match no
	// core, and this small filter stays in cache where the table does not.
	maybe []uint64
}

type indexSlot struct {
	key      uint64
	start, n int32 // n = 0: a free slot
}

func newCoreIndex(cons [][]uint32, rows int) *coreIndex {
	type entry struct {
		key  uint64
		core int32
	}
	bands := len(cons[0]) / rows
	entries := make([]entry, 0, bands*len(cons))
	for c, sig := range cons {
		for b := 0; b < bands; b++ {
			entries = append(entries, entry{bandKey(sig[b*rows:(b+1)*rows], b), int32(c)})
		}
	}
	sort.Slice(entries, func(a, b int) bool {
		if entries[a].key != entries[b].key {
			return entries[a].key < entries[b].key
		}
		return entries[a].core < entries[b].core
	})
	bits := 4
	for 1<<bits < 2*len(entries) {
		bits++
	}
	x := &coreIndex{rows: rows, slots: make([]indexSlot, 1<<bits), cores: make([]int32, len(entries)), shift: uint(64 - bits),
		maybe: make([]uint64, 1<<(bits+3-6))} // 8 bits per slot: 16 or more per key
	for k, e := range entries {
		x.maybe[x.bit(e.key)/64] |= 1 << (x.bit(e.key) % 64)
		x.cores[k] = e.core
		s := x.slot(e.key)
		if x.slots[s].n == 0 {
			x.slots[s] = indexSlot{key: e.key, start: int32(k)}
		}
		x.slots[s].n++
	}
	return x
}

// slot is where key is or would go.
func (x *coreIndex) slot(key uint64) uint64 {
	mask := uint64(len(x.slots) - 1)
	s := (key * 0x9e3779b97f4a7c15) >> x.shift
	for x.slots[s].n != 0 && x.slots[s].key != key {
		s = (s + 1) & mask
	}
	return s
}

// bit is key's place in maybe.
func (x *coreIndex) bit(key uint64) uint64 { return key & (uint64(len(x.maybe))*64 - 1) }

// candidates calls f for each core sharing a band with sig, once per band
// shared.
func (x *coreIndex) candidates(sig []uint32, f func(c int32)) {
	for b := 0; b < len(sig)/x.rows; b++ {
		key := bandKey(sig[b*x.rows:(b+1)*x.rows], b)
		if x.maybe[x.bit(key)/64]&(1<<(x.bit(key)%64)) == 0 {
			continue
		}
		sl := x.slots[x.slot(key)]
		for _, c := range x.cores[sl.start : sl.start+sl.n] {
			f(c)
		}
	}
}

// stamps mark which cores one item has met, without clearing a set per
// item.
type stamps struct {
	seen []uint32
	gen  uint32
}

func newStamps(n int) *stamps { return &stamps{seen: make([]uint32, n)} }

// next starts a new item.
func (s *stamps) next() { s.gen++ }

// first reports whether c is met for the first time in this item.
func (s *stamps) first(c int32) bool {
	if s.seen[c] == s.gen {
		return false
	}
	s.seen[c] = s.gen
	return true
}
