package residence

import (
	"fmt"
	"strings"
	"time"
)

// Messages of the service use cases, in Kazakh, Russian and English. SMS
// texts carry exactly one run of six digits, the code, so that a reply parser
// and a phone's autofill find it unambiguously.

var (
	textSignerNotApplicant = Text{
		KK: "Қолтаңба өтініш берушіге тиесілі емес: өз ЭЦҚ-ңызбен қол қойыңыз.",
		RU: "Подпись принадлежит не заявителю: подпишите своей ЭЦП.",
		EN: "The signature is not the applicant's: sign with your own digital signature.",
	}
	textNothingPending = Text{
		KK: "Бұл нөмір үшін күтудегі келісім сұраулары жоқ.",
		RU: "Для этого номера нет ожидающих запросов согласия.",
		EN: "There are no consent requests waiting for this phone number.",
	}
	textOwnerUnreachable = Text{
		KK: "Меншік иесіне SMS жеткізілмеді: ол келісімді ЭЦҚ арқылы бере алады немесе ХҚКО-ға келе алады.",
		RU: "SMS собственнику не доставлено: он может дать согласие через ЭЦП или в ЦОН.",
		EN: "The owner could not be reached by SMS: they can consent with a digital signature or at a service centre.",
	}
	textSMSFailed = Text{
		KK: "Сізге SMS жеткізілмеді.",
		RU: "SMS вам не доставлено.",
		EN: "An SMS to you could not be delivered.",
	}
	registeredNext = Text{
		KK: "Жеке куәліктің чипіндегі мекенжай автоматты түрде жаңартылады. Тіркеу туралы анықтаманы жеке кабинеттен алуға болады.",
		RU: "Адрес в чипе удостоверения личности будет перезаписан автоматически. Справку о регистрации можно получить в личном кабинете.",
		EN: "The address on your ID card chip is rewritten automatically. You can get a registration certificate in your personal account.",
	}
)

// otpText is the one-time password SMS: one UCS-2 part (70 characters at
// most), Kazakh and Russian. It names the code as the form that asks for it
// does ("sign-in code", "signing code"; an owner's SMS says "consent code"),
// so that a person with several codes types the right one where.
func otpText(purpose OTPPurpose, code string, _ time.Duration) string {
	if purpose == OTPSign {
		return "Қол қою коды / Код подписи: " + code + ". Ешкімге айтпаңыз / Не сообщайте"
	}
	return "Кіру коды / Код входа: " + code + ". Ешкімге айтпаңыз / Никому не сообщайте"
}

// consentText is the owner's consent request: two UCS-2 parts at most.
func consentText(applicant string, action Action, kind Kind, code string) string {
	what := "тіркеу / регистрация"
	switch {
	case action == ActionDeregister:
		what = "тіркеуден шығару / снятие с учёта"
	case kind == Temporary:
		what = "уақытша тіркеу / временная регистрация"
	}
	return fmt.Sprintf("%s: %s. Келісім коды / Код согласия: %s. 1 сағ/час. Бас тарту / Отказ: ЖОҚ/НЕТ", shortName(applicant), what, code)
}

// subjectConsentText is the SMS to a person someone else applied to
// register: who applies (the organisation and its representative, or the
// tenant), for what, where (the address in full, never the RKA, whose
// digits could be taken for the code), and the code.
func subjectConsentText(applicant, address string, kind Kind, code string) string {
	what := "тұрақты тіркеу / постоянная регистрация"
	if kind == Temporary {
		what = "уақытша тіркеу / временная регистрация"
	}
	return fmt.Sprintf("%s сізді тіркеуге өтініш берді / подал(а) заявление о вашей регистрации: %s, %s. Келісім коды / Код согласия: %s. 1 сағ/час. Бас тарту / Отказ: ЖОҚ/НЕТ",
		shortApplicant(applicant), what, address, code)
}

// shortApplicant shortens the applicant's name for an SMS ("Org, Last First
// Patronymic" keeps the organisation and shortens the person).
func shortApplicant(s string) string {
	if org, person, ok := strings.Cut(s, ", "); ok {
		return org + " (" + shortName(person) + ")"
	}
	return shortName(s)
}

// subjectRequestMessage is the subject's history entry for an application
// someone else made for them.
func subjectRequestMessage(applicant, address string) Text {
	return textOf(tplSubjectConsentRequested, applicant, address)
}

func renderSubjectConsentRequested(p []string) Text {
	applicant, address := p[0], p[1]
	return Text{
		KK: fmt.Sprintf("%s сізді %s мекенжайы бойынша тіркеуге өтініш берді. Келісетініңізді бір сағат ішінде растаңыз немесе бас тартыңыз; оған дейін ештеңе өзгермейді.", applicant, address),
		RU: fmt.Sprintf("%s подал заявление о вашей регистрации по адресу %s. Подтвердите согласие или откажитесь в течение одного часа; до этого ничего не меняется.", applicant, address),
		EN: fmt.Sprintf("%s applied to register you at %s. Confirm that you agree, or decline, within one hour; nothing changes until then.", applicant, address),
	}
}

