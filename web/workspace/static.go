package workspace

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"

	"github.com/gorilla/mux"
)

//go:embed static/*
var staticFS embed.FS

// staticHash is each embedded file's content checksum: its URL carries it,
// so a browser may cache it forever and still sees a new version at once.
var staticHash = func() map[string]string {
	m := map[string]string{}
	ents, _ := staticFS.ReadDir("static")
	for _, e := range ents {
		b, _ := staticFS.ReadFile("static/" + e.Name())
		sum := sha256.Sum256(b)
		m[e.Name()] = hex.EncodeToString(sum[:8])
	}
	return m
}()

// ownAsset is the URL of one of the workspace's static files.
func ownAsset(name string) string { return "/ws-static/" + staticHash[name] + "/" + name }

func serveStatic(w http.ResponseWriter, r *http.Request) {
	v := mux.Vars(r)
	h, ok := staticHash[v["name"]]
	if !ok || h != v["hash"] {
		http.NotFound(w, r)
		return
	}
	b, _ := staticFS.ReadFile("static/" + v["name"])
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(b)
}
