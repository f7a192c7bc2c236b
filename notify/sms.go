package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// SMSGateway is the SMS transport: one HTTP POST per message to a gateway
// a country plugs in (its operator's, or an adapter in front of it). The
// request is documented in docs/sms-gateway.md:
//
//	POST <CIVICPULSE_SMS_URL>
//	Authorization: Bearer <token from CIVICPULSE_SMS_TOKEN_FILE>
//	Content-Type: application/json
//	{"to": "+254712345678", "text": "…", "reference": "<message id>"}
//
// A 2xx answer means accepted; 4xx is permanent (the number or the message
// is refused); 5xx, a timeout, a broken connection or any other answer is
// temporary and retried. The reference is the same on every retry, so a
// gateway can drop a duplicate.
type SMSGateway struct {
	url    string
	token  string
	client *http.Client
}

// NewSMSGateway builds the transport for the gateway at rawURL with the
// bearer token (may be empty).
func NewSMSGateway(rawURL, token string, timeout time.Duration) (*SMSGateway, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("notify: CIVICPULSE_SMS_URL must be an absolute http(s) URL")
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &SMSGateway{url: rawURL, token: token, client: &http.Client{Timeout: timeout,
		// A redirect could carry the bearer token elsewhere: refuse it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, nil
}

// ReadToken reads a token file (CIVICPULSE_SMS_TOKEN_FILE), trimmed.
func ReadToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("notify: unable to read the SMS token: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// Where says where messages go (the host only: the URL may hold a key).
func (g *SMSGateway) Where() string {
	u, _ := url.Parse(g.url)
	return "sms gateway " + u.Scheme + "://" + u.Host
}

// Close releases idle connections.
func (g *SMSGateway) Close() error { g.client.CloseIdleConnections(); return nil }

type smsRequest struct {
	To        string `json:"to"`
	Text      string `json:"text"`
	Reference string `json:"reference"`
}

// Send posts one message.
func (g *SMSGateway) Send(ctx context.Context, e Envelope) error {
	body, _ := json.Marshal(smsRequest{To: e.To, Text: e.Text, Reference: e.ID})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.url, bytes.NewReader(body))
	if err != nil {
		return Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if g.token != "" {
		req.Header.Set("Authorization", "Bearer "+g.token)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	reason := fmt.Sprintf("sms gateway answered %d %s", resp.StatusCode, strings.TrimSpace(printable(snippet)))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests &&
		resp.StatusCode != http.StatusRequestTimeout:
		return Permanent(errors.New(reason))
	default: // 5xx, 429, 408, 1xx, 3xx
		return errors.New(reason)
	}
}

// printable keeps a gateway's answer readable in last_error.
func printable(b []byte) string {
	s := strings.ToValidUTF8(string(b), "?")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
