package web

import "context"

// HoldImageDecodes takes every slot of the picture decoder, as parallel
// uploads in flight would, until release is called.
func HoldImageDecodes() (release func()) {
	var held []func()
	for range imageGate.Size() {
		r, err := imageGate.Acquire(context.Background())
		if err != nil {
			panic(err)
		}
		held = append(held, r)
	}
	return func() {
		for _, r := range held {
			r()
		}
	}
}
