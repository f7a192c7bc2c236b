package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// InquiryAnswer is the team's answer to one question asked on a process
// page, for the address the asker gave.
type InquiryAnswer struct {
	InquiryID int64
	To        string // the asker's email address
	Lang      string // the language they asked in
	Process   string // the process's name in that language
	Link      string // the process page
	Question  string
	Answer    string
}

// QueueInquiryAnswer queues the answer by email. The source names the
// inquiry and the answer's text, so a corrected answer is a new message and
// the same one queued twice (a retried request) is one. No participant is
// named: the asker may be anonymous, and this message is not one of a kind
// they could unsubscribe from.
func (s *Service) QueueInquiryAnswer(ctx context.Context, a InquiryAnswer) error {
	h := sha256.Sum256([]byte(a.Answer))
	_, err := s.Queue(ctx, []Message{{
		Source: "inquiry:" + strconv.FormatInt(a.InquiryID, 10) + ":" + hex.EncodeToString(h[:8]),
		Kind:   KindInquiryAnswer, Channel: Email, To: a.To, Lang: a.Lang, Process: a.Process, Link: a.Link,
		Fields: map[string]string{"question": a.Question, "answer": a.Answer},
	}})
	return err
}
