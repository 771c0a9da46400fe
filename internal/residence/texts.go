package residence

// The messages of the rules in rules.go, in Kazakh, Russian and English. They
// are written for the citizen who reads them in their personal account: plain
// words, what happened and what to do next. "msg" texts say why, "nxt" texts
// what to do, "docs" lists what to bring to a service centre.

// Citations of the legal bases. Each names an act as the seeds (and
// DESIGN.md) name it, and no more: an article, number or date appears only
// where a seed gives it (docs/DECISIONS.md, "Legal bases"). A rule's basis
// joins them with "; " in each language (legalBasis).
var (
	// citeRules1427: seeds 001, 002 and 004 name the Rules and their
	// resolution; seed 004 ties the owners' consent and the RKA check to them.
	citeRules1427 = Text{
		KK: "ҚР Үкіметінің 2011 жылғы 1 желтоқсандағы № 1427 қаулысымен бекітілген Ішкі көшіп-қонушыларды тіркеу қағидалары",
		RU: "Правила регистрации внутренних мигрантов, утверждённые постановлением Правительства РК от 01.12.2011 № 1427",
		EN: "Rules for Registration of Internal Migrants, approved by Government Resolution of the RK No. 1427 of 01.12.2011",
	}
	// citeRules1427As30: seeds 002 and 004: the amendment of February 2020
	// (Resolution No. 30 of 04.02.2020) cancelled the registration of
	// children under 14.
	citeRules1427As30 = Text{
		KK: "Ішкі көшіп-қонушыларды тіркеу қағидалары (ҚР Үкіметінің 2011 жылғы 1 желтоқсандағы № 1427 қаулысы), ҚР Үкіметінің 2020 жылғы 4 ақпандағы № 30 қаулысымен енгізілген өзгерістерімен",
		RU: "Правила регистрации внутренних мигрантов (постановление Правительства РК от 01.12.2011 № 1427) с изменениями, внесёнными постановлением Правительства РК от 04.02.2020 № 30",
		EN: "Rules for Registration of Internal Migrants (Government Resolution of the RK No. 1427 of 01.12.2011), as amended by Government Resolution No. 30 of 04.02.2020",
	}
	// citeCivilCode16: seeds 000 and 004: the place of residence of children
	// under 14 and of citizens under guardianship is that of their legal
	// representatives.
	citeCivilCode16 = Text{
		KK: "ҚР Азаматтық кодексі, 16-бап",
		RU: "Гражданский кодекс РК, ст. 16",
		EN: "Civil Code of the RK, art. 16",
	}
	// citeMigrationLaw: seed 002 names the Law (no number or date): it
	// requires registration at the place of residence and of temporary stay.
	citeMigrationLaw = Text{
		KK: "«Халықтың көші-қоны туралы» ҚР Заңы",
		RU: "Закон РК «О миграции населения»",
		EN: `Law of the RK "On Population Migration"`,
	}
	// citeHousingLaw: seeds 001, 003 and 004 date it 16 April 1997; the
	// owner's (tenant's) title to the dwelling rests on it.
	citeHousingLaw = Text{
		KK: "«Тұрғын үй қатынастары туралы» 1997 жылғы 16 сәуірдегі ҚР Заңы",
		RU: "Закон РК «О жилищных отношениях» от 16.04.1997",
		EN: `Law of the RK "On Housing Relations" of 16.04.1997`,
	}
	// citeProcedure2025: seed 000 dates the changes of 24 November 2025
	// (online registration by guardians and parents of 14- and 15-year-olds,
	// state rental housing, offline registration where owners are minors or
	// incapacitated, consent by SMS from 1414 within an hour) but does not
	// name the act that made them; so the basis names the procedure and the
	// date, never an act.
	citeProcedure2025 = Text{
		KK: "2025 жылғы 24 қарашадан бастап қолданылатын өзгерістерімен тұрғылықты жері бойынша тіркеу тәртібі",
		RU: "Порядок регистрации по месту жительства с изменениями, действующими с 24.11.2025",
		EN: "Procedure of registration at the place of residence as changed from 24.11.2025",
	}
	// citeStandard: seeds 001 and 003: the service passport ("in accordance
	// with the standard for the public service"): who may apply (the person,
	// a legal representative, a trustee with a notarised power of attorney),
	// the documents at a service centre, signing by EDS or SMS password.
	// The Kazakh and Russian titles are translations of the seeds' English.
	citeStandard = Text{
		KK: "«Қазақстан Республикасы азаматтарын тұрғылықты жері бойынша тіркеу» мемлекеттік көрсетілетін қызмет стандарты",
		RU: "Стандарт государственной услуги «Регистрация граждан Республики Казахстан по месту жительства»",
		EN: `Standard of the public service "Registration of citizens of the Republic of Kazakhstan at places of residence"`,
	}
)

// SUBJECT_ALIVE
var (
	msgSubjectAlive = Text{
		KK: "«Жеке тұлғалар» мемлекеттік дерекқорында бұл адамның қайтыс болғаны туралы мәлімет жоқ.",
		RU: "В государственной базе данных «Физические лица» нет сведений о смерти этого человека.",
		EN: "The State Database \"Individuals\" has no record of this person's death.",
	}
	msgSubjectDeceased = Text{
		KK: "«Жеке тұлғалар» мемлекеттік дерекқорында бұл адам қайтыс болған деп көрсетілген, сондықтан оны тіркеуге болмайды.",
		RU: "В государственной базе данных «Физические лица» этот человек значится умершим, поэтому зарегистрировать его нельзя.",
		EN: "The State Database \"Individuals\" records this person as deceased, so they cannot be registered.",
	}
	nxtSubjectDeceased = Text{
		KK: "Егер бұл қате болса, мәліметті түзету үшін азаматтық хал актілерін тіркеу органына (АХАЖ) немесе Халыққа қызмет көрсету орталығына жүгініңіз.",
		RU: "Если это ошибка, обратитесь в орган регистрации актов гражданского состояния (ЗАГС) или в ЦОН, чтобы исправить сведения.",
		EN: "If this is a mistake, contact the civil registry office or a Public Service Centre to have the record corrected.",
	}
)

// SUBJECT_CITIZEN
var (
	msgCitizen = Text{
		KK: "Бұл адам — Қазақстан Республикасының азаматы.",
		RU: "Этот человек — гражданин Республики Казахстан.",
		EN: "This person is a citizen of the Republic of Kazakhstan.",
	}
	msgNotCitizen = Text{
		KK: "Бұл қызмет тек Қазақстан Республикасының азаматтарына арналған, ал бұл адам Қазақстан азаматы емес.",
		RU: "Эта услуга только для граждан Республики Казахстан, а этот человек не является гражданином Казахстана.",
		EN: "This service is only for citizens of the Republic of Kazakhstan, and this person is not a citizen of Kazakhstan.",
	}
	nxtNotCitizen = Text{
		KK: "Шетел азаматтары мен азаматтығы жоқ адамдарды көші-қон қызметі тіркейді: оларды қабылдаушы тарап eGov.kz порталы арқылы немесе полицияның көші-қон қызметінде тіркейді.",
		RU: "Иностранцев и лиц без гражданства регистрирует миграционная служба: это делает принимающая сторона через портал eGov.kz или в миграционной службе полиции.",
		EN: "Foreigners and stateless persons are registered by the migration service: the host registers them through the eGov.kz portal or at the police migration service.",
	}
)

