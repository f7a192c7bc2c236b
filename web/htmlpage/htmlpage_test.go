package htmlpage

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPagesShareTheLayoutAndFailWhole(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/layout.html": {Data: []byte(`{{define "layout"}}<main>{{template "body" .}}</main>{{end}}`)},
		"templates/home.html":   {Data: []byte(`{{define "body"}}hello {{.}}{{end}}`)},
		"templates/broken.html": {Data: []byte(`{{define "body"}}start {{.Missing.Field}}{{end}}`)},
	}
	pages, err := Parse(fsys, nil, "layout")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pages["layout"]; ok {
		t.Error("the layout is a page of its own")
	}

	rec := httptest.NewRecorder()
	if err := pages.Write(rec, http.StatusTeapot, "home", "layout", "you"); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusTeapot || rec.Body.String() != "<main>hello you</main>" {
		t.Errorf("home: %d %q", rec.Code, rec.Body.String())
	}

	rec = httptest.NewRecorder()
	if err := pages.Write(rec, http.StatusOK, "broken", "layout", "you"); err == nil {
		t.Fatal("a failing template wrote no error")
	}
	if rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "" {
		t.Errorf("a failing template wrote half a page: %q", rec.Body.String())
	}
	if err := pages.Write(rec, http.StatusOK, "nowhere", "layout", nil); err == nil {
		t.Error("a missing page wrote no error")
	}

	rec = httptest.NewRecorder()
	Failed(rec, "error", func() { t.Error("the error page's own failure went back to the error page") })
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("failed error page: %d", rec.Code)
	}
}

func TestParseRefusesABrokenPage(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/layout.html": {Data: []byte(`{{define "layout"}}{{end}}`)},
		"templates/bad.html":    {Data: []byte(`{{if}}`)},
	}
	if _, err := Parse(fsys, nil, "layout"); err == nil || !strings.Contains(err.Error(), "bad.html") {
		t.Errorf("a broken page parsed: %v", err)
	}
}
