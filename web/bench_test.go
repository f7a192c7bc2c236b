package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// BenchmarkAPICommentSubmit posts comments through the whole HTTP stack
// (middleware, bearer lookup, store write with its outbox event, read-back)
// from parallel clients, each its own participant.
func BenchmarkAPICommentSubmit(b *testing.B) {
	run := func(b *testing.B, dsn string) {
		fx := webtest.New(b, dsn)
		tr := &http.Transport{MaxIdleConnsPerHost: 64}
		client := &http.Client{Transport: tr}
		path := fmt.Sprintf("%s/api/v1/proposals/%d/comments", fx.URL, fx.Proposal)
		var n atomic.Int64
		b.SetParallelism(8)
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			res, err := client.Post(fx.URL+"/api/v1/participants", "application/json", nil)
			if err != nil {
				b.Error(err)
				return
			}
			var tok struct{ Token string }
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			json.Unmarshal(raw, &tok)
			for pb.Next() {
				i := n.Add(1)
				req, _ := http.NewRequest("POST", path, bytes.NewReader([]byte(fmt.Sprintf(`{"body":"benchmark comment number %d"}`, i))))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tok.Token)
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusCreated {
					b.Errorf("status %d", res.StatusCode)
					return
				}
			}
		})
		b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "comments/s")
	}
	b.Run("sqlite", func(b *testing.B) { run(b, sqldbtest.NewSQLiteURL(b)) })
	b.Run("postgres", func(b *testing.B) { run(b, sqldbtest.NewPostgresURL(b)) })
}
