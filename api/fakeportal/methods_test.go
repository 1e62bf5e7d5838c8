package fakeportal_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

func TestURLFormsAndAuth(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{})
	w := p.WebhookURL()

	a := get(t, w, "department.get.json")
	require.Equal(t, 200, a.status)
	assert.Len(t, list(t, a.body["result"]), 5)
	assert.Equal(t, "application/json; charset=utf-8", a.header.Get("Content-Type"))

	a = get(t, w, "Department.GET")
	require.Equal(t, 200, a.status, "method names are case-insensitive")

	a = postJSON(t, w, "department.get", map[string]any{"ID": 2})
	require.Equal(t, 200, a.status)
	assert.Equal(t, []string{"2"}, ids(t, a.body["result"], "ID"))

	requireError(t, get(t, p.URL()+"/rest/1/wrongcode/", "department.get"), 401, "INVALID_CREDENTIALS")
	requireError(t, get(t, p.URL()+"/rest/2/"+fakeportal.DefaultWebhookCode+"/", "department.get"), 401, "INVALID_CREDENTIALS")
	requireError(t, get(t, p.URL()+"/rest/", "department.get"), 401, "NO_AUTH_FOUND")
	requireError(t, get(t, p.URL()+"/rest/", "department.get?auth=nosuchtoken"), 401, "invalid_token")
	requireError(t, get(t, w, "no.such.method"), 404, "ERROR_METHOD_NOT_FOUND")
	assert.Equal(t, p.URL()+"/rest/1/"+fakeportal.DefaultWebhookCode+"/", w)
}

func TestParams(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{})
	w := p.WebhookURL()

	// PHP bracket syntax in the query.
	a := get(t, w, "user.get?FILTER[UF_DEPARTMENT]=4")
	assert.Equal(t, []string{"12", "13"}, ids(t, a.body["result"], "ID"))
	a = get(t, w, "user.get?filter[>ID]=13")
	assert.Equal(t, []string{"14", "15"}, ids(t, a.body["result"], "ID"))
	a = get(t, w, "im.department.employees.get?ID[]=4&ID[]=1")
	assert.Equal(t, map[string]any{"1": []any{jn(10)}, "4": []any{jn(12)}}, a.body["result"])

	// A form body wins over the query string.
	a = postForm(t, w, "user.get?FILTER[UF_DEPARTMENT]=4", "FILTER[UF_DEPARTMENT]=1")
	assert.Equal(t, []string{"10"}, ids(t, a.body["result"], "ID"))

	// So does a JSON body; URL-encoded values are decoded.
	a = postJSON(t, w, "user.get?FILTER[ID]=10", map[string]any{"FILTER": map[string]any{"%LAST_NAME": "мил"}})
	assert.Empty(t, list(t, a.body["result"]))
	a = get(t, w, "user.get?FILTER[%25LAST_NAME]="+q("иван"))
	assert.Equal(t, []string{"11"}, ids(t, a.body["result"], "ID"))

	// A broken JSON body is refused, not guessed at.
	req := postRaw(t, w+"user.get", "application/json", `{"FILTER":`)
	requireError(t, req, 400, "INVALID_REQUEST")
}

