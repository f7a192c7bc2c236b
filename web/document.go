package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// commentsPerPage is the page of top-level comments each section shows.
// A document page shows every section, so this bounds the page's weight:
// a section with thousands of comments costs what one with twenty does.
const commentsPerPage = 15

// repliesShown is how many replies a comment shows on the page; a link
// opens the rest, so one popular comment cannot make the page heavy.
const repliesShown = 3

// commentOrders are the orders a reader can choose, the default first.
var commentOrders = []participation.CommentOrder{participation.CommentsNewest, participation.CommentsMostVoted}

// numberedHeading puts a section's position before its heading, unless the
// heading already starts with it (officials often type "1. Revenue"), so a
// section is never numbered twice ("1. 1. Revenue").
func numberedHeading(position int, heading string) string {
	heading = strings.TrimSpace(heading)
	n := strconv.Itoa(position)
	if rest, ok := strings.CutPrefix(heading, n); ok && (rest == "" || strings.ContainsRune(".) :", rune(rest[0]))) {
		return heading
	}
	return n + ". " + heading
}

// sectionView is a section with the page of comments the reader asked for.
type sectionView struct {
	participation.Section
	Comments []participation.Comment
	Total    int // top-level comments in all
	Page     int
	Pages    int
	First    int // position of the page's first comment (1-based), for "showing 21–40 of 2,000"
	PrevURL  string
	NextURL  string
	OrderURL map[participation.CommentOrder]string
	// MoreReplies maps a comment whose replies were cut to the link that
	// shows them all, and Hidden to how many were cut.
	MoreReplies map[int64]string
	Hidden      map[int64]int
	// Moderated stands, on the last page, for the section's comments the
	// moderators hid: how many for each reason, the reason in place of
	// their text.
	Moderated []hiddenGroup
}

type hiddenGroup struct {
	Reason string
	N      int
}

// Last is the position of the page's last comment.
func (sv sectionView) Last() int { return sv.First + len(sv.Comments) - 1 }

type documentData struct {
	processCtx
	C        participation.Component
	Doc      participation.Document
	Sections []sectionView
	Order    participation.CommentOrder
	MyVotes  map[int64]participation.Vote
	Form     url.Values
	Errors   map[string]string
	FormFor  int64 // section whose form shows Form and Errors
	// PostedIn is the section a comment was just posted to over htmx: its
	// thanks takes the focus, and is read out (citizen.js); PostedPending
	// says the comment waits for a moderator.
	PostedIn      int64
	PostedPending bool
}

// commentView is what the page's query asks of the comments: one order for
// the whole page, and a page number for one section (the others show their
// first page).
type commentView struct {
	order   participation.CommentOrder
	section int64
	page    int
	replies int64 // the comment whose replies all show
}

// readCommentView reads ?order=, ?section= and ?page=. They come from the
// page's own links, so anything else falls back to the first page, newest
// first, rather than to an error.
func readCommentView(q url.Values) commentView {
	v := commentView{order: participation.CommentsNewest, page: 1}
	if participation.CommentOrder(q.Get("order")) == participation.CommentsMostVoted {
		v.order = participation.CommentsMostVoted
	}
	v.section, _ = strconv.ParseInt(q.Get("section"), 10, 64)
	v.replies, _ = strconv.ParseInt(q.Get("replies"), 10, 64)
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 1 && v.section > 0 {
		v.page = p
	}
	return v
}

// url is the document page showing page of section in order, anchored at
// the section so that the browser lands where the reader was.
func (v commentView) url(path string, section int64, page int, order participation.CommentOrder) string {
	q := url.Values{}
	if order != participation.CommentsNewest {
		q.Set("order", string(order))
	}
	if page > 1 {
		q.Set("section", strconv.FormatInt(section, 10))
		q.Set("page", strconv.Itoa(page))
	}
	u := path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u + "#section-" + strconv.FormatInt(section, 10)
}

