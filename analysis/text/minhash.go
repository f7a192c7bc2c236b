package text

import (
	"math"
	"math/bits"
)

// Shingles hashes every run of n consecutive tokens (word n-shingles). A text
// shorter than n tokens gives one shingle of all its tokens, so short texts
// still get a signature; no tokens give none.
func Shingles(tokens []string, n int) []uint64 {
	return appendShingles(nil, tokens, n)
}

func appendShingles(dst []uint64, tokens []string, n int) []uint64 {
	hashes := make([]uint64, len(tokens))
	for i, t := range tokens {
		hashes[i] = hashToken(t)
	}
	return appendShinglesOfHashes(dst, hashes, n)
}

// hashToken is HashTokens([]string{t}) without building the slice.
func hashToken(t string) uint64 {
	h := uint64(fnvOffset64)
	for j := 0; j < len(t); j++ {
		h ^= uint64(t[j])
		h *= fnvPrime64
	}
	return h
}

// appendShinglesOfHashes combines per-token hashes, so each token's bytes
// are hashed once however many shingles it belongs to.
func appendShinglesOfHashes(dst []uint64, tokenHashes []uint64, n int) []uint64 {
	if n < 1 {
		n = 1
	}
	if len(tokenHashes) == 0 {
		return dst
	}
	if len(tokenHashes) < n {
		return append(dst, combineHashes(tokenHashes))
	}
	for i := 0; i+n <= len(tokenHashes); i++ {
		dst = append(dst, combineHashes(tokenHashes[i:i+n]))
	}
	return dst
}

// combineHashes is an order-sensitive combination of token hashes (a
// shingle "a b c" differs from "c b a"); MinHash mixes the result again.
func combineHashes(hs []uint64) uint64 {
	h := uint64(len(hs))
	for _, x := range hs {
		h = bits.RotateLeft64((h^x)*0x9e3779b97f4a7c15, 31)
	}
	return h
}

// MinHash returns a signature of size values for a set of shingle hashes:
// value i is the minimum over the set of the i-th hash function. The hash
// functions come from fixed seeds, so signatures are comparable across runs,
// processes and versions; changing the seeds would orphan every stored
// signature. No shingles give a nil signature.
func MinHash(shingles []uint64, size int) []uint32 {
	if len(shingles) == 0 || size <= 0 {
		return nil
	}
	sig := make([]uint32, size)
	fillMinHash(sig, shingles)
	return sig
}

// fillMinHash uses one strong mix per shingle and then, per function i,
// multiply-shift hashing h_i(x) = (a_i*x + b_i) >> 32 with odd a_i: a
// universal family, cheap enough for 128 functions per shingle.
//
// The loops run four functions at a time over all shingles: the four
// running minima stay in registers and are independent chains, which is
// ~1.5x faster than a pass over the signature per shingle. The minimum is
// taken before the shift, which keeps the same order (x >> 32 is monotone).
func fillMinHash(sig []uint32, shingles []uint64) {
	var buf [64]uint64
	xs := buf[:0]
	if len(shingles) > len(buf) {
		xs = make([]uint64, 0, len(shingles))
	}
	for _, s := range shingles {
		xs = append(xs, mix64(s))
	}
	mul, add := minhashCoefficients(len(sig))
	mul, add = mul[:len(sig)], add[:len(sig)] // lets the compiler drop bounds checks
	i := 0
	for ; i+4 <= len(sig); i += 4 {
		a0, a1, a2, a3 := mul[i], mul[i+1], mul[i+2], mul[i+3]
		b0, b1, b2, b3 := add[i], add[i+1], add[i+2], add[i+3]
		m0, m1, m2, m3 := uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64)
		for _, x := range xs {
			m0 = min(m0, a0*x+b0)
			m1 = min(m1, a1*x+b1)
			m2 = min(m2, a2*x+b2)
			m3 = min(m3, a3*x+b3)
		}
		sig[i], sig[i+1], sig[i+2], sig[i+3] = uint32(m0>>32), uint32(m1>>32), uint32(m2>>32), uint32(m3>>32)
	}
	for ; i < len(sig); i++ {
		m := uint64(math.MaxUint64)
		for _, x := range xs {
			m = min(m, mul[i]*x+add[i])
		}
		sig[i] = uint32(m >> 32)
	}
}

// Signer computes the exact-duplicate hash and the MinHash signature of
// many texts, reusing its buffers between texts: what HashTokens(Tokenize(s))
// and MinHash(Shingles(tokens, n), size) give, without their allocations. A
// Signer is not safe for concurrent use.
type Signer struct {
	tokens      []string
	tokenHashes []uint64
	shingles    []uint64
}

// Hash reads s and returns its exact-duplicate hash (Hash(s)) and whether
// it has any words; FillMinHash then signs the same text.
func (g *Signer) Hash(s string) (uint64, bool) {
	g.tokens = appendTokens(g.tokens[:0], s)
	var h uint64
	h, g.tokenHashes = hashAll(g.tokens, g.tokenHashes[:0])
	clear(g.tokens) // keeps no text alive
	return h, len(g.tokenHashes) > 0
}

// WordHashes are the hashes of the words of the text last given to Hash
// (as Hash gives for each word alone), valid until the next call to Hash.
func (g *Signer) WordHashes() []uint64 { return g.tokenHashes }

// FillMinHash writes into sig the MinHash signature of the shingles of n
// words of the text last given to Hash: MinHash(Shingles(tokens, n),
// len(sig)). The text must have words.
func (g *Signer) FillMinHash(sig []uint32, n int) {
	g.shingles = appendShinglesOfHashes(g.shingles[:0], g.tokenHashes, n)
	fillMinHash(sig, g.shingles)
}

// EstimateJaccard estimates the Jaccard similarity of the two shingle sets
// behind two signatures: the share of positions where they agree. Signatures
// of different sizes (or empty ones) are not comparable and give 0.
func EstimateJaccard(a, b []uint32) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}

// mix64 is the SplitMix64 finaliser: it spreads FNV's weak low-entropy bits
// over the whole word before the multiply-shift functions read its high bits.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// minhashSeed fixes the hash functions for ever (see MinHash).
const minhashSeed = 0x6369766963707573 // "civicpus"

// maxPrecomputed covers every signature size in practical use without
// recomputing the coefficients per call.
const maxPrecomputed = 512

var precomputedMul, precomputedAdd = generateCoefficients(maxPrecomputed)

func minhashCoefficients(size int) (mul, add []uint64) {
	if size <= maxPrecomputed {
		return precomputedMul[:size], precomputedAdd[:size]
	}
	return generateCoefficients(size)
}

// generateCoefficients draws a_i (odd) and b_i from a SplitMix64 stream, so
// the first k functions are the same whatever size is asked for: a signature
// of 64 is the prefix of one of 128.
func generateCoefficients(size int) (mul, add []uint64) {
	mul, add = make([]uint64, size), make([]uint64, size)
	state := uint64(minhashSeed)
	next := func() uint64 {
		state += 0x9e3779b97f4a7c15
		return mix64(state)
	}
	for i := 0; i < size; i++ {
		mul[i] = next() | 1
		add[i] = next()
	}
	return mul, add
}
