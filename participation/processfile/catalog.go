package processfile

import (
	"embed"
	"io/fs"
)

//go:embed catalog/*.json
var catalogFS embed.FS

// Catalog holds the messages of Decode's problems (keys "pf.…") as
// <lang>.json files, English and Kiswahili, for i18n.LoadFS: the web layer
// translates a refused file's problems with it.
func Catalog() fs.FS {
	sub, err := fs.Sub(catalogFS, "catalog")
	if err != nil {
		panic(err) // the embedded folder exists: go:embed checked it
	}
	return sub
}
