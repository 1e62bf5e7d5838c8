package api

// The strategies AllEmployees did not choose, kept for BenchmarkAllEmployees
// (test builds only).

import (
	"context"
	"slices"
	"strconv"
)

// AllEmployeesStrategies are the ways to load the whole directory that the
// benchmark compares; "members+list" is what AllEmployees does.
var AllEmployeesStrategies = map[string]func(c *Client, ctx context.Context, deptIDs []int) ([]User, error){
	"members+list": func(c *Client, ctx context.Context, deptIDs []int) ([]User, error) {
		return c.AllEmployees(ctx, deptIDs, nil)
	},
	"employees": (*Client).allEmployeesByDepartment,
	"paging":    (*Client).allEmployeesByPaging,
}

// allEmployeesByDepartment is strategy A: im.department.employees.get with
// USER_DATA=Y, 10 departments per command, 50 commands per request; people
// in several departments come several times and are deduplicated here.
func (c *Client) allEmployeesByDepartment(ctx context.Context, deptIDs []int) ([]User, error) {
	var cmds []Command
	for part := range slices.Chunk(uniquePositive(deptIDs), employeesPerCommand) {
		cmds = append(cmds, Command{Key: "d" + strconv.Itoa(len(cmds)), Method: "im.department.employees.get", Params: map[string]any{"ID": part, "USER_DATA": "Y"}})
	}
	found := map[int]User{}
	err := c.batchParallel(ctx, cmds, func(cmd Command, r BatchResult) error {
		entries, err := decodeKeyed(r.Result)
		if err != nil {
			return err
		}
		for _, e := range entries {
			addIMUsers(found, e.Value)
		}
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	out := make([]User, 0, len(found))
	for _, u := range found {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b User) int { return a.ID - b.ID })
	return out, nil
}

// allEmployeesByPaging is strategy B: user.get paged by ID in chained
// batches (filter >ID on $result[prev][49][ID], start=-1), then presence
// with im.user.list.get for everyone found.
func (c *Client) allEmployeesByPaging(ctx context.Context, deptIDs []int) ([]User, error) {
	want := map[int]bool{}
	for _, id := range deptIDs {
		want[id] = true
	}
	var ids []int
	last := 0
	for done := false; !done; {
		var cmds []Command
		for i := 0; i < BatchSize; i++ {
			var after any = last
			if i > 0 {
				after = "$result[p" + strconv.Itoa(i-1) + "][49][ID]"
			}
			cmds = append(cmds, Command{Key: "p" + strconv.Itoa(i), Method: "user.get", Params: map[string]any{
				"SORT": "ID", "ORDER": "ASC", "start": -1,
				"FILTER": map[string]any{">ID": after, "ACTIVE": true},
			}})
		}
		enc, err := encodeCommands(cmds)
		if err != nil {
			return nil, err
		}
		res, err := c.batchChunk(ctx, enc)
		if err != nil {
			return nil, err
		}
		for _, cmd := range cmds {
			r := res[cmd.Key]
			if r.Err != nil {
				return nil, r.Err
			}
			rows, err := decodeList(r.Result)
			if err != nil {
				return nil, err
			}
			for _, raw := range rows {
				if u, ok := decodeUserRecord(raw, c.PortalZone()); ok {
					last = u.ID
					if slices.ContainsFunc(u.DepartmentIDs, func(d int) bool { return want[d] }) {
						ids = append(ids, u.ID)
					}
				}
			}
			if len(rows) < pageSize { // the commands after it refer to a missing row
				done = true
				break
			}
		}
	}
	var cmds []Command
	for part := range slices.Chunk(ids, usersPerCommand) {
		cmds = append(cmds, Command{Key: "u" + strconv.Itoa(len(cmds)), Method: "im.user.list.get", Params: map[string]any{"ID": part}})
	}
	found := map[int]User{}
	err := c.batchParallel(ctx, cmds, func(_ Command, r BatchResult) error {
		addIMUsers(found, r.Result)
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	return inOrder(ids, found), nil
}
