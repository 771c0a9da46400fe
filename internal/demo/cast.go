package demo

import (
	"fmt"
	"time"

	"tirkeu/internal/iin"
	"tirkeu/internal/residence"
)

// castSerialBase is the first IIN serial of the cast; the generator uses the
// serials below it, so the cast never collides with the synthetic town.
const castSerialBase = 9000

// castPerson is a person of the cast as the demo file holds them on
// ReferenceDate.
type castPerson struct {
	key         string
	last, first string
	patronymic  string
	male        bool
	birth       string // on ReferenceDate
	phone       string
	capacity    residence.Capacity
	deceased    bool
	abroad      bool
	citizenship string
	home        string // premises of the permanent registration ("" none)
	since       string
}

// The cast. Children whose age matters are born on ReferenceDate's day and
// month, so that the yearly shift of Load keeps their age on every day.
var castPersons = []castPerson{
	{key: "sole_owner", last: "Ахметов", first: "Серік", patronymic: "Болатұлы", male: true, birth: "1981-06-12", phone: "77011000001", home: "ahmetov_house", since: "1999-07-01"},
	{key: "sole_owner_father", last: "Ахметов", first: "Болат", patronymic: "Ерланұлы", male: true, birth: "1950-03-03", phone: "77011000002", home: "ahmetov_house", since: "1985-04-10"},
	{key: "tenant", last: "Петрова", first: "Анна", patronymic: "Сергеевна", birth: "1996-09-20", phone: "77021000003", home: "petrova_flat", since: "2010-10-01"},
	{key: "tenant_mother", last: "Петрова", first: "Елена", patronymic: "Викторовна", birth: "1970-04-11", phone: "77021000004", home: "petrova_flat", since: "1998-02-15"},
	{key: "co_owner_1", last: "Нұрланова", first: "Жанар", patronymic: "Асхатқызы", birth: "1988-02-08", phone: "77051000005", home: "coowned_flat", since: "2016-05-20"},
	{key: "co_owner_2", last: "Ким", first: "Дмитрий", patronymic: "Игоревич", male: true, birth: "1986-11-30", phone: "77071000006", home: "coowned_flat", since: "2016-05-20"},
	{key: "parent", last: "Сейітова", first: "Айгүл", patronymic: "Маратқызы", birth: "1985-05-17", phone: "77471000007", home: "seitova_old", since: "2003-06-01"},
	{key: "child_15", last: "Сейітов", first: "Әлихан", patronymic: "Ерланұлы", male: true, birth: "2011-01-15", home: "seitova_old", since: "2025-01-20"},
	{key: "child_13", last: "Сейітова", first: "Дана", patronymic: "Ерланқызы", birth: "2013-01-15"},
	{key: "grandmother", last: "Сейітова", first: "Гүлмира", patronymic: "Қайратқызы", birth: "1958-08-02", phone: "77011000010", home: "seitova_old", since: "1990-09-01"},
	{key: "guardian", last: "Жақсылықов", first: "Ерболат", patronymic: "Мұратұлы", male: true, birth: "1973-10-05", phone: "77751000011", home: "guardian_house", since: "2005-03-12"},
	{key: "ward", last: "Жақсылықова", first: "Гүлнар", patronymic: "Мұратқызы", birth: "1977-12-01", phone: "77751000012", capacity: residence.CapacityIncapable, home: "care_home", since: "2019-11-05"},
	{key: "care_home_head", last: "Исаева", first: "Салтанат", patronymic: "Болатқызы", birth: "1979-03-14", phone: "77011000013", home: "isaeva_flat", since: "2008-08-08"},
	{key: "minor_flat_owner", last: "Омаров", first: "Бауыржан", patronymic: "Санжарұлы", male: true, birth: "1979-04-22", phone: "77771000014", home: "omarov_house", since: "2004-04-04"},
	{key: "minor_co_owner", last: "Омаров", first: "Нұрсұлтан", patronymic: "Бауыржанұлы", male: true, birth: "2009-01-15", home: "omarov_house", since: "2023-01-20"},
	{key: "rental_tenant", last: "Тоқтаров", first: "Ержан", patronymic: "Арманұлы", male: true, birth: "1987-07-07", phone: "77011000016", home: "rental_flat", since: "2020-03-01"},
	{key: "rental_member", last: "Тоқтарова", first: "Сәуле", patronymic: "Бауыржанқызы", birth: "1990-03-25", phone: "77021000017", home: "sarsenova_flat", since: "2006-04-01"},
	{key: "rental_child", last: "Тоқтаров", first: "Айдос", patronymic: "Ержанұлы", male: true, birth: "2018-05-05"},
	{key: "rental_friend", last: "Смирнов", first: "Виктор", patronymic: "Андреевич", male: true, birth: "1995-12-12", phone: "77051000019", home: "vasilyeva_flat", since: "2021-02-01"},
	{key: "rental_member_mother", last: "Сарсенова", first: "Ботагөз", patronymic: "Нұрланқызы", birth: "1962-06-06", phone: "77011000020", home: "sarsenova_flat", since: "1989-07-01"},
	{key: "hotel_head", last: "Мұқанова", first: "Әсел", patronymic: "Тимурқызы", birth: "1984-09-09", phone: "77081000021", home: "mukanova_flat", since: "2012-01-25"},
	{key: "hotel_guest", last: "Бекенов", first: "Тимур", patronymic: "Олжасұлы", male: true, birth: "1992-02-14", phone: "77011000022", home: "bekenov_flat", since: "2018-09-01"},
	{key: "no_phone", last: "Васильева", first: "Людмила", patronymic: "Николаевна", birth: "1958-10-10", home: "vasilyeva_flat", since: "1984-05-05"},
	{key: "back_from_abroad", last: "Қасымов", first: "Дәурен", patronymic: "Ғалымұлы", male: true, birth: "1991-08-19", phone: "77771000024", abroad: true, home: "kasymov_parents", since: "2007-09-01"},
	{key: "back_from_abroad_father", last: "Қасымов", first: "Ғалым", patronymic: "Нұрланұлы", male: true, birth: "1960-01-30", phone: "77771000025", home: "kasymov_parents", since: "1992-03-03"},
	{key: "deceased", last: "Әлиев", first: "Бекзат", patronymic: "Қайратұлы", male: true, birth: "1940-01-30", deceased: true, home: "aliev_house", since: "1975-06-01"},
	{key: "akimat_head", last: "Оспанов", first: "Марат", patronymic: "Серікұлы", male: true, birth: "1976-07-21", phone: "77011000027", home: "ospanov_flat", since: "2001-10-10"},
	{key: "foreigner", last: "Иванов", first: "Алексей", patronymic: "Павлович", male: true, birth: "1989-04-04", phone: "77011000028", citizenship: "RU"},
}

