package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/civicpulse/civicpulse/participation"
)

// shapeCache keeps the parsed areas of the region sets that proposals'
// map points were checked against. A region set never changes once
// created, so an entry never goes stale; the cache holds a few sets, not
// every one a long-running server has seen.
type shapeCache struct {
	mu   sync.Mutex
	sets map[int64][]participation.Shape
}

const shapeCacheSets = 16

// processShapes returns the areas of the process's region set (none for a
// process without a set, or a set without a map).
func (s *Store) processShapes(ctx context.Context, processID int64) ([]participation.Shape, error) {
	var setID int64
	if err := s.get(ctx, &setID, "process-region-set", processID); err != nil {
		return nil, fmt.Errorf("store: unable to find the process's region set: %w", err)
	}
	if setID == 0 {
		return nil, nil
	}
	c := s.shapes
	c.mu.Lock()
	shapes, ok := c.sets[setID]
	c.mu.Unlock()
	if ok {
		return shapes, nil
	}
	var geo string
	if err := s.get(ctx, &geo, "region-set-geojson", setID); err != nil {
		return nil, fmt.Errorf("store: unable to read the region set's map: %w", err)
	}
	shapes, err := participation.ParseShapes([]byte(geo))
	if err != nil {
		return nil, fmt.Errorf("store: region set %d: %w", setID, err)
	}
	c.mu.Lock()
	if len(c.sets) >= shapeCacheSets {
		clear(c.sets)
	}
	c.sets[setID] = shapes
	c.mu.Unlock()
	return shapes, nil
}
