package demo

import (
	"bufio"
	"io"
	"strings"
	"time"

	"tirkeu/internal/residence"
)

// writeTown writes the demo registry for ReferenceDate: the cast, then the
// synthetic residents of the two regions. It is how demo.jsonl is made
// (TestDemoFileUpToDate -update); the service only reads that file.
func writeTown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	rw := &recordWriter{w: bw}
	date := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			panic(err)
		}
		return d
	}
	for _, p := range castPersons {
		rw.person(residence.Person{IIN: castIIN[p.key], LastName: p.last, FirstName: p.first, Patronymic: p.patronymic,
			BirthDate: date(p.birth), Citizenship: p.citizenship, Capacity: p.capacity, Deceased: p.deceased,
			Phone: p.phone, ConsularAbroad: p.abroad})
	}
	for _, r := range castRelations {
		rw.relation(residence.RelationKind(r[0]), castIIN[r[1]], castIIN[r[2]])
	}
	for _, o := range castOrganisations {
		rw.organisation(castBIN[o[0]], o[1], castIIN[o[2]])
	}
	for _, p := range castPremises {
		pr := p.Premises
		pr.RKA = castRKA[p.key]
		rw.premises(pr)
	}
	for _, o := range castOwnerships {
		if bin, ok := strings.CutPrefix(o[1], "org:"); ok {
			rw.ownership(castRKA[o[0]], "", castBIN[bin], o[2])
		} else {
			rw.ownership(castRKA[o[0]], castIIN[o[1]], "", o[2])
		}
	}
	rw.rental(castRKA["rental_flat"], castIIN["rental_tenant"], []string{castIIN["rental_member"], castIIN["rental_child"]},
		date("2020-02-15"), date("2030-02-14"))
	for _, p := range castPersons {
		if p.home != "" {
			rw.registration(castIIN[p.key], castRKA[p.home], residence.Permanent, date(p.since), time.Time{})
		}
	}
	if rw.err != nil {
		return rw.err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return Generate(w, GenerateOptions{Persons: townPersons, Seed: townSeed, Today: ReferenceDate, Regions: townRegions})
}