// castPremises are the dwellings of the cast.
var castPremises = []struct {
	key string
	residence.Premises
}{
	{"own_flat", residence.Premises{Region: "Астана", District: "Есиль", Locality: "Астана", Street: "Кенесары", Building: "40", Unit: "12", Kind: residence.PremisesApartment, AreaM2: 68}},
	{"ahmetov_house", residence.Premises{Region: "Карагандинская область", Locality: "Караганда", Street: "Бұқар жырау", Building: "77", Kind: residence.PremisesHouse, AreaM2: 120}},
	{"coowned_flat", residence.Premises{Region: "Астана", District: "Сарыарка", Locality: "Астана", Street: "Сарыарқа", Building: "15", Unit: "48", Kind: residence.PremisesApartment, AreaM2: 74}},
	{"petrova_flat", residence.Premises{Region: "Карагандинская область", Locality: "Караганда", Street: "Гоголя", Building: "31", Unit: "5", Kind: residence.PremisesApartment, AreaM2: 52}},
	{"seitova_new", residence.Premises{Region: "Астана", District: "Алматы", Locality: "Астана", Street: "Тұран", Building: "22", Unit: "7", Kind: residence.PremisesApartment, AreaM2: 81}},
	{"seitova_old", residence.Premises{Region: "Астана", District: "Байконур", Locality: "Астана", Street: "Абая", Building: "9", Unit: "3", Kind: residence.PremisesApartment, AreaM2: 58}},
	{"guardian_house", residence.Premises{Region: "Карагандинская область", Locality: "Темиртау", Street: "Мира", Building: "14", Kind: residence.PremisesHouse, AreaM2: 140}},
	{"care_home", residence.Premises{Region: "Карагандинская область", Locality: "Караганда", Street: "Ерубаева", Building: "50", Kind: residence.PremisesCareHome, AreaM2: 2400}},
	{"isaeva_flat", residence.Premises{Region: "Карагандинская область", Locality: "Караганда", Street: "Ерубаева", Building: "48", Unit: "21", Kind: residence.PremisesApartment, AreaM2: 60}},
	{"minor_coowned_flat", residence.Premises{Region: "Карагандинская область", Locality: "Караганда", Street: "Сәтпаева", Building: "3", Unit: "44", Kind: residence.PremisesApartment, AreaM2: 64}},
	{"omarov_house", residence.Premises{Region: "Карагандинская область", Locality: "Караганда", Street: "Жамбыла", Building: "102", Kind: residence.PremisesHouse, AreaM2: 150}},
	{"rental_flat", residence.Premises{Region: "Астана", District: "Нура", Locality: "Астана", Street: "Бейбітшілік", Building: "9", Unit: "31", Kind: residence.PremisesApartment, StateRental: true, AreaM2: 55}},
	{"sarsenova_flat", residence.Premises{Region: "Астана", District: "Есиль", Locality: "Астана", Street: "Достық", Building: "5", Unit: "90", Kind: residence.PremisesApartment, AreaM2: 70}},
	{"vasilyeva_flat", residence.Premises{Region: "Карагандинская область", Locality: "Караганда", Street: "Ленина", Building: "12", Unit: "8", Kind: residence.PremisesApartment, AreaM2: 47}},
	{"mukanova_flat", residence.Premises{Region: "Астана", District: "Есиль", Locality: "Астана", Street: "Достық", Building: "7", Unit: "15", Kind: residence.PremisesApartment, AreaM2: 66}},
	{"hotel", residence.Premises{Region: "Астана", District: "Есиль", Locality: "Астана", Street: "Қабанбай батыр", Building: "11", Kind: residence.PremisesHotel, AreaM2: 5600}},
	{"bekenov_flat", residence.Premises{Region: "Карагандинская область", Locality: "Караганда", Street: "Назарбаева", Building: "20", Unit: "60", Kind: residence.PremisesApartment, AreaM2: 49}},
	{"kasymov_flat", residence.Premises{Region: "Астана", District: "Нура", Locality: "Астана", Street: "Тұран", Building: "37", Unit: "112", Kind: residence.PremisesApartment, AreaM2: 72}},
	{"kasymov_parents", residence.Premises{Region: "Карагандинская область", Locality: "Караганда", Street: "Абая", Building: "60", Unit: "2", Kind: residence.PremisesApartment, AreaM2: 63}},
	{"aliev_house", residence.Premises{Region: "Карагандинская область", Locality: "Сарань", Street: "Пушкина", Building: "4", Kind: residence.PremisesHouse, AreaM2: 90}},
	{"ospanov_flat", residence.Premises{Region: "Астана", District: "Сарыарка", Locality: "Астана", Street: "Сейфуллина", Building: "18", Unit: "4", Kind: residence.PremisesApartment, AreaM2: 61}},
}

