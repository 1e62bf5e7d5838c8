package api_test

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/safetext"
)

func TestDepartmentsPagesInOneBatchInTreeOrder(t *testing.T) {
	org := genOrg(300, 130)
	p := startPortal(t, org, fakeportal.Options{})
	c := webhookClient(t, p)

	deps, err := c.Departments(ctx(t))
	require.NoError(t, err)
	require.Len(t, deps, len(org.Departments))

	pos := map[int]int{}
	for i, d := range deps {
		pos[d.ID] = i
	}
	want := map[int]fakeportal.Department{}
	for _, d := range org.Departments {
		want[d.ID] = d
	}
	for _, d := range deps {
		w, ok := want[d.ID]
		require.True(t, ok, "department %d is in the org", d.ID)
		assert.Equal(t, safetext.Clean(w.Name), d.Name)
		assert.Equal(t, w.Sort, d.Sort)
		assert.Equal(t, w.Parent, d.ParentID, "PARENT string → int")
		assert.Equal(t, w.Head, d.HeadID, "UF_HEAD string → int, absent → 0")
		if d.ParentID != 0 {
			assert.Less(t, pos[d.ParentID], pos[d.ID], "tree order: parents first")
		}
	}
	assert.Equal(t, map[string]int64{"department.get": 1, "batch": 1}, p.Requests(), "first page, then the other two pages in one batch")
	assert.Equal(t, int64(2), p.Commands()["department.get"])
	assert.Equal(t, api.Stats{Requests: 2}, c.Stats())
}

func TestDepartmentsOnePage(t *testing.T) {
	org := genOrg(40, 12)
	p := startPortal(t, org, fakeportal.Options{})
	deps, err := webhookClient(t, p).Departments(ctx(t))
	require.NoError(t, err)
	assert.Len(t, deps, 12)
	assert.Equal(t, int64(1), p.Total())
}

func TestDepartmentMembersManyDepartmentsPerCommand(t *testing.T) {
	org := genOrg(600, 160)
	p := startPortal(t, org, fakeportal.Options{})
	c := webhookClient(t, p)

	ids := append(allDeptIDs(org), 999999, -3, 0, org.Departments[0].ID)
	members, err := c.DepartmentMembers(ctx(t), ids)
	require.NoError(t, err)
	want := activeMembers(org)
	want[999999] = []int{}
	for id, l := range members {
		members[id] = sortedCopy(l)
	}
	assert.Equal(t, want, members, "every asked department is there; unknown and empty ones with no members")
	assert.Equal(t, map[string]int64{"batch": 1}, p.Requests(), "161 departments: 2 commands in one request")
	assert.Equal(t, int64(2), p.Commands()["im.department.employees.get"])

	// Only unknown departments: the portal answers [] instead of {}.
	p.ResetCounters()
	members, err = c.DepartmentMembers(ctx(t), []int{999998, 999999})
	require.NoError(t, err)
	assert.Equal(t, map[int][]int{999998: {}, 999999: {}}, members)

	// Nothing valid to ask: no request at all.
	p.ResetCounters()
	members, err = c.DepartmentMembers(ctx(t), []int{0, -1})
	require.NoError(t, err)
	assert.Empty(t, members)
	assert.Zero(t, p.Total())
}

func TestDepartmentManagers(t *testing.T) {
	org := genOrg(300, 60)
	p := startPortal(t, org, fakeportal.Options{})
	heads, err := webhookClient(t, p).DepartmentManagers(ctx(t), append(allDeptIDs(org), 999999))
	require.NoError(t, err)
	withHead := 0
	for _, d := range org.Departments {
		if d.Head > 0 {
			withHead++
			assert.Equal(t, []int{d.Head}, heads[d.ID])
		} else {
			assert.Equal(t, []int{}, heads[d.ID], "a department without a head is left out by the portal")
		}
	}
	assert.Equal(t, []int{}, heads[999999])
	assert.Positive(t, withHead)
	assert.Less(t, withHead, len(org.Departments), "the org has departments without a head")
}

