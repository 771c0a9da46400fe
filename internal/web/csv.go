package web

import "strings"

// CSVCell returns s safe to put in a cell of a CSV file that people open in
// a spreadsheet: a cell starting with "=", "+", "-", "@", a tab or a
// carriage return is read as a formula by Excel, LibreOffice and Google
// Sheets (CSV injection: "=HYPERLINK(…)" or "=cmd|…" from a region name an
// importer supplied), so it gets a leading apostrophe, which spreadsheets
// show as text and hide. Every CSV export writes its cells through it.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSVRow applies CSVCell to every cell of a row.
func CSVRow(cells ...string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = CSVCell(c)
	}
	return out
}