// castOwnerships: premises key, owner key (a person or an organisation),
// share.
var castOwnerships = [][3]string{
	{"own_flat", "sole_owner", "1"},
	{"ahmetov_house", "sole_owner_father", "1"},
	{"coowned_flat", "co_owner_1", "1/2"},
	{"coowned_flat", "co_owner_2", "1/2"},
	{"petrova_flat", "tenant_mother", "1"},
	{"seitova_new", "parent", "1"},
	{"seitova_old", "grandmother", "1"},
	{"guardian_house", "guardian", "1"},
	{"care_home", "org:care_home", "1"},
	{"isaeva_flat", "care_home_head", "1"},
	{"minor_coowned_flat", "minor_flat_owner", "1/2"},
	{"minor_coowned_flat", "minor_co_owner", "1/2"},
	{"omarov_house", "minor_flat_owner", "1"},
	{"rental_flat", "org:akimat", "1"},
	{"sarsenova_flat", "rental_member_mother", "1"},
	{"vasilyeva_flat", "no_phone", "1"},
	{"mukanova_flat", "hotel_head", "1"},
	{"hotel", "org:hotel", "1"},
	{"bekenov_flat", "hotel_guest", "1"},
	{"kasymov_flat", "back_from_abroad", "1"},
	{"kasymov_parents", "back_from_abroad_father", "1"},
	{"aliev_house", "deceased", "1"},
	{"ospanov_flat", "akimat_head", "1"},
}

