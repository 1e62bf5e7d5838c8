package directory

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// romanizations are the spellings search must meet: a Cyrillic name, the
// ways it is usually written in Latin letters, and where each comes from.
// The first ones are the names of issue 13, the others real usage.
var romanizations = []struct {
	name      string
	spellings []string
	from      string
}{
	{"Фёдоров", []string{"fyodorov", "fedorov", "fjodorov", "fiodorov", "Fëdorov"}, "English, ICAO 9303, German, French; BGN/PCGN ë"},
	{"Соловьёва", []string{"solovieva", "solovyova", "soloveva", "solovjova", "solov'eva", "solovyeva"}, "passport, BGN/PCGN, ICAO 9303, German, GOST 7.79 A, English"},
	{"Олександр", []string{"oleksandr", "olexandr"}, "Ukrainian national, English x"},
	{"Юрий", []string{"yuri", "yury", "iurii", "yuriy", "yurij", "jurij"}, "English, English, ICAO 9303, BGN/PCGN, GOST 7.79 B, German"},
	{"Михаил", []string{"mikhail", "mihail", "mixail"}, "ICAO 9303 and BGN/PCGN, English, GOST 7.79 B"},
	{"Хабибуллин", []string{"khabibullin", "habibullin"}, "BGN/PCGN, English"},
	{"Кузнецов", []string{"kuznetsov", "kuznecov", "kuzneczov", "kuznetzov"}, "BGN/PCGN, GOST 7.79 A, GOST 7.79 B, German"},
	{"Щукин", []string{"shchukin", "shhukin", "schukin", "shukin"}, "BGN/PCGN, GOST 7.79 B, English, English"},
	{"Цой", []string{"tsoi", "tsoy", "coj", "tsoj"}, "ICAO 9303, BGN/PCGN, GOST 7.79 B, German"},
	{"Наталья", []string{"natalya", "natalia", "natalja", "natal'ya"}, "BGN/PCGN, ICAO 9303, German, BGN/PCGN with the soft sign"},
	{"Татьяна", []string{"tatyana", "tatiana", "tatjana"}, "BGN/PCGN, ICAO 9303, German"},
	{"Григорьев", []string{"grigoryev", "grigoriev", "grigorev", "grigor'ev"}, "BGN/PCGN, English, ICAO 9303, GOST 7.79 A"},
	{"Андреев", []string{"andreyev", "andreev"}, "BGN/PCGN, ICAO 9303"},
	{"Сергеевич", []string{"sergeyevich", "sergeevich"}, "BGN/PCGN, ICAO 9303"},
	{"Алёна", []string{"alyona", "alena", "aljona", "alyona"}, "English, ICAO 9303, German, GOST 7.79 B"},
	{"Артём", []string{"artyom", "artem", "artjom", "artiom"}, "English, ICAO 9303, German, French"},
	{"Семёнов", []string{"semyonov", "semenov", "semjonow"}, "English, ICAO 9303, German"},
	{"Семенов", []string{"semyonov", "semenov"}, "ё written as е: English, ICAO 9303"},
	{"Пётр", []string{"pyotr", "petr", "pjotr"}, "English, ICAO 9303, German"},
	{"Королёв", []string{"korolyov", "korolev", "koroljow"}, "English, ICAO 9303, German"},
	{"Хрущёв", []string{"khrushchev", "khrushchyov", "hrushchev", "xrushhyov"}, "English, BGN/PCGN, English, GOST 7.79 B"},
	{"Горбачёв", []string{"gorbachev", "gorbachyov", "gorbatchev"}, "English, BGN/PCGN, French"},
	{"Воробьёв", []string{"vorobyov", "vorobiev", "vorobev", "worobjow"}, "English, passport, ICAO 9303, German"},
	{"Ольга", []string{"olga", "olha", "ol'ga"}, "ICAO 9303, Ukrainian national, BGN/PCGN"},
	{"Олег", []string{"oleg", "oleh"}, "ICAO 9303, Ukrainian national"},
	{"Григорій", []string{"hryhorii", "grigoriy", "hryhoriy"}, "Ukrainian national, BGN/PCGN, English"},
	{"Юлія", []string{"yuliia", "yulia", "iuliia", "julija"}, "Ukrainian national, English, ICAO 9303, German"},
	{"Микола", []string{"mykola", "mikola"}, "Ukrainian national, English"},
	{"Згурський", []string{"zghurskyi", "zgurskiy", "zhurskyi"}, "Ukrainian national (зг), BGN/PCGN, h for г"},
	{"Віталій", []string{"vitalii", "vitaliy", "vitaly"}, "Ukrainian national, BGN/PCGN, English"},
	{"Євген", []string{"yevhen", "ievgen", "yevgen", "evgen"}, "Ukrainian national, passport, BGN/PCGN, ICAO 9303"},
	{"Ігор", []string{"ihor", "igor"}, "Ukrainian national, BGN/PCGN"},
	{"Сергій", []string{"serhii", "sergiy", "serhiy"}, "Ukrainian national, BGN/PCGN, English"},
	{"Дмитро", []string{"dmytro", "dmitro"}, "Ukrainian national, English"},
	{"Олексій", []string{"oleksii", "oleksiy", "olexiy"}, "Ukrainian national, BGN/PCGN, English"},
	{"Ґалаґан", []string{"galagan"}, "Ukrainian national (ґ)"},
	{"Чайковский", []string{"tchaikovsky", "chaykovskiy", "chaikovskii", "tschaikowski", "chaykovsky"}, "English, BGN/PCGN, ICAO 9303, German, English"},
	{"Ксения", []string{"xenia", "kseniya", "ksenia", "ksenija"}, "English, BGN/PCGN, ICAO 9303, German"},
	{"Алексей", []string{"alexei", "aleksey", "aleksei", "alexey"}, "English, BGN/PCGN, ICAO 9303, English"},
	{"Жуков", []string{"zhukov", "zhukow"}, "BGN/PCGN, German w"},
	{"Евгений", []string{"evgeniy", "yevgeny", "evgenii", "jewgeni"}, "BGN/PCGN, English, ICAO 9303, German"},
	{"Екатерина", []string{"ekaterina", "yekaterina", "jekaterina"}, "ICAO 9303, BGN/PCGN, German"},
	{"Фёдор", []string{"fyodor", "fedor", "fiodor", "fjodor"}, "English, ICAO 9303, French, German"},
	{"Потёмкин", []string{"potemkin", "potyomkin", "potjomkin"}, "ICAO 9303, English, German"},
	{"Подъячев", []string{"podyachev", "podiachev", "podieiachev"}, "BGN/PCGN, English, ICAO 9303 (ъ as ie)"},
	{"Мар'яна", []string{"mariana", "maryana", "mar'yana"}, "Ukrainian national (apostrophe dropped), BGN/PCGN, with the apostrophe"},
	{"Зайцев", []string{"zaytsev", "zaitsev", "zajcev"}, "BGN/PCGN, ICAO 9303, GOST 7.79 A"},
	{"Шевченко", []string{"shevchenko", "schewtschenko"}, "Ukrainian national, German"},
	{"Черных", []string{"chernykh", "chernyh", "chernix"}, "BGN/PCGN, English, GOST 7.79 B"},
}