// sectionPage loads one page of a section's comments.
func (s *Server) sectionPage(r *http.Request, path string, v commentView, sec participation.Section) (sectionView, error) {
	page := 1
	if sec.ID == v.section {
		page = v.page
	}
	sv := sectionView{Section: sec}
	load := func(page int) error {
		var err error
		sv.Comments, sv.Total, err = s.store.ListSectionComments(r.Context(), sec.ID, participation.CommentQuery{
			Order: v.order, Limit: commentsPerPage, Offset: (page - 1) * commentsPerPage})
		return err
	}
	if err := load(page); err != nil {
		return sv, err
	}
	sv.Pages = max(1, (sv.Total+commentsPerPage-1)/commentsPerPage)
	if page > sv.Pages { // an old link after comments were hidden: show the last page
		page = sv.Pages
		if err := load(page); err != nil {
			return sv, err
		}
	}
	sv.Page, sv.First = page, (page-1)*commentsPerPage+1
	if page == sv.Pages {
		hidden, err := s.store.HiddenComments(r.Context(), participation.TargetSection, sec.ID)
		if err != nil {
			return sv, err
		}
		sv.Moderated = groupHidden(hidden)
	}
	sv.MoreReplies, sv.Hidden = map[int64]string{}, map[int64]int{}
	for i, c := range sv.Comments {
		if len(c.Replies) <= repliesShown || c.ID == v.replies {
			continue
		}
		sv.Hidden[c.ID] = len(c.Replies) - repliesShown
		u := v.url(path, sec.ID, page, v.order)
		u = u[:strings.LastIndexByte(u, '#')]
		if strings.Contains(u, "?") {
			u += "&"
		} else {
			u += "?"
		}
		sv.MoreReplies[c.ID] = fmt.Sprintf("%sreplies=%d#comment-%d", u, c.ID, c.Replies[repliesShown].ID)
		sv.Comments[i].Replies = c.Replies[:repliesShown]
	}
	if page > 1 {
		sv.PrevURL = v.url(path, sec.ID, page-1, v.order)
	}
	if page < sv.Pages {
		sv.NextURL = v.url(path, sec.ID, page+1, v.order)
	}
	sv.OrderURL = map[participation.CommentOrder]string{
		participation.CommentsNewest:    v.url(path, sec.ID, 1, participation.CommentsNewest),
		participation.CommentsMostVoted: v.url(path, sec.ID, 1, participation.CommentsMostVoted),
	}
	return sv, nil
}

func (s *Server) documentData(r *http.Request, pc processCtx, c participation.Component) (documentData, error) {
	v := readCommentView(r.URL.Query())
	if r.Method == http.MethodPost { // a re-rendered form keeps the view it was posted from
		v = readCommentView(r.PostForm)
	}
	d := documentData{processCtx: pc, C: c, Order: v.order, MyVotes: map[int64]participation.Vote{}, Form: url.Values{}, Errors: map[string]string{}}
	doc, err := s.store.GetDocument(r.Context(), c.ID)
	if err != nil {
		return d, err
	}
	d.Doc = d.localDocument(doc)
	path := fmt.Sprintf("/p/%s/c/%d", pc.P.Slug, c.ID)
	var ids []int64
	for _, sec := range d.Doc.Sections {
		sv, err := s.sectionPage(r, path, v, sec)
		if err != nil {
			return d, err
		}
		d.Sections = append(d.Sections, sv)
		ids = append(ids, commentIDs(sv.Comments)...)
	}
	if d.MyVotes, err = s.myVotes(r, ids); err != nil {
		return d, err
	}
	return d, nil
}

func commentIDs(cs []participation.Comment) []int64 {
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
		for _, rep := range c.Replies {
			ids = append(ids, rep.ID)
		}
	}
	return ids
}

// myVotes returns the visitor's votes among the shown comments.
func (s *Server) myVotes(r *http.Request, ids []int64) (map[int64]participation.Vote, error) {
	me, err := s.participant(r)
	if err != nil || me == nil || len(ids) == 0 {
		return map[int64]participation.Vote{}, err
	}
	return s.store.MyVotes(r.Context(), me.ID, ids)
}

