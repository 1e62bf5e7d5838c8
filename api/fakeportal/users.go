package fakeportal

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// userLevel is how much of a user record the granted scopes show.
type userLevel int

const (
	levelBrief userLevel = iota // user_brief: no contacts
	levelBasic                  // user_basic: contacts
	levelFull                   // user: everything
)

func (p *Portal) userLevel() userLevel {
	switch {
	case p.scopes["user"]:
		return levelFull
	case p.scopes["user_basic"]:
		return levelBasic
	}
	return levelBrief
}

// userFieldNames lists the user.get fields of a level, in answer order.
func userFieldNames(l userLevel) []string {
	switch l {
	case levelBrief:
		return []string{"ID", "ACTIVE", "NAME", "LAST_NAME", "SECOND_NAME", "TITLE", "IS_ONLINE",
			"TIME_ZONE", "TIMESTAMP_X", "DATE_REGISTER", "PERSONAL_GENDER", "PERSONAL_BIRTHDAY",
			"PERSONAL_CITY", "WORK_POSITION", "WORK_CITY", "LAST_ACTIVITY_DATE", "UF_EMPLOYMENT_DATE",
			"UF_DEPARTMENT", "UF_PHONE_INNER", "USER_TYPE"}
	case levelBasic:
		return []string{"ID", "ACTIVE", "NAME", "LAST_NAME", "SECOND_NAME", "TITLE", "EMAIL",
			"PERSONAL_PHONE", "WORK_PHONE", "WORK_POSITION", "WORK_COMPANY", "IS_ONLINE", "TIME_ZONE",
			"TIMESTAMP_X", "DATE_REGISTER", "LAST_ACTIVITY_DATE", "PERSONAL_GENDER", "PERSONAL_BIRTHDAY",
			"PERSONAL_MOBILE", "PERSONAL_CITY", "WORK_CITY", "UF_DEPARTMENT", "UF_PHONE_INNER",
			"UF_EMPLOYMENT_DATE", "USER_TYPE"}
	}
	return []string{"ID", "ACTIVE", "NAME", "LAST_NAME", "SECOND_NAME", "TITLE", "EMAIL", "LAST_LOGIN",
		"DATE_REGISTER", "TIME_ZONE", "IS_ONLINE", "TIMESTAMP_X", "LAST_ACTIVITY_DATE", "PERSONAL_GENDER",
		"PERSONAL_BIRTHDAY", "PERSONAL_PHONE", "PERSONAL_MOBILE", "PERSONAL_CITY", "WORK_PHONE",
		"WORK_COMPANY", "WORK_POSITION", "WORK_CITY", "UF_EMPLOYMENT_DATE", "UF_DEPARTMENT",
		"UF_PHONE_INNER", "USER_TYPE"}
}

func (c *call) online(u *person) bool {
	return !u.LastActivity.IsZero() && c.now.Sub(u.LastActivity) < OnlineWindow
}

