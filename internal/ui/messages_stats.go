package ui

import "tirkeu/internal/residence"

// Messages of the statistics page's charts and the names of the rules
// (DESIGN.md §3) that decisions cite.
func init() {
	for k, v := range map[string]struct{ kk, ru, en string }{
		"stats.today":    {"бүгін", "сегодня", "today"},
		"stats.as_table": {"Диаграмма деректері кесте түрінде", "Данные диаграммы таблицей", "The chart's figures as a table"},
		"stats.date":     {"Күні", "Дата", "Date"},

		"rule." + string(residence.RuleSubjectAlive):         {"Адам тірі", "Лицо живо", "The person is alive"},
		"rule." + string(residence.RuleSubjectCitizen):       {"ҚР азаматы", "Гражданин РК", "A citizen of Kazakhstan"},
		"rule." + string(residence.RuleSubjectAge):           {"Жасы", "Возраст", "Age"},
		"rule." + string(residence.RuleApplicantAuthority):   {"Өтініш берушінің өкілеттігі", "Полномочия заявителя", "The applicant's authority"},
		"rule." + string(residence.RuleSignature):            {"Қолтаңба", "Подпись", "Signature"},
		"rule." + string(residence.RulePremisesKnown):        {"Үй-жай тізілімде бар", "Помещение есть в реестре", "The premises are in the register"},
		"rule." + string(residence.RuleTemporaryPeriod):      {"Уақытша тіркеу мерзімі", "Срок временной регистрации", "The temporary registration's period"},
		"rule." + string(residence.RuleAlreadyRegistered):    {"Бұрыннан тіркелген", "Уже зарегистрирован", "Already registered"},
		"rule." + string(residence.RuleStateRental):          {"Мемлекеттік жалға берілетін тұрғын үй", "Государственное арендное жильё", "State rental housing"},
		"rule." + string(residence.RuleOfflineOwners):        {"Меншік иелері онлайн қолжетімсіз", "Собственники недоступны онлайн", "Owners not reachable online"},
		"rule." + string(residence.RuleArrivalFromAbroad):    {"Шетелден келу", "Прибытие из-за рубежа", "Arrival from abroad"},
		"rule." + string(residence.RuleOrganisationPetition): {"Ұйымның өтінішхаты", "Ходатайство организации", "The organisation's petition"},
		"rule." + string(residence.RuleOwnerConsent):         {"Меншік иесінің келісімі", "Согласие собственника", "The owners' consent"},
		"rule." + string(residence.RuleSubjectConsent):       {"Тіркелетін адамның келісімі", "Согласие регистрируемого", "Consent of the person registered"},
		"rule." + string(residence.RuleConsentDeclined):      {"Меншік иесі бас тартты", "Собственник отказал", "An owner declined"},
		"rule." + string(residence.RuleSubjectDeclined):      {"Тіркелетін адам бас тартты", "Регистрируемый отказался", "The person registered declined"},
		"rule." + string(residence.RuleConsentExpired):       {"Келісім мерзімі өтті", "Срок согласия истёк", "The consent timed out"},
		"rule." + string(residence.RuleDeregisterOwner):      {"Өтініш беруші — меншік иесі", "Заявитель — собственник", "The applicant owns the premises"},
		"rule." + string(residence.RuleDeregisterSubject):    {"Адам осы мекенжайда тіркелген", "Лицо зарегистрировано по адресу", "The person is registered there"},
	} {
		messages[k] = m(v.kk, v.ru, v.en)
	}
}
