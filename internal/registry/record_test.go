package registry

import (
	"strings"
	"testing"
	"time"

	"tirkeu/internal/iin"
	"tirkeu/internal/residence"
)

// num returns the valid IIN or BIN that starts with the eleven digits.
func num(tb testing.TB, prefix string) string {
	tb.Helper()
	s, err := iin.Complete(prefix)
	if err != nil {
		tb.Fatalf("complete %s: %v", prefix, err)
	}
	return s
}

// parse decodes and validates one line of the import format, as Import
// does: Decode, then Validate.
func parse(line []byte) (Record, error) {
	rec, err := Decode(line)
	if err != nil {
		return Record{}, err
	}
	return rec, Validate(rec)
}

func TestParse(t *testing.T) {
	t.Parallel()
	p1 := num(t, "80031830012")
	p2 := num(t, "90010130081")
	bin := num(t, "05014000123")
	bad := p1[:11] + string('0'+(p1[11]-'0'+1)%10)
	tests := []struct {
		name    string
		line    string
		wantErr string // substring; "" means valid
		check   func(t *testing.T, r Record)
	}{
		{"person", `{"type":"person","iin":"` + p1 + `","last_name":"Ахметов","first_name":"Ерлан","patronymic":"Серикович","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","deceased":false,"phone":"77011234567","consular_abroad":false}`, "",
			func(t *testing.T, r Record) {
				if r.Person.BirthDate != time.Date(1980, 3, 18, 0, 0, 0, 0, time.UTC) || r.Person.Phone != "77011234567" {
					t.Errorf("person %+v", r.Person)
				}
			}},
		{"person type not first", `{"iin":"` + p1 + `","type":"person","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full"}`, "", nil},
		{"person bad check digit", `{"type":"person","iin":"` + bad + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full"}`, "iin: check digit does not match", nil},
		{"person short iin", `{"type":"person","iin":"123","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full"}`, "iin: must be exactly 12 digits", nil},
		{"person missing iin", `{"type":"person","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full"}`, "iin: required", nil},
		{"person missing last name", `{"type":"person","iin":"` + p1 + `","last_name":" ","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full"}`, "last_name: required", nil},
		{"person missing first name", `{"type":"person","iin":"` + p1 + `","last_name":"A","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full"}`, "first_name: required", nil},
		{"person bad date", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-02-30","citizenship":"KZ","capacity":"full"}`, "birth_date: not a date", nil},
		{"person date format", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"18.03.1980","citizenship":"KZ","capacity":"full"}`, "birth_date: not a date", nil},
		{"person missing date", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","citizenship":"KZ","capacity":"full"}`, "birth_date: required", nil},
		{"person citizenship", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"kaz","capacity":"full"}`, "citizenship: must be", nil},
		{"person capacity", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"limited"}`, `capacity: "limited" is not one of`, nil},
		{"person capacity missing", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ"}`, "capacity: required", nil},
		{"person phone letters", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","phone":"7701123456x"}`, "phone: must be a Kazakhstan mobile number", nil},
		{"person phone ten digits", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","phone":"7011234567"}`, "phone: must be a Kazakhstan mobile number", nil},
		{"person phone foreign", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","phone":"+497011234567"}`, "phone: must be a Kazakhstan mobile number", nil},
		{"person phone plus eight", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","phone":"+87011234567"}`, "phone: must be a Kazakhstan mobile number", nil},
		{"person phone plus", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","phone":"+77011234567"}`, "", wantPhone("77011234567")},
		{"person phone trunk 8", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","phone":"87011234567"}`, "", wantPhone("77011234567")},
		{"person phone spaces", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","phone":"+7 701 123 45 67"}`, "", wantPhone("77011234567")},
		{"person phone dashes and parentheses", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","phone":"8 (701) 123-45-67"}`, "", wantPhone("77011234567")},
		{"person deceased wrong type", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","deceased":"yes"}`, "deceased: wrong JSON type (string)", nil},
		{"person unknown field", `{"type":"person","iin":"` + p1 + `","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full","sex":"m"}`, `unknown field "sex"`, nil},

		{"relation", `{"type":"relation","kind":"parent","from":"` + p1 + `","to":"` + p2 + `"}`, "", nil},
		{"relation kind", `{"type":"relation","kind":"uncle","from":"` + p1 + `","to":"` + p2 + `"}`, `kind: "uncle" is not one of parent, guardian`, nil},
		{"relation self", `{"type":"relation","kind":"guardian","from":"` + p1 + `","to":"` + p1 + `"}`, "own guardian", nil},
		{"relation bad to", `{"type":"relation","kind":"parent","from":"` + p1 + `","to":"` + bad + `"}`, "to: check digit", nil},

		{"organisation", `{"type":"organisation","bin":"` + bin + `","name":"Отель","representatives":["` + p1 + `"]}`, "", nil},
		{"organisation bad bin", `{"type":"organisation","bin":"050140001230","name":"Отель","representatives":[]}`, "bin:", nil},
		{"organisation no name", `{"type":"organisation","bin":"` + bin + `","representatives":[]}`, "name: required", nil},
		{"organisation bad rep", `{"type":"organisation","bin":"` + bin + `","name":"X","representatives":["` + p1 + `","1"]}`, "representatives[1]: must be exactly 12 digits", nil},

		{"premises", `{"type":"premises","rka":"0201001234567890","region":"Астана","district":"Есиль","locality":"Астана","street":"Мангилик Ел","building":"10","unit":"15","kind":"apartment","state_rental":false,"area_m2":54.5}`, "",
			func(t *testing.T, r Record) {
				if r.Premises.AreaM2 != 54.5 || r.Premises.Kind != residence.PremisesApartment {
					t.Errorf("premises %+v", r.Premises)
				}
			}},
		{"premises kind", `{"type":"premises","rka":"R1","region":"Астана","locality":"Астана","building":"10","kind":"castle"}`, `kind: "castle" is not one of apartment`, nil},
		{"premises no kind", `{"type":"premises","rka":"R1","region":"Астана","locality":"Астана","building":"10"}`, "kind: required", nil},
		{"premises no rka", `{"type":"premises","region":"Астана","locality":"Астана","building":"10","kind":"house"}`, "rka: required", nil},
		{"premises rka space", `{"type":"premises","rka":"R 1","region":"Астана","locality":"Астана","building":"10","kind":"house"}`, "rka: contains a space", nil},
		{"premises no region", `{"type":"premises","rka":"R1","locality":"Астана","building":"10","kind":"house"}`, "region: required", nil},
		{"premises no building", `{"type":"premises","rka":"R1","region":"Астана","locality":"Астана","kind":"house"}`, "building: required", nil},
		{"premises area", `{"type":"premises","rka":"R1","region":"Астана","locality":"Астана","building":"1","kind":"house","area_m2":-3}`, "area_m2: must be a positive number", nil},

		{"ownership number", `{"type":"ownership","rka":"R1","owner_iin":"` + p1 + `","share":0.5}`, "",
			func(t *testing.T, r Record) {
				if r.Ownership.Share != 0.5 {
					t.Errorf("share %v", r.Ownership.Share)
				}
			}},
		{"ownership fraction", `{"type":"ownership","rka":"R1","owner_bin":"` + bin + `","share":"1/3"}`, "",
			func(t *testing.T, r Record) {
				if r.Ownership.Share != 1.0/3 {
					t.Errorf("share %v", r.Ownership.Share)
				}
			}},
		{"ownership zero", `{"type":"ownership","rka":"R1","owner_iin":"` + p1 + `","share":0}`, "share: must be in (0, 1]", nil},
		{"ownership above one", `{"type":"ownership","rka":"R1","owner_iin":"` + p1 + `","share":1.5}`, "share: must be in (0, 1]", nil},
		{"ownership fraction above one", `{"type":"ownership","rka":"R1","owner_iin":"` + p1 + `","share":"3/2"}`, "share: must be in (0, 1]", nil},
		{"ownership fraction garbage", `{"type":"ownership","rka":"R1","owner_iin":"` + p1 + `","share":"half"}`, "share: not a number", nil},
		{"ownership no share", `{"type":"ownership","rka":"R1","owner_iin":"` + p1 + `"}`, "share: required", nil},
		{"ownership both owners", `{"type":"ownership","rka":"R1","owner_iin":"` + p1 + `","owner_bin":"` + bin + `","share":1}`, "exactly one", nil},
		{"ownership no owner", `{"type":"ownership","rka":"R1","share":1}`, "one is required", nil},

		{"rental", `{"type":"rental","rka":"R1","tenant_iin":"` + p1 + `","members":["` + p2 + `"],"valid_from":"2024-01-01","valid_until":"2029-12-31"}`, "", nil},
		{"rental reversed", `{"type":"rental","rka":"R1","tenant_iin":"` + p1 + `","members":[],"valid_from":"2024-01-01","valid_until":"2023-12-31"}`, "valid_until: before valid_from", nil},
		{"rental no until", `{"type":"rental","rka":"R1","tenant_iin":"` + p1 + `","members":[],"valid_from":"2024-01-01"}`, "valid_until: required", nil},
		{"rental bad member", `{"type":"rental","rka":"R1","tenant_iin":"` + p1 + `","members":["` + bad + `"],"valid_from":"2024-01-01","valid_until":"2025-01-01"}`, "members[0]: check digit", nil},

		{"registration permanent", `{"type":"registration","iin":"` + p1 + `","rka":"R1","kind":"permanent","since":"2010-05-01"}`, "",
			func(t *testing.T, r Record) {
				if !r.Registration.Imported || r.Registration.Status != residence.RegistrationActive {
					t.Errorf("registration %+v", r.Registration)
				}
			}},
		{"registration temporary", `{"type":"registration","iin":"` + p1 + `","rka":"R1","kind":"temporary","since":"2025-05-01","until":"2025-11-01"}`, "", nil},
		{"registration kind", `{"type":"registration","iin":"` + p1 + `","rka":"R1","kind":"forever","since":"2010-05-01"}`, `kind: "forever" is not one of permanent, temporary`, nil},
		{"registration permanent until", `{"type":"registration","iin":"` + p1 + `","rka":"R1","kind":"permanent","since":"2010-05-01","until":"2011-01-01"}`, "until: only a temporary", nil},
		{"registration temporary no until", `{"type":"registration","iin":"` + p1 + `","rka":"R1","kind":"temporary","since":"2010-05-01"}`, "until: required", nil},
		{"registration temporary reversed", `{"type":"registration","iin":"` + p1 + `","rka":"R1","kind":"temporary","since":"2010-05-01","until":"2010-04-01"}`, "until: before since", nil},
		{"registration no since", `{"type":"registration","iin":"` + p1 + `","rka":"R1","kind":"permanent"}`, "since: required", nil},

		{"unknown type", `{"type":"spaceship","id":1}`, `unknown type "spaceship"`, nil},
		{"missing type", `{"iin":"` + p1 + `"}`, "type: required", nil},
		{"type not a string", `{"type":7}`, "type: must be a string", nil},
		{"malformed", `{"type":"person","iin":`, "malformed JSON", nil},
		{"not an object", `[1,2]`, "malformed JSON", nil},
		{"trailing data", `{"type":"relation","kind":"parent","from":"` + p1 + `","to":"` + p2 + `"} {}`, "more than one value", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, err := parse([]byte(tt.line))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if tt.check != nil {
					tt.check(t, rec)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Parse error %v, want %q", err, tt.wantErr)
			}
			for _, n := range []string{p1, p2, bad} {
				if strings.Contains(err.Error(), n) {
					t.Errorf("reason %q quotes an IIN", err)
				}
			}
		})
	}
}

// wantPhone checks that the parsed person's phone is stored canonically.
func wantPhone(want string) func(t *testing.T, r Record) {
	return func(t *testing.T, r Record) {
		t.Helper()
		if r.Person.Phone != want {
			t.Errorf("phone %q, want %q", r.Person.Phone, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"type":"person","iin":"800318300125","last_name":"A","first_name":"B","birth_date":"1980-03-18","citizenship":"KZ","capacity":"full"}`))
	f.Add([]byte(`{"type":"ownership","rka":"R1","owner_iin":"800318300125","share":"1/2"}`))
	f.Add([]byte(`{"type":"registration","iin":"800318300125","rka":"R1","kind":"temporary","since":"2025-05-01","until":"2025-11-01"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := parse(b)
		if err != nil {
			return
		}
		if rec.Type == "" {
			t.Fatal("valid record without type")
		}
	})
}
