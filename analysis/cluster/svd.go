package cluster

import (
	"gonum.org/v1/gonum/floats"
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

// orth returns an orthonormal basis of a's columns by modified
// Gram–Schmidt, twice for stability; a tall matrix's full Q from a QR
// factorisation would be rows × rows.
func orth(a *mat.Dense) *mat.Dense {
	r, c := a.Dims()
	cols := make([][]float64, c)
	for k := range cols {
		cols[k] = make([]float64, r)
		for i := 0; i < r; i++ {
			cols[k][i] = a.At(i, k)
		}
	}
	for range 2 {
		for k := range cols {
			for j := 0; j < k; j++ {
				d := floats.Dot(cols[j], cols[k])
				floats.AddScaled(cols[k], -d, cols[j])
			}
			if n := floats.Norm(cols[k], 2); n > 1e-12 {
				floats.Scale(1/n, cols[k])
			} else {
				clear(cols[k])
			}
		}
	}
	out := mat.NewDense(r, c, nil)
	for k := range cols {
		out.SetCol(k, cols[k])
	}
	return out
}
