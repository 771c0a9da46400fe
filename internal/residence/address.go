package residence

import (
	"context"
	"slices"
)

// Premises returns premises from the address register. The register holds
// no personal data (no owner, no resident), so it is open to every caller
// and not logged. Errors: not_found.
func (s *Service) Premises(ctx context.Context, rka string) (Premises, error) {
	var p Premises
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		p, err = r.Premises(ctx, rka)
		return err
	})
	return p, err
}

// SearchPremises lists premises of the address register matching every
// non-empty field of q, at most limit (the address picker). Like Premises,
// it reads no personal data.
func (s *Service) SearchPremises(ctx context.Context, q PremisesQuery, limit int) ([]Premises, error) {
	var out []Premises
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		out, err = r.SearchPremises(ctx, q, limit)
		return err
	})
	return out, err
}

// AddressChoices returns one page of the distinct values of an address
// field among the premises matching q.Within (the address picker's
// regions, districts, localities, streets and buildings), in the store's
// text order; page on with q.After set to the last value returned. A page
// holds at most MaxAddressChoices values. Like Premises, it reads no
// personal data, so it is open to every caller and not logged. Errors:
// invalid for an unknown field.
func (s *Service) AddressChoices(ctx context.Context, q AddressFacetQuery) ([]string, error) {
	if !slices.Contains(AddressFields, q.Field) {
		return nil, invalid("field", Text{
			KK: "Мекенжай өрісі белгісіз.",
			RU: "Неизвестное поле адреса.",
			EN: "Unknown address field.",
		})
	}
	if q.Limit <= 0 || q.Limit > MaxAddressChoices {
		q.Limit = MaxAddressChoices
	}
	var out []string
	err := s.store.View(ctx, func(r Reader) error {
		var err error
		out, err = r.AddressFacet(ctx, q)
		return err
	})
	return out, err
}
