package residence

import (
	"errors"
	"unicode"

	"tirkeu/internal/iin"
)

// RKAShape says whether s can be an address registration code at all: one
// to 64 bytes, no space or control character. The RKA is opaque and never
// parsed: a code of that shape is resolved in the address register, and the
// import (internal/registry) and the application form (internal/ui) refuse
// the same codes by this one rule.
func RKAShape(s string) error {
	switch {
	case s == "":
		return errors.New("required")
	case len(s) > 64:
		return errors.New("longer than 64 bytes")
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return errors.New("contains a space or a control character")
		}
	}
	return nil
}

// CheckIIN validates an IIN or BIN field: twelve ASCII digits and the check
// digit (internal/iin). It returns an invalid error naming field, with the
// reason from internal/iin as its internal cause. An IIN that passes but is
// unknown is refused later by the registry lookup (unknown_person).
func CheckIIN(field, s string) error {
	if err := iin.Validate(s); err != nil {
		return &Error{Code: EInvalid, Field: field, Text: textBadIIN, Err: err}
	}
	return nil
}

// personErr turns a missing person into a field error that the citizen can
// act on, and passes every other error through.
func personErr(field string, err error) error {
	if IsCode(err, ENotFound) {
		return &Error{Code: EUnknownPerson, Field: field, Text: textUnknownPerson, Err: err}
	}
	return err
}

func invalid(field string, t Text) error { return &Error{Code: EInvalid, Field: field, Text: t} }

var (
	textBadIIN = Text{
		KK: "ЖСН дұрыс емес: 12 цифр және дұрыс бақылау цифры болуы керек.",
		RU: "ИИН указан неверно: нужно 12 цифр с правильной контрольной цифрой.",
		EN: "This is not a valid IIN: it must be 12 digits with a correct check digit.",
	}
	textUnknownPerson = Text{
		KK: "Бұл ЖСН бойынша адам «Жеке тұлғалар» мемлекеттік дерекқорында табылмады.",
		RU: "Человек с этим ИИН не найден в государственной базе данных «Физические лица».",
		EN: "No person with this IIN was found in the State Database \"Individuals\".",
	}
	textInvalidPurpose = Text{
		KK: "Мақсаты: login немесе sign.",
		RU: "Назначение: login или sign.",
		EN: "Purpose must be login or sign.",
	}
	textEDSUnavailable = Text{
		KK: "ЭЦҚ тексеру қолжетімсіз.",
		RU: "Проверка ЭЦП недоступна.",
		EN: "Digital signature verification is not available.",
	}
	textBadKind = Text{
		KK: "Тіркеу түрі: permanent (тұрақты) немесе temporary (уақытша).",
		RU: "Вид регистрации: permanent (постоянная) или temporary (временная).",
		EN: "Kind must be permanent or temporary.",
	}
	textNoRKA = Text{
		KK: "Мекенжайдың тіркеу кодын (МТК) көрсетіңіз.",
		RU: "Укажите регистрационный код адреса (РКА).",
		EN: "Give the address registration code (RKA).",
	}
	textNoSignature = Text{
		KK: "Өтінішке ЭЦҚ-мен немесе SMS арқылы келген бір реттік құпия сөзбен қол қойыңыз.",
		RU: "Подпишите заявление ЭЦП или одноразовым паролем из SMS.",
		EN: "Sign the application with a digital signature (EDS) or the one-time password from the SMS.",
	}
	textNotYours = Text{
		KK: "Сіз тек өз атыңыздан өтініш бере аласыз.",
		RU: "Вы можете подавать заявление только от своего имени.",
		EN: "You can only apply in your own name.",
	}
	textConsentNotPending = Text{
		KK: "Бұл келісім сұрауына жауап берілген немесе оның мерзімі өтті.",
		RU: "На этот запрос согласия уже ответили, или его срок истёк.",
		EN: "This consent request has already been answered or has expired.",
	}
	textConsentExpired = Text{
		KK: "Келісім беру мерзімі (1 сағат) өтіп кетті. Өтініш беруші жаңа өтініш беруі керек.",
		RU: "Срок для согласия (1 час) истёк. Заявителю нужно подать новое заявление.",
		EN: "The hour for consent has passed. The applicant needs to apply again.",
	}
	textNotOwner = Text{
		KK: "Бұл келісім сұрауы сізге арналмаған.",
		RU: "Этот запрос согласия адресован не вам.",
		EN: "This consent request is not addressed to you.",
	}
	textCodeRequired = Text{
		KK: "SMS-кодты енгізіңіз немесе ЭЦҚ-мен қол қойыңыз.",
		RU: "Введите код из SMS или подпишите ЭЦП.",
		EN: "Enter the code from the SMS or sign with your digital signature (EDS).",
	}
)