// checkThinUser compares a decoded search result (the thin object of
// im.search.user.list) with the org's record: it says what it carries, and
// carries no e-mail, no active flag, no presence, and phones as digits.
func checkThinUser(t *testing.T, w fakeportal.User, u api.User) {
	t.Helper()
	assert.Equal(t, safetext.Clean(w.FirstName), u.FirstName)
	assert.Equal(t, safetext.Clean(w.LastName), u.LastName)
	assert.Equal(t, safetext.Clean(w.Position), u.Position)
	assert.Equal(t, sortedCopy(w.Departments), sortedCopy(u.DepartmentIDs))
	assert.Empty(t, u.Email, "the search object has no e-mail")
	for _, f := range []api.Fields{api.FieldEmail, api.FieldActive, api.FieldPresence, api.FieldPhones} {
		assert.False(t, u.Carries.Has(f), "a search result does not carry %b", f)
	}
	assert.True(t, u.Carries.Has(api.FieldNames|api.FieldPosition|api.FieldDepartments))
	if w.WorkPhone != "" || w.Mobile != "" || w.Extension != "" {
		assert.True(t, u.Carries.Has(api.FieldPhoneDigits))
	}
	onlyDigits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r == '#' || r == '*' {
				return r
			}
			return -1
		}, s)
	}
	assert.Equal(t, onlyDigits(safetext.Clean(w.WorkPhone)), u.WorkPhone)
	assert.Equal(t, onlyDigits(safetext.Clean(w.Mobile)), u.Mobile)
	assert.Equal(t, onlyDigits(safetext.Clean(w.Extension)), u.Extension)
}

// checkUser compares a decoded im user with the org's record.
func checkUser(t *testing.T, w fakeportal.User, u api.User) {
	t.Helper()
	assert.Equal(t, safetext.Clean(w.FirstName), u.FirstName)
	assert.Equal(t, safetext.Clean(w.LastName), u.LastName)
	assert.Equal(t, safetext.Clean(w.Position), u.Position)
	assert.Equal(t, safetext.Clean(w.Email), u.Email)
	assert.Equal(t, safetext.Clean(w.Extension), u.Extension)
	assert.Equal(t, safetext.Clean(w.WorkPhone), u.WorkPhone)
	assert.Equal(t, safetext.Clean(w.Mobile), u.Mobile)
	assert.Equal(t, w.Active, u.Active)
	assert.Equal(t, sortedCopy(w.Departments), sortedCopy(u.DepartmentIDs))
	sameTime(t, w.LastActivity, u.LastActivity, "last_activity_date")
	sameTime(t, w.IdleSince, u.IdleSince, "idle")
	if w.AbsentUntil.IsZero() {
		assert.True(t, u.AbsentUntil.IsZero(), "absent false")
	} else if u.AbsentUntil.IsZero() {
		assert.False(t, testNow.Before(w.AbsentUntil.AddDate(0, 0, 1)), "absent is set while the vacation lasts")
	} else {
		assert.True(t, u.AbsentUntil.After(w.AbsentUntil), "absent is the day after the vacation's last day")
	}
}

func sameTime(t *testing.T, want, got time.Time, what string) {
	t.Helper()
	if want.IsZero() {
		assert.True(t, got.IsZero(), "%s: false → zero", what)
		return
	}
	assert.True(t, want.Truncate(time.Second).Equal(got), "%s: want %v, got %v", what, want, got)
}

