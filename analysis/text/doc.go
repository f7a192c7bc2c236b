// Package text turns one citizen's text (a comment, a proposal, an open
// survey answer) into the features the warehouse stores and the analysis
// jobs use: language, tokens, stems without stop-words, keywords, an exact
// duplicate hash, a MinHash signature for near-duplicates and the places it
// mentions.
//
// Everything here is a pure function of its input (plus the options given to
// NewAnalyzer), deterministic across runs and processes, so features computed
// at ingest today compare with those computed after a rebuild tomorrow.
// English and Kiswahili are supported; other languages still get tokens,
// hashes and signatures.
package text
