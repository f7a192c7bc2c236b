// Package outreach draws the printed side of a process's communication
// campaign (GovStack INST-3 step 2): the QR code of a campaign link, and a
// poster (A4) and a flyer (A5) that carry the process's title, objective,
// dates and how to take part in each of its languages, with the code. It
// draws only; the officials' workspace (web/workspace/outreach.go) reads
// the store, picks the texts and serves the files.
package outreach