func TestDepartmentEmployeesDecodesTheIMObjects(t *testing.T) {
	org := genOrg(400, 30)
	p := startPortal(t, org, fakeportal.Options{})
	emps, err := webhookClient(t, p).DepartmentEmployees(ctx(t), allDeptIDs(org))
	require.NoError(t, err)

	byID := map[int]fakeportal.User{}
	for _, u := range org.Users {
		byID[u.ID] = u
	}
	members := activeMembers(org)
	var noPhones, idle, absent, never int
	for dept, list := range emps {
		var ids []int
		for _, u := range list {
			ids = append(ids, u.ID)
			w := byID[u.ID]
			checkUser(t, w, u)
			if !u.IdleSince.IsZero() {
				idle++
			}
			if !u.AbsentUntil.IsZero() {
				absent++
			}
			if u.LastActivity.IsZero() {
				never++
			}
			if w.Extension == "" && w.WorkPhone == "" && w.Mobile == "" {
				noPhones++
			}
		}
		assert.Equal(t, members[dept], sortedCopy(append([]int{}, ids...)), "department %d", dept)
	}
	assert.Positive(t, noPhones, "the org has people with phones:false")
	assert.Positive(t, idle, "the org has idle people")
	assert.Positive(t, absent, "the org has people on vacation")
	assert.Positive(t, never, "the org has people never seen")
	assert.Equal(t, int64(1), p.Total(), "30 departments: 3 commands, one request")
}

func TestHostileOrgDecodesClean(t *testing.T) {
	org := fakeportal.Generate(fakeportal.GenOptions{People: 300, Departments: 40, Seed: 3, Hostile: true, Now: testNow})
	p := startPortal(t, org, fakeportal.Options{})
	c := webhookClient(t, p)
	deps, err := c.Departments(ctx(t))
	require.NoError(t, err)
	users, err := c.AllEmployees(ctx(t), allDeptIDs(org), nil)
	require.NoError(t, err)
	require.NotEmpty(t, users)
	var texts []string
	for _, d := range deps {
		texts = append(texts, d.Name)
	}
	for _, u := range users {
		texts = append(texts, u.Name, u.FirstName, u.LastName, u.Position, u.Email, u.Extension, u.WorkPhone, u.Mobile)
	}
	for _, s := range texts {
		assert.Equal(t, safetext.Clean(s), s, "every string is clean")
		assert.NotContains(t, s, "\x1b")
	}
}

func TestUsersByExtension(t *testing.T) {
	org := genOrg(300, 20)
	p := startPortal(t, org, fakeportal.Options{})
	c := webhookClient(t, p)

	var target fakeportal.User
	count := map[string]int{}
	for _, u := range org.Users {
		count[u.Extension]++
	}
	for _, u := range org.Users {
		if u.Active && u.Extension != "" && count[u.Extension] == 1 && !u.LastActivity.IsZero() {
			target = u
			break
		}
	}
	require.NotZero(t, target.ID, "the org has a user with a unique extension")

	users, err := c.UsersByExtension(ctx(t), " "+target.Extension+" ")
	require.NoError(t, err)
	require.Len(t, users, 1)
	checkUser(t, target, users[0])
	assert.Equal(t, int64(1), p.Total(), "user.get and its presence in one batch request")
	assert.Equal(t, map[string]int64{"user.get": 1, "im.user.list.get": 1}, p.Commands())

	// A second active person with the same extension and an inactive one.
	var second, inactive int
	p.Update(func(o *fakeportal.Org) {
		for i := range o.Users {
			u := &o.Users[i]
			switch {
			case u.ID == target.ID:
			case second == 0 && u.Active:
				u.Extension, second = target.Extension, u.ID
			case inactive == 0 && u.Active:
				u.Extension, u.Active, inactive = target.Extension, false, u.ID
			}
		}
	})
	p.ResetCounters()
	users, err = c.UsersByExtension(ctx(t), target.Extension)
	require.NoError(t, err)
	var ids []int
	for _, u := range users {
		ids = append(ids, u.ID)
		assert.Equal(t, target.Extension, u.Extension)
		assert.True(t, u.Active)
	}
	assert.ElementsMatch(t, []int{target.ID, second}, ids, "inactive people are left out")
	assert.Equal(t, int64(2), p.Total(), "the second person's presence costs one more request")
	for _, u := range users {
		if u.ID == second {
			assert.NotEmpty(t, u.Name, "presence and details came for the second person too")
		}
	}

	p.ResetCounters()
	users, err = c.UsersByExtension(ctx(t), "99999999")
	require.NoError(t, err)
	assert.Empty(t, users)
	assert.Equal(t, int64(1), p.Total())

	_, err = c.UsersByExtension(ctx(t), "  ")
	assert.ErrorIs(t, err, api.ErrBadExtension)
	_, err = c.UsersByExtension(ctx(t), "10\x1b[2J")
	assert.ErrorIs(t, err, api.ErrBadExtension)
}