func TestDepartmentGet(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{})
	w := p.WebhookURL()

	a := get(t, w, "department.get")
	require.Equal(t, 200, a.status)
	rows := list(t, a.body["result"])
	assert.Equal(t, []string{"1", "3", "4", "2", "5"}, ids(t, rows, "ID"), "tree order: parents first, siblings by SORT")
	assert.EqualValues(t, 5, num(t, a.body["total"]))
	assert.NotContains(t, a.body, "next")

	root := object(t, rows[0])
	assert.Equal(t, "Company", root["NAME"])
	assert.EqualValues(t, 500, num(t, root["SORT"]), "SORT is an int")
	assert.NotContains(t, root, "PARENT", "the root has no PARENT")
	assert.Equal(t, "10", root["UF_HEAD"], "UF_HEAD is a string")
	rnd := object(t, rows[1])
	assert.Equal(t, "1", rnd["PARENT"], "PARENT is a string")
	assert.NotContains(t, rnd, "UF_HEAD", "no head, no UF_HEAD")

	tm := object(t, a.body["time"])
	for _, k := range []string{"start", "finish", "duration", "processing", "operating", "operating_reset_at"} {
		assert.IsType(t, jn(0), tm[k], k)
	}
	assert.Equal(t, "2025-03-04T10:00:00+00:00", tm["date_start"])
	assert.IsType(t, "", tm["date_finish"])

	cases := []struct {
		query string
		want  []string
	}{
		{"PARENT=2", []string{"5"}},
		{"PARENT=0", []string{"1"}},
		{"ID[]=2&ID[]=4", []string{"4", "2"}},
		{"id=2", []string{"1", "3", "4", "2", "5"}},  // filter keys count in upper case only
		{">ID=3", []string{"1", "3", "4", "2", "5"}}, // prefixed keys are ignored
		{"NAME=Sales", []string{"2"}},                // the exact name
		{"NAME=Sal", []string{}},                     // not a part of it
		{"UF_HEAD=12", []string{"4"}},                //
		{"sort=NAME&order=DESC", []string{"2", "3", "5", "1", "4"}},
		{"sort=ID&order=asc", []string{"1", "2", "3", "4", "5"}},
		{"SORT=NAME", []string{}},                         // upper SORT also filters SORT = 0
		{"FILTER[PARENT]=1&PARENT=2", []string{"3", "2"}}, // FILTER replaces the parameters
		{"sort=ID&order=DESC&FILTER[PARENT]=1", []string{"3", "2"}},
		{"FILTER[PARENT]=1&FILTER[sort]=ID&FILTER[order]=DESC", []string{"3", "2"}},
		{"FILTER[PARENT]=1&FILTER[sort]=ID", []string{"2", "3"}},
	}
	for _, c := range cases {
		a := get(t, w, "department.get?"+c.query)
		require.Equal(t, 200, a.status, c.query)
		got := ids(t, a.body["result"], "ID")
		if len(c.want) == 0 {
			assert.Empty(t, got, c.query)
			assert.EqualValues(t, 0, num(t, a.body["total"]), c.query)
			continue
		}
		assert.Equal(t, c.want, got, c.query)
	}

	a = get(t, w, "department.fields")
	assert.Contains(t, object(t, a.body["result"]), "UF_HEAD")
}

func TestDepartmentPaging(t *testing.T) {
	p := start(t, fakeportal.Generate(fakeportal.GenOptions{Departments: 130, Seed: 3, Now: now}), fakeportal.Options{})
	w := p.WebhookURL()

	page := func(start string) ([]string, answer) {
		a := get(t, w, "department.get?start="+start)
		require.Equal(t, 200, a.status)
		return ids(t, a.body["result"], "ID"), a
	}
	first, a := page("0")
	require.Len(t, first, 50)
	assert.EqualValues(t, 130, num(t, a.body["total"]))
	assert.EqualValues(t, 50, num(t, a.body["next"]))

	second, a := page("50")
	rounded, b := page("70") // start is rounded down to its page
	assert.Equal(t, second, rounded)
	assert.EqualValues(t, 100, num(t, a.body["next"]))
	assert.EqualValues(t, 100, num(t, b.body["next"]))

	third, a := page("100")
	require.Len(t, third, 30)
	assert.NotContains(t, a.body, "next")
	past, _ := page("1000") // past the end: the last page again
	assert.Equal(t, third, past)

	top, a := page("-1")
	assert.Equal(t, first, top)
	assert.EqualValues(t, 0, num(t, a.body["total"]), "start=-1 does not count")
	assert.NotContains(t, a.body, "next")

	// Following next visits each department once, parents before children.
	seen := map[string]bool{}
	for start := "0"; ; {
		a := get(t, w, "department.get?start="+start)
		for _, r := range list(t, a.body["result"]) {
			row := object(t, r)
			id := row["ID"].(string)
			require.False(t, seen[id], "department %s twice", id)
			if parent, ok := row["PARENT"].(string); ok {
				require.True(t, seen[parent], "department %s before its parent %s", id, parent)
			}
			seen[id] = true
		}
		next, ok := a.body["next"]
		if !ok {
			break
		}
		start = strconv.FormatInt(num(t, next), 10)
	}
	assert.Len(t, seen, 130)
}

