package workspace

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

type regionsData struct {
	P       participation.Process
	Sets    []participation.RegionSet
	Current *participation.RegionSet
	F       *form // choose
	U       *form // upload
	// CSVErrors and GeoErrors list every problem of the files, each naming
	// its line or feature.
	CSVErrors, GeoErrors []string
}

func (ws *Workspace) regionsPage(w http.ResponseWriter, r *http.Request) {
	ws.renderRegions(w, r, http.StatusOK, nil, nil, nil, nil)
}

func (ws *Workspace) renderRegions(w http.ResponseWriter, r *http.Request, status int, f, u *form, csvErr, geoErr []string) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	sets, err := ws.store.ListRegionSets(r.Context())
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	d := regionsData{P: p, Sets: sets, F: f, U: u, CSVErrors: csvErr, GeoErrors: geoErr}
	if d.F == nil {
		d.F = newForm(nil)
		d.F.V.Set("region_set_id", itoa(p.RegionSetID))
	}
	if d.U == nil {
		d.U = newForm(nil)
	}
	if p.RegionSetID != 0 {
		rs, err := ws.store.GetRegionSet(r.Context(), p.RegionSetID)
		if err != nil && !participation.IsNotFound(err) {
			ws.fail(w, r, err)
			return
		}
		if err == nil {
			rs.GeoJSON = nil
			d.Current = &rs
		}
	}
	title := ws.loc(r).T("regions.title")
	if status == http.StatusOK {
		ws.render(w, r, status, "regions", title, d)
		return
	}
	target := d.F
	if u != nil {
		target = d.U
	}
	ws.refuse(w, r, target, []string{"region_set_id", "name", "source", "csv", "geojson"}, "regions", title, d)
}

// chooseRegions gives the process an existing region set.
func (ws *Workspace) chooseRegions(w http.ResponseWriter, r *http.Request) {
	f := newForm(r.PostForm)
	id, _ := strconv.ParseInt(f.Get("region_set_id"), 10, 64)
	if id <= 0 {
		f.Errors["region_set_id"] = ws.loc(r).T("err.choose")
		ws.renderRegions(w, r, http.StatusUnprocessableEntity, f, nil, nil, nil)
		return
	}
	if _, err := ws.store.GetRegionSet(r.Context(), id); err != nil {
		if participation.IsNotFound(err) {
			f.Errors["region_set_id"] = ws.loc(r).T("err.choose")
			ws.renderRegions(w, r, http.StatusUnprocessableEntity, f, nil, nil, nil)
			return
		}
		ws.fail(w, r, err)
		return
	}
	ws.setRegionSet(w, r, id, f, nil)
}

func (ws *Workspace) setRegionSet(w http.ResponseWriter, r *http.Request, id int64, f, u *form) {
	before, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	p := before
	p.RegionSetID = id
	if err := ws.store.UpdateProcess(r.Context(), p); err != nil {
		target := f
		if u != nil {
			target = u
		}
		if ws.absorb(r, target, err) {
			ws.renderRegions(w, r, http.StatusUnprocessableEntity, f, u, nil, nil)
			return
		}
		ws.fail(w, r, err)
		return
	}
	if err := ws.auditProcess(r, "process.region_set", before); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, processPath(p.ID)+"/regions", "saved")
}

// uploadRegions makes a region set from a CSV (and optionally a GeoJSON of
// the same codes) and gives it to the process. Nothing is stored unless
// both files pass.
func (ws *Workspace) uploadRegions(w http.ResponseWriter, r *http.Request) {
	u := newForm(r.PostForm)
	loc := ws.loc(r)
	rs, csvErr, geoErr, err := ws.readRegionUpload(r, u)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	if len(u.Errors) > 0 || len(csvErr) > 0 || len(geoErr) > 0 {
		if len(csvErr) > 0 && u.Errors["csv"] == "" {
			u.Errors["csv"] = loc.T("err.csv")
		}
		if len(geoErr) > 0 && u.Errors["geojson"] == "" {
			u.Errors["geojson"] = loc.T("err.geojson")
		}
		ws.renderRegions(w, r, http.StatusUnprocessableEntity, nil, u, csvErr, geoErr)
		return
	}
	id, err := ws.store.CreateRegionSet(r.Context(), rs)
	if err != nil {
		if ws.absorb(r, u, err) {
			ws.renderRegions(w, r, http.StatusUnprocessableEntity, nil, u, nil, nil)
			return
		}
		ws.fail(w, r, err)
		return
	}
	rs.ID = id
	rs.GeoJSON = nil // the shapes are large; the audit names the set and its regions
	if err := ws.audit(r, "region_set.create", varID(r, "process"), "region_set:"+itoa(id), nil, rs); err != nil {
		ws.fail(w, r, err)
		return
	}
	ws.setRegionSet(w, r, id, nil, u)
}

// readRegionUpload parses the multipart upload. Problems with the files
// come back as messages (each naming its line); err is only a failure to
// read the request.
func (ws *Workspace) readRegionUpload(r *http.Request, u *form) (rs participation.RegionSet, csvErr, geoErr []string, err error) {
	loc := ws.loc(r)
	rs.Name, rs.Source = strings.TrimSpace(u.Get("name")), strings.TrimSpace(u.Get("source"))
	if rs.Name == "" {
		u.Errors["name"] = loc.T("err.required")
	}
	csvData, err := formFile(r, "csv", ws.cfg.MaxUpload)
	if err != nil {
		return rs, nil, nil, err
	}
	if len(csvData) == 0 {
		u.Errors["csv"] = loc.T("err.file_required")
		return rs, nil, nil, nil
	}
	regions, perr := participation.ParseRegionCSV(bytes.NewReader(csvData))
	if perr != nil {
		m, ok := ws.fieldErrorList(r, perr)
		if !ok {
			return rs, nil, nil, perr
		}
		return rs, m, nil, nil
	}
	rs.Regions = regions
	geo, err := formFile(r, "geojson", ws.cfg.MaxUpload)
	if err != nil {
		return rs, nil, nil, err
	}
	if len(geo) > 0 {
		codes := make([]string, len(regions))
		for i, reg := range regions {
			codes[i] = reg.Code
		}
		norm, gerr := participation.CheckGeoJSON(geo, codes, participation.MaxGeoJSONBytes)
		if gerr != nil {
			m, ok := ws.fieldErrorList(r, gerr)
			if !ok {
				return rs, nil, nil, gerr
			}
			return rs, nil, m, nil
		}
		rs.GeoJSON = norm
	}
	return rs, nil, nil, nil
}

// fieldErrorList is every message of a refusal, in its order (the parsers
// name lines in order).
func (ws *Workspace) fieldErrorList(r *http.Request, err error) ([]string, bool) {
	var ve participation.ValidationErrors
	if errors.As(err, &ve) {
		out := make([]string, 0, len(ve))
		for _, e := range ve {
			out = append(out, ws.translate(r, e))
		}
		return out, true
	}
	var de *participation.Error
	if errors.As(err, &de) && statusOf(de.Code) < 500 {
		return []string{ws.translate(r, de)}, true
	}
	return nil, false
}

// formFile reads an uploaded file, or nothing when none was sent. The
// route's body limit bounds it; max bounds one file again.
func formFile(r *http.Request, name string, max int64) ([]byte, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var fh *multipart.FileHeader
	if fs := r.MultipartForm.File[name]; len(fs) > 0 {
		fh = fs[0]
	}
	if fh == nil {
		return nil, nil
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &http.MaxBytesError{Limit: max}
	}
	return data, nil
}