// SUBJECT_AGE
var (
	msgAge14 = Text{
		KK: "Бұл адам 14 жасқа толған.",
		RU: "Этому человеку исполнилось 14 лет.",
		EN: "This person is 14 or older.",
	}
	msgUnder14 = Text{
		KK: "14 жасқа толмаған балалар тұрғылықты жері бойынша тіркелмейді: олардың тұрғылықты жері ата-анасының немесе заңды өкілдерінің тұрғылықты жері болып саналады.",
		RU: "Дети до 14 лет не регистрируются по месту жительства: их местом жительства считается место жительства родителей или законных представителей.",
		EN: "Children under 14 are not registered at a place of residence: their place of residence is that of their parents or legal representatives.",
	}
	nxtUnder14 = Text{
		KK: "Ештеңе істеудің қажеті жоқ: баланың мекенжайы ата-анасының біреуінің тіркелген мекенжайы бойынша белгіленеді. Бала 14 жасқа толғанда өтініш беріңіз.",
		RU: "Ничего делать не нужно: адрес ребёнка определяется по регистрации одного из родителей. Подайте заявление, когда ребёнку исполнится 14 лет.",
		EN: "Nothing needs to be done: the child's address follows the registration of one of the parents. Apply when the child turns 14.",
	}
)

// APPLICANT_AUTHORITY
var (
	msgAuthorityOK = Text{
		KK: "Өтініш берушінің бұл адамды тіркеуге өтініш беруге құқығы бар.",
		RU: "Заявитель вправе подать заявление о регистрации этого человека.",
		EN: "The applicant is entitled to apply for this person's registration.",
	}
	msgWardNotGuardian = Text{
		KK: "Сот әрекетке қабілетсіз немесе әрекет қабілеті шектеулі деп таныған адамды тек оның қорғаншысы (қамқоршысы) тіркей алады.",
		RU: "Человека, признанного судом недееспособным или ограниченно дееспособным, может зарегистрировать только его опекун (попечитель).",
		EN: "A person declared incapacitated or partially incapacitated by a court can be registered only by their court-appointed guardian.",
	}
	nxtWardNotGuardian = Text{
		KK: "Өтінішті қорғаншы (қамқоршы) берсін. Егер сіз қорғаншы болсаңыз, бірақ бұл дерекқорда көрсетілмесе, қорғаншылық және қамқоршылық органына жүгініңіз.",
		RU: "Заявление должен подать опекун (попечитель). Если вы опекун, но в базе это не отражено, обратитесь в орган опеки и попечительства.",
		EN: "The guardian must apply. If you are the guardian but the records do not show it, contact the guardianship authority.",
	}
	msgAdultSelf = Text{
		KK: "16 жасқа толған азамат өзін өзі тіркейді: басқа адам оның атынан онлайн өтініш бере алмайды.",
		RU: "Гражданин, которому исполнилось 16 лет, регистрируется сам: другой человек не может подать за него заявление онлайн.",
		EN: "A citizen aged 16 or over registers themself: another person cannot apply online on their behalf.",
	}
	nxtAdultSelf = Text{
		KK: "Азамат өзі ЭЦҚ немесе бір реттік SMS-құпия сөз арқылы өтініш берсін. Нотариат куәландырған сенімхаты бар өкіл Халыққа қызмет көрсету орталығына жүгіне алады.",
		RU: "Пусть гражданин сам подаст заявление с ЭЦП или одноразовым SMS-паролем. Представитель с нотариальной доверенностью может обратиться в ЦОН.",
		EN: "The person should apply themself with an EDS or a one-time SMS password. A representative with a notarised power of attorney can apply at a Public Service Centre.",
	}
	msgChildSelf = Text{
		KK: "14 және 15 жастағы балаларды ата-анасы немесе заңды өкілдері тіркейді: бала өзі өтініш бере алмайды.",
		RU: "Детей 14 и 15 лет регистрируют родители или законные представители: сам ребёнок подать заявление не может.",
		EN: "Children aged 14 and 15 are registered by a parent or legal representative: they cannot apply themselves.",
	}
	nxtChildSelf = Text{
		KK: "Ата-анаңыздан немесе заңды өкіліңізден өтініш беруді сұраңыз. 16 жасқа толғанда өзіңіз өтініш бере аласыз.",
		RU: "Попросите родителя или законного представителя подать заявление. С 16 лет вы сможете подать его сами.",
		EN: "Ask a parent or legal representative to apply. From the age of 16 you can apply yourself.",
	}
	msgMinorNotParent = Text{
		KK: "Кәмелетке толмаған адамды тек оның ата-анасы немесе заңды өкілі (қорғаншысы) тіркей алады, ал өтініш беруші олардың қатарында емес.",
		RU: "Несовершеннолетнего может зарегистрировать только его родитель или законный представитель (опекун), а заявитель к ним не относится.",
		EN: "A minor can be registered only by a parent or legal representative (guardian), and the applicant is neither.",
	}
	nxtMinorNotParent = Text{
		KK: "Өтінішті баланың ата-анасы немесе заңды өкілі берсін. Егер сіз заңды өкіл болсаңыз, бірақ бұл дерекқорда көрсетілмесе, өкілеттігіңізді растайтын құжаттармен Халыққа қызмет көрсету орталығына жүгініңіз.",
		RU: "Заявление должен подать родитель или законный представитель. Если вы законный представитель, но в базе это не отражено, обратитесь в ЦОН с документами, подтверждающими ваши полномочия.",
		EN: "A parent or legal representative must apply. If you are the legal representative but the records do not show it, go to a Public Service Centre with documents proving your authority.",
	}
	msgApplicantUnfit = Text{
		KK: "Басқа адамның атынан өтінішті тек толық әрекет қабілеті бар кәмелетке толған (18 жастан асқан) адам бере алады.",
		RU: "Подать заявление за другого человека может только совершеннолетний (18 лет и старше) полностью дееспособный гражданин.",
		EN: "Only an adult (18 or older) with full legal capacity can apply on behalf of another person.",
	}
	nxtApplicantUnfit = Text{
		KK: "Өтінішті басқа заңды өкіл берсін немесе Халыққа қызмет көрсету орталығына жүгініңіз.",
		RU: "Пусть заявление подаст другой законный представитель, или обратитесь в ЦОН.",
		EN: "Another legal representative should apply, or go to a Public Service Centre.",
	}
)