func TestIMDepartmentMethods(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{})
	w := p.WebhookURL()

	// Direct, active members only, keyed by the department ID as a string.
	a := get(t, w, "im.department.employees.get?ID[]=2&ID[]=4&ID[]=5&ID[]=999")
	require.Equal(t, 200, a.status)
	assert.Equal(t, map[string]any{
		"2": []any{jn(11), jn(12), jn(14)},
		"4": []any{jn(12)}, // 13 is inactive
	}, a.body["result"], "empty and unknown departments have no key")

	a = postJSON(t, w, "im.department.employees.get", map[string]any{"ID": "[4]"})
	assert.Equal(t, map[string]any{"4": []any{jn(12)}}, a.body["result"], "ID as a JSON string")

	a = get(t, w, "im.department.employees.get?ID[]=5&ID[]=999")
	assert.Equal(t, []any{}, a.body["result"], "nothing found is an empty list")

	requireError(t, get(t, w, "im.department.employees.get?ID[]=0&ID[]=-3&ID[]=abc"), 400, "ID_EMPTY")
	requireError(t, get(t, w, "im.department.employees.get"), 400, "ID_EMPTY")
	requireError(t, get(t, w, "im.department.employees.get?ID=4"), 400, "ID_EMPTY")

	a = get(t, w, "im.department.employees.get?ID[]=4&USER_DATA=Y")
	users := list(t, object(t, a.body["result"])["4"])
	require.Len(t, users, 1)
	u := object(t, users[0])
	assert.EqualValues(t, 12, num(t, u["id"]))
	assert.Equal(t, false, u["phones"])

	// im.department.get: a list in tree order, int IDs, the full name.
	a = get(t, w, "im.department.get?ID[]=4&ID[]=1&ID[]=77")
	rows := list(t, a.body["result"])
	require.Len(t, rows, 2)
	backend := object(t, rows[1])
	assert.EqualValues(t, 4, num(t, backend["id"]))
	assert.Equal(t, "Backend / R&D / Company", backend["full_name"])
	assert.EqualValues(t, 12, num(t, backend["manager_user_id"]))
	assert.NotContains(t, backend, "manager_user_data")
	a = get(t, w, "im.department.get?ID[]=3&USER_DATA=Y")
	assert.Nil(t, object(t, list(t, a.body["result"])[0])["manager_user_data"])
	a = get(t, w, "im.department.get?ID[]=77")
	assert.Equal(t, []any{}, a.body["result"])
	requireError(t, get(t, w, "im.department.get?ID[]=x"), 400, "INVALID_FORMAT")

	// Managers: departments without a head are left out.
	a = get(t, w, "im.department.managers.get?ID[]=1&ID[]=3&ID[]=5")
	assert.Equal(t, map[string]any{"1": []any{jn(10)}}, a.body["result"])
	a = get(t, w, "im.department.managers.get?ID[]=3")
	assert.Equal(t, []any{}, a.body["result"])
	a = get(t, w, "im.department.managers.get?ID[]=2&USER_DATA=Y")
	m := list(t, object(t, a.body["result"])["2"])
	assert.Equal(t, "Борис Иванов", object(t, m[0])["name"])
	requireError(t, get(t, w, "im.department.managers.get"), 400, "ID_EMPTY")

	// Colleagues of the webhook user (1 is not in the fixture: none).
	a = get(t, w, "im.department.colleagues.list")
	assert.Equal(t, []any{}, a.body["result"])
}

