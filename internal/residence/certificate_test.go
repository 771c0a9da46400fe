package residence_test

import (
	"testing"

	"tirkeu/internal/residence"
)

func TestMaskName(t *testing.T) {
	for _, c := range []struct {
		p    residence.Person
		want string
	}{
		{residence.Person{LastName: "Әлімжанова", FirstName: "Гүлнұр", Patronymic: "Серікқызы"}, "Ә*** Г***"},
		{residence.Person{LastName: "Kim", FirstName: "Ivan"}, "K*** I***"},
		{residence.Person{LastName: "Oralbek"}, "O***"},
		{residence.Person{LastName: " ", FirstName: ""}, ""},
	} {
		if got := residence.MaskName(c.p); got != c.want {
			t.Errorf("MaskName(%+v) = %q, want %q", c.p, got, c.want)
		}
	}
}
