package web

import "testing"

func TestCSVCell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                  "",
		"Астана":            "Астана",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+7701":             "'+7701",
		"-2+3":              "'-2+3",
		"@SUM(A1)":          "'@SUM(A1)",
		"\t=1":              "'\t=1",
		"\r=1":              "'\r=1",
		"a=b":               "a=b",
		"12":                "12",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}
