package polis

import (
	"strings"
	"testing"
)

func TestReadOpenDataExports(t *testing.T) {
	for _, tc := range []struct {
		dir                     string
		participants, clustered int
		votes                   int
	}{
		// Figures from each export's summary.csv (voters, votes) and the
		// participants Pol.is put into a group.
		{"scoop-hivemind.biodiversity", 536, 443, 29802},
		{"vtaiwan.uberx", 1921, 1219, 49997},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			e, err := Read("../../testdata/polis/" + tc.dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(e.Participants) != tc.participants {
				t.Errorf("participants = %d, want %d", len(e.Participants), tc.participants)
			}
			clustered := 0
			for _, p := range e.Participants {
				if p.GroupID >= 0 {
					clustered++
				}
			}
			if clustered != tc.clustered {
				t.Errorf("clustered = %d, want %d", clustered, tc.clustered)
			}
			if len(e.Votes) != tc.votes {
				t.Errorf("votes = %d, want %d", len(e.Votes), tc.votes)
			}
			// The final votes must agree with each participant's summary row.
			perVoter := map[int][3]int{}
			for _, v := range e.FinalVotes() {
				c := perVoter[v.VoterID]
				c[0]++
				if v.Value == 1 {
					c[1]++
				}
				if v.Value == -1 {
					c[2]++
				}
				perVoter[v.VoterID] = c
			}
			bad := 0
			for _, p := range e.Participants {
				c := perVoter[p.ID]
				if c[0] != p.NVotes || c[1] != p.NAgree || c[2] != p.NDisagree {
					bad++
				}
			}
			if bad > 0 {
				t.Errorf("%d participants' final votes disagree with participants-votes.csv", bad)
			}
			if len(e.Comments) == 0 || len(e.ModeratedOut()) == 0 {
				t.Errorf("comments = %d, moderated out = %d", len(e.Comments), len(e.ModeratedOut()))
			}
		})
	}
}

func TestReadRejectsBrokenFiles(t *testing.T) {
	if _, err := ReadVotes(strings.NewReader("timestamp,comment-id,voter-id\n1,2,3\n")); err == nil {
		t.Error("missing vote column accepted")
	}
	if _, err := ReadVotes(strings.NewReader("timestamp,datetime,comment-id,voter-id,vote\n1,x,2,3,7\n")); err == nil {
		t.Error("vote 7 accepted")
	}
	if _, err := ReadComments(strings.NewReader("timestamp,comment-id,author-id,agrees,disagrees,moderated,comment-body\nnot-a-time,1,1,0,0,0,hi\n")); err == nil {
		t.Error("bad timestamp accepted")
	}
	if _, err := Read(t.TempDir()); err == nil {
		t.Error("empty directory accepted")
	}
}