func TestUsersByExtensionWithoutIMScope(t *testing.T) {
	org := genOrg(100, 10)
	p := startPortal(t, org, fakeportal.Options{Scopes: []string{"user", "department"}})
	var target fakeportal.User
	for _, u := range org.Users {
		if u.Active && u.Extension != "" {
			target = u
			break
		}
	}
	users, err := webhookClient(t, p).UsersByExtension(ctx(t), target.Extension)
	require.NoError(t, err, "without presence the user.get data is returned")
	require.NotEmpty(t, users)
	assert.Equal(t, target.Extension, users[0].Extension)
}

func TestSearchUsers(t *testing.T) {
	org := genOrg(300, 20)
	p := startPortal(t, org, fakeportal.Options{})
	c := webhookClient(t, p)
	var target fakeportal.User
	for _, u := range org.Users {
		if u.Active && len([]rune(u.LastName)) >= 3 {
			target = u
			break
		}
	}
	users, err := c.SearchUsers(ctx(t), target.LastName)
	require.NoError(t, err)
	require.NotEmpty(t, users)
	assert.LessOrEqual(t, len(users), 50)
	found := false
	for _, u := range users {
		if u.ID == target.ID {
			found = true
			checkThinUser(t, target, u)
		}
	}
	assert.True(t, found)

	users, err = c.SearchUsers(ctx(t), "qqqzzzxxx")
	require.NoError(t, err, "nothing found: the portal answers []")
	assert.Empty(t, users)

	p.ResetCounters()
	_, err = c.SearchUsers(ctx(t), " a ")
	assert.ErrorIs(t, err, api.ErrQueryTooShort)
	assert.Zero(t, p.Total())
}

func TestAllEmployees(t *testing.T) {
	org := genOrg(2500, 120)
	p := startPortal(t, org, fakeportal.Options{})
	c := webhookClient(t, p)

	var mu sync.Mutex
	var calls [][2]int
	users, err := c.AllEmployees(ctx(t), allDeptIDs(org), func(done, total int) {
		mu.Lock()
		calls = append(calls, [2]int{done, total})
		mu.Unlock()
	})
	require.NoError(t, err)

	want := map[int]bool{}
	for _, l := range activeMembers(org) {
		for _, id := range l {
			want[id] = true
		}
	}
	require.Len(t, users, len(want), "each person once, though some are in several departments")
	byID := map[int]fakeportal.User{}
	for _, u := range org.Users {
		byID[u.ID] = u
	}
	assert.True(t, slices.IsSortedFunc(users, func(a, b api.User) int { return a.ID - b.ID }))
	for _, u := range users {
		require.True(t, want[u.ID])
		checkUser(t, byID[u.ID], u)
	}
	multi := 0
	for _, u := range users {
		if len(u.DepartmentIDs) > 1 {
			multi++
		}
	}
	assert.Positive(t, multi, "the org has people in several departments")

	require.NotEmpty(t, calls)
	assert.Equal(t, [2]int{0, len(want)}, calls[0])
	assert.Equal(t, [2]int{len(want), len(want)}, calls[len(calls)-1])
	for i := 1; i < len(calls); i++ {
		assert.GreaterOrEqual(t, calls[i][0], calls[i-1][0], "progress only grows")
	}
	assert.Equal(t, map[string]int64{"batch": 3}, p.Requests(), "members in one request, 2,500 people in two more: a first one of 1,000, then the rest at once")
}