// SIGNATURE
var (
	msgSigned = Text{
		KK: "Өтінішке өтініш берушінің өзі қол қойды.",
		RU: "Заявление подписано самим заявителем.",
		EN: "The application is signed by the applicant.",
	}
	msgSignedOnPaper = Text{
		KK: "Өтінішке Халыққа қызмет көрсету орталығында оператордың қатысуымен қол қойылды.",
		RU: "Заявление подписано в ЦОН в присутствии оператора.",
		EN: "The application was signed at a Public Service Centre before the operator.",
	}
	msgUnsigned = Text{
		KK: "Өтінішке қол қойылмаған.",
		RU: "Заявление не подписано.",
		EN: "The application is not signed.",
	}
	nxtUnsigned = Text{
		KK: "Өтінішке ЭЦҚ-мен немесе мобильді азаматтар базасындағы нөміріңізге келген бір реттік SMS-құпия сөзбен қол қойыңыз.",
		RU: "Подпишите заявление ЭЦП или одноразовым SMS-паролем, отправленным на ваш номер из базы мобильных граждан.",
		EN: "Sign the application with an EDS or a one-time SMS password sent to your number in the Mobile Citizens Database.",
	}
	msgPaperUnchecked = Text{
		KK: "Қағаздағы қолтаңба тек Халыққа қызмет көрсету орталығында, оператор құжаттарды тексергеннен кейін қабылданады.",
		RU: "Подпись на бумаге принимается только в ЦОН после проверки документов оператором.",
		EN: "A signature on paper is accepted only at a Public Service Centre, after the operator has checked the documents.",
	}
	nxtPaperUnchecked = Text{
		KK: "Құжаттарыңызды операторға тексертіңіз немесе өтінішке онлайн ЭЦҚ-мен не SMS-құпия сөзбен қол қойыңыз.",
		RU: "Дайте оператору проверить документы или подпишите заявление онлайн ЭЦП или SMS-паролем.",
		EN: "Have the operator check your documents, or sign online with an EDS or an SMS password.",
	}
	msgEDSOther = Text{
		KK: "Өтінішке басқа адамның ЭЦҚ-сымен қол қойылған. Оған өтініш берушінің өз ЭЦҚ-сымен қол қойылуы тиіс.",
		RU: "Заявление подписано ЭЦП другого человека. Заявитель должен подписать его своей ЭЦП.",
		EN: "The application is signed with another person's EDS. The applicant must sign it with their own EDS.",
	}
	nxtEDSOther = Text{
		KK: "Өз ЭЦҚ-ңызбен қайта қол қойыңыз. ЭЦҚ-ны Ұлттық куәландырушы орталықтан (pki.gov.kz) тегін алуға болады.",
		RU: "Подпишите заново своей ЭЦП. ЭЦП можно бесплатно получить в Национальном удостоверяющем центре (pki.gov.kz).",
		EN: "Sign again with your own EDS. You can get one free of charge from the National Certification Authority (pki.gov.kz).",
	}
	msgOTPNoPhone = Text{
		KK: "Өтініш берушінің телефон нөмірі мобильді азаматтар базасында тіркелмеген, сондықтан SMS-құпия сөзбен қол қоюға болмайды.",
		RU: "Номер телефона заявителя не зарегистрирован в базе мобильных граждан, поэтому подписать заявление SMS-паролем нельзя.",
		EN: "The applicant's phone number is not in the Mobile Citizens Database, so the application cannot be signed with an SMS password.",
	}
	nxtOTPNoPhone = Text{
		KK: "Өтінішке ЭЦҚ-мен қол қойыңыз немесе нөміріңізді мобильді азаматтар базасына тіркеңіз (eGov.kz порталында немесе Халыққа қызмет көрсету орталығында).",
		RU: "Подпишите заявление ЭЦП или зарегистрируйте номер в базе мобильных граждан (на портале eGov.kz или в ЦОН).",
		EN: "Sign with an EDS, or register your number in the Mobile Citizens Database (on eGov.kz or at a Public Service Centre).",
	}
	msgOTPOther = Text{
		KK: "Бір реттік құпия сөз өтініш берушіге емес, басқа адамға жіберілген.",
		RU: "Одноразовый пароль был отправлен не заявителю, а другому человеку.",
		EN: "The one-time password was sent to someone other than the applicant.",
	}
	nxtOTPOther = Text{
		KK: "Өз нөміріңізге жаңа код сұратып, өтінішке қайта қол қойыңыз.",
		RU: "Запросите новый код на свой номер и подпишите заявление заново.",
		EN: "Request a new code to your own number and sign again.",
	}
)

// PREMISES_KNOWN
var (
	msgPremisesOK = Text{
		KK: "Мекенжай мекенжайлар тіркелімінде бар, үй-жай тұруға арналған.",
		RU: "Адрес есть в адресном регистре, помещение жилое.",
		EN: "The address is in the address register and the premises are residential.",
	}
	msgUnknownRKA = Text{
		KK: "Мекенжайдың тіркеу коды (МТК) мекенжайлар тіркелімінде табылмады.",
		RU: "Регистрационный код адреса (РКА) не найден в адресном регистре.",
		EN: "The address registration code (RKA) was not found in the address register.",
	}
	nxtUnknownRKA = Text{
		KK: "Кодты тексеріңіз: оны eGov.kz порталындағы мекенжай анықтамасынан немесе тұрғын үйге құқық белгілейтін құжаттардан табуға болады. Мекенжай тіркелімде болмаса, жергілікті әкімдіктің сәулет және қала құрылысы бөліміне жүгініңіз.",
		RU: "Проверьте код: его можно найти в адресной справке на портале eGov.kz или в правоустанавливающих документах на жильё. Если адреса нет в регистре, обратитесь в отдел архитектуры и градостроительства местного акимата.",
		EN: "Check the code: you can find it in the address certificate on eGov.kz or in the title documents of the dwelling. If the address is missing from the register, contact the architecture and urban planning department of the local akimat.",
	}
	msgNotResidential = Text{
		KK: "Бұл мекенжайдағы үй-жай тұруға арналмаған, сондықтан онда тіркеуге болмайды.",
		RU: "Помещение по этому адресу не жилое, поэтому регистрация в нём невозможна.",
		EN: "The premises at this address are not residential, so no one can be registered there.",
	}
	nxtNotResidential = Text{
		KK: "Тұрғын үйдің немесе тұруға арналған үй-жайдың мекенжайын көрсетіңіз.",
		RU: "Укажите адрес жилого дома или помещения, предназначенного для проживания.",
		EN: "Give the address of a dwelling or of premises used for living in.",
	}
)

