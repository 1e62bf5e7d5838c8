package fakeportal

import (
	"math/rand/v2"
	"strings"
)

// namePair is a name and its ASCII form for e-mail addresses.
type namePair struct{ native, ascii string }

// pairs reads "Native|ascii; Native|ascii; ...".
func pairs(s string) []namePair {
	var out []namePair
	for _, item := range strings.Split(s, ";") {
		n, a, _ := strings.Cut(strings.TrimSpace(item), "|")
		if n != "" {
			out = append(out, namePair{n, a})
		}
	}
	return out
}

func words(s string) []string { return strings.Split(s, ";") }

// culture is one naming culture of the generated staff.
type culture struct {
	code                 string
	male, female, last   []namePair
	patronymM, patronymF []string
	teams                []string // team names in the local language
	positions            []string // positions in the local language
	phone, mobile        func(r *rand.Rand) string
}

// femaleLast is the feminine form of a last name where the language has one.
func (c *culture) femaleLast(p namePair) namePair {
	if c.code != "ru" {
		return p
	}
	switch {
	case strings.HasSuffix(p.native, "ский"):
		return namePair{strings.TrimSuffix(p.native, "ий") + "ая", strings.TrimSuffix(p.ascii, "y") + "aya"}
	case strings.HasSuffix(p.native, "ов"), strings.HasSuffix(p.native, "ев"), strings.HasSuffix(p.native, "ёв"),
		strings.HasSuffix(p.native, "ин"):
		return namePair{p.native + "а", p.ascii + "a"}
	}
	return p
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// cultures returns the naming cultures: English, Russian, German, Chinese, Arabic.
func cultures() []*culture {
	return []*culture{
		{
			code: "en",
			male: pairs("James|james; John|john; Robert|robert; Michael|michael; William|william; David|david; " +
				"Richard|richard; Joseph|joseph; Thomas|thomas; Daniel|daniel; Matthew|matthew; Andrew|andrew; " +
				"Christopher|christopher; Mark|mark; Paul|paul; Steven|steven; Kevin|kevin; Brian|brian; " +
				"George|george; Edward|edward; José|jose; Liam|liam; Noah|noah; Ethan|ethan"),
			female: pairs("Mary|mary; Patricia|patricia; Jennifer|jennifer; Linda|linda; Elizabeth|elizabeth; " +
				"Barbara|barbara; Susan|susan; Jessica|jessica; Sarah|sarah; Karen|karen; Anna|anna; Emily|emily; " +
				"Laura|laura; Rachel|rachel; Olivia|olivia; Emma|emma; Sophia|sophia; Grace|grace; Chloe|chloe; " +
				"Hannah|hannah; Zoë|zoe; Renée|renee; Dora|dora; Megan|megan"),
			last: pairs("Smith|smith; Johnson|johnson; Williams|williams; Brown|brown; Jones|jones; Garcia|garcia; " +
				"Miller|miller; Davis|davis; Wilson|wilson; Anderson|anderson; Taylor|taylor; Thomas|thomas; " +
				"Moore|moore; Jackson|jackson; Martin|martin; Lee|lee; Thompson|thompson; White|white; " +
				"Harris|harris; Clark|clark; Lewis|lewis; Walker|walker; Hall|hall; Young|young; King|king; " +
				"Wright|wright; Scott|scott; Green|green; Baker|baker; Adams|adams; O'Brien|obrien; Nelson|nelson; " +
				"Carter|carter; Mitchell|mitchell; Roberts|roberts; Fitzgerald-Hughes|fitzgeraldhughes"),
			positions: words("Account Manager;Sales Representative;Software Engineer;Senior Software Engineer;" +
				"QA Engineer;DevOps Engineer;Product Manager;Data Analyst;UX Designer;Accountant;Financial Analyst;" +
				"HR Generalist;Recruiter;Marketing Specialist;Content Writer;Support Engineer;Customer Success Manager;" +
				"System Administrator;Network Engineer;Legal Counsel;Office Manager;Logistics Coordinator;" +
				"Buyer;Production Planner;Quality Inspector;Security Analyst;Executive Assistant;Intern"),
			teams: words("Key Accounts;Inside Sales;Backend;Frontend;Platform;Quality Assurance;Payroll;Recruiting;" +
				"Helpdesk;Infrastructure;Analytics;Design;Mobile;Data;Compliance;Training;Field Service;Warehouse;" +
				"Dispatch;Accounts Payable;Accounts Receivable;Treasury;Partnerships;Events;Content;Facilities;" +
				"Onboarding;Release Engineering;Tax;Procurement Desk"),
			phone:  func(r *rand.Rand) string { return "+1 555 0" + digits(r, 2) + " " + digits(r, 4) },
			mobile: func(r *rand.Rand) string { return "+1 555 " + digits(r, 3) + " " + digits(r, 4) },
		},
		{
			code: "ru",
			male: pairs("Александр|aleksandr; Дмитрий|dmitry; Максим|maksim; Сергей|sergey; Андрей|andrey; " +
				"Алексей|aleksey; Артём|artem; Илья|ilya; Кирилл|kirill; Михаил|mikhail; Никита|nikita; " +
				"Борис|boris; Иван|ivan; Павел|pavel; Егор|egor; Юрий|yury"),
			female: pairs("Анна|anna; Мария|maria; Елена|elena; Ольга|olga; Наталья|natalya; Татьяна|tatyana; " +
				"Ирина|irina; Екатерина|ekaterina; Светлана|svetlana; Юлия|yulia; Дарья|darya; Ксения|ksenia; " +
				"Алёна|alena; Вера|vera"),
			last: pairs("Иванов|ivanov; Смирнов|smirnov; Кузнецов|kuznetsov; Попов|popov; Васильев|vasilyev; " +
				"Петров|petrov; Соколов|sokolov; Михайлов|mikhaylov; Новиков|novikov; Фёдоров|fedorov; " +
				"Морозов|morozov; Волков|volkov; Лебедев|lebedev; Козлов|kozlov; Степанов|stepanov; " +
				"Никитин|nikitin; Орлов|orlov; Зайцев|zaytsev; Соловьёв|solovyov; Белов|belov; " +
				"Ковальский|kovalsky; Черных|chernykh; Шевченко|shevchenko"),
			patronymM: words("Александрович;Дмитриевич;Сергеевич;Андреевич;Иванович;Павлович;Михайлович;Борисович;Юрьевич"),
			patronymF: words("Александровна;Дмитриевна;Сергеевна;Андреевна;Ивановна;Павловна;Михайловна;Борисовна;Юрьевна"),
			positions: words("Менеджер по продажам;Инженер-программист;Ведущий инженер;Бухгалтер;Главный бухгалтер;" +
				"Специалист по кадрам;Системный администратор;Аналитик;Юрисконсульт;Оператор колл-центра;" +
				"Руководитель группы;Экономист;Логист;Кладовщик"),
			teams: words("Отдел продаж;Бухгалтерия;Отдел кадров;Служба поддержки;Группа внедрения;Склад;" +
				"Отдел закупок;Юридический отдел;Отдел разработки;Отдел тестирования;Канцелярия;Логистика"),
			phone: func(r *rand.Rand) string {
				return "+7 495 " + digits(r, 3) + "-" + digits(r, 2) + "-" + digits(r, 2)
			},
			mobile: func(r *rand.Rand) string {
				return "+7 9" + digits(r, 2) + " " + digits(r, 3) + "-" + digits(r, 2) + "-" + digits(r, 2)
			},
		},
		{
			code: "de",
			male: pairs("Jürgen|juergen; Jörg|joerg; Günther|guenther; Björn|bjoern; Lukas|lukas; " +
				"Maximilian|maximilian; Felix|felix; Jonas|jonas; Stefan|stefan; Matthias|matthias; Uwe|uwe; " +
				"Klaus|klaus; Sören|soeren"),
			female: pairs("Käthe|kaethe; Bärbel|baerbel; Sophie|sophie; Lea|lea; Hannah|hannah; Mia|mia; Anja|anja; " +
				"Katrin|katrin; Sabine|sabine; Ursula|ursula; Dörte|doerte; Franziska|franziska; Lena|lena; Jutta|jutta"),
			last: pairs("Müller|mueller; Schmidt|schmidt; Schneider|schneider; Fischer|fischer; Weber|weber; " +
				"Meyer|meyer; Wagner|wagner; Becker|becker; Schulz|schulz; Hoffmann|hoffmann; Schäfer|schaefer; " +
				"Koch|koch; Bauer|bauer; Richter|richter; Klein|klein; Wolf|wolf; Schröder|schroeder; " +
				"Neumann|neumann; Schwarz|schwarz; Zimmermann|zimmermann; Braun|braun; Krüger|krueger; " +
				"Weiß|weiss; Groß|gross; Lößner|loessner; von Bülow|vonbuelow"),
			positions: words("Vertriebsmitarbeiter;Softwareentwickler;Buchhalterin;Personalreferentin;" +
				"Teamleiter Qualitätssicherung;Sachbearbeiter;Werkstudent;Einkäufer;Lagerist;Prüfingenieur"),
			teams: words("Vertrieb Süd;Vertrieb Nord;Qualitätssicherung;Buchhaltung;Kundenservice;Personalwesen;" +
				"Entwicklung;Einkauf;Lager;Außendienst;Rechtsabteilung;Forschung"),
			phone:  func(r *rand.Rand) string { return "+49 30 " + digits(r, 7) },
			mobile: func(r *rand.Rand) string { return "+49 15" + digits(r, 1) + " " + digits(r, 7) },
		},
		{
			code: "zh",
			male: pairs("伟|wei; 强|qiang; 磊|lei; 军|jun; 洋|yang; 勇|yong; 杰|jie; 涛|tao; 明|ming; 超|chao; " +
				"浩然|haoran; 子轩|zixuan"),
			female: pairs("芳|fang; 娜|na; 敏|min; 静|jing; 丽|li; 秀英|xiuying; 婷|ting; 雪|xue; 欣怡|xinyi; 梓涵|zihan"),
			last: pairs("王|wang; 李|li; 张|zhang; 刘|liu; 陈|chen; 杨|yang; 黄|huang; 赵|zhao; 吴|wu; 周|zhou; " +
				"徐|xu; 孙|sun; 马|ma; 朱|zhu; 胡|hu; 郭|guo; 欧阳|ouyang; 司马|sima"),
			positions: words("销售经理;软件工程师;会计;人力资源专员;客服代表;产品经理;测试工程师;行政助理"),
			teams:     words("销售一组;销售二组;研发中心;客户服务部;财务部;人力资源部;市场部;采购部;质量管理部"),
			phone:     func(r *rand.Rand) string { return "+86 10 " + digits(r, 4) + " " + digits(r, 4) },
			mobile: func(r *rand.Rand) string {
				return "+86 1" + digits(r, 2) + " " + digits(r, 4) + " " + digits(r, 4)
			},
		},
		{
			code: "ar",
			male: pairs("محمد|mohammed; أحمد|ahmed; علي|ali; عمر|omar; يوسف|youssef; خالد|khaled; حسن|hassan; " +
				"إبراهيم|ibrahim; مصطفى|mustafa; طارق|tariq"),
			female: pairs("فاطمة|fatima; عائشة|aisha; مريم|maryam; زينب|zainab; نور|nour; ليلى|layla; سارة|sara; " +
				"هدى|huda; ياسمين|yasmin; رنا|rana"),
			last: pairs("العلي|alali; الحسن|alhassan; منصور|mansour; حداد|haddad; الخطيب|alkhatib; " +
				"عبد الله|abdullah; السيد|alsayed; الشامي|alshami; نصر|nasr; القاسم|alqasim"),
			positions: words("مدير المبيعات;مهندس برمجيات;محاسب;أخصائي موارد بشرية;ممثل خدمة العملاء;مساعد إداري"),
			teams:     words("فريق المبيعات;الدعم الفني;الموارد البشرية;المالية;التسويق;المشتريات"),
			phone:     func(r *rand.Rand) string { return "+971 4 " + digits(r, 3) + " " + digits(r, 4) },
			mobile:    func(r *rand.Rand) string { return "+971 5" + digits(r, 1) + " " + digits(r, 3) + " " + digits(r, 4) },
		},
	}
}

// office is a second-level department: a region or an office with a culture.
type office struct {
	name, culture string
}

func offices() []office {
	return []office{
		{"EMEA", "en"}, {"Americas", "en"}, {"APAC", "en"}, {"London Office", "en"}, {"New York Office", "en"},
		{"Toronto Office", "en"}, {"Moscow Office", "ru"}, {"Novosibirsk Office", "ru"}, {"Kazan Office", "ru"},
		{"Berlin Office", "de"}, {"München Office", "de"}, {"Wien Office", "de"}, {"Shanghai Office", "zh"},
		{"Beijing Office", "zh"}, {"Shenzhen Office", "zh"}, {"Dubai Office", "ar"}, {"Riyadh Office", "ar"},
		{"Cairo Office", "ar"}, {"Sydney Office", "en"}, {"São Paulo Office", "en"},
	}
}

func divisions() []string {
	return words("Sales;Research & Development;Operations;Finance;Human Resources;Marketing;IT;Legal;" +
		"Customer Support;Logistics;Procurement;Production;Quality;Security;Administration")
}

func companies() []string {
	return words("Northwind Traders;Globex Corporation;Initech;Umbrella Logistics;Stark Industries;" +
		"Wayne Enterprises;Tyrell Systems;Cyberdyne;Soylent Foods;Hooli")
}

// asciiName makes a lower-case ASCII e-mail part.
func asciiName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// HostileSamples returns the hostile strings Generate puts in names,
// positions and department names when GenOptions.Hostile is set (besides
// empty names, which cannot be searched for). Each appears at least once in
// an org of 30 people or more. None of them may reach a terminal unchanged.
func HostileSamples() []string {
	return []string{
		"\x1b]0;PWNED\x07",                                // OSC: set the window title
		"\x1b]52;c;cm0gLXJmIC8K\x07",                      // OSC 52: write the clipboard
		"Bob\x1b[2J\x1b[H",                                // clear the screen, cursor home
		"\x1b[31;1mRED ALERT\x1b[0m",                      // CSI colours
		"Eve\u009b6n",                                     // C1 CSI: device status report
		"\u009d0;C1 TITLE\u009c",                          // C1 OSC
		"Mallory\x00\x07\x08\r\x7f",                       // C0 controls and DEL
		"Ali \u202efdp.exe",                               // bidi override
		"\u2066Isolated\u2069\u200b\u200d",                // bidi isolates, zero-width characters
		"Z\u0335\u0322\u031ba\u0336l\u0337g\u0334o\u0338", // stacked combining marks
		"Multi\nLine\tName",                               // new line and tab
		"\x1bP+q544e\x1b\\",                               // DCS: terminfo query
		strings.Repeat("Wolfeschlegelsteinhausenbergerdorff ", 17)[:600],   // 600 characters
		strings.Repeat("宽", 300),                                           // 600 cells of wide characters
		"\U0001F469\u200d\U0001F4BB Zoë",                                   // an emoji ZWJ sequence (woman technologist)
		"Сергей\u200d Петров",                                              // a ZWJ after a Cyrillic word
		"\U0001F1E9\U0001F1EA Jürgen \U0001F44D\U0001F3FD",                 // a flag and a skin-tone emoji
		"\U0001F3F3\ufe0f\u200d\U0001F308 Kim \u2764\ufe0f \u2060\ufeffQA", // ZWJ flag, presentation selectors, word joiner, BOM
	}
}