func TestBatch(t *testing.T) {
	org := genOrg(300, 20)
	p := startPortal(t, org, fakeportal.Options{Scopes: []string{"user", "department"}})
	c := webhookClient(t, p)

	// More than 50 commands, keys as given or generated.
	var cmds []api.Command
	for i := 1; i <= 120; i++ {
		key := ""
		switch {
		case i == 3:
			key = "cmd0" // a generated key must not collide with it
		case i%2 == 0:
			key = "k" + strconv.Itoa(i)
		}
		cmds = append(cmds, api.Command{Key: key, Method: "user.get", Params: map[string]any{"FILTER": map[string]any{"ID": i}}})
	}
	res, err := c.Batch(ctx(t), cmds)
	require.NoError(t, err)
	assert.Len(t, res, 120)
	assert.Equal(t, int64(3), p.Requests()["batch"], "120 commands: 50 + 50 + 20")
	for k, r := range res {
		require.NoError(t, r.Err, k)
	}
	assert.Contains(t, res, "cmd1", "empty keys are generated")
	assert.Contains(t, res, "k2")
	assert.Contains(t, string(res["cmd0"].Result), `"ID":"3"`, "the given key cmd0 kept its command")
	assert.Contains(t, string(res["k120"].Result), `"ID":"120"`)

	// Per-command errors, totals, next and a reference, in one request.
	p.ResetCounters()
	res, err = c.Batch(ctx(t), []api.Command{
		{Key: "list", Method: "user.get", Params: map[string]any{"FILTER": map[string]any{"ACTIVE": true}}},
		{Key: "one", Method: "user.get", Params: map[string]any{"FILTER": map[string]any{"ID": "$result[list][1][ID]"}}},
		{Key: "nothing", Method: "user.get", Params: map[string]any{"FILTER": map[string]any{"ID": 99999}}},
		{Key: "missing", Method: "no.such.method"},
		{Key: "scope", Method: "im.user.get", Params: map[string]any{"ID": 1}},
		{Key: "nested", Method: "batch"},
	})
	require.NoError(t, err)
	assert.Equal(t, int64(1), p.Total())
	list := res["list"]
	require.NoError(t, list.Err)
	assert.True(t, list.HasNext)
	assert.Equal(t, 50, list.Next)
	assert.Greater(t, list.Total, 50)
	require.NoError(t, res["one"].Err)
	assert.Contains(t, string(res["one"].Result), `"ID":"`, "the reference resolved to the second row's ID")
	assert.NoError(t, res["nothing"].Err)
	assert.JSONEq(t, `[]`, string(res["nothing"].Result))

	for key, code := range map[string]string{"missing": "ERROR_METHOD_NOT_FOUND", "scope": "insufficient_scope", "nested": "ERROR_BATCH_METHOD_NOT_ALLOWED"} {
		var pe *api.Error
		require.ErrorAs(t, res[key].Err, &pe, key)
		assert.Equal(t, code, pe.Code)
		assert.Equal(t, api.ClassFatal, pe.Class())
	}
	var pe *api.Error
	require.ErrorAs(t, res["scope"].Err, &pe)
	assert.Equal(t, "im.user.get", pe.Method)
	assert.Contains(t, pe.Hint(), "scope im")

	// Bad input is refused before anything is sent.
	p.ResetCounters()
	_, err = c.Batch(ctx(t), []api.Command{{Key: "a", Method: "user.get"}, {Key: "a", Method: "user.get"}})
	assert.ErrorContains(t, err, "used twice")
	_, err = c.Batch(ctx(t), []api.Command{{Key: "a[1]", Method: "user.get"}})
	assert.Error(t, err)
	_, err = c.Batch(ctx(t), []api.Command{{Method: "../profile"}})
	assert.Error(t, err)
	_, err = c.Call(ctx(t), "user.get?x=1", nil)
	assert.Error(t, err)
	assert.Zero(t, p.Total())
}
