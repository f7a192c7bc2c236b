// Package sqlstore is the participation store: one implementation of
// participation.Store that runs on Postgres (production) and SQLite (the
// embedded default) with the same behaviour.
//
// Statements live in sql/queries.sql (shared, written with '?' and rebound to
// the dialect at start-up) and sql/postgres.sql or sql/sqlite.sql where the
// dialects differ; New refuses to start when one the code names is missing.
// The schema is the "participation" migration stream in migrations/.
//
// Every write runs in one transaction that also checks the rules (published
// process, open phase, registration), keeps the counters (supports, comments,
// votes) and appends the outbox event, so a write and its event commit or
// roll back together. Every refusal (duplicate, closed, invalid, …) is decided
// before anything is written, so inside Batch a refused write leaves nothing
// behind and the batch may carry on; an internal failure fails the batch.
//
// Citizen writes come in bursts and must stay fast on Postgres, so there the
// hot ones cost few round trips: votes, supports and top-level comments
// first try one statement that checks the rules and writes the row, its
// counter and its event (a transaction of its own, so the counter row is
// locked only while it commits); when that writes nothing (a refusal or a
// race) the step-by-step path decides and says why. The statements every
// request runs are prepared once per connection (hotStatements).
//
// The outbox is read by (transaction id, sequence) on Postgres, so that a
// transaction that took a lower sequence but commits later is never skipped;
// after a commit that wrote events, the store's notifier sends one NOTIFY on
// the civicpulse_outbox channel for each burst (never inside the write, where
// it would serialise every writer on the server), and Wait listens on it.
// On SQLite there is one writer at a time and the sequence alone orders it.
//
// Secrets are kept hashed: a participant's cookie token and the registration
// link or code. Personal data lives only in profiles, which EraseParticipant
// deletes; events never carry it.
package sqlstore