// castOrganisations: key, name, representative key.
var castOrganisations = [][3]string{
	{"hotel", "ТОО «Есіл Қонақ Үйі»", "hotel_head"},
	{"care_home", "КГУ «Центр оказания специальных социальных услуг г. Караганды»", "care_home_head"},
	{"akimat", "ГУ «Управление жилищной политики города Астаны»", "akimat_head"},
}

// castRelations: kind, from, to.
var castRelations = [][3]string{
	{"parent", "sole_owner_father", "sole_owner"},
	{"parent", "tenant_mother", "tenant"},
	{"parent", "parent", "child_15"},
	{"parent", "parent", "child_13"},
	{"parent", "grandmother", "parent"},
	{"guardian", "guardian", "ward"},
	{"parent", "minor_flat_owner", "minor_co_owner"},
	{"parent", "rental_tenant", "rental_child"},
	{"parent", "rental_member", "rental_child"},
	{"parent", "rental_member_mother", "rental_member"},
	{"parent", "back_from_abroad_father", "back_from_abroad"},
}

var (
	castIIN   = map[string]string{}
	castBIN   = map[string]string{}
	castRKA   = map[string]string{}
	castByKey = map[string]*castPerson{}
)

func init() {
	serial := castSerialBase
	for i := range castPersons {
		p := &castPersons[i]
		b, err := time.Parse("2006-01-02", p.birth)
		if err != nil {
			panic("demo: cast birth date: " + err.Error())
		}
		c := 3
		if b.Year() >= 2000 {
			c = 5
		}
		if !p.male {
			c++
		}
		for {
			serial++
			s, err := iin.Complete(fmt.Sprintf("%s%d%04d", b.Format("060102"), c, serial))
			if err == nil {
				castIIN[p.key] = s
				break
			}
		}
		if p.capacity == "" {
			p.capacity = residence.CapacityFull
		}
		if p.citizenship == "" {
			p.citizenship = residence.CitizenKZ
		}
		castByKey[p.key] = p
	}
	for i, o := range castOrganisations {
		for n := 0; ; n++ {
			s, err := iin.Complete(fmt.Sprintf("0%d0140%05d", 5+i, 90001+10*i+n))
			if err == nil {
				castBIN[o[0]] = s
				break
			}
		}
	}
	for i, p := range castPremises {
		castRKA[p.key] = fmt.Sprintf("9%015d", 1001+i)
	}
}

// CastMember is one person of the demo cast and the scenario they show.
type CastMember struct {
	Role     string         `json:"role"`
	IIN      string         `json:"iin"`
	Name     string         `json:"name"`
	Age      int            `json:"age"`
	Phone    string         `json:"phone,omitempty"` // in the MCD; "" when absent
	RKA      string         `json:"rka,omitempty"`   // the premises of the scenario
	Scenario residence.Text `json:"scenario"`
	Try      residence.Text `json:"try"`
}

// castScenario ties a cast person to the premises and texts of a scenario.
type castScenario struct {
	role     string
	premises string
	scenario residence.Text
	try      func() residence.Text
}

func addr(key string) string {
	for _, p := range castPremises {
		if p.key == key {
			return p.Address()
		}
	}
	return ""
}

