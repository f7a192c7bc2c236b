package text

import (
	"math"
	"strings"
	"testing"
)

// referenceMinHash is the textbook loop, one pass over the signature per
// shingle: the definition fillMinHash must keep, since stored signatures
// were made with it.
func referenceMinHash(shingles []uint64, size int) []uint32 {
	sig := make([]uint32, size)
	for i := range sig {
		sig[i] = math.MaxUint32
	}
	mul, add := generateCoefficients(size)
	for _, s := range shingles {
		x := mix64(s)
		for i := range sig {
			sig[i] = min(sig[i], uint32((mul[i]*x+add[i])>>32))
		}
	}
	return sig
}

func TestMinHashMatchesReference(t *testing.T) {
	for _, size := range []int{1, 3, 4, 7, 64, 128, 130, 600} {
		for _, n := range []int{1, 2, 25, 63, 64, 65, 300} {
			sh := make([]uint64, n)
			for i := range sh {
				sh[i] = mix64(uint64(size*1000 + i))
			}
			got, want := MinHash(sh, size), referenceMinHash(sh, size)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("size %d, %d shingles: value %d is %d, want %d", size, n, i, got[i], want[i])
				}
			}
		}
	}
}

// Values from the original implementation pin the hash functions: if they
// change, every stored signature is orphaned (see MinHash).
func TestMinHashPinned(t *testing.T) {
	sig := MinHash(Shingles(Tokenize("the county should fix the water pipes in kibera"), 2), 6)
	want := []uint32{0x4f64fb7, 0xae43ed8, 0x23c374e5, 0xeb3305, 0x1a795a72, 0x11c588ff}
	if len(sig) != len(want) {
		t.Fatalf("len %d, want %d", len(sig), len(want))
	}
	for i := range want {
		if sig[i] != want[i] {
			t.Errorf("value %d = %#x, want %#x", i, sig[i], want[i])
		}
	}
}

func TestSignerMatchesHashAndMinHash(t *testing.T) {
	texts := append(readColumn(t, polisComments, "comment-body"),
		"", "!!!", "one", "Two words", "don’t STOP me now", strings.Repeat("long text again ", 40))
	var g Signer
	for _, n := range []int{1, 2, 3} {
		for _, s := range texts {
			h, ok := g.Hash(s)
			tokens := Tokenize(s)
			if h != Hash(s) || ok != (len(tokens) > 0) {
				t.Fatalf("%q: hash %x ok %v, want %x %v", s, h, ok, Hash(s), len(tokens) > 0)
			}
			if !ok {
				continue
			}
			sig := make([]uint32, 128)
			g.FillMinHash(sig, n)
			want := MinHash(Shingles(tokens, n), 128)
			for i := range want {
				if sig[i] != want[i] {
					t.Fatalf("%q, %d-shingles: value %d is %d, want %d", s, n, i, sig[i], want[i])
				}
			}
		}
	}
}
