package notify

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Mailbox is the embedded default transport: every message becomes one
// .eml file in a folder under the data folder, which an administrator reads
// (List, Read) until a real SMTP server or SMS gateway is configured. SMS
// land there too, as plain-text messages addressed to the number. Files
// are written to a temporary name and renamed, so a reader never sees half
// a message.
type Mailbox struct {
	dir  string
	from string
	now  func() time.Time
}

// NewMailbox opens (and creates) the folder dir; from is the sender shown
// in its messages.
func NewMailbox(dir, from string) (*Mailbox, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("notify: unable to create the mailbox %s: %w", dir, err)
	}
	return &Mailbox{dir: dir, from: from, now: time.Now}, nil
}

// Dir is the mailbox's folder.
func (b *Mailbox) Dir() string { return b.dir }

// Where says where messages go.
func (b *Mailbox) Where() string { return "local mailbox " + b.dir }

// Close does nothing: a mailbox holds no connection.
func (b *Mailbox) Close() error { return nil }

// Send writes e as one .eml file.
func (b *Mailbox) Send(_ context.Context, e Envelope) error {
	var buf bytes.Buffer
	if e.Channel == SMS {
		writeSMS(&buf, b.from, e, b.now())
	} else {
		m, err := buildMail(b.from, e)
		if err != nil {
			return Permanent(err)
		}
		if _, err := m.WriteTo(&buf); err != nil {
			return Permanent(fmt.Errorf("notify: unable to write the message: %w", err))
		}
	}
	id, _, _ := strings.Cut(e.ID, "@")
	name := b.now().UTC().Format("20060102T150405.000000000Z") + "-" + string(e.Channel) + "-" + id + ".eml"
	return writeAtomic(b.dir, name, buf.Bytes())
}

// writeSMS writes an SMS as a plain-text message to the number.
func writeSMS(buf *bytes.Buffer, from string, e Envelope, now time.Time) {
	h := func(k, v string) { fmt.Fprintf(buf, "%s: %s\r\n", k, v) }
	h("From", from)
	h("To", e.To)
	h("Subject", mime.QEncoding.Encode("utf-8", "SMS to "+e.To))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", "<"+e.ID+">")
	h("X-Civicpulse-Channel", "sms")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "8bit")
	buf.WriteString("\r\n")
	buf.WriteString(strings.ReplaceAll(e.Text, "\n", "\r\n"))
	buf.WriteString("\r\n")
}

func writeAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("notify: unable to write to the mailbox: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("notify: unable to write to the mailbox: %w", err)
	}
	return nil
}

// MailboxItem describes one message in the mailbox.
type MailboxItem struct {
	Name    string // file name, for Read
	Time    time.Time
	Channel Channel
	To      string
	Subject string
	Size    int64
}

// List returns the mailbox's messages, newest first.
func (b *Mailbox) List() ([]MailboxItem, error) {
	entries, err := os.ReadDir(b.dir)
	if err != nil {
		return nil, fmt.Errorf("notify: unable to list the mailbox: %w", err)
	}
	var out []MailboxItem
	dec := new(mime.WordDecoder)
	for _, de := range entries {
		if !validName(de.Name()) {
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue // removed meanwhile
		}
		it := MailboxItem{Name: de.Name(), Time: info.ModTime().UTC(), Size: info.Size(), Channel: Email}
		if h, err := readHeader(filepath.Join(b.dir, de.Name())); err == nil {
			it.To = h.Get("To")
			it.Subject, _ = dec.DecodeHeader(h.Get("Subject"))
			if h.Get("X-Civicpulse-Channel") == "sms" {
				it.Channel = SMS
			}
			if t, err := h.Date(); err == nil {
				it.Time = t.UTC()
			}
		}
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name > out[j].Name })
	return out, nil
}

func readHeader(path string) (mail.Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := mail.ReadMessage(bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	return m.Header, nil
}

// ErrNoMessage is Read's answer for a name the mailbox does not hold.
var ErrNoMessage = errors.New("notify: no such message in the mailbox")

// Read returns one message's raw text (RFC 5322). Only names List gives
// are accepted, never a path.
func (b *Mailbox) Read(name string) ([]byte, error) {
	if !validName(name) {
		return nil, ErrNoMessage
	}
	data, err := os.ReadFile(filepath.Join(b.dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoMessage
	}
	return data, err
}

func validName(name string) bool {
	return strings.HasSuffix(name, ".eml") && !strings.HasPrefix(name, ".") &&
		!strings.ContainsAny(name, `/\`) && name == filepath.Base(name)
}
