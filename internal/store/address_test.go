package store_test

import (
	"fmt"
	"reflect"
	"testing"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// TestAddressFacet: the distinct values of each address field within the
// choices made so far, in order, without empty values, paged by After and
// Limit, on both engines; an unknown field is invalid.
func TestAddressFacet(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s) // Астана (Есіл; and none), Алматы облысы
		var more []residence.Premises
		for i := range 30 {
			// Thirty flats in one building and a second building: a
			// street's buildings are two values, not thirty-one rows.
			more = append(more, residence.Premises{RKA: fmt.Sprintf("RKA-F-%02d", i), Region: "Астана", District: "Есіл",
				Locality: "Астана", Street: "Мәңгілік Ел", Building: "10", Unit: fmt.Sprint(100 + i), Kind: residence.PremisesApartment})
		}
		more = append(more,
			residence.Premises{RKA: "RKA-B-12", Region: "Астана", District: "Есіл", Locality: "Астана", Street: "Мәңгілік Ел", Building: "12", Kind: residence.PremisesHouse},
			residence.Premises{RKA: "RKA-V-1", Region: "Жетісу облысы", District: "Бурабай", Locality: "Щучинск", Building: "1", Kind: residence.PremisesHouse},
			residence.Premises{RKA: "RKA-V-2", Region: "Жетісу облысы", District: "Бурабай", Locality: "Бурабай", Street: "Кенесары", Building: "2", Kind: residence.PremisesHouse},
			residence.Premises{RKA: "RKA-V-4", Region: "Жетісу облысы", District: "Бурабай", Locality: "Бурабай", Street: "Абай", Building: "4", Kind: residence.PremisesHouse},
			residence.Premises{RKA: "RKA-V-5", Region: "Жетісу облысы", District: "Бурабай", Locality: "Бурабай", Street: "Абай", Building: "5", Kind: residence.PremisesHouse},
			residence.Premises{RKA: "RKA-V-3", Region: "Жетісу облысы", District: "Зеренді", Locality: "Зеренді", Street: "Мира", Building: "3", Kind: residence.PremisesHouse},
		)
		mustTx(t, s, func(tx residence.Tx) error { return tx.UpsertPremises(ctx(t), more) })
		tests := []struct {
			name string
			q    residence.AddressFacetQuery
			want []string
		}{
			{"regions", residence.AddressFacetQuery{Field: residence.AddressRegion},
				[]string{"Алматы облысы", "Астана", "Жетісу облысы"}},
			{"regions, first page", residence.AddressFacetQuery{Field: residence.AddressRegion, Limit: 2},
				[]string{"Алматы облысы", "Астана"}},
			{"regions, next page", residence.AddressFacetQuery{Field: residence.AddressRegion, After: "Астана", Limit: 2},
				[]string{"Жетісу облысы"}},
			{"regions, past the end", residence.AddressFacetQuery{Field: residence.AddressRegion, After: "Жетісу облысы"}, nil},
			{"districts of a region", residence.AddressFacetQuery{Field: residence.AddressDistrict, Within: residence.PremisesQuery{Region: "Жетісу облысы"}},
				[]string{"Бурабай", "Зеренді"}},
			{"no empty district", residence.AddressFacetQuery{Field: residence.AddressDistrict, Within: residence.PremisesQuery{Region: "Астана"}},
				[]string{"Есіл"}},
			{"localities of a district", residence.AddressFacetQuery{Field: residence.AddressLocality, Within: residence.PremisesQuery{Region: "Жетісу облысы", District: "Бурабай"}},
				[]string{"Бурабай", "Щучинск"}},
			{"localities of a region", residence.AddressFacetQuery{Field: residence.AddressLocality, Within: residence.PremisesQuery{Region: "Жетісу облысы"}},
				[]string{"Бурабай", "Зеренді", "Щучинск"}},
			{"streets, none empty", residence.AddressFacetQuery{Field: residence.AddressStreet, Within: residence.PremisesQuery{Region: "Жетісу облысы", Locality: "Щучинск"}}, nil},
			{"streets of a locality", residence.AddressFacetQuery{Field: residence.AddressStreet, Within: residence.PremisesQuery{Region: "Жетісу облысы", Locality: "Бурабай"}},
				[]string{"Абай", "Кенесары"}},
			{"buildings of a street", residence.AddressFacetQuery{Field: residence.AddressBuilding, Within: residence.PremisesQuery{Region: "Астана", Locality: "Астана", Street: "Мәңгілік Ел"}},
				[]string{"10", "12"}},
			{"a region unknown", residence.AddressFacetQuery{Field: residence.AddressLocality, Within: residence.PremisesQuery{Region: "Марс"}}, nil},
		}
		// The letters are ordered alike in every collation a database may
		// have (no Kazakh-only letter decides an order).
		mustView(t, s, func(r residence.Reader) error {
			for _, tt := range tests {
				got, err := r.AddressFacet(ctx(t), tt.q)
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Errorf("%s: AddressFacet = %q, %v; want %q", tt.name, got, err, tt.want)
				}
			}
			_, err := r.AddressFacet(ctx(t), residence.AddressFacetQuery{Field: "rka"})
			wantCode(t, err, residence.EInvalid)
			// A district narrows the premises search too.
			ps, err := r.SearchPremises(ctx(t), residence.PremisesQuery{Region: "Жетісу облысы", District: "Зеренді"}, 10)
			if err != nil || len(ps) != 1 || ps[0].RKA != "RKA-V-3" {
				t.Errorf("SearchPremises(district) = %v, %v", ps, err)
			}
			return nil
		})
	})
}
