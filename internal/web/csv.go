package web

import "strings"

// CSVCell makes a value safe for a CSV cell that a spreadsheet will open: a
// value starting with =, +, -, @ (or a tab or carriage return, which some
// spreadsheets skip before them) would be read as a formula, so it is
// prefixed with an apostrophe (OWASP "CSV injection"). Other values are
// unchanged; encoding/csv does the quoting.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