// romanizationOrg holds one person per name of romanizations.
func romanizationOrg() *Org {
	var people []Person
	for i, r := range romanizations {
		people = append(people, Person{ID: i + 1, Name: r.name, LastName: r.name})
	}
	return NewOrg(Data{People: people})
}

func TestRomanizationsMeet(t *testing.T) {
	o := romanizationOrg()
	for i, r := range romanizations {
		want := i + 1
		assert.Contains(t, ids(o.Search(r.name, 0)), want, "%s finds itself", r.name)
		for _, s := range r.spellings {
			ms := o.Search(s, 0)
			require.NotEmpty(t, ms, "%s (%s) finds no one", s, r.name)
			assert.Contains(t, ids(ms), want, "%s finds %s (%s)", s, r.name, r.from)
			for _, m := range ms {
				if m.Person.ID == want {
					assert.Equal(t, ScoreNameWord, m.Score, "%s is a whole spelling of %s", s, r.name)
				}
			}
			// Typed letter by letter, every prefix keeps the person, but
			// for those cut inside the letters canonWord rewrites as a
			// group (sch, tch: see translit.go).
			whole, _ := foldWords(nil, nil, s)
			for n := 3; n < len(s); n++ {
				if p, _ := foldWords(nil, nil, s[:n]); !strings.HasPrefix(string(whole), strings.TrimSpace(string(p))) {
					continue
				}
				assert.Contains(t, ids(o.Search(s[:n], 0)), want, "%s, a prefix of %s, finds %s", s[:n], s, r.name)
			}
		}
	}
}

