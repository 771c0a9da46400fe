package store_test

import (
	"context"
	"reflect"
	"testing"

	"tirkeu/internal/residence"
	"tirkeu/internal/store/storetest"
)

// readOneByOne is what Facts must equal: the same reads, statement by
// statement.
func readOneByOne(ctx context.Context, r residence.Reader, q residence.FactsQuery) (residence.Facts, error) {
	var f residence.Facts
	person := func(iin string) (*residence.Person, error) {
		p, err := r.Person(ctx, iin)
		if residence.IsCode(err, residence.ENotFound) {
			return nil, nil
		}
		return &p, err
	}
	var err error
	if f.Subject, err = person(q.SubjectIIN); err != nil {
		return f, err
	}
	if f.Applicant, err = person(q.ApplicantIIN); err != nil {
		return f, err
	}
	if f.Relations, err = r.Relations(ctx, q.ApplicantIIN); err != nil {
		return f, err
	}
	if q.SubjectIIN != q.ApplicantIIN {
		more, err := r.Relations(ctx, q.SubjectIIN)
		if err != nil {
			return f, err
		}
		f.Relations = append(f.Relations, more...)
	}
	if p, err := r.Premises(ctx, q.RKA); err == nil {
		f.Premises = &p
		if f.Owners, err = r.Owners(ctx, q.RKA); err != nil {
			return f, err
		}
		for _, o := range f.Owners {
			if o.OwnerIIN != "" {
				if p, err := person(o.OwnerIIN); err != nil {
					return f, err
				} else if p != nil {
					f.OwnerPersons = append(f.OwnerPersons, *p)
				}
			} else if org, err := r.Organisation(ctx, o.OwnerBIN); err == nil {
				f.OwnerOrganisations = append(f.OwnerOrganisations, org)
			}
		}
	} else if !residence.IsCode(err, residence.ENotFound) {
		return f, err
	}
	if f.Registrations, err = r.Registrations(ctx, q.SubjectIIN); err != nil {
		return f, err
	}
	f.ApplicantOrganisations, err = r.OrganisationsRepresentedBy(ctx, q.ApplicantIIN)
	return f, err
}

// TestFactsIsTheReadsInOne checks that a store's one-round-trip read of a
// submission's facts (residence.FactsReader, PostgreSQL) returns exactly
// what the separate reads return: persons, relations of both, a co-owned
// flat, an organisation's hotel, a state rental, an unknown subject and an
// unknown RKA; with Lock too.
func TestFactsIsTheReadsInOne(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		mustTx(t, s, func(tx residence.Tx) error {
			if err := tx.CreateApplication(ctx(t), application("app-f", iinOwner, iinOwner, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			return tx.CreateRegistration(ctx(t), registration("reg-f", iinOwner, rkaFlat, "app-f", residence.Permanent, day0))
		})
		queries := []residence.FactsQuery{
			{ApplicantIIN: iinOwner, SubjectIIN: iinOwner, RKA: rkaFlat},
			{ApplicantIIN: iinOwner, SubjectIIN: iinChild, RKA: rkaFlat, Lock: true},
			{ApplicantIIN: iinRep, SubjectIIN: iinTenant, RKA: rkaHotel},
			{ApplicantIIN: iinTenant, SubjectIIN: iinChild, RKA: rkaHouse, Lock: true},
			{ApplicantIIN: iinOwner, SubjectIIN: "000000000000", RKA: rkaFlat, Lock: true},
			{ApplicantIIN: "000000000000", SubjectIIN: iinOwner, RKA: "RKA-NONE"},
		}
		implemented := false
		for _, q := range queries {
			mustTx(t, s, func(tx residence.Tx) error {
				fr, ok := tx.(residence.FactsReader)
				if !ok {
					return nil
				}
				implemented = true
				got, err := fr.Facts(ctx(t), q)
				if err != nil {
					return err
				}
				want, err := readOneByOne(ctx(t), tx, q)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Facts(%+v) =\n%+v\nthe reads give\n%+v", q, got, want)
				}
				return nil
			})
		}
		for _, q := range queries {
			if q.Lock {
				continue
			}
			mustView(t, s, func(r residence.Reader) error {
				fr, ok := r.(residence.FactsReader)
				if !ok {
					return nil
				}
				got, err := fr.Facts(ctx(t), q)
				if err != nil {
					return err
				}
				want, err := readOneByOne(ctx(t), r, q)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("View Facts(%+v) =\n%+v\nthe reads give\n%+v", q, got, want)
				}
				return nil
			})
		}
		t.Logf("engine implements FactsReader: %v", implemented)
	})
}

