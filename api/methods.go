package api

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"github.com/b24org/b24org/lang"
)

// ErrQueryTooShort is returned by SearchUsers for a query under 2 characters
// (the portal would answer FIND_SHORT).
var ErrQueryTooShort error = lang.NewError("err.api.querytooshort")

// ErrBadExtension is returned by UsersByExtension for an empty or absurd extension.
var ErrBadExtension error = lang.NewError("err.api.badextension")

const (
	// pageSize is the fixed page of list methods.
	pageSize = 50
	// maxPages stops a portal that claims an absurd total.
	maxPages = 2000
	// membersPerCommand is how many department IDs one
	// im.department.employees.get (USER_DATA=N) or managers.get command asks
	// for: the answer is only integers.
	membersPerCommand = 100
	// employeesPerCommand is how many department IDs one command asks for
	// when the answer holds im user objects (USER_DATA=Y).
	employeesPerCommand = 10
	// usersPerCommand is how many user IDs one im.user.list.get command asks
	// for: 50 commands bring 10,000 people (some 7 MB) in one request,
	// well inside the portal's 60-second limit.
	usersPerCommand = 200
	// searchLimit is the most results SearchUsers returns (the portal's LIMIT cap).
	searchLimit = 50
)

// Departments returns the whole tree: department.get's first page, then the rest in one batch.
// The order is the portal's tree order (parents before children).
func (c *Client) Departments(ctx context.Context) ([]Department, error) {
	const method = "department.get"
	resp, err := c.call(ctx, method, map[string]any{})
	if err != nil {
		return nil, err
	}
	pages := []json.RawMessage{resp.Result}
	switch {
	case !resp.HasNext:
	case resp.Total > 0: // every other page at once
		var cmds []Command
		for start := resp.Next; start < resp.Total; start += pageSize {
			if len(cmds) >= maxPages {
				return nil, lang.NewError("err.api.toomanydepts", "Method", method, "Total", resp.Total)
			}
			cmds = append(cmds, Command{Key: "p" + strconv.Itoa(start), Method: method, Params: map[string]any{"start": start}})
		}
		res, err := c.Batch(ctx, cmds)
		if err != nil {
			return nil, err
		}
		for _, cmd := range cmds {
			if r := res[cmd.Key]; r.Err != nil {
				return nil, r.Err
			} else {
				pages = append(pages, r.Result)
			}
		}
	default: // no total: follow next
		for resp.HasNext && len(pages) < maxPages {
			if resp, err = c.call(ctx, method, map[string]any{"start": resp.Next}); err != nil {
				return nil, err
			}
			pages = append(pages, resp.Result)
		}
	}
	var out []Department
	seen := map[int]bool{}
	for _, page := range pages {
		list, err := decodeList(page)
		if err != nil {
			return nil, badShape(method, err)
		}
		for _, raw := range list {
			if d, ok := decodeDepartment(raw); ok && !seen[d.ID] {
				seen[d.ID] = true
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// decodeDepartment reads {ID:"15", NAME, SORT:500, PARENT:"1", UF_HEAD:"7"}.
func decodeDepartment(raw json.RawMessage) (Department, bool) {
	var r struct {
		ID     json.RawMessage `json:"ID"`
		Name   json.RawMessage `json:"NAME"`
		Sort   json.RawMessage `json:"SORT"`
		Parent json.RawMessage `json:"PARENT"`
		Head   json.RawMessage `json:"UF_HEAD"`
	}
	if json.Unmarshal(raw, &r) != nil {
		return Department{}, false
	}
	d := Department{ID: flexID(r.ID), Name: flexString(r.Name), ParentID: flexID(r.Parent), HeadID: flexID(r.Head)}
	d.Sort, _ = flexInt(r.Sort)
	if d.ParentID == d.ID {
		d.ParentID = 0
	}
	return d, d.ID > 0
}

// DepartmentMembers returns member IDs per department (im.department.employees.get, USER_DATA=N).
// Every requested department is in the map, empty ones with an empty list.
func (c *Client) DepartmentMembers(ctx context.Context, ids []int) (map[int][]int, error) {
	return c.departmentIDs(ctx, "im.department.employees.get", ids)
}

// DepartmentManagers returns the head IDs per department (im.department.managers.get).
// Every requested department is in the map, those without a head with an empty list.
func (c *Client) DepartmentManagers(ctx context.Context, ids []int) (map[int][]int, error) {
	return c.departmentIDs(ctx, "im.department.managers.get", ids)
}

func (c *Client) departmentIDs(ctx context.Context, method string, ids []int) (map[int][]int, error) {
	raw, err := c.perDepartment(ctx, method, ids, "N", membersPerCommand)
	if err != nil {
		return nil, err
	}
	out := make(map[int][]int, len(raw))
	for id, list := range raw {
		users := make([]int, 0, len(list))
		for _, v := range list {
			if n := flexID(v); n > 0 && !slices.Contains(users, n) {
				users = append(users, n)
			}
		}
		out[id] = users
	}
	return out, nil
}

// DepartmentEmployees returns the members of each department with their details and presence.
// Every requested department is in the map, empty ones with an empty list.
func (c *Client) DepartmentEmployees(ctx context.Context, ids []int) (map[int][]User, error) {
	raw, err := c.perDepartment(ctx, "im.department.employees.get", ids, "Y", employeesPerCommand)
	if err != nil {
		return nil, err
	}
	out := make(map[int][]User, len(raw))
	for id, list := range raw {
		users := make([]User, 0, len(list))
		for _, v := range list {
			if u, ok := decodeIMUser(v); ok {
				users = append(users, u)
			}
		}
		out[id] = users
	}
	return out, nil
}

// perDepartment asks an im.department.* method about many departments,
// perCommand IDs per command and the commands in batches, and returns the
// list each department got. The answer is keyed by department ID, or [] when
// none of them has anything (docs/portal.md, The envelope;
// api-reference/chats/departments/im-department-employees-get.md of the
// Bitrix24 REST docs).
func (c *Client) perDepartment(ctx context.Context, method string, ids []int, userData string, perCommand int) (map[int][]json.RawMessage, error) {
	ids = uniquePositive(ids)
	out := make(map[int][]json.RawMessage, len(ids))
	var cmds []Command
	for part := range slices.Chunk(ids, perCommand) {
		cmds = append(cmds, Command{Key: "d" + strconv.Itoa(len(cmds)), Method: method, Params: map[string]any{"ID": part, "USER_DATA": userData}})
		for _, id := range part {
			out[id] = nil
		}
	}
	if len(cmds) == 0 {
		return out, nil
	}
	res, err := c.Batch(ctx, cmds)
	if err != nil {
		return nil, err
	}
	for _, cmd := range cmds {
		r := res[cmd.Key]
		if r.Err != nil {
			return nil, r.Err
		}
		entries, err := decodeKeyed(r.Result)
		if err != nil {
			return nil, badShape(method, err)
		}
		for _, e := range entries {
			id, err := strconv.Atoi(e.Key)
			if _, asked := out[id]; err != nil || !asked {
				continue
			}
			list, err := decodeList(e.Value)
			if err != nil {
				return nil, badShape(method, err)
			}
			out[id] = append(out[id], list...)
		}
	}
	return out, nil
}

// uniquePositive drops duplicates and IDs below 1, keeping the order.
func uniquePositive(ids []int) []int {
	seen := make(map[int]bool, len(ids))
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// AllEmployees returns every employee of the given departments in the fewest requests,
// calling progress (may be nil) as people arrive.
//
// It asks im.department.employees.get (USER_DATA=N) for the members of all
// departments (100 departments per command, 50 commands per request: one
// request for 5,000 departments), then im.user.list.get for each person once
// (200 people per command, up to 10,000 per request), one request at a
// time, each sized by the server time the earlier ones took (see
// sizedBatch: a quarter of the cut-off, within half the method's budget,
// waiting when it is used up). On a portal that answers fast a
// 30,000-person load is a handful of requests; see BenchmarkAllEmployees
// for the strategies compared.
// progress(done, total) counts distinct people; it is called from one
// goroutine at a time, first with done = 0. Users are sorted by ID.
func (c *Client) AllEmployees(ctx context.Context, deptIDs []int, progress func(done, total int)) ([]User, error) {
	members, err := c.DepartmentMembers(ctx, deptIDs)
	if err != nil {
		return nil, err
	}
	memberOf := map[int][]int{} // user -> departments, for users whose im object lacks them
	for dept, users := range members {
		for _, u := range users {
			memberOf[u] = append(memberOf[u], dept)
		}
	}
	ids := make([]int, 0, len(memberOf))
	for u := range memberOf {
		ids = append(ids, u)
	}
	slices.Sort(ids)

	found := make(map[int]User, len(ids))
	report := func() {
		if progress != nil {
			progress(len(found), len(ids))
		}
	}
	report()
	const method = "im.user.list.get"
	err = c.sizedBatch(ctx, method, ids, usersPerCommand, func(part []int) map[string]any {
		return map[string]any{"ID": part}
	}, func(r BatchResult) error {
		list, err := decodeList(r.Result)
		if err != nil {
			return badShape(method, err)
		}
		for _, v := range list {
			if u, ok := decodeIMUser(v); ok && memberOf[u.ID] != nil {
				if len(u.DepartmentIDs) == 0 {
					u.DepartmentIDs = slices.Sorted(slices.Values(memberOf[u.ID]))
				}
				found[u.ID] = u
			}
		}
		return nil
	}, func(int) { report() })
	if err != nil {
		return nil, err
	}
	return inOrder(ids, found), nil
}

// OnlineUserIDs returns the IDs of the users the portal counts as online
// (IS_ONLINE = Y: a last activity within the portal's window;
// docs/portal.md, Presence), sorted: user.online, one request with nothing
// but IDs; where the portal does not have that method,
// OnlineUserIDsByFilter.
func (c *Client) OnlineUserIDs(ctx context.Context) ([]int, error) {
	const method = "user.online"
	resp, err := c.call(ctx, method, map[string]any{})
	var perr *Error
	if errors.As(err, &perr) && strings.EqualFold(perr.Code, "ERROR_METHOD_NOT_FOUND") {
		return c.OnlineUserIDsByFilter(ctx)
	}
	if err != nil {
		return nil, err
	}
	list, err := decodeList(resp.Result)
	if err != nil {
		return nil, badShape(method, err)
	}
	ids := make([]int, 0, len(list))
	for _, v := range list {
		if id := flexID(v); id > 0 {
			ids = append(ids, id)
		}
	}
	ids = uniquePositive(ids)
	slices.Sort(ids)
	return ids, nil
}

// OnlineUserIDsByFilter is OnlineUserIDs with user.get FILTER[IS_ONLINE]=Y,
// paged by ID without a count (settings/performance/huge-data.md of the
// Bitrix24 REST docs): one request per 50 online
// people, each bringing whole user records.
func (c *Client) OnlineUserIDsByFilter(ctx context.Context) ([]int, error) {
	const method = "user.get"
	var ids []int
	last := 0
	for range maxPages {
		resp, err := c.call(ctx, method, map[string]any{
			"SORT": "ID", "ORDER": "ASC", "start": -1,
			"FILTER": map[string]any{"IS_ONLINE": "Y", ">ID": last},
		})
		if err != nil {
			return nil, err
		}
		list, err := decodeList(resp.Result)
		if err != nil {
			return nil, badShape(method, err)
		}
		next := last
		for _, raw := range list {
			var r struct {
				ID json.RawMessage `json:"ID"`
			}
			if json.Unmarshal(raw, &r) == nil {
				if id := flexID(r.ID); id > 0 {
					ids = append(ids, id)
					next = max(next, id)
				}
			}
		}
		if len(list) < pageSize || next == last {
			break
		}
		last = next
	}
	ids = uniquePositive(ids)
	slices.Sort(ids)
	return ids, nil
}

// UsersByID returns the im user objects of ids (im.user.list.get, 200 per
// command, 50 commands per request), the dismissed included; unknown IDs are
// left out. Users come sorted by ID.
func (c *Client) UsersByID(ctx context.Context, ids []int) ([]User, error) {
	ids = uniquePositive(ids)
	slices.Sort(ids)
	var cmds []Command
	for part := range slices.Chunk(ids, usersPerCommand) {
		cmds = append(cmds, Command{Key: "u" + strconv.Itoa(len(cmds)), Method: "im.user.list.get", Params: map[string]any{"ID": part}})
	}
	found := make(map[int]User, len(ids))
	if len(cmds) > 0 {
		err := c.batchParallel(ctx, cmds, func(cmd Command, r BatchResult) error {
			addIMUsers(found, r.Result)
			return nil
		}, nil)
		if err != nil {
			return nil, err
		}
	}
	return inOrder(ids, found), nil
}

// UsersByExtension finds active users whose extension is ext (user.get UF_PHONE_INNER), with presence.
//
// One batch request does both: user.get filtered by the extension, then
// im.user.list.get for $result[users][0][ID]. A reference cannot name "every
// row" of a list (an unresolvable path silently yields its parent, the whole
// list), so when several people share the extension the others' presence
// costs a second request. Without presence (say the webhook lacks the im
// scope) the user.get data is returned as it is.
func (c *Client) UsersByExtension(ctx context.Context, ext string) ([]User, error) {
	ext = strings.TrimSpace(ext)
	if ext == "" || len(ext) > 32 || strings.ContainsFunc(ext, func(r rune) bool { return r < ' ' || r == 0x7f || r == utf8.RuneError }) {
		return nil, ErrBadExtension
	}
	res, err := c.Batch(ctx, []Command{
		{Key: "users", Method: "user.get", Params: map[string]any{"FILTER": map[string]any{"UF_PHONE_INNER": ext, "ACTIVE": true}}},
		{Key: "presence", Method: "im.user.list.get", Params: map[string]any{"ID": []string{"$result[users][0][ID]"}}},
	})
	if err != nil {
		return nil, err
	}
	if res["users"].Err != nil {
		return nil, res["users"].Err
	}
	list, err := decodeList(res["users"].Result)
	if err != nil {
		return nil, badShape("user.get", err)
	}
	var users []User
	for _, raw := range list {
		if u, ok := decodeUserRecord(raw, c.PortalZone()); ok && u.Extension == ext {
			users = append(users, u)
		}
	}
	if len(users) == 0 {
		return nil, nil
	}
	presence := map[int]User{}
	if p := res["presence"]; p.Err == nil {
		addIMUsers(presence, p.Result)
	}
	var missing []int
	for _, u := range users {
		if _, ok := presence[u.ID]; !ok {
			missing = append(missing, u.ID)
		}
	}
	if len(missing) > 0 && res["presence"].Err == nil {
		if resp, err := c.call(ctx, "im.user.list.get", map[string]any{"ID": missing}); err == nil {
			addIMUsers(presence, resp.Result)
		} else if ctx.Err() != nil {
			return nil, err
		}
	}
	for i, u := range users {
		if im, ok := presence[u.ID]; ok {
			users[i] = merge(im, u)
		}
	}
	return users, nil
}

// addIMUsers decodes a keyed (or listed) set of im user objects into m.
func addIMUsers(m map[int]User, raw json.RawMessage) {
	list, err := decodeList(raw)
	if err != nil {
		return
	}
	for _, v := range list {
		if u, ok := decodeIMUser(v); ok {
			m[u.ID] = u
		}
	}
}

// SearchUsers asks the portal to search people by name, position or department.
//
// It uses im.search.user.list rather than user.search: one request brings the
// im user objects with presence, phones and departments, where user.search
// brings user.get records and presence would cost a second request. It
// returns at most 50 people, best first as the portal ranks them.
func (c *Client) SearchUsers(ctx context.Context, query string) ([]User, error) {
	query = strings.TrimSpace(query)
	if utf8.RuneCountInString(query) < 2 {
		return nil, ErrQueryTooShort
	}
	const method = "im.search.user.list"
	resp, err := c.call(ctx, method, map[string]any{"FIND": query, "LIMIT": searchLimit})
	if err != nil {
		return nil, err
	}
	list, err := decodeList(resp.Result)
	if err != nil {
		return nil, badShape(method, err)
	}
	var users []User
	for _, v := range list {
		if u, ok := decodeIMUser(v); ok {
			// The search object is thinner than the im user object
			// (docs/portal.md, The im user object): whatever its keys, its
			// phones are digits only,
			// and its dates are not to be trusted.
			c := u.Carries &^ (FieldPresence | FieldEmail | FieldActive)
			if c&FieldPhones != 0 {
				c = c&^FieldPhones | FieldPhoneDigits
			}
			u.Carries = c
			users = append(users, u)
		}
	}
	return users, nil
}

// carriedKeys returns the fields of groups whose JSON key is present.
func carriedKeys(groups ...struct {
	f   Fields
	raw []json.RawMessage
}) Fields {
	var f Fields
	for _, g := range groups {
		for _, r := range g.raw {
			if r != nil {
				f |= g.f
				break
			}
		}
	}
	return f
}

// keyGroup is one argument of carriedKeys.
func keyGroup(f Fields, raw ...json.RawMessage) struct {
	f   Fields
	raw []json.RawMessage
} {
	return struct {
		f   Fields
		raw []json.RawMessage
	}{f, raw}
}

// imUser is the im user object (api-reference/chats/users/im-user-get.md of
// the Bitrix24 REST docs), every field loosely typed.
type imUser struct {
	ID           json.RawMessage `json:"id"`
	Active       json.RawMessage `json:"active"`
	Name         json.RawMessage `json:"name"`
	FirstName    json.RawMessage `json:"first_name"`
	LastName     json.RawMessage `json:"last_name"`
	Position     json.RawMessage `json:"work_position"`
	Email        json.RawMessage `json:"email"`
	Idle         json.RawMessage `json:"idle"`
	LastActivity json.RawMessage `json:"last_activity_date"`
	Absent       json.RawMessage `json:"absent"`
	Departments  json.RawMessage `json:"departments"`
	Phones       json.RawMessage `json:"phones"`
	Extranet     json.RawMessage `json:"extranet"`
	Bot          json.RawMessage `json:"bot"`
	Gender       json.RawMessage `json:"gender"`
}

// decodeIMUser reads an im user object; ok is false when it is not one.
func decodeIMUser(raw json.RawMessage) (User, bool) {
	var r imUser
	if json.Unmarshal(raw, &r) != nil {
		return User{}, false
	}
	u := User{
		ID:            flexID(r.ID),
		Name:          flexString(r.Name),
		FirstName:     flexString(r.FirstName),
		LastName:      flexString(r.LastName),
		Position:      flexString(r.Position),
		Email:         flexString(r.Email),
		DepartmentIDs: flexInts(r.Departments),
		Active:        true,
		LastActivity:  flexTime(r.LastActivity),
		IdleSince:     flexTime(r.Idle),
		AbsentUntil:   flexTime(r.Absent),
	}
	if v, ok := flexBool(r.Active); ok {
		u.Active = v
	}
	u.Extranet, _ = flexBool(r.Extranet)
	u.Bot, _ = flexBool(r.Bot)
	u.Gender = gender(r.Gender)
	if phones, err := keyedMap(r.Phones); err == nil { // false when the user has none
		u.Extension = flexString(phones["inner_phone"])
		u.WorkPhone = flexString(phones["work_phone"])
		u.Mobile = flexString(phones["personal_mobile"])
	}
	if u.Name == "" {
		u.Name = strings.TrimSpace(u.FirstName + " " + u.LastName)
	}
	u.Carries = carriedKeys(
		keyGroup(FieldNames, r.Name, r.FirstName, r.LastName),
		keyGroup(FieldPosition, r.Position),
		keyGroup(FieldEmail, r.Email),
		keyGroup(FieldPhones, r.Phones),
		keyGroup(FieldDepartments, r.Departments),
		keyGroup(FieldActive, r.Active),
		keyGroup(FieldPresence, r.LastActivity, r.Idle, r.Absent),
	)
	if u.Carries == 0 {
		u.Carries = FieldNames // an object with an ID and nothing else
	}
	return u, u.ID > 0
}

// decodeUserRecord reads a user.get record (api-reference/user/user-get.md of
// the Bitrix24 REST docs), its dates
// without a zone in the portal's zone loc; ok is false when it is not one.
func decodeUserRecord(raw json.RawMessage, loc *time.Location) (User, bool) {
	var r struct {
		ID           json.RawMessage `json:"ID"`
		Active       json.RawMessage `json:"ACTIVE"`
		Name         json.RawMessage `json:"NAME"`
		LastName     json.RawMessage `json:"LAST_NAME"`
		Position     json.RawMessage `json:"WORK_POSITION"`
		Email        json.RawMessage `json:"EMAIL"`
		WorkPhone    json.RawMessage `json:"WORK_PHONE"`
		Mobile       json.RawMessage `json:"PERSONAL_MOBILE"`
		Extension    json.RawMessage `json:"UF_PHONE_INNER"`
		Departments  json.RawMessage `json:"UF_DEPARTMENT"`
		LastActivity json.RawMessage `json:"LAST_ACTIVITY_DATE"`
		UserType     json.RawMessage `json:"USER_TYPE"`
		Gender       json.RawMessage `json:"PERSONAL_GENDER"`
	}
	if json.Unmarshal(raw, &r) != nil {
		return User{}, false
	}
	u := User{
		ID:            flexID(r.ID),
		FirstName:     flexString(r.Name),
		LastName:      flexString(r.LastName),
		Position:      flexString(r.Position),
		Email:         flexString(r.Email),
		Extension:     flexString(r.Extension),
		WorkPhone:     flexString(r.WorkPhone),
		Mobile:        flexString(r.Mobile),
		DepartmentIDs: flexInts(r.Departments),
		Active:        true,
		LastActivity:  flexTimeIn(r.LastActivity, loc),
	}
	u.Name = strings.TrimSpace(u.FirstName + " " + u.LastName)
	if v, ok := flexBool(r.Active); ok {
		u.Active = v
	}
	u.Extranet = strings.EqualFold(flexString(r.UserType), "extranet")
	u.Gender = gender(r.Gender)
	// LAST_ACTIVITY_DATE is not to be trusted (docs/portal.md, user.get
	// records): presence
	// comes from the im object.
	u.Carries = carriedKeys(
		keyGroup(FieldNames, r.Name, r.LastName),
		keyGroup(FieldPosition, r.Position),
		keyGroup(FieldEmail, r.Email),
		keyGroup(FieldPhones, r.WorkPhone, r.Mobile, r.Extension),
		keyGroup(FieldDepartments, r.Departments),
		keyGroup(FieldActive, r.Active),
	)
	if u.Carries == 0 {
		u.Carries = FieldNames
	}
	return u, u.ID > 0
}

// gender is a portal's gender value as "M" or "F"; anything else
// (empty, unset, a value of a newer portal) is "".
func gender(raw json.RawMessage) string {
	switch g := strings.ToUpper(strings.TrimSpace(flexString(raw))); g {
	case "M", "F":
		return g
	}
	return ""
}

// merge is the im object a with the gaps filled from the user.get record b.
func merge(a, b User) User {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&a.Name, b.Name}, {&a.FirstName, b.FirstName}, {&a.LastName, b.LastName},
		{&a.Position, b.Position}, {&a.Email, b.Email}, {&a.Extension, b.Extension},
		{&a.WorkPhone, b.WorkPhone}, {&a.Mobile, b.Mobile},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	if len(a.DepartmentIDs) == 0 {
		a.DepartmentIDs = b.DepartmentIDs
	}
	if a.Gender == "" {
		a.Gender = b.Gender
	}
	a.Carries = a.Carries | b.Carries
	if a.Carries == 0 || b.Carries == 0 {
		a.Carries = FieldsAll
	}
	a.Extranet = a.Extranet || b.Extranet
	return a
}

// batchParallel sends cmds in requests of 50 commands, up to MaxInFlight
// requests at a time. As each request completes, each is called for its
// commands, then done; these calls are serialised. A failed command fails
// the whole.
func (c *Client) batchParallel(ctx context.Context, cmds []Command, each func(Command, BatchResult) error, done func()) error {
	return c.batchAll(ctx, cmds, func(cmd Command, r BatchResult) error {
		if r.Err != nil {
			return r.Err
		}
		return each(cmd, r)
	}, done)
}

// batchAll is batchParallel calling each for failed commands too (r.Err
// set): each decides whether a command's failure fails the whole.
func (c *Client) batchAll(ctx context.Context, cmds []Command, each func(Command, BatchResult) error, done func()) error {
	enc, err := encodeCommands(cmds)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.set.maxInFlight)
	for group := range slices.Chunk(enc, BatchSize) {
		g.Go(func() error {
			res, err := c.batchChunk(gctx, group)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			for _, cmd := range group {
				if err := each(cmd.Command, res[cmd.Key]); err != nil {
					return err
				}
			}
			if done != nil {
				done()
			}
			return nil
		})
	}
	return g.Wait()
}

// inOrder is the users of found in the order of ids, leaving out the IDs
// found lacks.
func inOrder(ids []int, found map[int]User) []User {
	out := make([]User, 0, len(found))
	for _, id := range ids {
		if u, ok := found[id]; ok {
			out = append(out, u)
		}
	}
	return out
}
