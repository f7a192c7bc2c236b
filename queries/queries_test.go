package queries

import (
	"context"
	"testing"

	"github.com/civicpulse/civicpulse/warehouse"
)

// Every query prepares against a fresh warehouse: a renamed column fails here
// (and at boot) rather than on the first chart.
func TestCheckAgainstWarehouse(t *testing.T) {
	w, err := warehouse.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(context.Background(), w.Read()); err != nil {
		t.Fatal(err)
	}
	if got := s.Params("inputs-by-hour"); len(got) != 5 {
		t.Errorf("inputs-by-hour params = %v, want component from process region to", got)
	}
	if _, err := s.Args("inputs-by-hour", map[string]any{"process": 1}); err == nil {
		t.Error("Args accepted missing parameters")
	}
}

func TestCheckFailsOnBrokenQuery(t *testing.T) {
	w, err := warehouse.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	s.sql["broken"] = "SELECT no_such_column FROM rollup"
	if err := s.Check(context.Background(), w.Read()); err == nil {
		t.Fatal("Check passed a query naming a missing column")
	}
}
