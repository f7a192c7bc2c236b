package warehouse

// seqSet remembers which outbox sequences the warehouse holds. Sequences
// come from one counter and are dense, so a bitmap costs one bit per event
// (1M events: 125 kB); the rare far-off value goes to a map.
type seqSet struct {
	bits  []uint64
	other map[int64]struct{}
}

const seqBitmapLimit = 1 << 32

func newSeqSet() *seqSet { return &seqSet{other: map[int64]struct{}{}} }

func (s *seqSet) add(seq int64) {
	if seq < 0 || seq >= seqBitmapLimit {
		s.other[seq] = struct{}{}
		return
	}
	i := int(seq >> 6)
	if i >= len(s.bits) {
		n := max(i+1, 2*len(s.bits))
		nb := make([]uint64, n)
		copy(nb, s.bits)
		s.bits = nb
	}
	s.bits[i] |= 1 << (uint(seq) & 63)
}

func (s *seqSet) has(seq int64) bool {
	if seq < 0 || seq >= seqBitmapLimit {
		_, ok := s.other[seq]
		return ok
	}
	i := int(seq >> 6)
	return i < len(s.bits) && s.bits[i]&(1<<(uint(seq)&63)) != 0
}
