package residence_test

import (
	"testing"

	"tirkeu/internal/residence"
)

func TestPremisesAddress(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    residence.Premises
		want string
	}{
		{"full", residence.Premises{Region: "Астана", District: "Есіл", Locality: "Астана", Street: "Мәңгілік Ел", Building: "1", Unit: "12"},
			"Астана, Есіл, Астана, Мәңгілік Ел, 1, 12"},
		{"a house: no unit", residence.Premises{Region: "Алматы облысы", District: "Қарасай", Locality: "Қаскелең", Street: "Абай", Building: "7"},
			"Алматы облысы, Қарасай, Қаскелең, Абай, 7"},
		{"parts missing", residence.Premises{Region: "Шымкент", Street: "Тәуке хан", Unit: "3"}, "Шымкент, Тәуке хан, 3"},
		{"region only", residence.Premises{Region: "Астана"}, "Астана"},
		{"no region", residence.Premises{Locality: "Астана", Building: "5"}, ", Астана, 5"},
		{"empty", residence.Premises{}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Address(); got != tt.want {
				t.Errorf("Address() = %q, want %q", got, tt.want)
			}
		})
	}
}