// TestRomanizationsFindTheSamePeople is the acceptance of issue 13 over the
// generated directory: every spelling of a name finds the same people.
func TestRomanizationsFindTheSamePeople(t *testing.T) {
	o := NewOrg(genData(3000, 50, 1))
	for _, group := range [][]string{
		{"fyodorov", "fedorov", "Фёдоров", "федоров"},
		{"solovieva", "solovyova", "soloveva", "Соловьёва", "Соловьева"},
		{"yuri", "yury", "iurii", "Юрий"},
	} {
		want := ids(o.Search(group[0], 0))
		require.NotEmpty(t, want, group[0])
		for _, q := range group[1:] {
			assert.ElementsMatch(t, want, ids(o.Search(q, 0)), "%s finds what %s finds", q, group[0])
		}
	}
}

func TestVariantsMatchFromTheirFirstLetterOnly(t *testing.T) {
	o := NewOrg(Data{People: []Person{
		{ID: 1, Name: "Михаил Хабибуллин", FirstName: "Михаил", LastName: "Хабибуллин"},
		{ID: 2, Name: "Anna Smith", FirstName: "Anna", LastName: "Smith"},
	}})
	// "ihail" is inside the variant "mihail" only, not inside the key
	// "mikhail": variants match from their first letter only.
	assert.Empty(t, o.Search("ihail", 0))
	assert.Equal(t, []int{1}, ids(o.Search("ikhail", 0)), "inside the key itself")
	assert.Equal(t, ScoreOther, o.Search("ikhail", 0)[0].Score)
	assert.Equal(t, []int{1}, ids(o.Search("mih", 0)))
	assert.Equal(t, ScoreNamePrefix, o.Search("mih", 0)[0].Score)
	assert.Equal(t, []int{1}, ids(o.Search("habib", 0)))
}

func TestWordVariants(t *testing.T) {
	var ro romanizer
	assert.Equal(t, "", ro.wordVariants("Иванов"), "one spelling only")
	assert.Equal(t, "", ro.wordVariants("Smith"), "Latin words have none")
	assert.Equal(t, "", ro.wordVariants("Mixedслово"))
	assert.Equal(t, "~fiodorov ", ro.wordVariants("Фёдоров"))
	assert.Equal(t, "~fiodorov ", ro.wordVariants("Фе\u0308доров"), "ё decomposed")
	v := ro.wordVariants("Соловьёва")
	assert.ElementsMatch(t, []string{"~soloviova", "~solovieva"}, strings.Fields(v))
	long := ro.wordVariants("Хрущёвхрущёвхрущёвхрущёв")
	assert.LessOrEqual(t, len(strings.Fields(long)), maxVariants)
	for _, w := range strings.Fields(long) {
		assert.True(t, strings.HasPrefix(w, "~"), w)
	}
}
