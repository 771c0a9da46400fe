package ui

// Messages of the registration certificate pages (certificate.go), kept
// apart from messages.go so that they merge on their own.
func init() {
	for k, v := range map[string]struct{ kk, ru, en string }{
		"certificate.section":            {"Мекенжай анықтамасы", "Адресная справка", "Registration certificate"},
		"certificate.hint":               {"Әр тіркеу (қазіргі және бұрынғы) бойынша қызмет мөрімен куәландырылған PDF анықтама алыңыз.", "Получите справку в PDF, заверенную печатью сервиса, по любой регистрации — текущей или прошлой.", "Get a PDF certificate sealed by the service for any registration, current or past."},
		"certificate.get":                {"Анықтама алу", "Получить справку", "Get a certificate"},
		"certificate.title":              {"Мекенжай анықтамасы", "Адресная справка", "Registration certificate"},
		"certificate.issued":             {"Анықтама берілді. Оны және қызмет қолтаңбасын жүктеп алыңыз.", "Справка выдана. Скачайте её и подпись сервиса.", "The certificate has been issued. Download it and the service's signature."},
		"certificate.number":             {"Анықтама нөмірі", "Номер справки", "Certificate number"},
		"certificate.download_pdf":       {"Анықтаманы жүктеу (PDF)", "Скачать справку (PDF)", "Download the certificate (PDF)"},
		"certificate.download_signature": {"Қызмет қолтаңбасын жүктеу (.p7s)", "Скачать подпись сервиса (.p7s)", "Download the service's signature (.p7s)"},
		"certificate.how_to_check":       {"Анықтаманы қалай тексеруге болады", "Как проверить справку", "How to check the certificate"},
		"certificate.check_qr":           {"Анықтамадағы QR-кодты сканерлеңіз: ашылған бетте анықтаманың түпнұсқа екені және тіркеудің әлі қолданыста екені көрсетіледі.", "Отсканируйте QR-код на справке: откроется страница, которая покажет, подлинна ли справка и действует ли ещё регистрация.", "Scan the QR code on the certificate: the page it opens shows whether the certificate is genuine and the registration still active."},
		"certificate.check_cli":          {"PDF файлдың өзгертілмегенін қызметтің қолтаңбасы бойынша тексеруге болады:", "Неизменность PDF-файла можно проверить по подписи сервиса:", "That the PDF file is unchanged can be checked with the service's signature:"},
		"certificate.seal_pem":           {"Қызмет мөрінің сертификаты (PEM)", "Сертификат печати сервиса (PEM)", "The service's seal certificate (PEM)"},
		"certificate.back":               {"Жеке кабинетке оралу", "Вернуться в личный кабинет", "Back to my account"},
		"verify.title":                   {"Анықтаманы тексеру", "Проверка справки", "Certificate check"},
		"verify.genuine":                 {"Анықтама түпнұсқа: оны осы қызмет берген.", "Справка подлинная: она выдана этим сервисом.", "The certificate is genuine: this service issued it."},
		"verify.active":                  {"Тіркеу қазір қолданыста.", "Регистрация действует сейчас.", "The registration is active now."},
		"verify.ended":                   {"Тіркеу тоқтатылған, күні:", "Регистрация прекращена, дата:", "The registration has ended, on"},
		"verify.holder":                  {"Иесі", "Владелец", "Holder"},
		"verify.issued":                  {"Берілген күні", "Дата выдачи", "Issued"},
		"verify.compare":                 {"Иесінің аты-жөнін анықтамадағымен салыстырыңыз. Бұл бетте ЖСН мен мекенжай көрсетілмейді.", "Сверьте инициалы владельца со справкой. ИИН и адрес на этой странице не показываются.", "Compare the holder's initials with the certificate. This page shows no IIN and no address."},
		"verify.unknown":                 {"Мұндай анықтама табылмады.", "Такая справка не найдена.", "No such certificate was found."},
		"verify.unknown_hint":            {"Сілтеме толық па, тексеріңіз. Бұл қызмет бермеген анықтама түпнұсқа емес.", "Проверьте, что ссылка полная. Справка, не выданная этим сервисом, не подлинная.", "Check that the link is complete. A certificate this service did not issue is not genuine."},
		"access.certificate":             {"Мекенжай анықтамасы берілді немесе жүктелді", "Выдана или скачана адресная справка", "A registration certificate was issued or downloaded"},
		"access.certificate_check":       {"Анықтама QR-код арқылы тексерілді", "Справка проверена по QR-коду", "A certificate was checked by its QR code"},
	} {
		messages[k] = m(v.kk, v.ru, v.en)
	}
}