func (s *Server) documentPage(w http.ResponseWriter, r *http.Request, pc processCtx, c participation.Component, status int, edit func(*documentData)) {
	if id := r.URL.Query().Get("comment"); id != "" && r.Method == http.MethodGet {
		s.findComment(w, r, pc, c, id)
		return
	}
	if r.Header.Get("HX-Request") != "" && r.URL.Query().Get("section") != "" {
		s.commentPage(w, r, pc, c)
		return
	}
	d, err := s.documentData(r, pc, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if edit != nil {
		edit(&d)
	}
	w.Header().Add("Vary", "HX-Request")
	s.render(w, r, status, "document", c.Title, d)
}

// commentPage answers htmx's "more comments": the next page's comments of
// one section and the link to the page after, to put in place of the old
// link. Without JavaScript the same link loads the whole document page.
func (s *Server) commentPage(w http.ResponseWriter, r *http.Request, pc processCtx, c participation.Component) {
	v := readCommentView(r.URL.Query())
	sec, err := s.store.GetSection(r.Context(), v.section)
	if err != nil || sec.ComponentID != c.ID {
		s.fail(w, r, errNotFound)
		return
	}
	d := documentData{processCtx: pc, C: c, Order: v.order}
	sv, err := s.sectionPage(r, fmt.Sprintf("/p/%s/c/%d", pc.P.Slug, c.ID), v, sec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.MyVotes, err = s.myVotes(r, commentIDs(sv.Comments)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Add("Vary", "HX-Request")
	s.renderBlock(w, r, http.StatusOK, "document", "comment-page", "", sectionBlock{D: d, S: sv})
}

// findComment sends a link to one comment (?comment=ID, from "my
// submissions") to the page of its section that shows it, newest first: a
// plain #comment-ID anchor would miss every comment past the first page.
func (s *Server) findComment(w http.ResponseWriter, r *http.Request, pc processCtx, c participation.Component, raw string) {
	id, _ := strconv.ParseInt(raw, 10, 64)
	cm, err := s.store.GetComment(r.Context(), id)
	if err != nil || cm.ComponentID != c.ID || cm.TargetKind != participation.TargetSection || cm.Status != participation.StatusPublished {
		s.fail(w, r, errNotFound)
		return
	}
	top := cm
	if cm.ParentID != nil { // a reply shows under its comment
		if top, err = s.store.GetComment(r.Context(), *cm.ParentID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	written, err := s.store.GetSection(r.Context(), top.TargetID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc, err := s.store.GetDocument(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The comment may be written on an earlier version: it shows under
	// the current section of the same lineage.
	var sec *participation.Section
	for i := range doc.Sections {
		if doc.Sections[i].LineageID == written.LineageID {
			sec = &doc.Sections[i]
		}
	}
	if sec == nil { // its section was removed from the document
		s.fail(w, r, errNotFound)
		return
	}
	before, err := s.store.SectionCommentOffset(r.Context(), sec.ID, top.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := commentView{order: participation.CommentsNewest}
	u := v.url(fmt.Sprintf("/p/%s/c/%d", pc.P.Slug, c.ID), sec.ID, before/commentsPerPage+1, v.order)
	u = u[:strings.LastIndexByte(u, '#')]
	if cm.ParentID != nil { // the reply may be past the ones a comment shows
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += fmt.Sprintf("%sreplies=%d", sep, top.ID)
	}
	http.Redirect(w, r, u+fmt.Sprintf("#comment-%d", cm.ID), http.StatusFound)
}

func (s *Server) loadSection(r *http.Request, pc processCtx) (participation.Section, participation.Component, error) {
	sec, err := s.store.GetSection(r.Context(), varID(r, "id"))
	if err != nil {
		return sec, participation.Component{}, err
	}
	c, ok := pc.Component(sec.ComponentID)
	if !ok {
		return sec, c, errNotFound
	}
	return sec, c, nil
}

func (s *Server) commentSection(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sec, c, err := s.loadSection(r, pc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kind := participation.CommentKind(r.PostFormValue("kind"))
	if kind == "" {
		kind = participation.CommentPlain
	}
	cm := participation.Comment{
		ProcessID: pc.P.ID, ComponentID: c.ID, TargetKind: participation.TargetSection, TargetID: sec.ID,
		ParticipantID: state(r).participant.ID, Kind: kind, Body: r.PostFormValue("body"),
	}
	if kind == participation.CommentAmendment {
		cm.ProposedText = r.PostFormValue("proposed_text")
	}
	if pid, err := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64); err == nil && pid > 0 {
		cm.ParentID = &pid
	}
	id, werr := s.store.CreateComment(r.Context(), cm)
	if werr != nil && !isFormError(werr) {
		s.failWrite(w, r, pc, werr)
		return
	}
	htmx := r.Header.Get("HX-Request") != ""
	if werr == nil && !htmx {
		// Newest first, the new comment opens the section's first page.
		redirect(w, r, fmt.Sprintf("/p/%s/c/%d#section-%d", pc.P.Slug, c.ID, sec.ID))
		return
	}
	status := http.StatusOK
	d, err := s.documentData(r, pc, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if werr != nil {
		status = http.StatusUnprocessableEntity
		d.Form, d.Errors, d.FormFor = r.PostForm, s.fieldMessages(r, werr), sec.ID
	} else {
		d.PostedIn = sec.ID
		m, err := s.store.GetModeration(r.Context(), participation.ContributionRef{Kind: participation.ContribComment, ID: id})
		d.PostedPending = err == nil && m.Status == participation.StatusPending
	}
	if htmx {
		for _, sv := range d.Sections {
			if sv.ID == sec.ID {
				s.renderBlock(w, r, status, "document", "section", "", sectionBlock{D: d, S: sv})
				return
			}
		}
	}
	s.render(w, r, status, "document", c.Title, d)
}

// sectionBlock feeds the "section" template: the page and one section.
type sectionBlock struct {
	D documentData
	S sectionView
}

// voteSection takes a vote from a section's one vote form: every comment's
// buttons submit that form with vote="<comment id>:<vote>", so the page
// carries one CSRF token per section instead of one per comment.
func (s *Server) voteSection(w http.ResponseWriter, r *http.Request) {
	id, v, ok := strings.Cut(r.PostFormValue("vote"), ":")
	cid, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || cid <= 0 {
		s.failStatus(w, r, http.StatusUnprocessableEntity, "err.bad_vote")
		return
	}
	s.castVote(w, r, varID(r, "id"), cid, participation.Vote(v))
}

// voteComment takes a vote posted to the comment's own address.
func (s *Server) voteComment(w http.ResponseWriter, r *http.Request) {
	s.castVote(w, r, 0, varID(r, "id"), participation.Vote(r.PostFormValue("vote")))
}

// castVote records a vote on a comment. htmx gets the comment's buttons
// back, in place of the old ones (HX-Retarget, since the section's form
// cannot name one comment); without JavaScript the browser goes back to the
// page of comments it voted from. sectionID, when not 0, is the section the
// vote was posted through, which must be the comment's.
func (s *Server) castVote(w http.ResponseWriter, r *http.Request, sectionID, commentID int64, v participation.Vote) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cm, err := s.store.GetComment(r.Context(), commentID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, ok := pc.Component(cm.ComponentID)
	if cm.ProcessID != pc.P.ID || !ok {
		s.fail(w, r, errNotFound)
		return
	}
	if sectionID != 0 {
		if sec, err := s.store.GetSection(r.Context(), sectionID); err != nil || sec.ComponentID != c.ID {
			s.fail(w, r, errNotFound)
			return
		}
	}
	if err := s.store.VoteComment(r.Context(), cm.ID, state(r).participant.ID, v); err != nil {
		s.failWrite(w, r, pc, err)
		return
	}
	if r.Header.Get("HX-Request") != "" {
		cm, err = s.store.GetComment(r.Context(), cm.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("HX-Retarget", fmt.Sprintf("#votes-%d", cm.ID))
		w.Header().Set("HX-Reswap", "outerHTML")
		s.renderBlock(w, r, http.StatusOK, "document", "votes", "", raw{
			"C": cm, "Mine": v, "Open": pc.Open(c.ID), "L": state(r).loc, "Focus": true})
		return
	}
	back := readCommentView(r.PostForm)
	if back.section == 0 || back.section != sectionID {
		back = commentView{order: back.order, page: 1}
	}
	u := back.url(fmt.Sprintf("/p/%s/c/%d", pc.P.Slug, c.ID), back.section, back.page, back.order)
	redirect(w, r, u[:strings.LastIndexByte(u, '#')]+fmt.Sprintf("#comment-%d", cm.ID))
}

// groupHidden counts hidden comments by reason, in the order the reasons
// first appear (oldest hidden comment first): a section with a hidden
// campaign shows one line, not a thousand.
func groupHidden(hidden []participation.Moderated) []hiddenGroup {
	var out []hiddenGroup
	at := map[string]int{}
	for _, h := range hidden {
		i, ok := at[h.Reason]
		if !ok {
			i = len(out)
			at[h.Reason] = i
			out = append(out, hiddenGroup{Reason: h.Reason})
		}
		out[i].N++
	}
	return out
}