// userType is user.get's USER_TYPE.
func userType(u *person) string {
	if u.Extranet {
		return "extranet"
	}
	return "employee"
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

// optString is how the portal gives an optional text field: the value, or,
// when it is empty, "" for some users and null for others.
func optString(id int, s string) any {
	if s != "" || id%2 == 0 {
		return s
	}
	return nil
}

// oddDate gives LAST_ACTIVITY_DATE and TIMESTAMP_X in the inconsistent forms
// seen in the wild: `{}`, "2024-07-23 08:08:50" or "23.07.2024 08:08:50".
func (c *call) oddDate(id int, t time.Time) any {
	switch {
	case id%3 == 0:
		return jsonObject{}
	case t.IsZero():
		return nil
	case id%3 == 1:
		return t.In(c.now.Location()).Format("2006-01-02 15:04:05")
	}
	return t.In(c.now.Location()).Format("02.01.2006 15:04:05")
}

func (c *call) registered(id int) time.Time {
	return time.Date(2014, 1, 1, 0, 0, 0, 0, c.now.Location()).AddDate(0, 0, (id*53)%3650)
}

// userRow builds a user.get record with the fields of level l.
func (c *call) userRow(u *person, l userLevel) *parr {
	a := newArr()
	for _, f := range userFieldNames(l) {
		var v any
		switch f {
		case "ID":
			v = strconv.Itoa(u.ID)
		case "ACTIVE":
			v = u.Active
		case "NAME":
			v = u.FirstName
		case "LAST_NAME":
			v = u.LastName
		case "SECOND_NAME":
			v = optString(u.ID, u.SecondName)
		case "EMAIL":
			v = optString(u.ID, u.Email)
		case "LAST_LOGIN":
			v = ""
			if !u.LastActivity.IsZero() {
				v = isoTime(u.LastActivity.Add(-3 * time.Hour).In(c.now.Location()))
			}
		case "DATE_REGISTER":
			v = isoTime(c.registered(u.ID))
		case "IS_ONLINE":
			v = yn(c.online(u))
		case "TIMESTAMP_X":
			v = c.oddDate(u.ID, c.registered(u.ID).Add(36*time.Hour))
		case "LAST_ACTIVITY_DATE":
			v = c.oddDate(u.ID, u.LastActivity)
		case "PERSONAL_GENDER":
			v = u.Gender
		case "PERSONAL_BIRTHDAY", "UF_EMPLOYMENT_DATE":
			v = ""
		case "PERSONAL_MOBILE":
			v = optString(u.ID, u.Mobile)
		case "WORK_PHONE":
			v = optString(u.ID, u.WorkPhone)
		case "WORK_POSITION":
			v = optString(u.ID, u.Position)
		case "UF_PHONE_INNER":
			v = optString(u.ID, u.Extension)
		case "UF_DEPARTMENT":
			v = false
			if len(u.Departments) > 0 {
				v = append([]int{}, u.Departments...)
			}
		case "USER_TYPE":
			v = userType(u)
		default:
			v = optString(u.ID, "")
		}
		a.set(f, v)
	}
	return a
}

// ---------------------------------------------------------------- filters

// userCond is one filter entry: an operator prefix, a field and a value.
type userCond struct {
	op, field string
	val       any
}

// splitOp splits `>=ID` into ">=" and "ID": one or two leading non-word
// characters, as the server's /^(\W{1,2})(.+)/.
func splitOp(key string) (string, string) {
	n := 0
	for n < len(key) && n < 2 && !isWordByte(key[n]) {
		n++
	}
	if n == len(key) {
		n = len(key) - 1 // the field must keep at least one character
	}
	if n <= 0 {
		return "", key
	}
	return key[:n], key[n:]
}

func isWordByte(c byte) bool {
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// prepareValue normalises a filter value as the server does.
func prepareValue(field string, v any) any {
	switch field {
	case "ID":
		if a, ok := v.(*parr); ok {
			out := newArr()
			for _, k := range a.keys {
				out.set(k, phpInt(a.vals[k]))
			}
			return out
		}
		return phpInt(v)
	case "ACTIVE", "IS_ONLINE":
		if s, ok := v.(string); ok && s == "N" {
			return "N"
		}
		return yn(phpTruthy(v))
	case "UF_DEPARTMENT":
		if _, ok := v.(*parr); !ok && phpTruthy(v) {
			return listOf(v)
		}
	}
	return v
}

func isEmptyValue(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case bool:
		return !t
	case *parr:
		return t.len() == 0
	}
	return false
}

func valueList(v any) []any {
	if a, ok := v.(*parr); ok {
		return a.values()
	}
	return []any{v}
}

// cmpMatch applies a comparison operator to the result of comparing have with want.
func cmpMatch(op string, cmp int) bool {
	switch op {
	case ">":
		return cmp > 0
	case ">=":
		return cmp >= 0
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	}
	return false
}

func negated(op string) bool { return op == "!" || op == "!=" || op == "!@" || op == "!%" }

// likeFold is SQL LIKE with % and _, case-insensitive.
func likeFold(s, pattern string) bool {
	s, pattern = strings.ToLower(s), strings.ToLower(pattern)
	var match func(si, pi int) bool
	match = func(si, pi int) bool {
		for pi < len(pattern) {
			switch pattern[pi] {
			case '%':
				for k := si; k <= len(s); k++ {
					if match(k, pi+1) {
						return true
					}
				}
				return false
			case '_':
				if si >= len(s) {
					return false
				}
				si++
			default:
				if si >= len(s) || s[si] != pattern[pi] {
					return false
				}
				si++
			}
			pi++
		}
		return si == len(s)
	}
	if strings.Count(pattern, "%") > 8 {
		return false // keep hostile patterns from exploding
	}
	return match(0, 0)
}

// strMatch matches a text field (case-insensitive, as MySQL collations are).
func strMatch(op, have string, want any) bool {
	anyOf := func(f func(w string) bool) bool {
		for _, w := range valueList(want) {
			if f(phpString(w)) {
				return true
			}
		}
		return false
	}
	lh := strings.ToLower(have)
	switch op {
	case "", "=", "@", "!", "!=", "!@":
		return anyOf(func(w string) bool { return strings.EqualFold(have, w) }) != negated(op)
	case "%", "!%":
		return anyOf(func(w string) bool { return strings.Contains(lh, strings.ToLower(w)) }) != negated(op)
	case "=%", "%=":
		return anyOf(func(w string) bool { return likeFold(have, w) })
	}
	return anyOf(func(w string) bool { return cmpMatch(op, strings.Compare(lh, strings.ToLower(w))) })
}

func intMatch(op string, have int, want any) bool {
	switch op {
	case "", "=", "@", "!", "!=", "!@":
		return intSet(want)[have] != negated(op)
	case "%", "!%", "=%", "%=":
		return strMatch(op, strconv.Itoa(have), want)
	}
	for _, w := range valueList(want) {
		n := phpInt(w)
		c := 0
		if have < n {
			c = -1
		} else if have > n {
			c = 1
		}
		if cmpMatch(op, c) {
			return true
		}
	}
	return false
}

func deptMatch(op string, have []int, want any) bool {
	if isEmptyValue(want) {
		switch op {
		case "", "=":
			return len(have) == 0
		case "!", "!=":
			return len(have) > 0
		}
	}
	for _, d := range have {
		if intMatch(strings.TrimPrefix(strings.TrimPrefix(op, "!"), "="), d, want) {
			return !negated(op)
		}
	}
	return negated(op)
}

// parseDate reads a filter date: ISO 8601 or the portal's own format.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05",
		"2006-01-02", "02.01.2006 15:04:05", "02.01.2006"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (c *call) timeMatch(op string, have time.Time, want any) bool {
	if isEmptyValue(want) {
		return have.IsZero() != negated(op)
	}
	for _, w := range valueList(want) {
		t, ok := parseDate(phpString(w), c.now.Location())
		if !ok || have.IsZero() {
			continue
		}
		var r bool
		switch op {
		case "", "=", "@":
			r = have.Equal(t)
		case "!", "!=", "!@":
			r = !have.Equal(t)
		default:
			r = cmpMatch(op, have.Compare(t))
		}
		if r {
			return true
		}
	}
	return false
}

// textField is the value of a text field of u for filtering.
func textField(u *person, field string) string {
	switch field {
	case "NAME":
		return u.FirstName
	case "LAST_NAME":
		return u.LastName
	case "SECOND_NAME":
		return u.SecondName
	case "EMAIL":
		return u.Email
	case "WORK_POSITION":
		return u.Position
	case "WORK_PHONE":
		return u.WorkPhone
	case "PERSONAL_MOBILE":
		return u.Mobile
	case "UF_PHONE_INNER":
		return u.Extension
	case "PERSONAL_GENDER":
		return u.Gender
	case "USER_TYPE":
		return userType(u)
	case "EXTERNAL_AUTH_ID":
		if u.Bot {
			return "bot"
		}
		return ""
	}
	return ""
}

func (c *call) condMatch(u *person, cd userCond) bool {
	switch cd.field {
	case "ID":
		return intMatch(cd.op, u.ID, cd.val)
	case "UF_DEPARTMENT":
		return deptMatch(cd.op, u.Departments, cd.val)
	case "ACTIVE":
		return strMatch(cd.op, yn(u.Active), cd.val)
	case "IS_ONLINE":
		return strMatch(cd.op, yn(c.online(u)), cd.val)
	case "LAST_ACTIVITY_DATE":
		return c.timeMatch(cd.op, u.LastActivity, cd.val)
	}
	return strMatch(cd.op, textField(u, cd.field), cd.val)
}

// fieldSearch is user.search's per-field prefix search (NAME, LAST_NAME, ...).
type fieldSearch struct {
	field string
	words []string
}

func (fs fieldSearch) match(c *call, u *person) bool {
	if fs.field == "UF_DEPARTMENT_NAME" {
		return matchWords(fs.words, u.dwords)
	}
	return matchWords(fs.words, appendWords(nil, textField(u, fs.field)))
}

// ---------------------------------------------------------------- user.*

func errUserNotFound() *apiError {
	return apiErr(http.StatusBadRequest, "ERROR_NOT_FOUND", "User not found")
}

func userGet(c *call) (result, *apiError) {
	lvl := c.p.userLevel()
	q := c.params.upper()
	sortV, _ := q.get("SORT")
	orderV, _ := q.get("ORDER")
	if f, ok := q.get("FILTER"); ok {
		if fa, ok := f.(*parr); ok {
			q = fa.upper() // replaces the top-level keys; SORT and ORDER were read before
		}
	}
	allowed := map[string]bool{"IS_ONLINE": true, "HAS_DEPARTAMENT": true, "NAME_SEARCH": true, "EXTERNAL_AUTH_ID": true}
	for _, f := range userFieldNames(lvl) {
		allowed[f] = true
	}
	search := c.method == "user.search"
	if search {
		allowed["FIND"], allowed["UF_DEPARTMENT_NAME"], allowed["CONFIRM_CODE"] = true, true, true
	}
	var conds, names []userCond
	var quick []string
	hasQuick, needDept := false, false
	for _, k := range q.keys {
		op, field := splitOp(k)
		if !allowed[field] {
			continue // unknown keys are dropped
		}
		v := prepareValue(field, q.vals[k])
		switch {
		case field == "NAME_SEARCH" || field == "FIND":
			if !hasQuick || field == "NAME_SEARCH" {
				quick = appendWords(nil, phpString(v))
			}
			hasQuick = true
		case field == "HAS_DEPARTAMENT":
			needDept = v == "Y"
		case search && op == "" && (field == "NAME" || field == "LAST_NAME" || field == "SECOND_NAME" ||
			field == "WORK_POSITION" || field == "UF_DEPARTMENT_NAME"):
			names = append(names, userCond{op, field, v})
		default:
			conds = append(conds, userCond{op, field, v})
		}
	}
	// user.search turns the name fields into a prefix search, unless FIND or
	// NAME_SEARCH is there: then they stay plain filters.
	var fields []fieldSearch
	for _, cd := range names {
		if hasQuick {
			conds = append(conds, cd)
		} else {
			fields = append(fields, fieldSearch{cd.field, appendWords(nil, phpString(cd.val))})
		}
	}
	ok := func(u *person) bool {
		if u.Bot { // IS_REAL_USER=Y is always applied
			return false
		}
		if needDept && len(u.Departments) == 0 {
			return false
		}
		for _, cd := range conds {
			if !c.condMatch(u, cd) {
				return false
			}
		}
		if hasQuick && !matchWords(quick, u.words, u.dwords) {
			return false
		}
		for _, fs := range fields {
			if !fs.match(c, u) {
				return false
			}
		}
		return true
	}

	sortField := strings.ToUpper(phpString(sortV))
	desc := strings.ToUpper(phpString(orderV)) == "DESC"
	sorted := phpTruthy(sortV) && phpTruthy(orderV) && sortField != "" && !(sortField == "ID" && !desc)
	noCount := c.hasStart && c.start < 0
	var list []*person
	for _, u := range c.candidates(conds) {
		if ok(u) {
			list = append(list, u)
			if noCount && !sorted && len(list) == PageSize {
				break
			}
		}
	}
	if sorted {
		sortUsers(c, list, sortField, desc)
	}
	res := result{counted: len(list)}
	offset := max(c.start, 0)
	rows := list[min(offset, len(list)):min(offset+PageSize, len(list))]
	out := newArr()
	for _, u := range rows {
		out.push(c.userRow(u, lvl))
	}
	res.value, res.rows = out, len(rows)
	if len(rows) > 0 { // the server sets paging data only for a non-empty result
		res.hasTotal = true
		if noCount {
			res.counted = 0
		} else {
			res.total = len(list)
			if offset+len(rows) < len(list) {
				res.next, res.hasNext = offset+len(rows), true
			}
		}
	}
	return res, nil
}

// candidates narrows the users to scan with the indexes: an ID or
// UF_DEPARTMENT equality, or a lower bound on ID.
func (c *call) candidates(conds []userCond) []*person {
	for _, cd := range conds {
		if cd.op != "" && cd.op != "=" && cd.op != "@" {
			continue
		}
		switch {
		case cd.field == "ID":
			return c.byIDs(intSet(cd.val))
		case cd.field == "UF_PHONE_INNER" && !isEmptyValue(cd.val):
			var out []*person
			for _, v := range valueList(cd.val) {
				out = append(out, c.idx.byExt[strings.ToLower(phpString(v))]...)
			}
			sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
			return out
		case cd.field == "UF_DEPARTMENT" && !isEmptyValue(cd.val):
			seen := map[int]bool{}
			var out []*person
			for id := range intSet(cd.val) {
				for _, u := range c.idx.members[id] {
					if !seen[u.ID] {
						seen[u.ID] = true
						out = append(out, u)
					}
				}
			}
			sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
			return out
		}
	}
	users := c.idx.users
	for _, cd := range conds {
		if cd.field == "ID" && (cd.op == ">" || cd.op == ">=") && len(valueList(cd.val)) == 1 {
			n := phpInt(cd.val)
			i := sort.Search(len(users), func(i int) bool { return users[i].ID >= n })
			users = users[i:]
		}
	}
	return users
}

func (c *call) byIDs(ids map[int]bool) []*person {
	var out []*person
	for id := range ids {
		if u := c.idx.byID[id]; u != nil {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// sortUsers orders by a field; ties stay in ID order. An unknown field leaves
// the order alone.
func sortUsers(c *call, list []*person, field string, desc bool) {
	var less func(a, b *person) bool
	switch field {
	case "ID":
		less = func(a, b *person) bool { return a.ID < b.ID }
	case "LAST_ACTIVITY_DATE":
		less = func(a, b *person) bool { return a.LastActivity.Before(b.LastActivity) }
	case "ACTIVE":
		less = func(a, b *person) bool { return !a.Active && b.Active }
	case "IS_ONLINE":
		less = func(a, b *person) bool { return !c.online(a) && c.online(b) }
	case "NAME", "LAST_NAME", "SECOND_NAME", "EMAIL", "WORK_POSITION", "WORK_PHONE", "PERSONAL_MOBILE",
		"UF_PHONE_INNER", "PERSONAL_GENDER":
		less = func(a, b *person) bool {
			return strings.ToLower(textField(a, field)) < strings.ToLower(textField(b, field))
		}
	default:
		return
	}
	sort.SliceStable(list, func(i, j int) bool {
		if desc {
			return less(list[j], list[i])
		}
		return less(list[i], list[j])
	})
}

func userCurrent(c *call) (result, *apiError) {
	u := c.idx.byID[c.user]
	if u == nil {
		return result{}, errUserNotFound()
	}
	return result{value: c.userRow(u, c.p.userLevel()), rows: 1}, nil
}

func userOnline(c *call) (result, *apiError) {
	out := newArr()
	for _, u := range c.idx.users {
		if c.online(u) {
			out.push(strconv.Itoa(u.ID))
		}
	}
	return result{value: out, rows: out.len()}, nil
}

func userFields(c *call) (result, *apiError) {
	captions := map[string]string{"ID": "ID", "ACTIVE": "Active", "NAME": "First name", "LAST_NAME": "Last name",
		"SECOND_NAME": "Second name", "TITLE": "Title", "EMAIL": "E-mail", "LAST_LOGIN": "Last login",
		"DATE_REGISTER": "Registered", "TIME_ZONE": "Time zone", "IS_ONLINE": "Online",
		"TIMESTAMP_X": "Modified", "LAST_ACTIVITY_DATE": "Last activity", "PERSONAL_GENDER": "Gender",
		"PERSONAL_BIRTHDAY": "Date of birth", "PERSONAL_PHONE": "Phone", "PERSONAL_MOBILE": "Mobile",
		"PERSONAL_CITY": "City", "WORK_PHONE": "Work phone", "WORK_COMPANY": "Company",
		"WORK_POSITION": "Position", "WORK_CITY": "Work city", "UF_EMPLOYMENT_DATE": "Employment date",
		"UF_DEPARTMENT": "Departments", "UF_PHONE_INNER": "Extension", "USER_TYPE": "User type"}
	out := newArr()
	for _, f := range userFieldNames(c.p.userLevel()) {
		out.set(f, captions[f])
	}
	return result{value: out}, nil
}