// TEMPORARY_PERIOD
var (
	msgPermanentNoPeriod = Text{
		KK: "Тұрақты тіркеудің мерзімі жоқ.",
		RU: "Постоянная регистрация не ограничена сроком.",
		EN: "A permanent registration has no end date.",
	}
	msgPeriodOK = Text{
		KK: "Уақытша болу мерзімі бір айдан он екі айға дейін.",
		RU: "Срок временного пребывания — от одного до двенадцати месяцев.",
		EN: "The temporary stay lasts from one to twelve months.",
	}
	msgPeriodMissing = Text{
		KK: "Уақытша тіркеу үшін болудың басталу және аяқталу күндерін көрсету керек.",
		RU: "Для временной регистрации нужно указать даты начала и окончания пребывания.",
		EN: "A temporary registration needs the start and end dates of the stay.",
	}
	nxtPeriodMissing = Text{
		KK: "Күндерді көрсетіп, өтінішті қайта беріңіз.",
		RU: "Укажите даты и подайте заявление заново.",
		EN: "Give the dates and apply again.",
	}
	msgPeriodOrder = Text{
		KK: "Болудың аяқталу күні басталу күнінен кейін болуы керек.",
		RU: "Дата окончания пребывания должна быть позже даты начала.",
		EN: "The end date of the stay must be after its start date.",
	}
	nxtPeriodFix = Text{
		KK: "Күндерді тексеріп, өтінішті қайта беріңіз.",
		RU: "Проверьте даты и подайте заявление заново.",
		EN: "Check the dates and apply again.",
	}
	msgPeriodPast = Text{
		KK: "Болу мерзімі өтініш берілген күнге дейін аяқталған.",
		RU: "Срок пребывания закончился до дня подачи заявления.",
		EN: "The stay ended before the day of the application.",
	}
	nxtPeriodPast = Text{
		KK: "Уақытша тіркеу тек ағымдағы немесе алдағы болу мерзіміне ресімделеді. Күндерді тексеріп, өтінішті қайта беріңіз.",
		RU: "Временная регистрация оформляется только на текущий или будущий срок пребывания. Проверьте даты и подайте заявление заново.",
		EN: "Temporary registration is only for a current or future stay. Check the dates and apply again.",
	}
	msgPeriodFuture = Text{
		KK: "Болу әлі басталмаған: уақытша тіркеу ақпараттық жүйеге енгізілген күннен басталады, сондықтан оны алдын ала ресімдеуге болмайды.",
		RU: "Пребывание ещё не началось: временная регистрация начинается со дня её внесения в информационную систему, поэтому заранее её не оформляют.",
		EN: "The stay has not begun yet: a temporary registration starts on the day it is entered in the information system, so it is not made in advance.",
	}
	nxtPeriodFuture = Text{
		KK: "Келген күні немесе келгеннен кейін 10 күн ішінде өтініш беріңіз: бір айдан ұзақ болатын азамат келгеннен кейін 10 күн ішінде тіркелуі керек.",
		RU: "Подайте заявление в день прибытия или в течение 10 дней после него: при пребывании дольше месяца зарегистрироваться нужно в течение 10 дней после прибытия.",
		EN: "Apply on the day you arrive or within 10 days after: anyone staying over a month must register within 10 days of arrival.",
	}
	msgPeriodShort = Text{
		KK: "Бір айдан аз уақытқа келген азаматтар тіркелмесе де болады, сондықтан мұндай қысқа мерзімге уақытша тіркеу ресімделмейді. Уақытша тіркеу бір айдан он екі айға дейінгі мерзімге жасалады, мерзім тіркелген күннен (болу кейін басталса, сол күннен) есептеледі.",
		RU: "Граждане, приехавшие меньше чем на месяц, могут не регистрироваться, поэтому на такой короткий срок временная регистрация не оформляется. Временная регистрация оформляется на срок от одного до двенадцати месяцев, считая со дня регистрации (или с начала пребывания, если оно позже).",
		EN: "People who stay for less than a month need not register, so no temporary registration is made for so short a stay. Temporary registration is for one to twelve months, counted from the day it is made (or from the start of the stay, if later).",
	}
	nxtPeriodShort = Text{
		KK: "Тіркелудің қажеті жоқ. Егер сапарыңыз ұзарса, кемінде бір айлық мерзімге өтініш беріңіз: бір айдан ұзақ болатын болсаңыз, келгеннен кейін 10 күн ішінде тіркелуіңіз керек.",
		RU: "Регистрироваться не нужно. Если поездка затянется, подайте заявление на срок не меньше месяца: при пребывании дольше месяца зарегистрироваться нужно в течение 10 дней после прибытия.",
		EN: "You do not need to register. If your stay grows longer, apply for at least one month: anyone staying over a month must register within 10 days of arrival.",
	}
	msgPeriodLong = Text{
		KK: "Уақытша тіркеу тіркелген күннен бастап он екі айдан аспайтын мерзімге ресімделеді.",
		RU: "Временная регистрация оформляется на срок не более двенадцати месяцев со дня регистрации.",
		EN: "Temporary registration is made for at most twelve months from the day it is made.",
	}
	nxtPeriodLong = Text{
		KK: "Он екі айдан аспайтын мерзімді көрсетіңіз: ол аяқталған соң қайта тіркелуге болады. Осында тұрақты тұратын болсаңыз, тұрақты тіркеуге өтініш беріңіз.",
		RU: "Укажите срок не более двенадцати месяцев: после его окончания можно зарегистрироваться снова. Если вы живёте здесь постоянно, подайте заявление на постоянную регистрацию.",
		EN: "Choose a period of at most twelve months: you can register again when it ends. If you live here for good, apply for permanent registration.",
	}
)

// ALREADY_REGISTERED
var (
	msgNotYetRegistered = Text{
		KK: "Бұл адам осы мекенжай бойынша мұндай тіркеуде тұрмайды.",
		RU: "Этот человек ещё не зарегистрирован по этому адресу с таким видом регистрации.",
		EN: "This person is not yet registered at this address with this kind of registration.",
	}
	msgAlreadyPermanent = Text{
		KK: "Бұл адам осы мекенжай бойынша тұрақты тіркеуде тұр.",
		RU: "Этот человек уже постоянно зарегистрирован по этому адресу.",
		EN: "This person is already permanently registered at this address.",
	}
	msgAlreadyTemporary = Text{
		KK: "Бұл адам осы мекенжай бойынша уақытша тіркеуде тұр.",
		RU: "Этот человек уже временно зарегистрирован по этому адресу.",
		EN: "This person is already temporarily registered at this address.",
	}
	msgTemporaryAtPermanent = Text{
		KK: "Бұл адам осы мекенжай бойынша тұрақты тіркеуде тұр: тұрақты тұратын жерде уақытша тіркелмейді.",
		RU: "Этот человек постоянно зарегистрирован по этому адресу: по месту постоянного жительства временно не регистрируются.",
		EN: "This person is permanently registered at this address: nobody is registered temporarily at their place of permanent residence.",
	}
	nxtTemporaryAtPermanent = Text{
		KK: "Өтініш берудің қажеті жоқ: тұрақты тіркеу күшінде. Уақытша басқа жерде тұрсаңыз, сол мекенжайды көрсетіңіз.",
		RU: "Подавать заявление не нужно: постоянная регистрация действует. Если вы временно живёте в другом месте, укажите тот адрес.",
		EN: "There is no need to apply: the permanent registration stands. If you are staying somewhere else for a while, give that address.",
	}
	msgTemporaryEndsHere = Text{
		KK: "Бұл адам осы мекенжай бойынша уақытша тіркеуде тұр: тұрақты тіркелгенде уақытша тіркеу аяқталады.",
		RU: "Этот человек временно зарегистрирован по этому адресу: с постоянной регистрацией временная прекратится.",
		EN: "This person is temporarily registered at this address: the temporary registration ends when the permanent one is made.",
	}
	nxtAlreadyRegistered = Text{
		KK: "Қайта өтініш берудің қажеті жоқ. Тіркеу туралы мәліметті жеке кабинеттен көре аласыз.",
		RU: "Подавать заявление повторно не нужно. Сведения о регистрации есть в личном кабинете.",
		EN: "There is no need to apply again. You can see the registration in your personal account.",
	}
)

// STATE_RENTAL
var (
	msgNotStateRental = Text{
		KK: "Бұл үй-жай мемлекеттік жалға берілетін тұрғын үй емес.",
		RU: "Это помещение не относится к государственному арендному жилью.",
		EN: "These premises are not state rental housing.",
	}
	msgRentalOK = Text{
		KK: "Өтініш беруші — қолданыстағы жалдау шарты бойынша жалдаушы, ал тіркелетін адам шартқа енгізілген.",
		RU: "Заявитель — наниматель по действующему договору найма, а регистрируемый указан в договоре.",
		EN: "The applicant is the tenant under a valid rental agreement, and the person is listed in it.",
	}
	msgRentalNotTenant = Text{
		KK: "Бұл — мемлекеттік жалға берілетін тұрғын үй. Онда тек жалдау шарты бойынша жалдаушы тіркей алады, ал өтініш беруші жалдаушы емес.",
		RU: "Это государственное арендное жильё. Регистрировать в нём может только наниматель по договору найма, а заявитель нанимателем не является.",
		EN: "This is state rental housing. Only the tenant under the rental agreement may register people here, and the applicant is not the tenant.",
	}
	msgRentalNotInForce = Text{
		KK: "Өтініш берушінің жалдау шарты өтініш берілген күні күшінде емес (мерзімі аяқталған немесе әлі басталмаған).",
		RU: "Договор найма заявителя не действует на день подачи заявления (срок истёк или ещё не начался).",
		EN: "The applicant's rental agreement is not in force on the day of the application (it has ended or not yet begun).",
	}
	msgRentalNotListed = Text{
		KK: "Тіркелетін адам жалдау шартында көрсетілмеген. Мемлекеттік жалға берілетін тұрғын үйге тек шартта аталған адамдарды тіркеуге болады.",
		RU: "Регистрируемый не указан в договоре найма. В государственном арендном жилье можно зарегистрировать только тех, кто перечислен в договоре.",
		EN: "The person is not listed in the rental agreement. Only the people listed in the agreement can be registered in state rental housing.",
	}
	nxtRental = Text{
		KK: "Жалдау шарты бойынша сұрақтарыңыз болса, тұрғын үй орналасқан жердегі жергілікті атқарушы органның тұрғын үй-коммуналдық шаруашылығы бөліміне жүгініңіз.",
		RU: "По вопросам договора найма обратитесь в отдел жилищно-коммунального хозяйства местного исполнительного органа по месту нахождения жилья.",
		EN: "For questions about the rental agreement, contact the Housing and Utilities Department of the local executive body where the housing is.",
	}
)

