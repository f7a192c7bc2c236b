package sqlstore

// SetRecipientPage makes ForEachRecipient read n candidates a page, so that
// a test walks many pages with few participants.
func (s *Store) SetRecipientPage(n int) { s.recipientPage = n }

// Statement returns the text of a named statement as the store runs it,
// for the tests that check its query plan.
func (s *Store) Statement(name string) string { return s.sql.Get(name) }