func TestIMUserObject(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{})
	w := p.WebhookURL()

	a := get(t, w, "im.user.list.get?ID[]=10&ID[]=11&ID[]=12&ID[]=14&ID[]=15&ID[]=999")
	require.Equal(t, 200, a.status)
	res := object(t, a.body["result"])
	assert.Nil(t, res["999"], "an unknown user is null")

	anna := object(t, res["10"])
	assert.EqualValues(t, 10, num(t, anna["id"]))
	assert.Equal(t, "Anna Johnson", anna["name"])
	assert.Equal(t, "Anna", anna["first_name"])
	assert.Equal(t, "Johnson", anna["last_name"])
	assert.Equal(t, "CEO", anna["work_position"])
	assert.Equal(t, "anna@acme.example", anna["email"])
	assert.Equal(t, "online", anna["status"])
	assert.Equal(t, false, anna["idle"])
	assert.Equal(t, false, anna["absent"])
	assert.Equal(t, "2025-03-04T09:58:00+00:00", anna["last_activity_date"])
	assert.Equal(t, map[string]any{"work_phone": "+1 555 0100", "personal_mobile": "+1 555 0101", "inner_phone": "100"}, anna["phones"])
	assert.Equal(t, []any{jn(1)}, anna["departments"])

	boris := object(t, res["11"])
	assert.Equal(t, "2025-03-04T09:30:00+00:00", boris["idle"])
	assert.Equal(t, map[string]any{"personal_mobile": "+7 999 000-00-00", "inner_phone": "1001"}, boris["phones"])

	wei := object(t, res["12"])
	assert.Equal(t, false, wei["phones"], "no phones at all is false")
	assert.Equal(t, []any{jn(4), jn(2)}, wei["departments"])

	fatima := object(t, res["14"])
	assert.Equal(t, "2025-03-08T00:00:00+00:00", fatima["absent"], "the day after the vacation's last day")
	assert.Equal(t, "dnd", fatima["status"], "status is a preference, not presence")
	assert.Equal(t, false, object(t, res["15"])["absent"], "a vacation that ended")

	a = get(t, w, "im.user.list.get?ID="+q("[12,10,999]")+"&RESULT_TYPE=array")
	rows := list(t, a.body["result"])
	require.Len(t, rows, 2)
	assert.EqualValues(t, 12, num(t, object(t, rows[0])["id"]))
	requireError(t, get(t, w, "im.user.list.get"), 400, "INVALID_FORMAT")

	a = get(t, w, "im.user.get?ID=13")
	dora := object(t, a.body["result"])
	assert.Equal(t, false, dora["active"])
	assert.Equal(t, false, dora["last_activity_date"], "never active")
	requireError(t, get(t, w, "im.user.get?ID=0"), 400, "ID_EMPTY")
	requireError(t, get(t, w, "im.user.get?ID=404"), 400, "USER_NOT_EXISTS")
}