// OFFLINE_OWNERS
var (
	msgOwnersOnline = Text{
		KK: "Үй-жай иелерінің келісімін онлайн алуға болады.",
		RU: "Согласие собственников жилья можно получить онлайн.",
		EN: "The owners' consent can be obtained online.",
	}
	msgConsentOnPaper = Text{
		KK: "Үй-жай иелері келісімін Халыққа қызмет көрсету орталығында жазбаша берді.",
		RU: "Собственники жилья дали согласие письменно в ЦОН.",
		EN: "The owners gave their consent in writing at a Public Service Centre.",
	}
	msgOwnerMinor = Text{
		KK: "Үй-жай иелерінің арасында кәмелетке толмаған бала бар. Мұндай мекенжай бойынша тіркеу онлайн емес, тек Халыққа қызмет көрсету орталығында жүргізіледі.",
		RU: "Среди собственников жилья есть несовершеннолетний. Регистрация по такому адресу проводится не онлайн, а только в ЦОН.",
		EN: "One of the owners of the dwelling is a minor. Registration at such an address is done only in person at a Public Service Centre, not online.",
	}
	msgOwnerIncapable = Text{
		KK: "Үй-жай иелерінің бірін сот әрекетке қабілетсіз немесе әрекет қабілеті шектеулі деп таныған. Мұндай мекенжай бойынша тіркеу тек Халыққа қызмет көрсету орталығында жүргізіледі.",
		RU: "Один из собственников жилья признан судом недееспособным или ограниченно дееспособным. Регистрация по такому адресу проводится только в ЦОН.",
		EN: "One of the owners has been declared incapacitated or partially incapacitated by a court. Registration at such an address is done only in person at a Public Service Centre.",
	}
	msgOwnerUnknown = Text{
		KK: "Үй-жай иелерінің бірі туралы мәлімет тіркелімдерде жоқ, сондықтан оның құқығын растау және келісімін онлайн алу мүмкін емес.",
		RU: "Об одном из собственников нет сведений в реестрах, поэтому подтвердить его право и получить его согласие онлайн нельзя.",
		EN: "One of the owners is missing from the registries, so their title cannot be confirmed and their consent cannot be obtained online.",
	}
	msgOwnerDeceased = Text{
		KK: "Үй-жай иелерінің бірі қайтыс болған деп көрсетілген: оның мұрагерлерінің құқығы тіркелімде әлі жоқ, сондықтан келісімді онлайн алу мүмкін емес.",
		RU: "Один из собственников значится умершим: права его наследников ещё не отражены в реестре, поэтому получить согласие онлайн нельзя.",
		EN: "One of the owners is recorded as deceased: their heirs' title is not yet in the register, so consent cannot be obtained online.",
	}
	msgNoOwnerRecord = Text{
		KK: "Тіркелімдерде бұл үй-жайдың иесі туралы мәлімет жоқ, сондықтан тіркеуге құқықты растау және иенің келісімін онлайн алу мүмкін емес.",
		RU: "В реестрах нет сведений о собственнике этого помещения, поэтому подтвердить право на регистрацию и получить согласие собственника онлайн нельзя.",
		EN: "The registries hold no owner of these premises, so the right to register cannot be confirmed and no owner's consent can be obtained online.",
	}
	msgOwnersKnown = Text{
		KK: "Үй-жайдың барлық иелері тіркелімдерде бар.",
		RU: "Все собственники помещения есть в реестрах.",
		EN: "Every owner of the premises is in the registries.",
	}
	msgOwnersCheckedOnPaper = Text{
		KK: "Оператор Халыққа қызмет көрсету орталығында тұрғын үйге құқық белгілейтін құжаттарды және иелердің жазбаша келісімін тексерді.",
		RU: "Оператор ЦОН проверил правоустанавливающие документы на жильё и письменное согласие собственников.",
		EN: "The service-centre operator checked the title documents to the dwelling and the owners' written consent.",
	}
	nxtOwnerUnknown = Text{
		KK: "Тізімдегі құжаттармен, үйдің иелерімен (иесі қайтыс болса — мұрагерлерімен) бірге Халыққа қызмет көрсету орталығына келіңіз: оператор құқықты құжаттар бойынша тексереді. Тіркелімдегі мәліметті түзету үшін жылжымайтын мүлікті тіркеу органына жүгінуге болады.",
		RU: "Приходите в ЦОН с документами из списка вместе с собственниками (если собственник умер — с наследниками): оператор проверит право по документам. Чтобы исправить сведения в реестре, можно обратиться в орган регистрации недвижимости.",
		EN: "Come to a Public Service Centre with the documents listed, together with the owners (if an owner has died, with the heirs): the operator checks the title on the documents. To have the register corrected, contact the real-estate registration authority.",
	}
	nxtOwnersInPerson = Text{
		KK: "Тізімдегі құжаттармен барлық иелермен бірге Халыққа қызмет көрсету орталығына келіңіз: кәмелетке толмаған немесе әрекетке қабілетсіз иенің орнына оның ата-анасы, заңды өкілі немесе қорғаншысы келеді.",
		RU: "Приходите в ЦОН с документами из списка вместе со всеми собственниками: за несовершеннолетнего или недееспособного собственника приходит его родитель, законный представитель или опекун.",
		EN: "Come to a Public Service Centre with the documents listed, together with all the owners: for a minor or incapacitated owner, their parent, legal representative or guardian comes.",
	}
	docPersonsIDs = Text{
		KK: "Өтініш берушінің және тіркелетін адамның жеке куәлігі (16 жасқа толмаған балаға — туу туралы куәлік) және бар болса, Қазақстан Республикасы азаматының паспорты",
		RU: "Удостоверения личности заявителя и регистрируемого (для детей до 16 лет — свидетельство о рождении) и паспорт гражданина РК, если есть",
		EN: "ID cards of the applicant and of the person being registered (for a child under 16, the birth certificate), and the passport of the Republic of Kazakhstan if they have one",
	}
	docOwnersInPerson = Text{
		KK: "Үй-жай иелерінің жеке куәліктері — иелердің өздері келуі міндетті — және олардың тіркеуге жазбаша келісімі",
		RU: "Удостоверения личности собственников жилья — их личное присутствие обязательно — и их письменное согласие на регистрацию",
		EN: "ID cards of the owners of the dwelling — the owners must come in person — and their written consent to the registration",
	}
	docOwnerRepresentative = Text{
		KK: "Кәмелетке толмаған немесе әрекетке қабілетсіз иенің заңды өкілінің (ата-анасының, қорғаншысының) жеке куәлігі және оның тіркеуге жазбаша келісімі",
		RU: "Удостоверение личности законного представителя (родителя, опекуна) несовершеннолетнего или недееспособного собственника и его письменное согласие на регистрацию",
		EN: "ID card of the legal representative (parent or guardian) of the minor or incapacitated owner, and their written consent to the registration",
	}
	docRepresentativeAuthority = Text{
		KK: "Өкілдің өкілеттігін растайтын құжаттар: иесінің туу туралы куәлігі немесе қорғаншылық (қамқоршылық) белгілеу туралы шешім",
		RU: "Документы, подтверждающие полномочия представителя: свидетельство о рождении собственника или решение об установлении опеки (попечительства)",
		EN: "Documents proving the representative's authority: the owner's birth certificate or the decision establishing guardianship",
	}
	docTitle = Text{
		KK: "Тұрғын үйге құқық белгілейтін құжаттар (мұрагерлік құқығы туралы куәлікті қоса алғанда)",
		RU: "Правоустанавливающие документы на жильё (в том числе свидетельство о праве на наследство)",
		EN: "Title documents to the dwelling (including a certificate of inheritance, if any)",
	}
	// The documents of an in-person answer, each a text of its own so that
	// a stored decision names them by id (textids.go).
	docsOwnersInPerson = []Text{docPersonsIDs, docOwnersInPerson, docOwnerRepresentative, docRepresentativeAuthority}
	docsOwnerUnknown   = []Text{docPersonsIDs, docOwnersInPerson, docTitle}
)

