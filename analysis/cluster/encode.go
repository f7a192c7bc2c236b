package cluster

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
)

// The encoding is versioned so that a model stored by an older build is
// refused with a clear error instead of being misread.
const (
	encodeMagic   = "CPTM"
	encodeVersion = 1
	// Caps on decoded lengths: a corrupt length must fail, not allocate
	// gigabytes.
	maxEncodedTerms  = 1 << 24
	maxEncodedDims   = 1 << 12
	maxEncodedThemes = 1 << 16
	maxEncodedLen    = 1 << 26
)

var errCorrupt = errors.New("cluster: corrupt model encoding")

// MarshalBinary encodes what AssignStems needs (vocabulary, IDF, basis,
// centroids) and the themes, so that a stored model places new texts as the
// fitted one did.
func (m *Model) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	b.Grow(16 + len(m.basis)*4 + len(m.idf)*8 + len(m.vocab)*12 + len(m.centroids)*m.dims*4)
	b.WriteString(encodeMagic)
	b.WriteByte(encodeVersion)
	w := &encoder{b: &b}
	terms := make([]string, len(m.vocab))
	for s, j := range m.vocab {
		terms[j] = s
	}
	w.uvarint(uint64(len(terms)))
	for _, s := range terms {
		w.str(s)
	}
	for _, v := range m.idf {
		w.f64(v)
	}
	w.uvarint(uint64(m.dims))
	for _, v := range m.basis {
		w.f32(v)
	}
	w.uvarint(uint64(len(m.centroids)))
	for _, c := range m.centroids {
		for _, v := range c {
			w.f32(v)
		}
	}
	w.uvarint(uint64(len(m.Themes)))
	for _, th := range m.Themes {
		w.varint(int64(th.ID))
		w.uvarint(uint64(th.Size))
		w.uvarint(uint64(len(th.Label)))
		for _, s := range th.Label {
			w.str(s)
		}
		w.uvarint(uint64(len(th.Representatives)))
		for _, i := range th.Representatives {
			w.uvarint(uint64(i))
		}
	}
	w.f64(m.Silhouette)
	ks := make([]int, 0, len(m.Tried))
	for k := range m.Tried {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	w.uvarint(uint64(len(ks)))
	for _, k := range ks {
		w.uvarint(uint64(k))
		w.f64(m.Tried[k])
	}
	return b.Bytes(), nil
}

// UnmarshalBinary restores a model encoded by MarshalBinary.
func (m *Model) UnmarshalBinary(data []byte) error {
	if len(data) < len(encodeMagic)+1 || string(data[:len(encodeMagic)]) != encodeMagic {
		return fmt.Errorf("%w: not a theme model", errCorrupt)
	}
	if v := data[len(encodeMagic)]; v != encodeVersion {
		return fmt.Errorf("cluster: model encoding version %d, this build reads %d", v, encodeVersion)
	}
	r := decoder{data: data[len(encodeMagic)+1:]}
	var out Model
	nTerms := r.count(maxEncodedTerms)
	out.vocab = make(map[string]int32, nTerms)
	for j := 0; j < nTerms && r.err == nil; j++ {
		out.vocab[r.str()] = int32(j)
	}
	out.idf = make([]float64, nTerms)
	for j := range out.idf {
		out.idf[j] = r.f64()
	}
	out.dims = r.count(maxEncodedDims)
	if r.err == nil && nTerms*out.dims*4 > len(r.data) {
		r.err = errCorrupt
	}
	if r.err == nil {
		out.basis = make([]float32, nTerms*out.dims)
		for i := range out.basis {
			out.basis[i] = r.f32()
		}
	}
	nCent := r.count(maxEncodedThemes)
	out.centroids = make([][]float32, 0, nCent)
	for c := 0; c < nCent && r.err == nil; c++ {
		v := make([]float32, out.dims)
		for i := range v {
			v[i] = r.f32()
		}
		out.centroids = append(out.centroids, v)
	}
	nThemes := r.count(maxEncodedThemes)
	for t := 0; t < nThemes && r.err == nil; t++ {
		th := Theme{ID: int(r.varint()), Size: r.count(maxEncodedLen)}
		for range r.count(maxEncodedLen) {
			th.Label = append(th.Label, r.str())
		}
		for range r.count(maxEncodedLen) {
			th.Representatives = append(th.Representatives, r.count(maxEncodedLen))
		}
		out.Themes = append(out.Themes, th)
	}
	out.Silhouette = r.f64()
	nTried := r.count(maxEncodedThemes)
	if nTried > 0 {
		out.Tried = make(map[int]float64, nTried)
	}
	for range nTried {
		k := r.count(maxEncodedLen)
		out.Tried[k] = r.f64()
	}
	if r.err != nil {
		return r.err
	}
	if len(r.data) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", errCorrupt, len(r.data))
	}
	if len(out.vocab) != nTerms {
		return fmt.Errorf("%w: repeated vocabulary term", errCorrupt)
	}
	*m = out
	return nil
}

// encoder writes through one scratch array: the basis alone is a million
// floats, and an allocation for each would dominate the encoding.
type encoder struct {
	b   *bytes.Buffer
	tmp [binary.MaxVarintLen64]byte
}

func (w *encoder) uvarint(v uint64) { w.b.Write(binary.AppendUvarint(w.tmp[:0], v)) }
func (w *encoder) varint(v int64)   { w.b.Write(binary.AppendVarint(w.tmp[:0], v)) }
func (w *encoder) f64(v float64) {
	w.b.Write(binary.LittleEndian.AppendUint64(w.tmp[:0], math.Float64bits(v)))
}
func (w *encoder) f32(v float32) {
	w.b.Write(binary.LittleEndian.AppendUint32(w.tmp[:0], math.Float32bits(v)))
}
func (w *encoder) str(s string) { w.uvarint(uint64(len(s))); w.b.WriteString(s) }

// decoder reads until its first error and then returns zeros: callers check
// err once at the end rather than after every field.
type decoder struct {
	data []byte
	err  error
}

func (r *decoder) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.data = nil
}

func (r *decoder) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data)
	if n <= 0 {
		r.fail(fmt.Errorf("%w: %v", errCorrupt, io.ErrUnexpectedEOF))
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *decoder) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.data)
	if n <= 0 {
		r.fail(fmt.Errorf("%w: %v", errCorrupt, io.ErrUnexpectedEOF))
		return 0
	}
	r.data = r.data[n:]
	return v
}

// count reads a length and refuses one above limit.
func (r *decoder) count(limit int) int {
	v := r.uvarint()
	if v > uint64(limit) {
		r.fail(fmt.Errorf("%w: length %d out of range", errCorrupt, v))
		return 0
	}
	return int(v)
}

func (r *decoder) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if len(r.data) < n {
		r.fail(fmt.Errorf("%w: %v", errCorrupt, io.ErrUnexpectedEOF))
		return nil
	}
	b := r.data[:n]
	r.data = r.data[n:]
	return b
}

func (r *decoder) f64() float64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

func (r *decoder) f32() float32 {
	b := r.take(4)
	if b == nil {
		return 0
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(b))
}

func (r *decoder) str() string {
	n := r.count(maxEncodedLen)
	return string(r.take(n))
}
