package cluster

import (
	"gonum.org/v1/gonum/mat"
)

// randomizedBasis returns the leading right singular vectors (terms × dims,
// row-major) of the sample rows of x, by randomized SVD (Halko, Martinsson
// and Tropp): a random projection with two power iterations captures the
// range, and the small matrix left is decomposed exactly.
func randomizedBasis(x *sparse, sample []int32, terms, dims int, rng *rnd) ([]float32, int) {
	m := len(sample)
	l := min(dims+10, terms, m)
	dims = min(dims, l)
	omega := mat.NewDense(terms, l, nil)
	for t := 0; t < terms; t++ {
		for k := 0; k < l; k++ {
			omega.Set(t, k, rng.norm())
		}
	}
	y := mulSample(x, sample, omega)
	for range 2 {
		y = orth(y)
		zt := mulSampleT(x, sample, y, terms)
		y = mulSample(x, sample, orth(zt))
	}
	q := orth(y)
	// B = Qᵀ S, l × terms.
	b := mulSampleT(x, sample, q, terms) // terms × l, i.e. Bᵀ
	var svd mat.SVD
	if !svd.Factorize(b, mat.SVDThin) {
		return make([]float32, terms*dims), dims
	}
	var u mat.Dense
	svd.UTo(&u) // left vectors of Bᵀ are the right vectors of B
	basis := make([]float32, terms*dims)
	for t := 0; t < terms; t++ {
		for k := 0; k < dims; k++ {
			basis[t*dims+k] = float32(u.At(t, k))
		}
	}
	return basis, dims
}

// mulSample computes S·A for the sample rows S of x (A is terms × l).
func mulSample(x *sparse, sample []int32, a *mat.Dense) *mat.Dense {
	_, l := a.Dims()
	out := mat.NewDense(len(sample), l, nil)
	for r, i := range sample {
		row := out.RawRowView(r)
		for e := x.start[i]; e < x.start[i+1]; e++ {
			v := float64(x.vals[e])
			ar := a.RawRowView(int(x.cols[e]))
			for k := range row {
				row[k] += v * ar[k]
			}
		}
	}
	return out
}

// mulSampleT computes Sᵀ·Y (terms × l) for the sample rows S of x.
func mulSampleT(x *sparse, sample []int32, y *mat.Dense, terms int) *mat.Dense {
	_, l := y.Dims()
	out := mat.NewDense(terms, l, nil)
	for r, i := range sample {
		yr := y.RawRowView(r)
		for e := x.start[i]; e < x.start[i+1]; e++ {
			v := float64(x.vals[e])
			or := out.RawRowView(int(x.cols[e]))
			for k := range or {
				or[k] += v * yr[k]
			}
		}
	}
	return out
}

// orth returns an orthonormal basis of a's columns.
func orth(a *mat.Dense) *mat.Dense {
	var qr mat.QR
	qr.Factorize(a)
	var q mat.Dense
	qr.QTo(&q)
	r, c := a.Dims()
	out := mat.NewDense(r, c, nil)
	out.Copy(q.Slice(0, r, 0, c))
	return out
}
