package staffweb

import (
	"bytes"
	"encoding/base64"
	"errors"
	"html/template"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
)

// Mailbox is the local mailbox messages go to when no SMTP server or SMS
// gateway is configured (notify.Mailbox; cmd adapts it).
type Mailbox interface {
	// List returns the messages, newest first.
	List() ([]MailboxItem, error)
	// Read returns one message's raw text (RFC 5322); ErrNoMessage for a
	// name List did not give.
	Read(name string) ([]byte, error)
}

// ErrNoMessage is Mailbox.Read's answer for a name it does not hold.
var ErrNoMessage = errors.New("staffweb: no such message in the mailbox")

// MailboxItem describes one message of the mailbox.
type MailboxItem struct {
	Name    string
	Time    time.Time
	Channel string // "email" or "sms"
	To      string
	Subject string
}

const mailboxPerPage = 25

type mailboxData struct {
	InUse bool
	Where []string // where messages go when the mailbox is not used
	Items []MailboxItem
	Page  int
	Prev  int // 0: none
	Next  int // 0: none
	Open  *openMessage
}

// openMessage is one message, readable: its plain text shown as text and
// its HTML part only after sanitising (never as it came).
type openMessage struct {
	MailboxItem
	From, Date string
	Text       string
	HTML       template.HTML // sanitised
}

// mailboxPolicy keeps what a message's HTML needs to read (paragraphs,
// links, lists); no styles, scripts, images or forms.
var mailboxPolicy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}()

// mailbox is the admin's reader of the local mailbox (issue 12: every loop
// closes without SMTP). ?m= opens one message; ?page= pages the list.
func (a *Area) mailbox(w http.ResponseWriter, r *http.Request) {
	d := mailboxData{InUse: a.opts.Mailbox != nil, Where: a.opts.MailWhere, Page: 1}
	if !d.InUse {
		a.render(w, r, http.StatusOK, "mailbox", "mailbox.title", d)
		return
	}
	if name := r.URL.Query().Get("m"); name != "" {
		raw, err := a.opts.Mailbox.Read(name)
		if errors.Is(err, ErrNoMessage) {
			a.failStatus(w, r, http.StatusNotFound, "err.mailbox_message")
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		m := readMessage(raw)
		m.Name = name
		d.Open = &m
		a.render(w, r, http.StatusOK, "mailbox", "mailbox.title", d)
		return
	}
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			a.failStatus(w, r, http.StatusUnprocessableEntity, "err.invalid")
			return
		}
		d.Page = n
	}
	items, err := a.opts.Mailbox.List()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	from := (d.Page - 1) * mailboxPerPage
	if from > len(items) {
		from = len(items)
	}
	to := min(from+mailboxPerPage, len(items))
	d.Items = items[from:to]
	if d.Page > 1 {
		d.Prev = d.Page - 1
	}
	if to < len(items) {
		d.Next = d.Page + 1
	}
	a.render(w, r, http.StatusOK, "mailbox", "mailbox.title", d)
}

// readMessage takes a message apart: headers, its text/plain and text/html
// parts decoded. A part it cannot read is left out, not shown raw.
func readMessage(raw []byte) openMessage {
	var m openMessage
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		m.Text = string(raw) // shown escaped, as text
		return m
	}
	dec := new(mime.WordDecoder)
	header := func(k string) string {
		v, err := dec.DecodeHeader(msg.Header.Get(k))
		if err != nil {
			return msg.Header.Get(k)
		}
		return v
	}
	m.From, m.To, m.Subject, m.Date = header("From"), header("To"), header("Subject"), header("Date")
	var html string
	walkParts(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, 0, &m.Text, &html)
	if html != "" {
		m.HTML = template.HTML(mailboxPolicy.Sanitize(html)) // sanitised just now
	}
	return m
}

// walkParts finds the first text/plain and text/html parts, through nested
// multiparts (mixed around alternative) to a small depth.
func walkParts(ctype, encoding string, body io.Reader, depth int, text, html *string) {
	mt, params, err := mime.ParseMediaType(ctype)
	if ctype == "" || err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		if depth > 3 || params["boundary"] == "" {
			return
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			walkParts(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, depth+1, text, html)
		}
	}
	var dst *string
	switch mt {
	case "text/plain":
		dst = text
	case "text/html":
		dst = html
	default:
		return
	}
	if *dst != "" {
		return
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, newlineStripper{body})
	}
	b, err := io.ReadAll(io.LimitReader(body, 1<<20))
	if err != nil {
		return
	}
	*dst = string(b)
}

// newlineStripper drops line breaks, which base64 bodies carry every 76
// characters and the decoder refuses.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, c := range p[:k] {
			if c != '\r' && c != '\n' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}
