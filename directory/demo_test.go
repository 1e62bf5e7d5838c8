package directory

import (
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoShowsEverySpelling: the demo has the Russian and Ukrainian names
// that show each rule of the search, and each usual spelling of them finds
// the same people as the Cyrillic does.
func TestDemoShowsEverySpelling(t *testing.T) {
	o := NewOrg(dataOf(fakeportal.Demo(time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC), false)))
	for _, c := range []struct {
		cyrillic string
		latin    []string
		want     int // at least
	}{
		{"Олександр", []string{"oleksandr", "olexandr", "Oleksandr"}, 3},
		{"Юлія Бондаренко", []string{"yuliia bondarenko", "yulia bondarenko"}, 1},
		{"Андрій Мельник", []string{"andrii melnyk", "andriy melnyk"}, 1},
		{"Ігор Ткаченко", []string{"ihor tkachenko", "igor tkachenko"}, 1},
		{"Євген Гнатюк", []string{"yevhen hnatiuk", "evgen gnatyuk"}, 1},
		{"Їжакевич", []string{"yizhakevych"}, 1},
		{"Ґалаґан", []string{"galagan"}, 1},
		{"Юрий Хохлов", []string{"yury khokhlov", "yuri hohlov", "iurii khokhlov"}, 1},
		{"Ёлкин", []string{"yolkin", "elkin", "Елкин"}, 1},
		{"Дьячков", []string{"dyachkov", "diachkov", "djachkov"}, 1},
		{"Щукин", []string{"shchukin", "schukin"}, 1},
		{"Цветков", []string{"tsvetkov", "cvetkov"}, 1},
		{"Воробьёва", []string{"vorobyova", "vorobieva", "vorobeva"}, 1},
		{"Хрущёва", []string{"khrushcheva", "khrushchyova", "hrushcheva"}, 1},
		{"Фёдоров", []string{"fyodorov", "fedorov"}, 1},
		{"Соловьёва", []string{"solovieva", "solovyova", "soloveva"}, 1},
	} {
		want := ids(o.Search(c.cyrillic, 0))
		require.GreaterOrEqual(t, len(want), c.want, "%s is in the demo", c.cyrillic)
		for _, q := range c.latin {
			assert.ElementsMatch(t, want, ids(o.Search(q, 0)), "%q finds the people %q finds", q, c.cyrillic)
		}
	}
	// A layout slip: иванов typed on the Latin layout, muller on the Russian one.
	assert.NotEmpty(t, o.Search("bdfyjd", 0))
	assert.NotEmpty(t, o.Search("ьгддук", 0))
}
