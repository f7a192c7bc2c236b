package processfile

import "encoding/json"

// ForAudit is f as the audit log keeps it: region shapes (up to megabytes)
// are left out, their presence kept, so that every apply can be recorded
// with its before and after without the log growing by the map each time.
func ForAudit(f File) File {
	if f.RegionSet != nil && len(f.RegionSet.GeoJSON) > 0 {
		rs := *f.RegionSet
		rs.GeoJSON = json.RawMessage(`"(shapes left out of the audit log)"`)
		f.RegionSet = &rs
	}
	return f
}