// ARRIVAL_FROM_ABROAD
var (
	msgNotAbroad = Text{
		KK: "Бұл адам шетелдегі консулдық есепте тұрмайды.",
		RU: "Этот человек не состоит на консульском учёте за рубежом.",
		EN: "This person is not on a consular register abroad.",
	}
	msgAbroadTemporary = Text{
		KK: "Бұл адам шетелдегі консулдық есепте тұр, бірақ уақытша болуға тіркеледі: консулдық есептен шығу туралы құжаттар тек тұрақты тұруға келгенде талап етіледі.",
		RU: "Этот человек состоит на консульском учёте за рубежом, но регистрируется временно: документы о снятии с консульского учёта нужны только при прибытии на постоянное жительство.",
		EN: "This person is on a consular register abroad but is registering a temporary stay: the documents of removal from the consular register are needed only on arrival for permanent residence.",
	}
	msgAbroadRegisteredHere = Text{
		KK: "Бұл адам шетелдегі консулдық есепте тұр, бірақ Қазақстанда тіркеуде тұр: ол тұрақты тұруға шетелден келген адам болып саналмайды.",
		RU: "Этот человек состоит на консульском учёте за рубежом, но зарегистрирован в Казахстане: прибывшим из-за рубежа на постоянное жительство он не считается.",
		EN: "This person is on a consular register abroad but is registered in Kazakhstan: they are not arriving from abroad for permanent residence.",
	}
	msgAbroadChecked = Text{
		KK: "Оператор шетелден келу туралы құжаттарды тексерді.",
		RU: "Оператор проверил документы о прибытии из-за рубежа.",
		EN: "The operator has checked the documents of arrival from abroad.",
	}
	msgAbroad = Text{
		KK: "Бұл адам шетелдегі консулдық есепте тұр. Тұрақты тұруға шетелден келген азаматтар консулдық есептен шығарылғанын растайтын құжаттар бойынша тіркеледі, оларды Халыққа қызмет көрсету орталығында көрсету керек.",
		RU: "Этот человек состоит на консульском учёте за рубежом. Граждан, прибывших из-за рубежа на постоянное жительство, регистрируют по документам о снятии с консульского учёта — их нужно предъявить в ЦОН.",
		EN: "This person is on a consular register abroad. Citizens who come back from abroad to live in Kazakhstan are registered on documents showing they left the consular register, which must be shown at a Public Service Centre.",
	}
	nxtAbroad = Text{
		KK: "Тізімдегі құжаттармен Халыққа қызмет көрсету орталығына келіңіз.",
		RU: "Обратитесь в ЦОН с документами из списка.",
		EN: "Come to a Public Service Centre with the documents listed.",
	}
	docAbroadPassport = Text{
		KK: "Тіркелетін адамның жеке куәлігі және бұрынғы тұрған елдегі консулдық есептен шығарылғаны туралы белгісі бар Қазақстан Республикасы азаматының паспорты",
		RU: "Удостоверение личности регистрируемого и паспорт гражданина РК с отметкой о снятии с консульского учёта в стране прежнего проживания",
		EN: "The person's ID card, and their passport of the Republic of Kazakhstan with the mark of removal from the consular register of the country of former residence",
	}
	docAbroadCertificate = Text{
		KK: "Паспортта белгі болмаса: Қазақстан Республикасының шетелдегі мекемесі (немесе Сыртқы істер министрлігінің Консулдық қызмет департаменті) берген, азаматтығы көрсетілген, бұрынғы тұрған елдегі есептен шығарылғаны туралы анықтама",
		RU: "Если отметки в паспорте нет: справка о снятии с учёта в стране прежнего проживания с указанием гражданства, выданная загранучреждением РК (или Департаментом консульской службы МИД РК)",
		EN: "If the passport has no such mark: a certificate of deregistration in the country of former residence, stating citizenship, issued by a foreign mission of the Republic of Kazakhstan (or the Consular Service Department of the Ministry of Foreign Affairs)",
	}
	docAbroadForeignDeregistration = Text{
		KK: "немесе шет мемлекеттің құзыретті органы берген және тиісінше куәландырған бұрынғы тұрғылықты жерінен тіркеуден шығарылғаны туралы құжат",
		RU: "или документ о снятии с регистрации по прежнему месту жительства, выданный и заверенный компетентным органом иностранного государства",
		EN: "or a document of deregistration from the former place of residence, issued and duly certified by the competent authority of the foreign state",
	}
	docAbroadNoCitizenship = Text{
		KK: "немесе бұрынғы тұрған елдің құзыретті органы берген азаматтығы жоқ екені және тіркеуде тұрмағаны туралы анықтама",
		RU: "или справка об отсутствии гражданства и регистрации, выданная компетентным органом страны прежнего проживания",
		EN: "or a certificate of no citizenship and no registration, issued by the competent authority of the country of former residence",
	}
	docAbroadOwnerConsent = Text{
		KK: "Үй-жай иесінің жеке куәлігі және оның тіркеуге жазбаша келісімі (өтініш беруші үйдің иесі болмаса)",
		RU: "Удостоверение личности собственника жилья и его письменное согласие на регистрацию (если заявитель не собственник)",
		EN: "The owner's ID card and their written consent to the registration (when the applicant is not the owner)",
	}
	docsAbroad = []Text{docAbroadPassport, docAbroadCertificate, docAbroadForeignDeregistration, docAbroadNoCitizenship,
		docAbroadOwnerConsent}
)

