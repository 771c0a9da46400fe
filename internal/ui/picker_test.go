package ui_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"tirkeu/internal/residence"
)

// TestPickerListsEveryChoice: the address picker lists the distinct values
// the register holds, however many premises come before them: a region
// whose only premises sort after 6,000 others is offered, and a street's
// buildings come once each, in natural order ("2" before "10").
func TestPickerListsEveryChoice(t *testing.T) {
	e := newEnv(t)
	var more []residence.Premises
	for i := range 6000 {
		more = append(more, residence.Premises{RKA: fmt.Sprintf("0000-PICK-%04d", i), Region: "Астана", Locality: "Астана",
			Street: "Пикер", Building: fmt.Sprint([]int{10, 2, 33}[i%3]), Unit: fmt.Sprint(i), Kind: residence.PremisesApartment})
	}
	more = append(more, residence.Premises{RKA: "ZZZZ-LAST-1", Region: "Ұлытау облысы", Locality: "Жезқазған", Street: "Алашахан",
		Building: "7", Kind: residence.PremisesHouse})
	if err := e.st.InTx(context.Background(), func(tx residence.Tx) error { return tx.UpsertPremises(context.Background(), more) }); err != nil {
		t.Fatal(err)
	}
	c := e.client("en")
	c.signIn(e.person("tenant").IIN)
	_, body := c.get("/apply")
	mustContain(t, body, `<option value="Ұлытау облысы"`, `<option value="Астана"`)
	q := "/apply?kind=permanent&region=" + url.QueryEscape("Астана") + "&locality=" + url.QueryEscape("Астана") + "&street=" + url.QueryEscape("Пикер")
	_, body = c.get(q)
	i2, i10, i33 := strings.Index(body, `<option value="2"`), strings.Index(body, `<option value="10"`), strings.Index(body, `<option value="33"`)
	if i2 < 0 || !(i2 < i10 && i10 < i33) || strings.Count(body, `<option value="10"`) != 1 {
		t.Fatalf("buildings of the street: 2 at %d, 10 at %d, 33 at %d\n%s", i2, i10, i33, excerpt(body))
	}
	_, body = c.get("/apply?kind=permanent&region=" + url.QueryEscape("Ұлытау облысы") + "&locality=" + url.QueryEscape("Жезқазған") +
		"&street=" + url.QueryEscape("Алашахан") + "&building=7")
	mustContain(t, body, `value="ZZZZ-LAST-1"`)
}
