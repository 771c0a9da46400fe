package ui

import (
	"bytes"
	"encoding/csv"
	"testing"

	"tirkeu/internal/residence"
)

// TestStatsCSVEscapesFormulas: a region name from the imported registry
// that a spreadsheet would run as a formula is written as text.
func TestStatsCSVEscapesFormulas(t *testing.T) {
	var buf bytes.Buffer
	s := residence.Stats{Regions: []residence.RegionStats{{Region: `=HYPERLINK("http://evil.example","x")`, Total: 2, Online: 1},
		{Region: "@cmd", Total: 1}, {Region: "Astana", Total: 1}}}
	if err := writeStatsCSV(&buf, s); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{`'=HYPERLINK("http://evil.example","x")`: true, "'@cmd": true, "Astana": true}
	for _, r := range rows {
		if r[0] != "region" {
			continue
		}
		if !want[r[1]] {
			t.Errorf("region cell %q is not escaped", r[1])
		}
		delete(want, r[1])
	}
	if len(want) > 0 {
		t.Errorf("missing region rows %v", want)
	}
}