// ORGANISATION_PETITION and OWNER_CONSENT
var (
	msgTenantSigns = Text{
		KK: "Мемлекеттік жалға берілетін тұрғын үйде иенің келісімі қажет емес: жалдаушының қолтаңбасы жеткілікті.",
		RU: "В государственном арендном жилье согласие собственника не нужно: достаточно подписи нанимателя.",
		EN: "In state rental housing no owner's consent is needed: the tenant's signature is enough.",
	}
	msgNoOrganisation = Text{
		KK: "Үй-жай ұйымға тиесілі емес, өтінішхат қажет емес.",
		RU: "Помещение не принадлежит организации, ходатайство не нужно.",
		EN: "The premises do not belong to an organisation, so no petition is needed.",
	}
	msgPetitionBySignature = Text{
		KK: "Өтінішке ұйымның өкілі қол қойды — бұл ұйым әкімшілігінің өтінішхаты болып саналады.",
		RU: "Заявление подписал представитель организации — это и есть ходатайство её администрации.",
		EN: "A representative of the organisation signed the application: that is the organisation's petition.",
	}
	msgPetitionNeeded = Text{
		KK: "Үй-жай ұйымға тиесілі: тіркеу үшін ұйым әкімшілігінің өкілі қол қойған өтінішхат қажет.",
		RU: "Помещение принадлежит организации: для регистрации нужно ходатайство администрации, подписанное её представителем.",
		EN: "The premises belong to an organisation: the registration needs a petition signed by one of its representatives.",
	}
	nxtPetitionNeeded = Text{
		KK: "Ұйымның өкілі бір сағат ішінде өтінішхатқа ЭЦҚ-мен қол қоюы керек.",
		RU: "Представитель организации должен подписать ходатайство ЭЦП в течение одного часа.",
		EN: "A representative of the organisation must sign the petition with an EDS within one hour.",
	}
	msgNoOwnerConsent = Text{
		KK: "Үй-жай иелерінің қосымша келісімі қажет емес: өтініш берушінің қолтаңбасы — оның келісімі.",
		RU: "Дополнительное согласие собственников не нужно: подпись заявителя и есть его согласие.",
		EN: "No further consent of the owners is needed: the applicant's signature is their consent.",
	}
	msgOwnerConsentNeeded = Text{
		KK: "Өтініш беруші де, тіркелетін адам да болып табылмайтын әр үй-жай иесі келісім беруі керек: оларға 1414 нөмірінен SMS-код келеді (мобильді азаматтар базасында нөмірі жоқ иелер ЭЦҚ-мен растайды).",
		RU: "Каждый собственник, который не является ни заявителем, ни регистрируемым, должен дать согласие: ему придёт SMS-код с номера 1414 (собственники без номера в базе мобильных граждан подтверждают ЭЦП).",
		EN: "Every owner who is neither the applicant nor the person being registered must consent: they get an SMS code from 1414 (owners without a phone in the Mobile Citizens Database confirm with an EDS).",
	}
	nxtConsentNeeded = Text{
		KK: "Иелер келісімін бір сағат ішінде растауы керек. Уақытында растамаса, өтініштің мерзімі өтеді, оны қайта беруге болады.",
		RU: "Собственники должны подтвердить согласие в течение одного часа. Если они не успеют, срок заявления истечёт и его можно подать заново.",
		EN: "The owners must confirm within one hour. If they do not, the application expires and you can apply again.",
	}
)

// Decisions.
var (
	msgAwaitingConsent = Text{
		KK: "Өтініш қабылданды және үй-жай иелерінің келісімін күтіп тұр. Иелер келісімін бір сағат ішінде растауы керек.",
		RU: "Заявление принято и ожидает согласия собственников жилья. Собственники должны подтвердить согласие в течение одного часа.",
		EN: "The application is accepted and is waiting for the owners' consent. The owners must confirm within one hour.",
	}
	msgRegisteredPermanent = Text{
		KK: "Барлық тексеру сәтті өтті: адам көрсетілген мекенжай бойынша тұрақты тіркелді.",
		RU: "Все проверки пройдены: человек зарегистрирован по указанному адресу постоянно.",
		EN: "All checks passed: the person is now permanently registered at the address.",
	}
	msgRegisteredTemporary = Text{
		KK: "Барлық тексеру сәтті өтті: адам көрсетілген мекенжай бойынша болу мерзіміне уақытша тіркелді.",
		RU: "Все проверки пройдены: человек временно зарегистрирован по указанному адресу на срок пребывания.",
		EN: "All checks passed: the person is now temporarily registered at the address for the period of the stay.",
	}
	nxtRegistered = Text{
		KK: "Жаңа мекенжай жеке куәліктің чипіне автоматты түрде жазылады. Нәтижені жеке кабинеттегі «Қызметтер тарихы» бөлімінен көре аласыз.",
		RU: "Новый адрес будет автоматически записан в чип удостоверения личности. Результат можно посмотреть в разделе «История услуг» личного кабинета.",
		EN: "The new address will be written to the ID card's chip automatically. You can see the result in the service history of your personal account.",
	}
	msgConsentDeclined = Text{
		KK: "Үй-жай иелерінің бірі келісім беруден бас тартты, сондықтан өтініш қабылданбады.",
		RU: "Один из собственников жилья отказал в согласии, поэтому заявление отклонено.",
		EN: "One of the owners refused consent, so the application was refused.",
	}
	nxtConsentDeclined = Text{
		KK: "Иелермен келісіп, өтінішті қайта беріңіз немесе басқа мекенжайды таңдаңыз.",
		RU: "Договоритесь с собственниками и подайте заявление снова или выберите другой адрес.",
		EN: "Come to an agreement with the owners and apply again, or choose another address.",
	}
	msgSubjectIsApplicant = Text{
		KK: "Өтініш беруші — тіркелетін адамның өзі: оның қолтаңбасы — оның өз еркі.",
		RU: "Заявитель — сам регистрируемый: его подпись и есть его воля.",
		EN: "The applicant is the person being registered: their signature is their own will.",
	}
	msgSubjectRepresented = Text{
		KK: "Тіркелетін адамның атынан оның ата-анасы немесе қорғаншысы әрекет етеді: жеке растау қажет емес.",
		RU: "За регистрируемого действует его родитель или опекун: отдельное подтверждение не нужно.",
		EN: "A parent or guardian acts for the person being registered: no separate confirmation is needed.",
	}
	msgSubjectConsentNeeded = Text{
		KK: "Өтінішті тіркелетін адамның өзі емес, басқа адам берді: тіркелетін адам келісетінін растауы керек — оған 1414 нөмірінен SMS-код келеді (мобильді азаматтар базасында нөмірі жоқ болса, ЭЦҚ-мен растайды).",
		RU: "Заявление подал не сам регистрируемый: он должен подтвердить, что согласен, — ему придёт SMS-код с номера 1414 (без номера в базе мобильных граждан — подтверждение ЭЦП).",
		EN: "Someone other than the person being registered applied: that person must confirm they agree — they get an SMS code from 1414 (without a phone in the Mobile Citizens Database, they confirm with an EDS).",
	}
	nxtSubjectConsentNeeded = Text{
		KK: "Тіркелетін адам бір сағат ішінде растауы керек. Растағанға дейін ештеңе өзгермейді; уақытында растамаса, өтініштің мерзімі өтеді.",
		RU: "Регистрируемый должен подтвердить в течение одного часа. До подтверждения ничего не меняется; если он не успеет, срок заявления истечёт.",
		EN: "The person being registered must confirm within one hour. Nothing changes until they do; if they do not, the application expires.",
	}
	msgAwaitingSubject = Text{
		KK: "Өтініш қабылданды және тіркелетін адамның растауын күтіп тұр.",
		RU: "Заявление принято и ожидает подтверждения регистрируемого.",
		EN: "The application is accepted and is waiting for the person being registered to confirm it.",
	}
	msgAwaitingOwnersAndSubject = Text{
		KK: "Өтініш қабылданды және үй-жай иелерінің келісімін әрі тіркелетін адамның растауын күтіп тұр.",
		RU: "Заявление принято и ожидает согласия собственников жилья и подтверждения регистрируемого.",
		EN: "The application is accepted and is waiting for the owners' consent and for the person being registered to confirm it.",
	}
	nxtOwnersAndSubjectNeeded = Text{
		KK: "Иелер мен тіркелетін адам бір сағат ішінде растауы керек. Уақытында растамаса, өтініштің мерзімі өтеді, оны қайта беруге болады.",
		RU: "Собственники и регистрируемый должны подтвердить в течение одного часа. Если они не успеют, срок заявления истечёт и его можно подать заново.",
		EN: "The owners and the person being registered must confirm within one hour. If they do not, the application expires and you can apply again.",
	}
	msgSubjectDeclined = Text{
		KK: "Тіркелетін адам өтінішті растаудан бас тартты, сондықтан өтініш қабылданбады; ештеңе өзгерген жоқ.",
		RU: "Регистрируемый отказался подтвердить заявление, поэтому оно отклонено; ничего не изменилось.",
		EN: "The person being registered declined the application, so it was refused; nothing changed.",
	}
	nxtSubjectDeclined = Text{
		KK: "Адамды оның келісімінсіз тіркеуге болмайды. Ол өзі өтініш бере алады.",
		RU: "Зарегистрировать человека без его согласия нельзя. Он может подать заявление сам.",
		EN: "A person cannot be registered against their will. They may apply themself.",
	}
	msgSubjectExpired = Text{
		KK: "Тіркелетін адам өтінішті бір сағат ішінде растамады, сондықтан өтініштің мерзімі өтті; ештеңе өзгерген жоқ.",
		RU: "Регистрируемый не подтвердил заявление в течение одного часа, поэтому срок заявления истёк; ничего не изменилось.",
		EN: "The person being registered did not confirm within one hour, so the application has expired; nothing changed.",
	}
	msgConsentExpired = Text{
		KK: "Үй-жай иелері келісімін бір сағат ішінде растамады, сондықтан өтініштің мерзімі өтті.",
		RU: "Собственники не подтвердили согласие в течение одного часа, поэтому срок заявления истёк.",
		EN: "The owners did not confirm their consent within one hour, so the application has expired.",
	}
	nxtConsentExpired = Text{
		KK: "Иелерге алдын ала ескертіп, өтінішті қайта беріңіз: олар SMS-кодты бір сағат ішінде растауы керек.",
		RU: "Предупредите собственников и подайте заявление снова: им нужно подтвердить SMS-код в течение одного часа.",
		EN: "Let the owners know and apply again: they need to confirm the SMS code within one hour.",
	}
)

