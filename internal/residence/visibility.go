package residence

// This file decides which identifiers a reader sees: the views the use cases
// return carry them already masked or left out for that reader, so an
// adapter renders them as they are and decides nothing.

// IINFor is iin as reader may see it: whole for that person (a signed-in
// citizen reading about themself) and for staff; masked (MaskIIN) for
// anyone else. An applicant learns that an owner's consent is awaited, not
// the owner's identity.
func IINFor(reader Actor, iin string) string {
	if iin == "" || reader.IsStaff() || (reader.Role == RoleCitizen && reader.IIN == iin) {
		return iin
	}
	return MaskIIN(iin)
}

// ApplicationFor returns a as reader may see it: the IINs of the persons
// whose consent the decision asks for (IINFor), the identities of the
// parties of a possible violation and the operator of an in-person record
// for staff only, and the attorney's IIN masked for all but staff. The
// persons' own IINs (applicant, subject) are left whole: reader is a party.
// a's slices and pointers are not changed.
func ApplicationFor(reader Actor, a Application) Application {
	d := &a.Decision
	if d.Consents != nil {
		cs := make([]ConsentRequirement, len(d.Consents))
		for i, c := range d.Consents {
			c.OwnerIIN = IINFor(reader, c.OwnerIIN)
			cs[i] = c
		}
		d.Consents = cs
	}
	staff := reader.IsStaff()
	if d.Violation != nil && !staff {
		v := *d.Violation
		v.Resident.IIN, v.Resident.BIN = "", ""
		v.Owners = make([]ViolationParty, len(d.Violation.Owners))
		for i, o := range d.Violation.Owners {
			o.IIN, o.BIN = "", ""
			v.Owners[i] = o
		}
		d.Violation = &v
	}
	if d.InPerson != nil && !staff {
		r := *d.InPerson
		r.Operator = ""
		if r.AttorneyIIN != "" {
			r.AttorneyIIN = MaskIIN(r.AttorneyIIN)
		}
		d.InPerson = &r
	}
	return a
}

// ConsentTasksFor returns ts as reader may see them: each owner's IIN by
// IINFor. ts is not changed.
func ConsentTasksFor(reader Actor, ts []ConsentTask) []ConsentTask {
	if ts == nil {
		return nil
	}
	out := make([]ConsentTask, len(ts))
	for i, t := range ts {
		t.OwnerIIN = IINFor(reader, t.OwnerIIN)
		out[i] = t
	}
	return out
}

// viewFor masks v for reader: its application by ApplicationFor, and
// ShownConsents (what an adapter renders) by ConsentTasksFor; Consents stay
// the rows, for the adapter's own lookups.
func viewFor(reader Actor, v ApplicationView) ApplicationView {
	v.Application = ApplicationFor(reader, v.Application)
	v.ShownConsents = ConsentTasksFor(reader, v.Consents)
	return v
}

// AddressesFor returns ad as reader may see it: the IIN of the parent or
// legal representative a child's address is derived from by IINFor.
func AddressesFor(reader Actor, ad Addresses) Addresses {
	if ad.Derived == nil {
		return ad
	}
	ds := make([]DerivedRegistration, len(ad.Derived))
	for i, d := range ad.Derived {
		d.From = IINFor(reader, d.From)
		ds[i] = d
	}
	ad.Derived = ds
	return ad
}
