package export

// SetSheetRows lets the external tests split a small table across sheets;
// it returns a function that puts the limit back.
func SetSheetRows(n int) (restore func()) {
	old := sheetRows
	sheetRows = n
	return func() { sheetRows = old }
}
