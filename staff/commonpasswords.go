package staff

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
)

// commonGz holds the breached passwords long enough to pass the length
// rule (ASVS 6.2.4: refuse the commonest passwords, not only short ones);
// see commonpw/README.md for where it comes from.
//
//go:embed commonpw/common.txt.gz
var commonGz []byte

// commonPasswords is read on first use: a server that never sets a
// password never holds the 44,000 entries.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(commonGz))
	if err != nil {
		panic("staff: the embedded common-password list is broken: " + err.Error())
	}
	out := make(map[string]struct{}, 44000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		out[sc.Text()] = struct{}{}
	}
	if err := sc.Err(); err != nil {
		panic("staff: the embedded common-password list is broken: " + err.Error())
	}
	return out
})

// isCommonPassword reports whether the password, lower-cased and with or
// without its spaces, is on the list.
func isCommonPassword(password string) bool {
	p := strings.ToLower(strings.TrimSpace(password))
	list := commonPasswords()
	if _, ok := list[p]; ok {
		return true
	}
	_, ok := list[strings.ReplaceAll(p, " ", "")]
	return ok
}
