package cluster

import (
	"errors"
	"reflect"
	"testing"
)

func TestModelEncodingRoundTrip(t *testing.T) {
	texts, _ := Synthetic(1500, 3)
	docs := make([][]string, len(texts))
	for i, s := range texts {
		docs[i] = Stems(s)
	}
	m, assign, err := FitStems(docs, Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	m.Themes[0].ID = 42 // callers keep their own ids in the themes
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Model
	if err := back.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Themes, m.Themes) || back.Silhouette != m.Silhouette || !reflect.DeepEqual(back.Tried, m.Tried) {
		t.Fatalf("themes or scores differ after a round trip")
	}
	if !reflect.DeepEqual(back.vocab, m.vocab) || !reflect.DeepEqual(back.idf, m.idf) ||
		!reflect.DeepEqual(back.basis, m.basis) || !reflect.DeepEqual(back.centroids, m.centroids) || back.dims != m.dims {
		t.Fatal("assignment state differs after a round trip")
	}
	for i, d := range docs {
		if got := back.AssignStems(d); got != assign[i] {
			t.Fatalf("text %d: decoded model assigns %d, fit gave %d", i, got, assign[i])
		}
	}
	t.Logf("%d terms × %d dims, %d themes: %d bytes", len(m.vocab), m.dims, len(m.Themes), len(data))
}

func TestModelDecodingRefusesCorruptData(t *testing.T) {
	texts, _ := Synthetic(500, 4)
	m, _, err := Fit(texts, Options{K: 5})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := m.MarshalBinary()
	for _, bad := range [][]byte{nil, []byte("CPTM"), []byte("XXXX\x01"), data[:len(data)/2], data[:len(data)-1], append(append([]byte{}, data...), 0)} {
		var back Model
		if err := back.UnmarshalBinary(bad); !errors.Is(err, errCorrupt) {
			t.Errorf("%d bytes: err = %v, want corrupt", len(bad), err)
		}
	}
	future := append([]byte{}, data...)
	future[4] = 99
	var back Model
	if err := back.UnmarshalBinary(future); err == nil || errors.Is(err, errCorrupt) {
		t.Errorf("future version: err = %v", err)
	}
}