// TestChildsRelationsWithAddresses checks that a store which reads a
// child's relations with the child's addresses (PostgreSQL's View) answers
// Relations as a plain read does, for the child and for another person.
func TestChildsRelationsWithAddresses(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		var want, wantOwner []residence.Relation
		mustView(t, s, func(r residence.Reader) error {
			var err error
			if want, err = r.Relations(ctx(t), iinChild); err != nil {
				return err
			}
			wantOwner, err = r.Relations(ctx(t), iinOwner)
			return err
		})
		if len(want) == 0 {
			t.Fatal("the seed gives the child no relation")
		}
		mustView(t, s, func(r residence.Reader) error {
			if _, err := r.Addresses(ctx(t), iinChild); err != nil {
				return err
			}
			for i := range 2 {
				got, err := r.Relations(ctx(t), iinChild)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Relations after Addresses, read %d: %+v, want %+v", i+1, got, want)
				}
			}
			got, err := r.Relations(ctx(t), iinOwner)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(got, wantOwner) {
				t.Errorf("Relations of another person: %+v, want %+v", got, wantOwner)
			}
			return nil
		})
	})
}

// TestPipelinedWrites checks a store's pipeline mode (residence.Pipeliner):
// a read after queued writes sees them, and a queued write that the
// database refuses fails the transaction with the write's own error code
// and commits nothing of it.
func TestPipelinedWrites(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		pipeline := func(tx residence.Tx) {
			if p, ok := tx.(residence.Pipeliner); ok {
				p.Pipeline()
			}
		}
		mustTx(t, s, func(tx residence.Tx) error {
			pipeline(tx)
			if err := tx.CreateApplication(ctx(t), application("app-p1", iinOwner, iinOwner, rkaFlat, residence.Permanent)); err != nil {
				return err
			}
			if err := tx.CreateRegistration(ctx(t), registration("reg-p1", iinOwner, rkaFlat, "app-p1", residence.Permanent, day0)); err != nil {
				return err
			}
			regs, err := tx.Registrations(ctx(t), iinOwner)
			if err != nil {
				return err
			}
			if len(regs) != 1 || regs[0].ID != "reg-p1" {
				t.Errorf("a read after queued writes: %+v, want reg-p1", regs)
			}
			return nil
		})
		// A second active permanent registration: refused by the database.
		err := s.InTx(ctx(t), func(tx residence.Tx) error {
			pipeline(tx)
			if err := tx.CreateApplication(ctx(t), application("app-p2", iinOwner, iinOwner, rkaHouse, residence.Permanent)); err != nil {
				return err
			}
			return tx.CreateRegistration(ctx(t), registration("reg-p2", iinOwner, rkaHouse, "app-p2", residence.Permanent, day0))
		})
		wantCode(t, err, residence.EConflict)
		// The same, with a read after the refused write: the read reports
		// the write's error.
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			pipeline(tx)
			if err := tx.CreateRegistration(ctx(t), registration("reg-p4", iinOwner, rkaHouse, "app-p1", residence.Permanent, day0)); err != nil {
				return err
			}
			_, err := tx.Registrations(ctx(t), iinOwner)
			wantCode(t, err, residence.EConflict)
			return err
		})
		wantCode(t, err, residence.EConflict)
		// Ending a registration that is not active: not found.
		err = s.InTx(ctx(t), func(tx residence.Tx) error {
			pipeline(tx)
			if err := tx.CreateApplication(ctx(t), application("app-p3", iinOwner, iinOwner, rkaHouse, residence.Temporary)); err != nil {
				return err
			}
			return tx.EndRegistration(ctx(t), "reg-none", day0, residence.EndReplaced)
		})
		wantCode(t, err, residence.ENotFound)
		mustView(t, s, func(r residence.Reader) error {
			for _, id := range []string{"app-p2", "app-p3"} {
				if _, err := r.Application(ctx(t), id); !residence.IsCode(err, residence.ENotFound) {
					t.Errorf("application %s of a failed transaction: %v, want not found", id, err)
				}
			}
			return nil
		})
	})
}

// TestFactsRecordsTheSignature checks FactsQuery.Signature on a store that
// reads facts in one go: the first use is recorded (a later UseSignature
// of the digest conflicts), a second is reported as reused and records
// nothing, and the pipeline goes on to read the rest.
func TestFactsRecordsTheSignature(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s residence.Store) {
		seed(t, s)
		digest := make([]byte, 32)
		digest[0] = 7
		u := &residence.UsedSignature{Digest: digest, Purpose: residence.SignedApplication, SignerIIN: iinOwner, UsedAt: t0}
		q := residence.FactsQuery{Lock: true, ApplicantIIN: iinOwner, SubjectIIN: iinOwner, RKA: rkaFlat, Signature: u}
		for i, wantReused := range []bool{false, true} {
			mustTx(t, s, func(tx residence.Tx) error {
				fr, ok := tx.(residence.FactsReader)
				if !ok {
					return nil
				}
				f, err := fr.Facts(ctx(t), q)
				if err != nil {
					return err
				}
				if f.SignatureReused != wantReused || f.Subject == nil || f.Premises == nil {
					t.Errorf("use %d: reused %v (want %v), subject %v, premises %v", i+1, f.SignatureReused, wantReused, f.Subject, f.Premises)
				}
				return nil
			})
		}
		implemented := false
		err := s.InTx(ctx(t), func(tx residence.Tx) error {
			if _, implemented = tx.(residence.FactsReader); !implemented {
				return nil
			}
			return tx.UseSignature(ctx(t), *u)
		})
		if implemented {
			wantCode(t, err, residence.EConflict)
		}
	})
}