func TestUserGet(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{})
	w := p.WebhookURL()

	a := get(t, w, "user.get")
	require.Equal(t, 200, a.status)
	rows := list(t, a.body["result"])
	assert.Equal(t, []string{"10", "11", "12", "13", "14", "15"}, ids(t, rows, "ID"))
	assert.EqualValues(t, 6, num(t, a.body["total"]))
	anna := object(t, rows[0])
	assert.Equal(t, true, anna["ACTIVE"])
	assert.Equal(t, "Y", anna["IS_ONLINE"])
	assert.Equal(t, []any{jn(1)}, anna["UF_DEPARTMENT"])
	assert.Equal(t, "100", anna["UF_PHONE_INNER"])
	assert.Equal(t, "anna@acme.example", anna["EMAIL"])
	assert.Equal(t, "+1 555 0100", anna["WORK_PHONE"])
	assert.Equal(t, "+1 555 0101", anna["PERSONAL_MOBILE"])
	// LAST_ACTIVITY_DATE comes in inconsistent forms.
	assert.Equal(t, "2025-03-04 09:58:00", anna["LAST_ACTIVITY_DATE"])
	assert.Equal(t, "04.03.2025 09:59:00", object(t, rows[1])["LAST_ACTIVITY_DATE"])
	assert.Equal(t, map[string]any{}, object(t, rows[2])["LAST_ACTIVITY_DATE"])
	assert.Equal(t, "N", object(t, rows[2])["IS_ONLINE"])
	assert.Equal(t, false, object(t, rows[3])["ACTIVE"])
	// Empty text fields are "" or null.
	for _, r := range rows {
		v := object(t, r)["SECOND_NAME"]
		assert.True(t, v == nil || v == "", "SECOND_NAME %v", v)
	}

	cases := []struct {
		query string
		want  []string
	}{
		{"FILTER[>ID]=12", []string{"13", "14", "15"}},
		{"FILTER[%3E%3DID]=12&FILTER[<ID]=14", []string{"12", "13"}}, // "=" in a key must be encoded
		{"FILTER[!ID]=10", []string{"11", "12", "13", "14", "15"}},
		{"FILTER[@ID][]=10&FILTER[@ID][]=14", []string{"10", "14"}},
		{"FILTER[ID][]=15&FILTER[ID][]=11", []string{"11", "15"}},
		{"FILTER[!@ID][]=10&FILTER[!@ID][]=11", []string{"12", "13", "14", "15"}},
		{"FILTER[ACTIVE]=N", []string{"13"}},
		{"FILTER[ACTIVE]=Y&FILTER[UF_DEPARTMENT]=4", []string{"12"}},
		{"FILTER[UF_DEPARTMENT]=2", []string{"11", "12", "14"}},
		{"FILTER[UF_DEPARTMENT][]=3&FILTER[UF_DEPARTMENT][]=1", []string{"10", "15"}},
		{"FILTER[!UF_DEPARTMENT]=2", []string{"10", "13", "15"}},
		{"FILTER[UF_PHONE_INNER]=1001", []string{"11"}},
		{"FILTER[%EMAIL]=ACME.example&FILTER[<ID]=12", []string{"10", "11"}},
		{"FILTER[%3D%25EMAIL]=" + q("d%"), []string{"13"}},
		{"FILTER[>=ID]=14", []string{"10", "11", "12", "13", "14", "15"}}, // key "FILTER[>": dropped
		{"FILTER[!%NAME]=o", []string{"10", "11", "12", "14"}},            // Борис has a Cyrillic о
		{"FILTER[NAME]=anna", []string{"10"}},
		{"FILTER[LAST_NAME]=" + q("Müller"), []string{"13"}},
		{"FILTER[NAME_SEARCH]=" + q("müll"), []string{"13"}},
		{"FILTER[NAME_SEARCH]=" + q("бор ива"), []string{"11"}},
		{"FILTER[IS_ONLINE]=Y", []string{"10", "11"}},
		{"FILTER[<LAST_ACTIVITY_DATE]=" + q("2025-03-04T00:00:00+00:00"), []string{"14"}},
		{"FILTER[BOGUS]=1", []string{"10", "11", "12", "13", "14", "15"}},    // unknown keys are dropped
		{"UF_DEPARTMENT=4", []string{"12", "13"}},                            // top-level keys filter too
		{"SORT=ID&ORDER=DESC", []string{"15", "14", "13", "12", "11", "10"}}, // both needed
		{"sort=last_name&order=asc&FILTER[>ID]=12", []string{"13", "15", "14"}},
		{"SORT=ID", []string{"10", "11", "12", "13", "14", "15"}},
	}
	for _, c := range cases {
		a := get(t, w, "user.get?"+c.query)
		require.Equal(t, 200, a.status, c.query)
		assert.Equal(t, c.want, ids(t, a.body["result"], "ID"), c.query)
	}

	a = postJSON(t, w, "user.get", map[string]any{"FILTER": map[string]any{"ACTIVE": false}})
	assert.Equal(t, []string{"13"}, ids(t, a.body["result"], "ID"))
	a = postJSON(t, w, "user.get", map[string]any{"FILTER": map[string]any{"ACTIVE": true, "UF_DEPARTMENT": 4}})
	assert.Equal(t, []string{"12"}, ids(t, a.body["result"], "ID"))

	// No match: an empty list and no total, as the server answers.
	a = get(t, w, "user.get?FILTER[ID]=999")
	assert.Equal(t, []any{}, a.body["result"])
	assert.NotContains(t, a.body, "total")

	// user.search: FIND looks in names, positions and department names.
	a = get(t, w, "user.search?FIND="+q("бор"))
	assert.Equal(t, []string{"11"}, ids(t, a.body["result"], "ID"))
	a = get(t, w, "user.search?FILTER[FIND]=backend")
	assert.Equal(t, []string{"12", "13"}, ids(t, a.body["result"], "ID"))
	a = get(t, w, "user.search?FILTER[NAME]=Do")
	assert.Equal(t, []string{"13"}, ids(t, a.body["result"], "ID"), "user.search matches name prefixes")
	a = get(t, w, "user.get?FILTER[FIND]=backend")
	assert.Len(t, list(t, a.body["result"]), 6, "FIND is a user.search key only")

	a = get(t, w, "user.online")
	assert.Equal(t, []any{"10", "11"}, a.body["result"])
	a = get(t, w, "user.fields")
	assert.Equal(t, "Extension", object(t, a.body["result"])["UF_PHONE_INNER"])
	a = get(t, w, "user.current")
	requireError(t, a, 400, "ERROR_NOT_FOUND")
}