var castScenarios = []castScenario{
	{"sole_owner", "own_flat",
		residence.Text{KK: "Өз пәтеріне көшетін жалғыз меншік иесі", RU: "Единственный собственник переезжает в свою квартиру", EN: "A sole owner moving into their own flat"},
		func() residence.Text {
			return tryText("own_flat", "тұрақты тіркеуге өтініш беріңіз: келісім қажет емес, бірден тіркеледі, Қарағандыдағы ескі тіркеу аяқталады",
				"подайте заявление на постоянную регистрацию: согласие не нужно, регистрация сразу, старая регистрация в Караганде завершится",
				"apply for permanent registration: no consent needed, registered at once, the old registration in Karaganda ends (moved)")
		}},
	{"tenant", "coowned_flat",
		residence.Text{KK: "Екі бірлескен меншік иесі бар пәтерге көшетін жалға алушы", RU: "Квартиросъёмщица переезжает в квартиру двух сособственников", EN: "A tenant moving into a flat with two co-owners"},
		func() residence.Text {
			return tryText("coowned_flat", "тұрақты тіркеуге өтініш беріңіз: екі меншік иесіне 1414-тен SMS-код келеді (/dev/sms), екеуі де растауы керек",
				"подайте заявление на постоянную регистрацию: оба сособственника получат SMS-код от 1414 (/dev/sms), нужны оба подтверждения",
				"apply for permanent registration: the two co-owners get SMS codes from 1414 (see /dev/sms); both must confirm within an hour")
		}},
	{"co_owner_1", "coowned_flat",
		residence.Text{KK: "Бірлескен меншік иесі (1/2)", RU: "Сособственник (1/2)", EN: "Co-owner (1/2)"},
		func() residence.Text {
			return residence.Text{KK: "Анна Петрованың өтінішіне SMS-кодпен келісім беріңіз немесе бас тартыңыз", RU: "подтвердите или отклоните заявление Анны Петровой SMS-кодом", EN: "confirm or decline Anna Petrova's application with the SMS code"}
		}},
	{"co_owner_2", "coowned_flat",
		residence.Text{KK: "Бірлескен меншік иесі (1/2)", RU: "Сособственник (1/2)", EN: "Co-owner (1/2)"},
		func() residence.Text {
			return residence.Text{KK: "Анна Петрованың өтінішіне SMS-кодпен келісім беріңіз немесе бас тартыңыз", RU: "подтвердите или отклоните заявление Анны Петровой SMS-кодом", EN: "confirm or decline Anna Petrova's application with the SMS code"}
		}},
	{"parent", "seitova_new",
		residence.Text{KK: "13 және 15 жастағы балалары бар ата-ана", RU: "Родитель детей 13 и 15 лет", EN: "A parent with children aged 13 and 15"},
		func() residence.Text {
			return tryText("seitova_new", "15 жастағы Әлиханды тіркеңіз (ата-ана өтінеді) — тіркеледі; 13 жастағы Дананы тіркеу — бас тартылады (SUBJECT_AGE)",
				"зарегистрируйте 15-летнего Әлихана (заявитель — родитель) — зарегистрирован; 13-летнюю Дану — отказ (SUBJECT_AGE)",
				"register 15-year-old Alikhan as his parent — registered; try 13-year-old Dana — rejected (SUBJECT_AGE: under-14s live where their parents live)")
		}},
	{"child_15", "seitova_new", residence.Text{KK: "15 жастағы бала", RU: "Ребёнок 15 лет", EN: "Child aged 15"},
		func() residence.Text {
			return residence.Text{KK: "өзі өтініш берсе — бас тартылады (APPLICANT_AUTHORITY)", RU: "собственное заявление — отказ (APPLICANT_AUTHORITY)", EN: "applying himself is rejected (APPLICANT_AUTHORITY): a parent applies for a 14–15-year-old"}
		}},
	{"child_13", "seitova_new", residence.Text{KK: "13 жастағы бала", RU: "Ребёнок 13 лет", EN: "Child aged 13"},
		func() residence.Text {
			return residence.Text{KK: "тіркеу — бас тартылады (SUBJECT_AGE)", RU: "регистрация — отказ (SUBJECT_AGE)", EN: "any registration is rejected (SUBJECT_AGE)"}
		}},
	{"guardian", "guardian_house",
		residence.Text{KK: "Әрекетке қабілетсіз ересек қамқоршысы", RU: "Опекун недееспособной совершеннолетней", EN: "The guardian of an incapacitated adult"},
		func() residence.Text {
			return tryText("guardian_house", "қамқорлықтағы Гүлнарды өз үйіңізге тіркеңіз — тіркеледі; Гүлнардың өз өтініші — бас тартылады (APPLICANT_AUTHORITY)",
				"зарегистрируйте подопечную Гүлнар в своём доме — зарегистрирована; её собственное заявление — отказ (APPLICANT_AUTHORITY)",
				"register your ward Gulnar in your house — registered; an application by Gulnar herself is rejected (APPLICANT_AUTHORITY)")
		}},
	{"ward", "guardian_house", residence.Text{KK: "Сот әрекетке қабілетсіз деп таныған ересек", RU: "Совершеннолетняя, признанная судом недееспособной", EN: "An adult declared incapable by a court"},
		func() residence.Text {
			return residence.Text{KK: "өзі өтініш берсе — бас тартылады", RU: "собственное заявление — отказ", EN: "her own application is rejected (APPLICANT_AUTHORITY)"}
		}},
	{"minor_flat_owner", "minor_coowned_flat",
		residence.Text{KK: "Кәмелетке толмаған баламен бірлесіп иеленетін пәтер", RU: "Квартира в совместной собственности с несовершеннолетним", EN: "A flat co-owned by a minor"},
		func() residence.Text {
			return tryText("minor_coowned_flat", "тұрақты тіркеуге өтініш беріңіз — ХҚКО-ға бару керек (OFFLINE_OWNERS: меншік иесі кәмелетке толмаған)",
				"подайте заявление на постоянную регистрацию — нужен визит в ЦОН (OFFLINE_OWNERS: сособственник несовершеннолетний)",
				"apply for permanent registration — in person required (OFFLINE_OWNERS: a co-owner is a minor)")
		}},
	{"minor_co_owner", "minor_coowned_flat", residence.Text{KK: "Кәмелетке толмаған бірлескен меншік иесі (17 жас)", RU: "Несовершеннолетний сособственник (17 лет)", EN: "Minor co-owner (17)"},
		func() residence.Text {
			return residence.Text{KK: "ол иеленетін пәтерге кез келген онлайн өтініш ХҚКО-ға жіберіледі", RU: "любое онлайн-заявление в его квартиру направляется в ЦОН", EN: "any online application to his flat needs a service centre visit"}
		}},
	{"rental_tenant", "rental_flat",
		residence.Text{KK: "Мемлекеттік жалға берілетін пәтердің жалға алушысы", RU: "Наниматель государственного арендного жилья", EN: "The tenant of a state rental flat"},
		func() residence.Text {
			return tryText("rental_flat", "шартта көрсетілген әйеліңіз Сәулені тіркеңіз — Сәуле 1414-тен келген SMS-кодпен растағанда тіркеледі (SUBJECT_CONSENT); шартта жоқ досыңыз Викторды — бас тартылады (STATE_RENTAL)",
				"зарегистрируйте жену Сәуле (указана в договоре) — зарегистрирована, когда она подтвердит SMS-кодом от 1414 (SUBJECT_CONSENT); друга Виктора (не указан) — отказ (STATE_RENTAL)",
				"register your wife Saule (listed in the agreement) — registered once she confirms with the SMS code from 1414 (SUBJECT_CONSENT); your friend Viktor (not listed) — rejected (STATE_RENTAL)")
		}},
	{"rental_member", "rental_flat", residence.Text{KK: "Жалға алу шартында көрсетілген отбасы мүшесі", RU: "Член семьи, указанный в договоре найма", EN: "A family member listed in the rental agreement"},
		func() residence.Text {
			return residence.Text{KK: "жалға алушы сізді тіркей алады: 1414-тен келген SMS-кодпен растаңыз немесе бас тартыңыз (SUBJECT_CONSENT)", RU: "наниматель может вас зарегистрировать: подтвердите SMS-кодом от 1414 или откажитесь (SUBJECT_CONSENT)", EN: "the tenant may register her; she confirms with the SMS code from 1414, or declines (SUBJECT_CONSENT)"}
		}},
	{"rental_friend", "rental_flat", residence.Text{KK: "Шартта жоқ дос", RU: "Друг, не указанный в договоре", EN: "A friend not listed in the agreement"},
		func() residence.Text {
			return residence.Text{KK: "мемлекеттік пәтерге тіркеу — бас тартылады (STATE_RENTAL)", RU: "регистрация в госквартире — отказ (STATE_RENTAL)", EN: "registration in the state rental flat is rejected (STATE_RENTAL)"}
		}},
	{"hotel_head", "hotel",
		residence.Text{KK: "Қонақ үй және оның өкілі", RU: "Гостиница и её представитель", EN: "A hotel and its representative"},
		func() residence.Text {
			return residence.Text{KK: "қонақ Тимур Бекеновты уақытша тіркеуге өтініш беріңіз — Тимур 1414-тен келген SMS-кодпен растағанша ештеңе өзгермейді (SUBJECT_CONSENT); ол өзі өтініш берсе, өтінішхатқа ЭЦҚ-мен қол қойыңыз (ORGANISATION_PETITION)", RU: "подайте заявление о временной регистрации гостя Тимура Бекенова — ничего не изменится, пока Тимур не подтвердит SMS-кодом от 1414 (SUBJECT_CONSENT); если он подаёт сам, подпишите ЭЦП ходатайство (ORGANISATION_PETITION)", EN: "apply for guest Timur Bekenov's temporary registration — nothing changes until Timur confirms with the SMS code from 1414 (SUBJECT_CONSENT); when he applies himself, sign the hotel's petition with EDS (ORGANISATION_PETITION)"}
		}},
	{"hotel_guest", "hotel", residence.Text{KK: "Қонақ үйдегі қонақ", RU: "Гость гостиницы", EN: "A hotel guest"},
		func() residence.Text {
			return tryText("hotel", "3 айға уақытша тіркеуге өтініш беріңіз — қонақ үйдің өтінішхатын күтеді; қонақ үй сіз үшін өтініш берсе, 1414-тен келген SMS-кодпен растаңыз немесе бас тартыңыз (SUBJECT_CONSENT)",
				"подайте заявление на временную регистрацию на 3 месяца — ожидает ходатайства гостиницы; если заявление за вас подаёт гостиница, подтвердите SMS-кодом от 1414 или откажитесь (SUBJECT_CONSENT)",
				"apply for temporary registration for 3 months — awaits the hotel's petition signed by its representative; when the hotel applies for you, confirm with the SMS code from 1414, or decline (SUBJECT_CONSENT)")
		}},
	{"no_phone", "vasilyeva_flat",
		residence.Text{KK: "Мобильді азаматтар базасында телефоны жоқ адам", RU: "Человек без телефона в базе мобильных граждан", EN: "A person without a phone in the Mobile Citizens Database"},
		func() residence.Text {
			return residence.Text{KK: "SMS арқылы кіру — 422 no_mcd_phone; тек ЭЦҚ арқылы қол қойып, келісім бере алады", RU: "вход по SMS — 422 no_mcd_phone; подписывать и давать согласие можно только ЭЦП", EN: "SMS login fails (422 no_mcd_phone); she signs and consents with EDS only"}
		}},
	{"back_from_abroad", "kasymov_flat",
		residence.Text{KK: "Шетелден оралған азамат (консулдық есепте)", RU: "Гражданин, вернувшийся из-за рубежа (на консульском учёте)", EN: "A citizen back from abroad (on a consular register)"},
		func() residence.Text {
			return tryText("kasymov_flat", "өз пәтеріңізге тұрақты тіркеуге өтініш беріңіз — ХҚКО-ға құжаттармен бару керек (ARRIVAL_FROM_ABROAD)",
				"подайте заявление на постоянную регистрацию в своей квартире — нужен визит в ЦОН с документами (ARRIVAL_FROM_ABROAD)",
				"apply for permanent registration in your own flat — in person required with documents (ARRIVAL_FROM_ABROAD)")
		}},
	{"deceased", "aliev_house",
		residence.Text{KK: "Қайтыс болған адам", RU: "Умерший", EN: "A deceased person"},
		func() residence.Text {
			return residence.Text{KK: "ол туралы кез келген өтініш — бас тартылады (SUBJECT_ALIVE)", RU: "любое заявление о нём — отказ (SUBJECT_ALIVE)", EN: "any application for him is rejected (SUBJECT_ALIVE)"}
		}},
	{"foreigner", "own_flat",
		residence.Text{KK: "Шетел азаматы", RU: "Иностранный гражданин", EN: "A foreign citizen"},
		func() residence.Text {
			return residence.Text{KK: "тіркеу — бас тартылады (SUBJECT_CITIZEN: көші-қон қызметі)", RU: "регистрация — отказ (SUBJECT_CITIZEN: миграционная служба)", EN: "registration is rejected (SUBJECT_CITIZEN: foreigners use the migration service)"}
		}},
}

