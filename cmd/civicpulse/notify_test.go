package main

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// wireNotify wires messages into the fixture's server as serve does: notify
// from the environment (here the in-process SMTP server), the job queue
// draining it, and SendVerification queueing.
func wireNotify(t *testing.T, env map[string]string, dataDir, dsn string) webtest.Option {
	return webtest.WithConfig(func(c *web.Config) {
		ctx := context.Background()
		st := c.Store.(*sqlstore.Store)
		cfg := &config{dataDir: dataDir, databaseURL: dsn}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc, _, _, err := openNotify(ctx, func(k string) string { return env[k] }, cfg, st, "http://127.0.0.1", log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { svc.Close() })
		sched, err := startJobs(ctx, cfg, st, svc)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stopJobs(sched) })
		svc.SetKick(sched.KickDeliveries)
		c.SendVerification = sendVerification(svc, st)
	})
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// TestRegistrationByEmailLink registers in a registered-mode process over
// HTTP, reads the verification link from the mail the SMTP server
// received, follows it and confirms: the whole loop, on both stores.
func TestRegistrationByEmailLink(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		env := map[string]string{notify.EnvSMTPURL: srv.URL(), notify.EnvMailFrom: "County Engagement <engage@county.example>"}
		fx := webtest.New(t, b.URL, wireNotify(t, env, t.TempDir(), b.URL))
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		get := func(path string) (int, string) {
			res, err := c.Get(fx.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(body)
		}
		post := func(path string, form url.Values) (int, string) {
			res, err := c.PostForm(fx.URL+path, form)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(body)
		}
		_, page := get("/p/youth-fund/register")
		m := csrfRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no form on the registration page")
		}
		token := html.UnescapeString(m[1])
		status, body := post("/p/youth-fund/register", url.Values{"csrf_token": {token}, "consent": {"yes"}, "notice_version": {"1"},
			"name": {"Achieng"}, "email": {"achieng@example.org"}, "region": {"047"}})
		if status != http.StatusSeeOther {
			t.Fatalf("register: %d\n%s", status, body)
		}

		mails := srv.WaitMails(t, 1, 20*time.Second)
		h := mails[0].Header()
		if mails[0].To[0] != "achieng@example.org" || !strings.Contains(h.Get("Subject"), "Youth enterprise fund") {
			t.Fatalf("mail to %v, subject %q", mails[0].To, h.Get("Subject"))
		}
		var link string
		for _, l := range mails[0].Links() {
			if strings.HasPrefix(l, fx.URL+"/p/youth-fund/verify?token=") {
				link = l
				break
			}
		}
		if link == "" {
			t.Fatalf("no verification link in\n%s", mails[0].Data)
		}
		u, _ := url.Parse(link)
		secret := u.Query().Get("token")
		if _, page := get(u.RequestURI()); !strings.Contains(page, `value="`+html.EscapeString(secret)+`"`) {
			t.Fatal("the mailed link does not fill the verification form")
		}
		status, body = post("/p/youth-fund/verify", url.Values{"csrf_token": {token}, "secret": {secret}})
		if status != http.StatusOK || !strings.Contains(body, "your registration is confirmed") {
			t.Fatalf("verify: %d\n%s", status, body)
		}
		time.Sleep(200 * time.Millisecond)
		if n := len(srv.Mails()); n != 1 {
			t.Fatalf("%d mails, want 1", n)
		}
	})
}

