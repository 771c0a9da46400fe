package web

import "testing"

// TestCSVCell: cells a spreadsheet would run as a formula are made text.
func TestCSVCell(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Astana", "Astana"},
		{"", ""},
		{"12", "12"},
		{"=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=1", "a=1"},
		{"Алматы", "Алматы"},
	} {
		if got := CSVCell(tt.in); got != tt.want {
			t.Errorf("CSVCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
