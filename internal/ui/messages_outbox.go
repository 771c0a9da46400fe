package ui

// Messages of the demo SMS outbox page (outbox.go).
func init() {
	for k, v := range map[string]struct{ kk, ru, en string }{
		"outbox.title":   {"Демо SMS жәшігі", "Демо-ящик SMS", "Demo SMS outbox"},
		"outbox.lead":    {"Тек демо режимде: қызмет жіберген SMS хабарламалар, ең жаңасы бірінші. Скриптер үшін JSON: ?format=json немесе Accept: application/json.", "Только в демо-режиме: SMS, отправленные сервисом, сначала новые. JSON для скриптов: ?format=json или Accept: application/json.", "Demo mode only: the SMS the service sent, newest first. JSON for scripts: ?format=json or Accept: application/json."},
		"outbox.caption": {"Жіберілген SMS, ең жаңасы бірінші", "Отправленные SMS, сначала новые", "Messages sent, newest first"},
		"outbox.to":      {"Кімге", "Кому", "To"},
		"outbox.from":    {"Кімнен", "От", "From"},
		"outbox.text":    {"Мәтін", "Текст", "Text"},
		"outbox.code":    {"Код", "Код", "Code"},
		"outbox.all":     {"Барлық хабарламалар", "Все сообщения", "All messages"},
		"outbox.empty":   {"Әзірге SMS жоқ.", "Пока нет SMS.", "No messages yet."},
	} {
		messages[k] = m(v.kk, v.ru, v.en)
	}
}