// Staff links go through notify too; with no SMTP configured they land in
// the local mailbox under the data folder.
func TestStaffLinkToMailbox(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlstore.Open(ctx, sqldbtest.NewSQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, box, toMailbox, err := openNotify(ctx, func(string) string { return "" }, &config{dataDir: dir}, st, "http://127.0.0.1:8080",
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil || !toMailbox {
		t.Fatal(err, toMailbox)
	}
	defer svc.Close()
	send := sendStaffLink(svc)
	link := staffweb.Link{Kind: "reset", Email: "jane@county.example", URL: "http://127.0.0.1:8080/staff/reset/new?token=tok-abc", Lang: "sw"}
	for range 2 { // the same link twice: one message
		if err := send(ctx, link); err != nil {
			t.Fatal(err)
		}
	}
	if r, err := svc.Drain(ctx, 5*time.Second); err != nil || r.Sent != 1 {
		t.Fatalf("%+v %v", r, err)
	}
	items, err := box.List()
	if err != nil || len(items) != 1 || !strings.Contains(items[0].Subject, "nenosiri") {
		t.Fatalf("mailbox %+v %v", items, err)
	}
	data, _ := box.Read(items[0].Name)
	if !strings.Contains(strings.ReplaceAll(string(data), "=\r\n", ""), "token=3Dtok-abc") && !strings.Contains(string(data), "token=tok-abc") {
		t.Fatalf("no link in\n%s", data)
	}
}

var codeRE = regexp.MustCompile(`\b\d{6}\b`)

// TestRegistrationBySMSCode: the same loop with a phone number, the code
// sent through the httptest SMS gateway, in the citizen's language.
func TestRegistrationBySMSCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		gw := notifytest.StartSMSGateway(t, nil)
		tokenFile := filepath.Join(t.TempDir(), "sms-token")
		os.WriteFile(tokenFile, []byte("gateway-token\n"), 0o600)
		env := map[string]string{notify.EnvSMSURL: gw.URL, notify.EnvSMSTokenFile: tokenFile}
		fx := webtest.New(t, b.URL, wireNotify(t, env, t.TempDir(), b.URL))
		p := fx.Registered
		p.PersonalFields = []participation.PersonalField{participation.FieldName, participation.FieldPhone}
		if err := fx.Store.UpdateProcess(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		do := func(method, path string, form url.Values) (int, string) {
			req, _ := http.NewRequest(method, fx.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept-Language", "sw")
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(body)
		}
		// The agreement comes first, alone; the phone is asked once it is
		// agreed to.
		_, page := do("GET", "/p/youth-fund/register", nil)
		m := csrfRE.FindStringSubmatch(page)
		if m == nil || strings.Contains(page, `name="phone"`) {
			t.Fatal("no consent form, or the phone asked before consent, on the registration page")
		}
		token := html.UnescapeString(m[1])
		if status, body := do("POST", "/p/youth-fund/consent", url.Values{"csrf_token": {token}, "consent": {"yes"}, "notice_version": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("consent: %d\n%s", status, body)
		}
		if _, page = do("GET", "/p/youth-fund/register", nil); !strings.Contains(page, `name="phone"`) {
			t.Fatal("no phone field on the registration page after consent")
		}
		status, body := do("POST", "/p/youth-fund/register", url.Values{"csrf_token": {token}, "consent": {"yes"}, "notice_version": {"1"},
			"name": {"Baraka"}, "phone": {"0712 345 678"}}) // read in Kenya: +254712345678
		if status != http.StatusSeeOther {
			t.Fatalf("register: %d\n%s", status, body)
		}
		deadline := time.Now().Add(20 * time.Second)
		for len(gw.Received()) == 0 {
			if time.Now().After(deadline) {
				t.Fatal("no SMS within 20 s")
			}
			time.Sleep(50 * time.Millisecond)
		}
		sms := gw.Received()[0]
		code := codeRE.FindString(sms.Text)
		if sms.To != "+254712345678" || sms.Token != "gateway-token" || code == "" || !strings.Contains(sms.Text, "nambari yako") {
			t.Fatalf("SMS %+v", sms)
		}
		status, body = do("POST", "/p/youth-fund/verify", url.Values{"csrf_token": {token}, "secret": {code}})
		if status != http.StatusOK {
			t.Fatalf("verify: %d\n%s", status, body)
		}
	})
}
