package main

import (
	"net/netip"
	"testing"
)

func TestParsePrefixes(t *testing.T) {
	got, err := parsePrefixes(" 10.0.0.0/8, 192.168.1.7 ,::1, 172.16.5.4/12,")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.168.1.7/32", "::1/128", "172.16.0.0/12"}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i, w := range want {
		if got[i] != netip.MustParsePrefix(w) {
			t.Errorf("%d: %v, want %s", i, got[i], w)
		}
	}
	if _, err := parsePrefixes("10.0.0.0/8, the load balancer"); err == nil {
		t.Error("a name was taken for an address")
	}
	if p, err := parsePrefixes(""); err != nil || len(p) != 0 {
		t.Errorf("empty: %v %v", p, err)
	}
}
