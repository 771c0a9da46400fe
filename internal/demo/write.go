package demo

import (
	"bufio"
	"strconv"
	"time"

	"tirkeu/internal/residence"
)

// recordWriter appends registry records in the import format to a buffered
// writer. It builds each line by hand: the generator writes millions of
// them, and every string it writes is its own (no escaping beyond quotes).
type recordWriter struct {
	w   *bufio.Writer
	b   []byte
	err error
}

func (rw *recordWriter) flushLine() {
	rw.b = append(rw.b, "}\n"...)
	if rw.err == nil {
		_, rw.err = rw.w.Write(rw.b)
	}
	rw.b = rw.b[:0]
}

func (rw *recordWriter) begin(typ string) {
	rw.b = append(rw.b[:0], `{"type":"`...)
	rw.b = append(rw.b, typ...)
	rw.b = append(rw.b, '"')
}

func (rw *recordWriter) str(key, v string) {
	rw.b = append(rw.b, `,"`...)
	rw.b = append(rw.b, key...)
	rw.b = append(rw.b, `":`...)
	rw.b = appendString(rw.b, v)
}

func (rw *recordWriter) raw(key, v string) {
	rw.b = append(rw.b, `,"`...)
	rw.b = append(rw.b, key...)
	rw.b = append(rw.b, `":`...)
	rw.b = append(rw.b, v...)
}

func (rw *recordWriter) boolean(key string, v bool) {
	if v {
		rw.raw(key, "true")
	} else {
		rw.raw(key, "false")
	}
}

func (rw *recordWriter) date(key string, d time.Time) {
	rw.b = append(rw.b, `,"`...)
	rw.b = append(rw.b, key...)
	rw.b = append(rw.b, `":"`...)
	rw.b = appendDate(rw.b, d)
	rw.b = append(rw.b, '"')
}

func (rw *recordWriter) list(key string, vs []string) {
	rw.b = append(rw.b, `,"`...)
	rw.b = append(rw.b, key...)
	rw.b = append(rw.b, `":[`...)
	for i, v := range vs {
		if i > 0 {
			rw.b = append(rw.b, ',')
		}
		rw.b = appendString(rw.b, v)
	}
	rw.b = append(rw.b, ']')
}

func (rw *recordWriter) person(p residence.Person) {
	rw.begin("person")
	rw.str("iin", p.IIN)
	rw.str("last_name", p.LastName)
	rw.str("first_name", p.FirstName)
	rw.str("patronymic", p.Patronymic)
	rw.date("birth_date", p.BirthDate)
	rw.str("citizenship", p.Citizenship)
	rw.str("capacity", string(p.Capacity))
	rw.boolean("deceased", p.Deceased)
	rw.str("phone", p.Phone)
	rw.boolean("consular_abroad", p.ConsularAbroad)
	rw.flushLine()
}

func (rw *recordWriter) relation(kind residence.RelationKind, from, to string) {
	rw.begin("relation")
	rw.str("kind", string(kind))
	rw.str("from", from)
	rw.str("to", to)
	rw.flushLine()
}

func (rw *recordWriter) organisation(bin, name string, reps ...string) {
	rw.begin("organisation")
	rw.str("bin", bin)
	rw.str("name", name)
	rw.list("representatives", reps)
	rw.flushLine()
}

func (rw *recordWriter) premises(p residence.Premises) {
	rw.begin("premises")
	rw.str("rka", p.RKA)
	rw.str("region", p.Region)
	rw.str("district", p.District)
	rw.str("locality", p.Locality)
	rw.str("street", p.Street)
	rw.str("building", p.Building)
	rw.str("unit", p.Unit)
	rw.str("kind", string(p.Kind))
	rw.boolean("state_rental", p.StateRental)
	if p.AreaM2 > 0 {
		rw.raw("area_m2", strconv.FormatFloat(p.AreaM2, 'f', -1, 64))
	}
	rw.flushLine()
}

// ownership writes a share given as a fraction string ("1/2") or, when
// share is "1", as the number 1.
func (rw *recordWriter) ownership(rka, ownerIIN, ownerBIN, share string) {
	rw.begin("ownership")
	rw.str("rka", rka)
	if ownerIIN != "" {
		rw.str("owner_iin", ownerIIN)
	} else {
		rw.str("owner_bin", ownerBIN)
	}
	if share == "1" {
		rw.raw("share", "1")
	} else {
		rw.str("share", share)
	}
	rw.flushLine()
}

func (rw *recordWriter) rental(rka, tenant string, members []string, from, until time.Time) {
	rw.begin("rental")
	rw.str("rka", rka)
	rw.str("tenant_iin", tenant)
	rw.list("members", members)
	rw.date("valid_from", from)
	rw.date("valid_until", until)
	rw.flushLine()
}

func (rw *recordWriter) registration(iin, rka string, kind residence.Kind, since, until time.Time) {
	rw.begin("registration")
	rw.str("iin", iin)
	rw.str("rka", rka)
	rw.str("kind", string(kind))
	rw.date("since", since)
	if !until.IsZero() {
		rw.date("until", until)
	}
	rw.flushLine()
}

// appendString appends s as a JSON string. The generator's strings hold no
// control characters, so only quotes and backslashes need escaping.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := range len(s) {
		c := s[i]
		if c == '"' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

func appendDate(b []byte, d time.Time) []byte {
	y, m, day := d.Date()
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+int(m)/10), byte('0'+int(m)%10), '-')
	return append(b, byte('0'+day/10), byte('0'+day%10))
}