// shortName turns "Петрова Анна Сергеевна" into "Петрова А.".
func shortName(full string) string {
	parts := strings.Fields(full)
	if len(parts) < 2 {
		return full
	}
	r := []rune(parts[1])
	return parts[0] + " " + string(r[0]) + "."
}

func deregisteredSMS() string {
	return "Меншік иесінің өтініші бойынша сіз тіркеуден шығарылдыңыз / Вы сняты с регистрации по заявлению собственника. egov: жеке кабинет / личный кабинет."
}

// consentRequestMessage is an owner's history entry for a consent asked of
// them.
func consentRequestMessage(applicant string, _ Kind) Text {
	return textOf(tplConsentRequested, applicant)
}

func renderConsentRequested(p []string) Text {
	applicant := p[0]
	return Text{
		KK: fmt.Sprintf("%s сіздің мекенжайыңызға тіркелуге келісім сұрайды. Бір сағат ішінде жауап беріңіз.", applicant),
		RU: fmt.Sprintf("%s просит согласия на регистрацию по вашему адресу. Ответьте в течение одного часа.", applicant),
		EN: fmt.Sprintf("%s asks for your consent to register at your address. Please answer within one hour.", applicant),
	}
}

func consentAnsweredMessage(confirm bool) Text {
	if confirm {
		return evtConsentGiven
	}
	return evtConsentDeclined
}

func registeredMessage(kind Kind) Text {
	if kind == Temporary {
		return evtRegisteredTemporary
	}
	return evtRegisteredPermanent
}

func registrationEndedMessage(r EndReason) Text {
	switch r {
	case EndMoved:
		return evtEndedMoved
	case EndReplaced:
		return evtEndedReplaced
	case EndDeregisteredByOwner:
		return evtEndedByOwner
	case EndEmigrated:
		return evtEndedEmigrated
	case EndDeceased:
		return evtEndedDeceased
	case EndExpired:
		return evtEndedExpired
	default:
		return evtEndedByCourt
	}
}

// The messages of the events in a service history.
var (
	evtConsentGiven        = Text{KK: "Меншік иесі келісім берді.", RU: "Собственник дал согласие.", EN: "An owner gave consent."}
	evtConsentDeclined     = Text{KK: "Меншік иесі келісім беруден бас тартты.", RU: "Собственник отказал в согласии.", EN: "An owner declined consent."}
	evtRegisteredTemporary = Text{
		KK: "Уақытша тұратын жері бойынша тіркеу жасалды.",
		RU: "Регистрация по месту временного пребывания оформлена.",
		EN: "The temporary registration is done.",
	}
	evtRegisteredPermanent = Text{
		KK: "Тұрақты тұратын жері бойынша тіркеу жасалды.",
		RU: "Регистрация по постоянному месту жительства оформлена.",
		EN: "The permanent registration is done.",
	}
	evtEndedMoved     = Text{KK: "Жаңа мекенжайға тіркелуге байланысты бұрынғы тіркеу тоқтатылды.", RU: "Прежняя регистрация прекращена в связи с регистрацией по новому адресу.", EN: "The previous registration ended because of the registration at the new address."}
	evtEndedReplaced  = Text{KK: "Бұрынғы уақытша тіркеу жаңасымен ауыстырылды.", RU: "Прежняя временная регистрация заменена новой.", EN: "The previous temporary registration was replaced by the new one."}
	evtEndedByOwner   = Text{KK: "Тұрғын үй меншік иесінің өтініші бойынша тіркеуден шығарылды.", RU: "Снят с регистрации по заявлению собственника жилья.", EN: "Deregistered at the request of the owner of the dwelling."}
	evtEndedEmigrated = Text{KK: "Шетелге тұрақты тұруға кетуіне байланысты тіркеуден шығарылды.", RU: "Снят с регистрации в связи с выездом на ПМЖ за рубеж.", EN: "Deregistered on leaving for permanent residence abroad."}
	evtEndedDeceased  = Text{KK: "Қайтыс болуына байланысты тіркеуден шығарылды.", RU: "Снят с регистрации в связи со смертью.", EN: "Deregistered on death."}
	evtEndedExpired   = Text{KK: "Уақытша тіркеу мерзімі аяқталды.", RU: "Срок временной регистрации истёк.", EN: "The temporary registration period ended."}
	evtEndedByCourt   = Text{KK: "Сот шешімі бойынша тіркеуден шығарылды.", RU: "Снят с регистрации по решению суда.", EN: "Deregistered by a court decision."}
)
