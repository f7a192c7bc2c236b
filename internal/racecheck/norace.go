//go:build !race

// Package racecheck tells tests whether the race detector is on, so that
// long, single-threaded numerical checks against external data can run in
// make test's second pass without it (where they take seconds, not minutes)
// instead of being skipped.
package racecheck

// Enabled reports whether the binary was built with the race detector.
const Enabled = false