func TestUserPaging(t *testing.T) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 120, Departments: 6, Seed: 5, Now: now})
	p := start(t, org, fakeportal.Options{})
	w := p.WebhookURL()
	var all []string
	for _, u := range org.Users {
		all = append(all, strconv.Itoa(u.ID))
	}

	a := get(t, w, "user.get")
	assert.Equal(t, all[:50], ids(t, a.body["result"], "ID"))
	assert.EqualValues(t, 120, num(t, a.body["total"]))
	assert.EqualValues(t, 50, num(t, a.body["next"]))

	a = get(t, w, "user.get?start=37") // an exact offset
	assert.Equal(t, all[37:87], ids(t, a.body["result"], "ID"))
	assert.EqualValues(t, 87, num(t, a.body["next"]))

	a = get(t, w, "user.get?start=100")
	assert.Equal(t, all[100:], ids(t, a.body["result"], "ID"))
	assert.NotContains(t, a.body, "next")

	a = get(t, w, "user.get?start=-1")
	assert.Equal(t, all[:50], ids(t, a.body["result"], "ID"))
	assert.EqualValues(t, 0, num(t, a.body["total"]))
	assert.NotContains(t, a.body, "next")

	// The fast way: an ID window with start=-1.
	var got []string
	last := "0"
	for {
		a := postJSON(t, w, "user.get", map[string]any{"SORT": "ID", "ORDER": "ASC", "FILTER": map[string]any{">ID": last}, "start": -1})
		page := ids(t, a.body["result"], "ID")
		got = append(got, page...)
		if len(page) < 50 {
			break
		}
		last = page[len(page)-1]
	}
	assert.Equal(t, all, got)
}

func TestIMSearchUserList(t *testing.T) {
	org := fixture()
	for i := 0; i < 30; i++ {
		org.Users = append(org.Users, fakeportal.User{ID: 100 + i, FirstName: "Alex", LastName: "Number" + strconv.Itoa(i),
			Departments: []int{3}, Active: true})
	}
	p := start(t, org, fakeportal.Options{})
	w := p.WebhookURL()

	requireError(t, get(t, w, "im.search.user.list?FIND=a"), 400, "FIND_SHORT")
	requireError(t, get(t, w, "im.search.user.list"), 400, "FIND_SHORT")

	a := get(t, w, "im.search.user.list?FIND=zzzz")
	assert.Equal(t, []any{}, a.body["result"], "nothing found is an empty list")

	a = get(t, w, "im.search.user.list?FIND=an")
	res := object(t, a.body["result"])
	require.Contains(t, res, "10")
	assert.EqualValues(t, 10, num(t, object(t, res["10"])["id"]))

	a = get(t, w, "im.search.user.list?FIND=alex")
	assert.Len(t, object(t, a.body["result"]), 10, "LIMIT defaults to 10")
	assert.EqualValues(t, 30, num(t, a.body["total"]))
	assert.EqualValues(t, 10, num(t, a.body["next"]))
	a = get(t, w, "im.search.user.list?FIND=alex&LIMIT=100")
	assert.Len(t, object(t, a.body["result"]), 30, "LIMIT is at most 50")
	assert.NotContains(t, a.body, "next")
	a = get(t, w, "im.search.user.list?FIND=alex&OFFSET=25")
	assert.Len(t, object(t, a.body["result"]), 5)

	a = get(t, w, "im.search.department.list?FIND=back")
	assert.Len(t, list(t, a.body["result"]), 1)
	requireError(t, get(t, w, "im.search.department.list"), 400, "FIND_SHORT")
}

func TestScopes(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{Scopes: []string{"department"}})
	w := p.WebhookURL()
	require.Equal(t, 200, get(t, w, "department.get").status)
	requireError(t, get(t, w, "user.get"), 401, "insufficient_scope")
	requireError(t, get(t, w, "im.department.employees.get?ID[]=1"), 401, "insufficient_scope")
	a := get(t, w, "scope")
	assert.Equal(t, []any{"department"}, a.body["result"])

	brief := start(t, fixture(), fakeportal.Options{Scopes: []string{"user_brief"}})
	a = get(t, brief.WebhookURL(), "user.get?FILTER[EMAIL]=nobody")
	rows := list(t, a.body["result"])
	require.Len(t, rows, 6, "a filter on a field the scope hides is dropped")
	row := object(t, rows[0])
	for _, hidden := range []string{"EMAIL", "WORK_PHONE", "PERSONAL_MOBILE"} {
		assert.NotContains(t, row, hidden)
	}
	for _, shown := range []string{"NAME", "LAST_NAME", "WORK_POSITION", "IS_ONLINE", "UF_DEPARTMENT", "UF_PHONE_INNER", "LAST_ACTIVITY_DATE"} {
		assert.Contains(t, row, shown)
	}

	basic := start(t, fixture(), fakeportal.Options{Scopes: []string{"user_basic"}})
	a = get(t, basic.WebhookURL(), "user.get?FILTER[ID]=10")
	row = object(t, list(t, a.body["result"])[0])
	assert.Equal(t, "anna@acme.example", row["EMAIL"])
	assert.NotContains(t, row, "LAST_LOGIN")
}