// Decisions of the re-check at completion (Recheck).
var (
	msgRegisteredMeanwhile = Text{
		KK: "Өтініш келісім күтіп тұрғанда бұл адам басқа мекенжай бойынша тіркелді, сондықтан бұл өтініш орындалмайды: кейінгі тіркеу күшінде қалады.",
		RU: "Пока заявление ожидало согласия, этого человека зарегистрировали по другому адресу, поэтому заявление не исполнено: остаётся более поздняя регистрация.",
		EN: "While the application waited for consent, this person was registered at another address, so it was not carried out: the later registration stands.",
	}
	nxtRegisteredMeanwhile = Text{
		KK: "Егер адам бәрібер осы мекенжай бойынша тіркелгісі келсе, өтінішті қайта беріңіз.",
		RU: "Если человек всё же хочет зарегистрироваться по этому адресу, подайте заявление заново.",
		EN: "If the person still wants to be registered at this address, apply again.",
	}
	msgOwnersChanged = Text{
		KK: "Өтініш келісім күтіп тұрғанда үй-жайдың иелері өзгерді: жаңа иеден келісім сұралмаған және ол келісім бермеген, сондықтан өтініш қабылданбады.",
		RU: "Пока заявление ожидало согласия, сменились собственники жилья: у нового собственника согласие не запрашивалось, и он его не давал, поэтому заявление отклонено.",
		EN: "While the application waited for consent, the owners of the dwelling changed: a new owner was never asked and has not consented, so the application was refused.",
	}
	nxtOwnersChanged = Text{
		KK: "Өтінішті қайта беріңіз: келісім қазіргі иелерден сұралады.",
		RU: "Подайте заявление заново: согласие запросят у нынешних собственников.",
		EN: "Apply again: the present owners will be asked for consent.",
	}
	msgSubjectNotAsked = Text{
		KK: "Өтініш келісім күтіп тұрғанда тіркелетін адамның өзі растауы қажет болды, бірақ одан растау сұралмаған, сондықтан өтініш қабылданбады.",
		RU: "Пока заявление ожидало согласия, потребовалось подтверждение самого регистрируемого, но его не запрашивали, поэтому заявление отклонено.",
		EN: "While the application waited for consent, the person being registered came to need to confirm it themself, and was never asked, so the application was refused.",
	}
	nxtSubjectNotAsked = Text{
		KK: "Адам өзі өтініш берсін немесе өтінішті қайта беріңіз: одан растау сұралады.",
		RU: "Пусть человек подаст заявление сам, или подайте его заново: у него запросят подтверждение.",
		EN: "The person may apply themself, or apply again: they will be asked to confirm.",
	}
)

// Owner-initiated deregistration.
var (
	msgDeregOwner = Text{
		KK: "Өтініш беруші — үй-жайдың иесі.",
		RU: "Заявитель — собственник жилья.",
		EN: "The applicant is an owner of the dwelling.",
	}
	msgDeregNotOwner = Text{
		KK: "Адамды тұрғын үйден тіркеуден тек үйдің иесі шығара алады, ал өтініш беруші бұл үй-жайдың иесі емес.",
		RU: "Снять человека с регистрации в жилье может только собственник, а заявитель не является собственником этого помещения.",
		EN: "Only an owner of a dwelling can have someone deregistered from it, and the applicant is not an owner of these premises.",
	}
	nxtDeregNotOwner = Text{
		KK: "Өтінішті үйдің иесі берсін. Егер сіз иесі болсаңыз, бірақ бұл тіркелімде көрсетілмесе, құқық белгілейтін құжаттармен Халыққа қызмет көрсету орталығына жүгініңіз.",
		RU: "Заявление должен подать собственник. Если вы собственник, но в реестре это не отражено, обратитесь в ЦОН с правоустанавливающими документами.",
		EN: "An owner must apply. If you are an owner but the register does not show it, go to a Public Service Centre with the title documents.",
	}
	msgDeregRegistered = Text{
		KK: "Бұл адам осы мекенжай бойынша тіркелген.",
		RU: "Этот человек зарегистрирован по этому адресу.",
		EN: "This person is registered at this address.",
	}
	msgDeregNotRegistered = Text{
		KK: "Бұл адам осы мекенжай бойынша тіркелмеген, сондықтан оны тіркеуден шығаруға болмайды.",
		RU: "Этот человек не зарегистрирован по этому адресу, поэтому снять его с регистрации нельзя.",
		EN: "This person is not registered at this address, so there is nothing to deregister.",
	}
	nxtDeregNotRegistered = Text{
		KK: "Үйде кім тіркелгенін жеке кабинеттен тексеріңіз.",
		RU: "Проверьте в личном кабинете, кто зарегистрирован в жилье.",
		EN: "Check in your personal account who is registered in the dwelling.",
	}
	msgDeregistered = Text{
		KK: "Адам осы мекенжай бойынша тіркеуден шығарылады, бұл туралы оған хабарлама жіберіледі.",
		RU: "Человек будет снят с регистрации по этому адресу, ему придёт уведомление.",
		EN: "The person will be deregistered from this address and will be notified.",
	}
	nxtDeregistered = Text{
		KK: "Басқа ештеңе істеудің қажеті жоқ. Нәтижені жеке кабинеттегі «Қызметтер тарихы» бөлімінен көре аласыз.",
		RU: "Больше ничего делать не нужно. Результат можно посмотреть в разделе «История услуг» личного кабинета.",
		EN: "Nothing more needs to be done. You can see the result in the service history of your personal account.",
	}
	msgDeregAwaiting = Text{
		KK: "Тіркеуден шығару басқа бірлескен иелердің келісімін күтіп тұр. Олар келісімін бір сағат ішінде растауы керек.",
		RU: "Снятие с регистрации ожидает согласия других сособственников. Они должны подтвердить согласие в течение одного часа.",
		EN: "The deregistration is waiting for the consent of the other co-owners. They must confirm within one hour.",
	}
)
