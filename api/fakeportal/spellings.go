package fakeportal

import (
	"strconv"
	"strings"
	"unicode"
)

// spellingName is a name the demo gives to show how names are searched:
// the first and last name, the patronymic, and their ASCII forms for the
// e-mail address.
type spellingName struct {
	first, last, patronymic string
	firstASCII, lastASCII   string
}

// The demo's Russian and Ukrainian names chosen to show each rule of the
// search (directory/romanize.go, layout.go): Ukrainian names under the
// national romanization (Олександр → oleksandr, Юлія → yuliia, і, ї, є, ґ,
// ій → ii), the Russian ones that usual spellings disagree on (ю, я, х, ё,
// ь, ий/ый, щ, ц), and е beside ё for the Russian order (Егоров, Ёлкин,
// Елисеев sort together).
var (
	spellingMen = []spellingName{
		{"Олександр", "Шевчук", "Петрович", "oleksandr", "shevchuk"},
		{"Олександр", "Коваленко", "Іванович", "oleksandr", "kovalenko"},
		{"Олександр", "Бондар", "Миколайович", "oleksandr", "bondar"},
		{"Андрій", "Мельник", "Олегович", "andrii", "melnyk"},
		{"Ігор", "Ткаченко", "Васильович", "ihor", "tkachenko"},
		{"Євген", "Гнатюк", "Степанович", "yevhen", "hnatiuk"},
		{"Юрій", "Їжакевич", "Богданович", "yurii", "yizhakevych"},
		{"Ґордій", "Ґалаґан", "Остапович", "gordii", "galagan"},
		{"Юрий", "Хохлов", "Андреевич", "yury", "khokhlov"},
		{"Фёдор", "Ёлкин", "Ильич", "fedor", "elkin"},
		{"Яков", "Дьячков", "Юрьевич", "yakov", "dyachkov"},
		{"Дмитрий", "Щукин", "Сергеевич", "dmitry", "shchukin"},
		{"Алексей", "Егоров", "Петрович", "aleksey", "egorov"},
		{"Григорий", "Цветков", "Ильич", "grigory", "tsvetkov"},
		{"Василий", "Белый", "Олегович", "vasily", "bely"},
	}
	spellingWomen = []spellingName{
		{"Юлія", "Бондаренко", "Олександрівна", "yuliia", "bondarenko"},
		{"Наталія", "Кравченко", "Іванівна", "nataliia", "kravchenko"},
		{"Оксана", "Лисенко", "Петрівна", "oksana", "lysenko"},
		{"Олександра", "Мороз", "Андріївна", "oleksandra", "moroz"},
		{"Юлия", "Ильина", "Сергеевна", "yulia", "ilyina"},
		{"Ксения", "Воробьёва", "Юрьевна", "ksenia", "vorobyova"},
		{"Наталья", "Елисеева", "Павловна", "natalya", "eliseeva"},
		{"Людмила", "Яковлева", "Фёдоровна", "lyudmila", "yakovleva"},
		{"Татьяна", "Хрущёва", "Михайловна", "tatyana", "khrushcheva"},
		{"Дарья", "Жукова", "Андреевна", "darya", "zhukova"},
	}
)

// plainCyrillic reports whether s is a name of Cyrillic letters (and
// hyphens), which a hostile sample never is.
func plainCyrillic(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r != '-' && !unicode.Is(unicode.Cyrillic, r) {
			return false
		}
	}
	return true
}

// addDemoSpellings renames some of the demo's Russian staff to the names
// above: every seventh Russian-named man or woman below the pleasant top
// (the first 20 people), leaving the Ивановы, Фёдоровы and Соловьёвы,
// whom the search's examples count, as they are. Only names and e-mail
// addresses change: the people, their departments and everything else
// the generator drew stay, so the demo's shape is as before.
func addDemoSpellings(org *Org) {
	emails := map[string]bool{}
	for _, u := range org.Users {
		emails[u.Email] = true
	}
	kept := []string{"Иванов", "Фёдоров", "Соловьёв"}
	men, women, seen := 0, 0, 0
	for i := 20; i < len(org.Users) && (men < len(spellingMen) || women < len(spellingWomen)); i++ {
		u := &org.Users[i]
		if !plainCyrillic(u.FirstName) || !plainCyrillic(u.LastName) || u.Extranet || u.Bot {
			continue
		}
		keep := false
		for _, k := range kept {
			keep = keep || strings.HasPrefix(u.LastName, k)
		}
		if keep {
			continue
		}
		if seen++; seen%7 != 0 {
			continue
		}
		var n spellingName
		switch {
		case u.Gender == "M" && men < len(spellingMen):
			n, men = spellingMen[men], men+1
		case u.Gender == "F" && women < len(spellingWomen):
			n, women = spellingWomen[women], women+1
		default:
			continue
		}
		u.FirstName, u.LastName, u.SecondName = n.first, n.last, n.patronymic
		if u.Email != "" {
			_, domain, _ := strings.Cut(u.Email, "@")
			delete(emails, u.Email)
			local := n.firstASCII + "." + n.lastASCII
			addr := local + "@" + domain
			for k := 2; emails[addr]; k++ {
				addr = local + strconv.Itoa(k) + "@" + domain
			}
			u.Email = addr
			emails[addr] = true
		}
	}
}
