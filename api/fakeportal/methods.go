package fakeportal

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ---------------------------------------------------------------- helpers

// intSet reads a filter value that may be a scalar or an array of IDs.
func intSet(v any) map[int]bool {
	out := map[int]bool{}
	if a, ok := v.(*parr); ok {
		for _, x := range a.values() {
			out[phpInt(x)] = true
		}
		return out
	}
	if l, ok := v.([]int); ok {
		for _, n := range l {
			out[n] = true
		}
		return out
	}
	out[phpInt(v)] = true
	return out
}

// imIDs reads the ID parameter of the im.* methods: an array, or a string
// holding a JSON array. Non-positive items are dropped, duplicates too.
func imIDs(v any) []int {
	if s, ok := v.(string); ok {
		decoded, err := decodeJSON([]byte(s))
		if err != nil {
			return nil
		}
		v = decoded
	}
	var items []any
	switch t := v.(type) {
	case *parr:
		items = t.values()
	case []int:
		for _, n := range t {
			items = append(items, n)
		}
	}
	var out []int
	seen := map[int]bool{}
	for _, x := range items {
		if n := phpInt(x); n > 0 && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// isY is PHP's `$v == 'Y'`.
func isY(v any) bool {
	switch t := v.(type) {
	case string:
		return t == "Y"
	case bool:
		return t
	}
	return false
}

// limitOffset reads the im.* paging: OFFSET (a REST start wins when > 0) and
// LIMIT (default 10, at most 50).
func (c *call) limitOffset(q *parr) (limit, offset int) {
	if c.start > 0 {
		offset = c.start
	} else if v, ok := q.get("OFFSET"); ok && phpInt(v) > 0 {
		offset = phpInt(v)
	}
	limit = 10
	if v, ok := q.get("LIMIT"); ok {
		limit = min(phpInt(v), 50)
	}
	return max(limit, 0), offset
}

// page cuts n items at offset/limit and fills the paging data of res.
func page(res *result, n, limit, offset int) (from, to int) {
	from, to = min(offset, n), min(offset+limit, n)
	res.total, res.hasTotal = n, true
	if offset+(to-from) < n {
		res.next, res.hasNext = offset+(to-from), true
	}
	return from, to
}

// ---------------------------------------------------------------- department.*

var departmentFieldNames = []string{"ID", "NAME", "SORT", "PARENT", "UF_HEAD"}

func departmentGet(c *call) (result, *apiError) {
	q := c.params
	if f, ok := q.get("FILTER"); ok {
		if fa, ok := f.(*parr); ok {
			q = fa // a FILTER array replaces every parameter, sort included
		}
	}
	// Filter keys count only in exact upper case.
	var tests []func(d *dept) bool
	for _, key := range departmentFieldNames {
		v, ok := q.get(key)
		if !ok {
			continue
		}
		switch key {
		case "ID":
			set := intSet(v)
			tests = append(tests, func(d *dept) bool { return set[d.ID] })
		case "NAME":
			var names []string
			if a, ok := v.(*parr); ok {
				for _, x := range a.values() {
					names = append(names, phpString(x))
				}
			} else {
				names = []string{phpString(v)}
			}
			tests = append(tests, func(d *dept) bool {
				for _, n := range names {
					if strings.EqualFold(n, d.Name) {
						return true
					}
				}
				return false
			})
		case "SORT":
			set := intSet(v)
			tests = append(tests, func(d *dept) bool { return set[d.Sort] })
		case "PARENT":
			set := intSet(v)
			tests = append(tests, func(d *dept) bool { return set[d.Parent] })
		case "UF_HEAD":
			set := intSet(v)
			tests = append(tests, func(d *dept) bool { return set[d.Head] })
		}
	}
	list := make([]*dept, 0, len(c.idx.depts))
next:
	for _, d := range c.idx.depts {
		for _, t := range tests {
			if !t(d) {
				continue next
			}
		}
		list = append(list, d)
	}
	// The sort is read after the keys are upper-cased: `sort` and `SORT` both set it.
	uq := q.upper()
	if s, ok := uq.get("SORT"); ok {
		if str, ok := s.(string); ok {
			field := strings.ToUpper(str)
			o, _ := uq.get("ORDER")
			os, _ := o.(string)
			sortDepartments(list, field, strings.ToUpper(os) == "DESC")
		}
	}

	res := result{counted: len(list)}
	var rows []*dept
	switch {
	case c.hasStart && c.start < 0:
		rows = list[:min(PageSize, len(list))]
		res.hasTotal, res.counted = true, 0
	default:
		pages := (len(list) + PageSize - 1) / PageSize
		pg := max(c.start, 0) / PageSize
		if pages > 0 && pg >= pages {
			pg = pages - 1 // CDBResult answers the last page for a page past the end
		}
		rows = list[min(pg*PageSize, len(list)):min((pg+1)*PageSize, len(list))]
		res.total, res.hasTotal = len(list), true
		if pg+1 < pages {
			res.next, res.hasNext = (pg+1)*PageSize, true
		}
	}
	out := newArr()
	for _, d := range rows {
		row := newArr()
		row.set("ID", strconv.Itoa(d.ID))
		row.set("NAME", d.Name)
		row.set("SORT", d.Sort)
		if d.Parent != 0 {
			row.set("PARENT", strconv.Itoa(d.Parent))
		}
		if d.Head != 0 {
			row.set("UF_HEAD", strconv.Itoa(d.Head))
		}
		out.push(row)
	}
	res.value, res.rows = out, len(rows)
	return res, nil
}

func sortDepartments(list []*dept, field string, desc bool) {
	var key func(d *dept) int
	switch field {
	case "ID":
		key = func(d *dept) int { return d.ID }
	case "SORT":
		key = func(d *dept) int { return d.Sort }
	case "PARENT":
		key = func(d *dept) int { return d.Parent }
	case "UF_HEAD":
		key = func(d *dept) int { return d.Head }
	case "NAME":
	default:
		return
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if desc {
			a, b = b, a
		}
		if key == nil {
			return strings.ToLower(a.Name) < strings.ToLower(b.Name)
		}
		return key(a) < key(b)
	})
}

func departmentFields(*call) (result, *apiError) {
	a := newArr()
	a.set("ID", "ID")
	a.set("NAME", "Department name")
	a.set("SORT", "Sorting")
	a.set("PARENT", "Parent department")
	a.set("UF_HEAD", "Supervisor")
	return result{value: a}, nil
}

// ---------------------------------------------------------------- im objects

var imColors = []string{"#df532d", "#4ba984", "#4ba5c3", "#3e99ce", "#ed5f6e", "#ab7761",
	"#29619b", "#728f7a", "#8474c8", "#1eb4aa", "#f76187", "#58cc47", "#e98fa6", "#ff8b3d"}

func fullName(u *person) string {
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

func (c *call) isoOrFalse(t time.Time) any {
	if t.IsZero() {
		return false
	}
	return isoTime(t.In(c.now.Location()))
}

// absent is the im `absent`: the day after the vacation's last day, while
// that moment is ahead.
func (c *call) absent(u *person) any {
	if u.AbsentUntil.IsZero() {
		return false
	}
	loc := c.now.Location()
	d := u.AbsentUntil.In(loc)
	end := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
	if !c.now.Before(end) {
		return false
	}
	return isoTime(end)
}

// imUser builds the im user object (api-reference/chats/users/im-user-get.md
// of the Bitrix24 REST docs; docs/portal.md, The im user object).
func (c *call) imUser(u *person) *parr {
	a := newArr()
	a.set("id", u.ID)
	a.set("active", u.Active)
	a.set("name", fullName(u))
	a.set("first_name", u.FirstName)
	a.set("last_name", u.LastName)
	a.set("work_position", u.Position)
	a.set("color", imColors[u.ID%len(imColors)])
	a.set("avatar", "")
	a.set("avatar_hr", "")
	a.set("gender", u.Gender)
	a.set("birthday", "")
	a.set("extranet", u.Extranet)
	a.set("network", false)
	a.set("bot", u.Bot)
	a.set("connector", false)
	auth, typ := "default", "user"
	switch {
	case u.Bot:
		auth, typ = "bot", "bot"
	case u.Extranet:
		typ = "extranet"
	}
	a.set("external_auth_id", auth)
	status := u.Status
	if status == "" {
		status = "online"
	}
	a.set("status", status)
	a.set("idle", c.isoOrFalse(u.IdleSince))
	a.set("last_activity_date", c.isoOrFalse(u.LastActivity))
	var mobile, desktop any = false, false
	if !u.LastActivity.IsZero() {
		if u.ID%3 == 0 {
			mobile = c.isoOrFalse(u.LastActivity.Add(-37 * time.Minute))
		}
		if u.ID%2 == 0 {
			desktop = c.isoOrFalse(u.LastActivity)
		}
	}
	a.set("mobile_last_date", mobile)
	a.set("desktop_last_date", desktop)
	a.set("absent", c.absent(u))
	a.set("departments", append([]int{}, u.Departments...))
	phones := newArr()
	if u.WorkPhone != "" {
		phones.set("work_phone", u.WorkPhone)
	}
	if u.Mobile != "" {
		phones.set("personal_mobile", u.Mobile)
	}
	if u.Extension != "" {
		phones.set("inner_phone", u.Extension)
	}
	if phones.len() == 0 {
		a.set("phones", false)
	} else {
		a.set("phones", phones)
	}
	if u.Bot {
		bd := newArr()
		bd.set("code", "bot"+strconv.Itoa(u.ID))
		bd.set("type", "B")
		a.set("bot_data", bd)
	} else {
		a.set("bot_data", nil)
	}
	a.set("type", typ)
	a.set("website", "")
	a.set("email", u.Email)
	return a
}

// imUserByID is the im object of a user, or null for an unknown one.
func (c *call) imUserByID(id int) any {
	if u := c.idx.byID[id]; u != nil {
		return c.imUser(u)
	}
	return nil
}

func (c *call) imDepartment(d *dept, userData bool) *parr {
	a := newArr()
	a.set("id", d.ID)
	a.set("name", d.Name)
	a.set("full_name", d.fullName)
	a.set("manager_user_id", d.Head)
	if userData {
		a.set("manager_user_data", c.imUserByID(d.Head))
	}
	return a
}

// ---------------------------------------------------------------- im.department.*

func errIDEmpty() *apiError {
	return apiErr(http.StatusBadRequest, "ID_EMPTY", "Department ID can't be empty")
}

func errInvalidFormat() *apiError {
	return apiErr(http.StatusBadRequest, "INVALID_FORMAT", "A wrong format for the ID field is passed")
}

func setOf(ids []int) map[int]bool {
	m := make(map[int]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// imDeptArgs reads the ID and USER_DATA params every im.department.* method
// takes: the set of valid department IDs (noneErr when there is none) and
// whether user objects are wanted.
func imDeptArgs(c *call, noneErr func() *apiError) (map[int]bool, bool, *apiError) {
	q := c.params.upper()
	v, _ := q.get("ID")
	ids := imIDs(v)
	if len(ids) == 0 {
		return nil, false, noneErr()
	}
	ud, _ := q.get("USER_DATA")
	return setOf(ids), isY(ud), nil
}

func imDepartmentGet(c *call) (result, *apiError) {
	want, userData, aerr := imDeptArgs(c, errInvalidFormat)
	if aerr != nil {
		return result{}, aerr
	}
	out := newArr()
	for _, d := range c.idx.depts {
		if want[d.ID] {
			out.push(c.imDepartment(d, userData))
		}
	}
	return result{value: out, rows: out.len()}, nil
}

func imDepartmentManagers(c *call) (result, *apiError) {
	want, userData, aerr := imDeptArgs(c, errIDEmpty)
	if aerr != nil {
		return result{}, aerr
	}
	out := newArr()
	for _, d := range c.idx.depts {
		if d.Head <= 0 || !want[d.ID] {
			continue
		}
		var m any = d.Head
		if userData {
			m = c.imUserByID(d.Head)
		}
		out.set(strconv.Itoa(d.ID), listOf(m))
	}
	return result{value: out, rows: out.len()}, nil
}

func imDepartmentEmployees(c *call) (result, *apiError) {
	want, userData, aerr := imDeptArgs(c, errIDEmpty)
	if aerr != nil {
		return result{}, aerr
	}
	out := newArr()
	rows := 0
	for _, d := range c.idx.depts {
		if !want[d.ID] {
			continue
		}
		var list *parr
		for _, u := range c.idx.members[d.ID] {
			if !u.Active {
				continue
			}
			if list == nil {
				list = newArr()
			}
			if userData {
				list.push(c.imUser(u))
			} else {
				list.push(u.ID)
			}
			rows++
		}
		if list != nil {
			out.set(strconv.Itoa(d.ID), list)
		}
	}
	return result{value: out, rows: rows}, nil
}

func imDepartmentColleagues(c *call) (result, *apiError) {
	q := c.params.upper()
	ud, _ := q.get("USER_DATA")
	var ids []int
	seen := map[int]bool{c.user: true}
	add := func(id int) {
		if id > 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if me := c.idx.byID[c.user]; me != nil {
		for _, id := range me.Departments {
			if d := c.idx.deptByID[id]; d != nil {
				add(d.Head)
			}
		}
		for _, id := range me.Departments {
			for _, u := range c.idx.members[id] {
				if u.Active {
					add(u.ID)
				}
			}
		}
		heads := false
		for _, d := range c.idx.depts {
			heads = heads || d.Head == c.user
		}
		if heads {
			for _, d := range c.idx.depts {
				add(d.Head)
			}
		}
	}
	var res result
	limit, offset := c.limitOffset(q)
	from, to := page(&res, len(ids), limit, offset)
	out := newArr()
	for _, id := range ids[from:to] {
		if isY(ud) {
			out.push(c.imUserByID(id))
		} else {
			out.push(id)
		}
	}
	res.value, res.rows = out, out.len()
	return res, nil
}

// ---------------------------------------------------------------- im.search.*

func errFindShort() *apiError {
	return apiErr(http.StatusBadRequest, "FIND_SHORT", "Too short a search phrase.")
}

func imSearchUsers(c *call) (result, *apiError) {
	q := c.params.upper()
	v, _ := q.get("FIND")
	find := strings.TrimSpace(phpString(v))
	if utf8.RuneCountInString(find) < 2 {
		return result{}, errFindShort()
	}
	words := appendWords(nil, find)
	var found []*person
	for _, u := range c.idx.users {
		if u.Active && len(words) > 0 && matchWords(words, u.words, u.dwords) {
			found = append(found, u)
		}
	}
	res := result{counted: len(found)}
	limit, offset := c.limitOffset(q)
	from, to := page(&res, len(found), limit, offset)
	out := newArr()
	for _, u := range found[from:to] {
		out.set(strconv.Itoa(u.ID), c.imSearchUser(u))
	}
	res.value, res.rows = out, out.len()
	return res, nil
}

// imSearchUser is the thinner user object of im.search.user.list
// (api-reference/chats/search/im-search-user-list.md of the Bitrix24 REST
// docs, from \Bitrix\Im\User::getList): no active, email,
// desktop_last_date, avatar_hr, bot_data, type or website; birthday false
// when unset; phones digit-normalised (the extension keeps [0-9#*]) and
// only those the user has.
func (c *call) imSearchUser(u *person) *parr {
	a := c.imUser(u)
	for _, k := range []string{"active", "email", "desktop_last_date", "avatar_hr", "bot_data", "type", "website", "phones"} {
		a.del(k)
	}
	a.set("birthday", false)
	phones := newArr()
	for _, f := range []struct{ key, value, keep string }{
		{"work_phone", u.WorkPhone, "0123456789"},
		{"personal_mobile", u.Mobile, "0123456789"},
		{"inner_phone", u.Extension, "0123456789#*"},
	} {
		if d := keepOnly(f.value, f.keep); d != "" {
			phones.set(f.key, d)
		}
	}
	if phones.len() > 0 {
		a.set("phones", phones)
	}
	return a
}

// keepOnly returns the bytes of s that are in keep.
func keepOnly(s, keep string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(keep, s[i]) >= 0 {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func imSearchDepartments(c *call) (result, *apiError) {
	q := c.params.upper()
	v, ok := q.get("FIND")
	if !ok {
		return result{}, errFindShort()
	}
	ud, _ := q.get("USER_DATA")
	phrase := strings.ToLower(strings.TrimSpace(phpString(v)))
	var found []*dept
	for _, d := range c.idx.depts {
		full := strings.ToLower(d.fullName)
		if utf8.RuneCountInString(phrase) < 2 || strings.HasPrefix(full, phrase) || strings.Contains(full, " "+phrase) {
			found = append(found, d)
		}
	}
	var res result
	limit, offset := c.limitOffset(q)
	from, to := page(&res, len(found), limit, offset)
	out := newArr()
	for _, d := range found[from:to] {
		out.push(c.imDepartment(d, isY(ud)))
	}
	res.value, res.rows = out, out.len()
	return res, nil
}

// ---------------------------------------------------------------- im.user.*

func imUserGet(c *call) (result, *apiError) {
	q := c.params.upper()
	id := c.user
	if v, ok := q.get("ID"); ok {
		id = phpInt(v)
	}
	if id <= 0 {
		return result{}, apiErr(http.StatusBadRequest, "ID_EMPTY", "User ID can't be empty")
	}
	u := c.idx.byID[id]
	if u == nil {
		return result{}, apiErr(http.StatusBadRequest, "USER_NOT_EXISTS", "User not exists")
	}
	return result{value: c.imUser(u), rows: 1}, nil
}

func imUserListGet(c *call) (result, *apiError) {
	q := c.params.upper()
	v, _ := q.get("ID")
	ids := imIDs(v)
	if len(ids) == 0 {
		return result{}, errInvalidFormat()
	}
	rt, _ := q.get("RESULT_TYPE")
	out := newArr()
	for _, id := range ids {
		u := c.idx.byID[id]
		switch {
		case phpString(rt) == "array" && u != nil:
			out.push(c.imUser(u))
		case phpString(rt) != "array":
			out.set(strconv.Itoa(id), c.imUserByID(id))
		}
	}
	return result{value: out, rows: out.len()}, nil
}

// ---------------------------------------------------------------- misc

func scopeMethod(c *call) (result, *apiError) {
	out := newArr()
	for _, s := range c.p.opts.Scopes {
		out.push(s)
	}
	return result{value: out}, nil
}

func serverTime(c *call) (result, *apiError) {
	return result{value: isoTime(c.now)}, nil
}

func profile(c *call) (result, *apiError) {
	a := newArr()
	a.set("ID", c.user)
	a.set("ADMIN", true)
	u := c.idx.byID[c.user]
	if u == nil {
		u = &person{}
	}
	a.set("NAME", u.FirstName)
	a.set("LAST_NAME", u.LastName)
	a.set("PERSONAL_GENDER", u.Gender)
	a.set("PERSONAL_PHOTO", "")
	a.set("TIME_ZONE", "")
	a.set("TIME_ZONE_OFFSET", 0)
	return result{value: a}, nil
}
