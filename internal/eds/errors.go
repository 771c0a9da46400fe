package eds

import (
	"fmt"

	"tirkeu/internal/residence"
)

// Error codes returned by this package, always as *residence.Error. They
// are the domain's codes (declared in internal/residence, where the closed
// set lives); the API answers each with the status internal/web gives it.
const (
	ESignatureInvalid        = residence.ESignatureInvalid
	ECertificateUntrusted    = residence.ECertificateUntrusted
	ECertificateExpired      = residence.ECertificateExpired
	ECertificateRevoked      = residence.ECertificateRevoked
	EKeyUsage                = residence.EKeyUsage
	ERevocationUnavailable   = residence.ERevocationUnavailable
	ESignerNotApplicant      = residence.ESignerNotApplicant
	ESignerNotRepresentative = residence.ESignerNotRepresentative
)

var texts = map[string]residence.Text{
	ESignatureInvalid: {
		KK: "Электрондық цифрлық қолтаңба жарамсыз немесе жіберілген деректерге сәйкес келмейді. Құжатқа қайта қол қойыңыз.",
		RU: "Электронная цифровая подпись недействительна или не соответствует отправленным данным. Подпишите документ заново.",
		EN: "The digital signature is not valid or does not match the data sent. Please sign the document again.",
	},
	ECertificateUntrusted: {
		KK: "ЭЦҚ тіркеу куәлігі сенімді куәландырушы орталықпен берілмеген.",
		RU: "Регистрационное свидетельство ЭЦП выдано не доверенным удостоверяющим центром.",
		EN: "The signing certificate was not issued by a trusted certification authority.",
	},
	ECertificateExpired: {
		KK: "ЭЦҚ тіркеу куәлігінің қолданылу мерзімі өткен немесе әлі басталмаған. Ұлттық куәландырушы орталықтан жаңа кілт алыңыз.",
		RU: "Срок действия регистрационного свидетельства ЭЦП истёк или ещё не начался. Получите новый ключ в Национальном удостоверяющем центре.",
		EN: "The signing certificate has expired or is not yet valid. Get a new key from the National Certification Authority.",
	},
	ECertificateRevoked: {
		KK: "ЭЦҚ тіркеу куәлігі кері қайтарылған. Ұлттық куәландырушы орталықтан жаңа кілт алыңыз.",
		RU: "Регистрационное свидетельство ЭЦП отозвано. Получите новый ключ в Национальном удостоверяющем центре.",
		EN: "The signing certificate has been revoked. Get a new key from the National Certification Authority.",
	},
	EKeyUsage: {
		KK: "Бұл кілт қол қоюға арналмаған (мысалы, тек авторизацияға арналған AUTH кілті). Қол қою кілтін (SIGN) таңдаңыз.",
		RU: "Этот ключ не предназначен для подписи (например, это ключ AUTH для входа). Выберите ключ подписи (SIGN).",
		EN: "This key is not meant for signing (for example, it is an AUTH key for signing in). Choose your signing (SIGN) key.",
	},
	ERevocationUnavailable: {
		KK: "ЭЦҚ тіркеу куәлігінің кері қайтарылмағанын қазір тексеру мүмкін емес. Кейінірек қайталаңыз.",
		RU: "Сейчас невозможно проверить, не отозвано ли регистрационное свидетельство ЭЦП. Повторите попытку позже.",
		EN: "We cannot check right now whether the signing certificate has been revoked. Please try again later.",
	},
	ESignerNotApplicant: {
		KK: "Өтінішке өтініш берушінің өз ЭЦҚ-сымен қол қойылуы тиіс: кілттегі ЖСН өтініш берушінің ЖСН-імен сәйкес келмейді.",
		RU: "Заявление должно быть подписано ЭЦП самого заявителя: ИИН в ключе не совпадает с ИИН заявителя.",
		EN: "The application must be signed with the applicant's own digital signature: the IIN in the key is not the applicant's.",
	},
	ESignerNotRepresentative: {
		KK: "Қол қоюшы бұл ұйымның атынан қол қоюға құқылы емес: бірінші басшының немесе қол қою құқығы бар қызметкердің кілті қажет.",
		RU: "Подписавший не вправе подписывать от имени этой организации: нужен ключ первого руководителя или сотрудника с правом подписи.",
		EN: "The signer may not sign for this organisation: a key of its head or of an employee with signing rights is needed.",
	},
}

// fail returns the *residence.Error for code with its translated text and an
// internal cause (kept for logs, never shown to the client).
func fail(code string, format string, args ...any) *residence.Error {
	e := residence.NewError(code, texts[code])
	e.Err = fmt.Errorf(format, args...)
	return e
}