func tryText(premises, kk, ru, en string) residence.Text {
	rka, a := castRKA[premises], addr(premises)
	return residence.Text{
		KK: fmt.Sprintf("%s (РКА %s): %s", a, rka, kk),
		RU: fmt.Sprintf("%s (РКА %s): %s", a, rka, ru),
		EN: fmt.Sprintf("%s (RKA %s): %s", a, rka, en),
	}
}

// Cast returns the demo cast, one member for each scenario and the people
// around them, with ages on today (the demo registry loaded by Load for the
// same today holds the same facts).
func Cast(today time.Time) []CastMember {
	years := shiftYears(today)
	out := make([]CastMember, 0, len(castScenarios))
	for _, s := range castScenarios {
		p := castByKey[s.role]
		b, _ := time.Parse("2006-01-02", p.birth)
		out = append(out, CastMember{
			Role:     s.role,
			IIN:      castIIN[s.role],
			Name:     p.last + " " + p.first + " " + p.patronymic,
			Age:      residence.AgeOn(residence.AddMonths(b, 12*years), residence.DateOf(today)),
			Phone:    p.phone,
			RKA:      castRKA[s.premises],
			Scenario: s.scenario,
			Try:      s.try(),
		})
	}
	return out
}

// EDSSubject is a person for whom the demo certificate authority issues a
// key: an adult of the cast, and for an organisation's representative the
// organisation's BIN and the role "head".
type EDSSubject struct {
	IIN        string   `json:"iin"`
	BIN        string   `json:"bin,omitempty"`
	CommonName string   `json:"common_name"`
	Roles      []string `json:"roles,omitempty"`
}

// EDSSubjects returns the adults of the cast who are alive, in cast order,
// followed by one subject for each organisation's representative. Who is an
// adult does not depend on the day: Load keeps every age.
func EDSSubjects() []EDSSubject {
	var out []EDSSubject
	for _, p := range castPersons {
		b, _ := time.Parse("2006-01-02", p.birth)
		if p.deceased || residence.AgeOn(b, ReferenceDate) < 18 {
			continue
		}
		out = append(out, EDSSubject{IIN: castIIN[p.key], CommonName: upperName(p)})
	}
	for _, o := range castOrganisations {
		rep := castByKey[o[2]]
		out = append(out, EDSSubject{IIN: castIIN[rep.key], BIN: castBIN[o[0]], CommonName: upperName(*rep), Roles: []string{"head"}})
	}
	return out
}

// upperName is the certificate common name: surname and name in capitals,
// as NCA certificates write it.
func upperName(p castPerson) string {
	return toUpper(p.last + " " + p.first)
}
