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
		hashes[i] = HashTokens([]string{t})
	}
	return appendShinglesOfHashes(dst, hashes, n)
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
func fillMinHash(sig []uint32, shingles []uint64) {
	for i := range sig {
		sig[i] = math.MaxUint32
	}
	mul, add := minhashCoefficients(len(sig))
	mul, add = mul[:len(sig)], add[:len(sig)] // lets the compiler drop bounds checks
	for _, s := range shingles {
		x := mix64(s)
		for i := range sig {
			sig[i] = min(sig[i], uint32((mul[i]*x+add[i])>>32))
		}
	}
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
