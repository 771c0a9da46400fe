package residence_test

import (
	"context"
	"fmt"
	"testing"

	"tirkeu/internal/residence"
)

// TestAddressChoices: the use case refuses a field that is not an address
// field, bounds a page to MaxAddressChoices values and pages on with After.
func TestAddressChoices(t *testing.T) {
	e := newSubjectEnv(t)
	ctx := context.Background()
	var more []residence.Premises
	for i := range residence.MaxAddressChoices + 5 {
		more = append(more, residence.Premises{RKA: fmt.Sprintf("AC-%05d", i), Region: "Тест", Locality: "Тест",
			Street: fmt.Sprintf("Street %05d", i), Building: "1", Kind: residence.PremisesHouse})
	}
	if err := e.st.InTx(ctx, func(tx residence.Tx) error { return tx.UpsertPremises(ctx, more) }); err != nil {
		t.Fatal(err)
	}
	for _, f := range []residence.AddressField{"", "rka", "unit", "owner_iin"} {
		if _, err := e.svc.AddressChoices(ctx, residence.AddressFacetQuery{Field: f}); !residence.IsCode(err, residence.EInvalid) {
			t.Errorf("field %q: %v, want invalid", f, err)
		}
	}
	within := residence.PremisesQuery{Region: "Тест", Locality: "Тест"}
	for _, limit := range []int{0, -1, residence.MaxAddressChoices + 1} {
		page, err := e.svc.AddressChoices(ctx, residence.AddressFacetQuery{Field: residence.AddressStreet, Within: within, Limit: limit})
		if err != nil || len(page) != residence.MaxAddressChoices || page[0] != "Street 00000" {
			t.Fatalf("limit %d: %d values, %v", limit, len(page), err)
		}
	}
	next, err := e.svc.AddressChoices(ctx, residence.AddressFacetQuery{Field: residence.AddressStreet, Within: within,
		After: fmt.Sprintf("Street %05d", residence.MaxAddressChoices-1), Limit: 3})
	if err != nil || fmt.Sprint(next) != "[Street 01000 Street 01001 Street 01002]" {
		t.Fatalf("next page = %v, %v", next, err)
	}
}
