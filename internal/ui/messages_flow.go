package ui

import "tirkeu/internal/residence"

// The messages of the flow on the pages (issue 18: check your answers,
// field errors, following a pending application), kept apart so that the
// helpers' additions merge.
func init() {
	for k, v := range flowMessages {
		messages[k] = v
	}
}

var flowMessages = map[string]residence.Text{
	"apply.bad_rka":          m("МТК бос орынсыз жазылады және 64 таңбадан аспайды. Кодты тексеріңіз немесе мекенжайды тізімнен таңдаңыз.", "РКА пишется без пробелов и не длиннее 64 знаков. Проверьте код или выберите адрес из списка.", "An RKA has no spaces and at most 64 characters. Check the code, or choose the address from the lists."),
	"apply.unknown_rka":      m("Мекенжай тіркелімінде мұндай МТК жоқ. Кодты тексеріңіз немесе мекенжайды тізімнен таңдаңыз.", "В адресном регистре нет такого РКА. Проверьте код или выберите адрес из списка.", "The address register has no premises with this RKA. Check the code, or choose the address from the lists."),
	"apply.no_from":          m("Тұру басталған күнді көрсетіңіз.", "Укажите дату начала пребывания.", "Give the first day of the stay."),
	"apply.date_format":      m("Күнді күнтізбеден таңдаңыз немесе ЖЖЖЖ-АА-КК пішімінде жазыңыз (мысалы, 2026-11-22).", "Выберите дату в календаре или введите её в формате ГГГГ-ММ-ДД (например, 2026-11-22).", "Choose the date in the calendar, or type it as YYYY-MM-DD (for example, 2026-11-22)."),
	"apply.date_placeholder": m("ЖЖЖЖ-АА-КК", "ГГГГ-ММ-ДД", "YYYY-MM-DD"),
	"apply.check_not_yet":    m("Бұл — тексеру ғана: өтінішке әлі қол қойылған жоқ, ештеңе өзгерген жоқ.", "Это только проверка: заявление ещё не подписано, ничего не изменилось.", "This is only a check: nothing has been signed or changed yet."),

	"done.submitted":          m("Өтініш қол қойылып, жіберілді", "Заявление подписано и отправлено", "Your application has been signed and submitted"),
	"done.registered":         m("Сіз тіркелдіңіз.", "Регистрация оформлена.", "The registration has been made."),
	"done.awaiting_consent":   m("Өтініш меншік иелерінің келісімін күтеді: оларға SMS жіберілді. Бұл бет өзі жаңарады.", "Заявление ждёт согласия собственников: им отправлены SMS. Эта страница обновляется сама.", "The application now waits for the owners' consent: they have been sent an SMS. This page refreshes by itself."),
	"done.rejected":           m("Өтініш қабылданбады. Себебі төменде.", "Заявление отклонено. Причина указана ниже.", "The application was rejected. The reason is below."),
	"done.in_person_required": m("Өтінішті онлайн аяқтау мүмкін емес: ХҚКО-ға барыңыз.", "Заявление нельзя завершить онлайн: обратитесь в ЦОН.", "The application cannot be completed online: go to a service centre."),
	"done.withdrawn":          m("Өтінішті қайтарып алдыңыз. Меншік иелерінің келісім сұраулары тоқтатылды.", "Вы отозвали заявление. Запросы согласия собственникам отменены.", "You have withdrawn the application. The owners' consent requests have been cancelled."),

	"application.reference":     m("Өтініштің қысқа нөмірі", "Короткий номер заявления", "Reference"),
	"application.steps":         m("Өтініш қадамдары", "Этапы заявления", "Steps of the application"),
	"step.applied":              m("Өтініш берілді", "Заявление подано", "Applied"),
	"step.subject":              m("Тіркелетін адамның растауы", "Подтверждение регистрируемого", "Confirmation by the person registered"),
	"step.consent":              m("Меншік иелерінің келісімі", "Согласие собственников", "Owners' consent"),
	"step.registered":           m("Тіркелді", "Зарегистрирован", "Registered"),
	"step.done":                 m("орындалды", "выполнено", "done"),
	"step.current":              m("ағымдағы қадам", "текущий этап", "current step"),
	"step.stopped":              m("тоқтатылды", "остановлено", "stopped"),
	"step.todo":                 m("алда", "предстоит", "to do"),
	"application.who_answers":   m("Кім жауап береді", "Кто отвечает", "Who answers"),
	"application.refreshes":     m("Бұл бет жауаптарды күтіп, әр 30 секунд сайын өзі жаңарады.", "Пока ответы ожидаются, страница обновляется сама каждые 30 секунд.", "While answers are awaited, this page refreshes by itself every 30 seconds."),
	"application.refresh_hint":  m("Жаңа жауаптарды көру үшін бетті жаңартыңыз.", "Чтобы увидеть новые ответы, обновите страницу.", "Refresh the page to see new answers."),
	"application.refresh_now":   m("Күйін жаңарту", "Обновить статус", "Refresh the status"),
	"application.refresh_stop":  m("Өздігінен жаңартуды тоқтату", "Не обновлять автоматически", "Stop refreshing by itself"),
	"application.refresh_start": m("Өздігінен жаңартуды қосу", "Обновлять автоматически", "Refresh by itself again"),
	"operator.find_ref":         m("Нөмір бойынша табу", "Найти по номеру", "Find by reference"),
	"operator.ref_none":         m("Мұндай қысқа нөмірі бар өтініш жоқ.", "Заявления с таким коротким номером нет.", "No application has this reference."),
	"withdraw.title":            m("Өтінішті қайтарып алу", "Отозвать заявление", "Withdraw the application"),
	"withdraw.hint":             m("Өтінішті қайтарып алсаңыз, меншік иелерінің келісім сұраулары тоқтатылады және тіркеу жасалмайды.", "Если вы отзовёте заявление, запросы согласия собственникам будут отменены и регистрация не будет оформлена.", "If you withdraw the application, the owners' consent requests are cancelled and no registration is made."),
	"withdraw.button":           m("Өтінішті қайтарып алу", "Отозвать заявление", "Withdraw the application"),
	"step.deregistered":         m("Тіркеуден шығарылды", "Снят с регистрации", "Deregistered"),
	"withdraw.question":         m("Бұл өтінішті қайтарып аласыз ба?", "Отозвать это заявление?", "Do you want to withdraw this application?"),
	"withdraw.confirm":          m("Иә, қайтарып аламын", "Да, отозвать", "Yes, withdraw it"),
	"withdraw.cancel":           m("Жоқ, өтінішке оралу", "Нет, вернуться к заявлению", "No, back to the application"),
	"application.answer_here":   m("Сіздің жауабыңыз күтілуде", "Ожидается ваш ответ", "Your answer is awaited"),
	"account.answer_hint":       m("Жауап беру бетінде келісім кодын енгізіңіз, ЭЦҚ-мен қол қойыңыз немесе бас тартыңыз.", "На странице ответа введите код согласия, подпишите ЭЦП или откажитесь.", "On the answer page, type the consent code, sign with EDS, or decline."),
	"decline.question":          m("Бұл сұраудан бас тартасыз ба?", "Отказать в этом запросе?", "Do you want to decline this request?"),
	"status.withdrawn":          m("Қайтарып алынды", "Отозвано", "Withdrawn"),
	"check.withdrawn":           m("Қайтарып алынды", "Отозвано", "Withdrawn"),

	"owner.answer":            m("Жауап беру", "Ответить", "Answer"),
	"owner.consent_code":      m("Келісім коды (SMS-тегі 6 цифр)", "Код согласия (6 цифр из SMS)", "Consent code (6 digits from the SMS)"),
	"owner.consent_code_hint": m("Келісім сұралғанда 1414 нөмірінен келген «келісім коды». Кіру коды мұнда жарамайды.", "«Код согласия» из SMS с номера 1414, пришедшего с запросом согласия. Код для входа здесь не подходит.", "The \"consent code\" in the SMS from 1414 that came with the request. Your sign-in code does not work here."),
	"decline.title":           m("Бас тартуды растаңыз", "Подтвердите отказ", "Confirm that you decline"),
	"decline.warning":         m("Бас тартсаңыз, өтініш қабылданбайды және оны қайтаруға болмайды.", "Если вы откажете, заявление будет отклонено, и отменить это нельзя.", "If you decline, the application is rejected, and this cannot be undone."),
	"decline.confirm":         m("Иә, бас тартамын", "Да, отказать", "Yes, decline"),
	"decline.cancel":          m("Жоқ, артқа", "Нет, вернуться", "No, go back"),
	"login.signin_code":       m("Кіру коды (SMS-тегі 6 цифр)", "Код для входа (6 цифр из SMS)", "Sign-in code (6 digits from the SMS)"),
	"apply.signing_code":      m("Қол қою коды (SMS-тегі 6 цифр)", "Код подписи (6 цифр из SMS)", "Signing code (6 digits from the SMS)"),
}
