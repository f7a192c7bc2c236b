package processfile

import (
	"slices"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// problems collects what is wrong with a file, each at its JSON pointer.
type problems participation.ValidationErrors

func (p *problems) add(path, key, format string, args ...any) {
	*p = append(*p, participation.Errorf(participation.CodeInvalid, path, key, format, args...))
}

// covers reports whether a problem is already listed at path, inside it or
// around it: the semantic checks then stay quiet about it, so a wrong type
// is not reported a second time as, say, a missing date.
func (p problems) covers(path string) bool {
	for _, e := range p {
		if e.Field == path || strings.HasPrefix(path, e.Field+"/") || strings.HasPrefix(e.Field, path+"/") ||
			(e.Field == "" && path == "") {
			return true
		}
	}
	return false
}

// sorted orders the problems as they appear in the file (array indexes
// compared as numbers), drops exact repeats and returns them as an error.
func (p problems) sorted() participation.ValidationErrors {
	out := slices.Clone(p)
	slices.SortStableFunc(out, func(a, b *participation.Error) int { return comparePointers(a.Field, b.Field) })
	out = slices.CompactFunc(out, func(a, b *participation.Error) bool { return a.Field == b.Field && a.Msg == b.Msg })
	return participation.ValidationErrors(out)
}

func comparePointers(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] == bs[i] {
			continue
		}
		an, aerr := strconv.Atoi(as[i])
		bn, berr := strconv.Atoi(bs[i])
		if aerr == nil && berr == nil {
			return an - bn
		}
		return strings.Compare(as[i], bs[i])
	}
	return len(as) - len(bs)
}
