package api

// White-box tests of the decoders: the portal's loosely typed JSON (the
// envelope, the im user object and user.get records of docs/portal.md) in
// every form it is known to take, and hostile forms
// it might. They feed bytes to pure functions; nothing is mocked.

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeKeyedObjectOrList(t *testing.T) {
	for _, raw := range []string{``, `null`, `false`, `[]`, `{}`, ` [ ] `} {
		got, err := decodeKeyed(json.RawMessage(raw))
		require.NoError(t, err, raw)
		assert.Empty(t, got, raw)
	}
	got, err := decodeKeyed(json.RawMessage(`{"7":[3,67],"3":[278]}`))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "7", got[0].Key, "the portal's order is kept")
	assert.Equal(t, "3", got[1].Key)

	got, err = decodeKeyed(json.RawMessage(`[{"a":1},{"b":2}]`))
	require.NoError(t, err)
	assert.Equal(t, []string{"0", "1"}, []string{got[0].Key, got[1].Key}, "a list is keyed 0..n-1 as PHP would")

	for _, raw := range []string{`5`, `"x"`, `true`, `{"a":`, `[1,`} {
		_, err := decodeKeyed(json.RawMessage(raw))
		assert.Error(t, err, raw)
	}
}

func TestFlexScalars(t *testing.T) {
	for raw, want := range map[string]int{`5`: 5, `"15"`: 15, `" 7 "`: 7, `5.0`: 5, `-3`: -3} {
		n, ok := flexInt(json.RawMessage(raw))
		assert.True(t, ok, raw)
		assert.Equal(t, want, n, raw)
	}
	for _, raw := range []string{`null`, `false`, `{}`, `[]`, `"abc"`, `5.5`, `1e400`, `"99999999999999999999999"`, ``} {
		_, ok := flexInt(json.RawMessage(raw))
		assert.False(t, ok, raw)
	}
	assert.Equal(t, 0, flexID(json.RawMessage(`"-4"`)))
	assert.Equal(t, "Anna", flexString(json.RawMessage(`"Anna"`)))
	assert.Equal(t, "42", flexString(json.RawMessage(`42`)))
	assert.Equal(t, "ab", flexString(json.RawMessage(`"a\u001b[31mb"`)), "escape sequences are removed")
	for _, raw := range []string{`null`, `false`, `{}`, `[]`, `true`} {
		assert.Equal(t, "", flexString(json.RawMessage(raw)), raw)
	}
	assert.Equal(t, []int{3, 7}, flexInts(json.RawMessage(`["3",7,null,-1,"x",{}]`)))
	assert.Equal(t, []int{3, 7}, flexInts(json.RawMessage(`{"0":3,"5":"7"}`)))
	assert.Equal(t, []int{9}, flexInts(json.RawMessage(`"9"`)))
	assert.Empty(t, flexInts(json.RawMessage(`false`)))
	for raw, want := range map[string]bool{`true`: true, `"Y"`: true, `"N"`: false, `false`: false, `1`: true, `"0"`: false} {
		v, ok := flexBool(json.RawMessage(raw))
		assert.True(t, ok, raw)
		assert.Equal(t, want, v, raw)
	}
}

func TestFlexTimeForms(t *testing.T) {
	want := time.Date(2024, 7, 23, 8, 8, 50, 0, time.UTC)
	for _, raw := range []string{`"2024-07-23T08:08:50+00:00"`, `"2024-07-23 08:08:50"`, `"23.07.2024 08:08:50"`, `"2024-07-23T08:08:50"`} {
		assert.True(t, want.Equal(flexTime(json.RawMessage(raw))), raw)
	}
	withZone := flexTime(json.RawMessage(`"2024-07-23T11:08:50+03:00"`))
	assert.True(t, want.Equal(withZone))
	for _, raw := range []string{`{}`, `false`, `null`, `""`, `"never"`, `"0000-00-00 00:00:00"`, `17`, `[]`} {
		assert.True(t, flexTime(json.RawMessage(raw)).IsZero(), raw)
	}
}

func TestDecodeIMUserForms(t *testing.T) {
	u, ok := decodeIMUser(json.RawMessage(`{"id":"103","active":true,"name":"Anna Johnson","first_name":"Anna",
		"last_name":"Johnson","work_position":"Manager","email":"anna@example.com",
		"idle":false,"last_activity_date":"2024-07-23T08:08:50+00:00","absent":false,
		"departments":[1,"5"],"phones":{"inner_phone":"1042","work_phone":"+1 555","personal_mobile":"+1 556"}}`))
	require.True(t, ok)
	assert.Equal(t, 103, u.ID)
	assert.Equal(t, "1042", u.Extension)
	assert.Equal(t, []int{1, 5}, u.DepartmentIDs)
	assert.True(t, u.IdleSince.IsZero())
	assert.True(t, u.AbsentUntil.IsZero())
	assert.False(t, u.LastActivity.IsZero())

	u, ok = decodeIMUser(json.RawMessage(`{"id":7,"active":"N","first_name":"Boris","last_name":"Ivanov",
		"idle":"2024-07-23T08:00:00+00:00","absent":"2024-12-01T00:00:00+00:00","last_activity_date":false,
		"departments":null,"phones":false}`))
	require.True(t, ok)
	assert.False(t, u.Active)
	assert.Equal(t, "Boris Ivanov", u.Name)
	assert.False(t, u.IdleSince.IsZero())
	assert.False(t, u.AbsentUntil.IsZero())
	assert.True(t, u.LastActivity.IsZero())
	assert.Empty(t, u.Extension)

	for _, raw := range []string{`5`, `"x"`, `null`, `[]`, `{}`, `{"id":"abc"}`, `{"id":-1}`, `{"id":{}}`, `{"phones":[1,2],"id":3`} {
		_, ok := decodeIMUser(json.RawMessage(raw))
		assert.False(t, ok, raw)
	}
	u, ok = decodeIMUser(json.RawMessage(`{"id":3,"phones":[],"departments":{},"name":{},"email":null}`))
	require.True(t, ok, "odd but harmless fields")
	assert.Empty(t, u.Email)
}

func TestDecodeUserRecordForms(t *testing.T) {
	for _, activity := range []string{`{}`, `"2024-07-23 08:08:50"`, `"24.08.2023 13:19:39"`, `"2024-07-23T08:08:50+03:00"`, `false`, `null`, `[]`} {
		u, ok := decodeUserRecord(json.RawMessage(`{"ID":"12","ACTIVE":true,"NAME":"Dora","LAST_NAME":"Müller",
			"UF_PHONE_INNER":"1044","UF_DEPARTMENT":[3],"LAST_ACTIVITY_DATE":`+activity+`,"EMAIL":null}`), time.UTC)
		require.True(t, ok, activity)
		assert.Equal(t, 12, u.ID)
		assert.Equal(t, "Dora Müller", u.Name)
		assert.Equal(t, "1044", u.Extension)
		assert.Equal(t, []int{3}, u.DepartmentIDs)
	}
}

func TestDecodeDepartmentForms(t *testing.T) {
	d, ok := decodeDepartment(json.RawMessage(`{"ID":"15","NAME":"R&D","SORT":500,"PARENT":"1","UF_HEAD":"7"}`))
	require.True(t, ok)
	assert.Equal(t, Department{ID: 15, Name: "R&D", Sort: 500, ParentID: 1, HeadID: 7}, d)
	d, ok = decodeDepartment(json.RawMessage(`{"ID":1,"NAME":"Company","SORT":"500"}`))
	require.True(t, ok)
	assert.Equal(t, Department{ID: 1, Name: "Company", Sort: 500}, d)
	d, ok = decodeDepartment(json.RawMessage(`{"ID":"4","PARENT":"4","UF_HEAD":false,"SORT":null}`))
	require.True(t, ok)
	assert.Equal(t, 0, d.ParentID, "a department is not its own parent")
	for _, raw := range []string{`{}`, `[]`, `null`, `"5"`, `{"ID":"x"}`} {
		_, ok := decodeDepartment(json.RawMessage(raw))
		assert.False(t, ok, raw)
	}
}

func TestDecodeEnvelopeForms(t *testing.T) {
	r, perr, err := decodeEnvelope([]byte(`{"result":[1],"total":"120","next":50,"time":{"start":1.5,"operating":"3.2","operating_reset_at":1736925349}}`))
	require.NoError(t, err)
	require.Nil(t, perr)
	assert.Equal(t, 120, r.Total)
	assert.True(t, r.HasNext)
	assert.Equal(t, 50, r.Next)
	assert.Equal(t, int64(1736925349), r.Time.OperatingResetAt)
	assert.InDelta(t, 3.2, r.Time.Operating, 1e-9)

	r, _, err = decodeEnvelope([]byte(`{"result":{},"time":[]}`))
	require.NoError(t, err)
	assert.False(t, r.HasNext)
	assert.Zero(t, r.Time)

	_, perr, err = decodeEnvelope([]byte(`{"error":"","error_description":"User not found"}`))
	require.NoError(t, err)
	assert.Equal(t, portalError{code: "", desc: "User not found"}, *perr)
	_, perr, err = decodeEnvelope([]byte(`{"error":{"code":"BITRIX_REST_V3_EXCEPTION_X","message":"m"}}`))
	require.NoError(t, err)
	assert.Equal(t, portalError{code: "BITRIX_REST_V3_EXCEPTION_X", desc: "m"}, *perr)

	for _, body := range []string{``, `<html>`, `{"result":[1,2`, `{"foo":1}`, `[1]`, `null`} {
		_, _, err := decodeEnvelope([]byte(body))
		assert.Error(t, err, body)
	}
}

func TestEncodeQuery(t *testing.T) {
	q, refs, err := encodeQuery(map[string]any{
		"FILTER":    map[string]any{"UF_DEPARTMENT": 5, ">ID": "10", "ACTIVE": true},
		"ID":        []int{3, 7},
		"select":    []string{"ID", "NAME"},
		"NAME":      "R&D ?%[]#",
		"start":     50,
		"USER_DATA": "Y",
	})
	require.NoError(t, err)
	assert.False(t, refs)
	assert.Equal(t, "FILTER[%3EID]=10&FILTER[ACTIVE]=Y&FILTER[UF_DEPARTMENT]=5&ID[]=3&ID[]=7&NAME=R%26D+%3F%25%5B%5D%23&USER_DATA=Y&select[]=ID&select[]=NAME&start=50", q)

	q, refs, err = encodeQuery(map[string]any{"ID": []string{"$result[a][0][ID]"}, "nested": []any{map[string]any{"x": 1}}})
	require.NoError(t, err)
	assert.True(t, refs)
	assert.Equal(t, "ID[]=%24result%5Ba%5D%5B0%5D%5BID%5D&nested[0][x]=1", q)

	_, _, err = encodeQuery(map[string]any{"x": make(chan int)})
	assert.Error(t, err)
	_, _, err = encodeQuery(map[string]any{"a[b]": 1})
	assert.Error(t, err)
	self := map[string]any{}
	self["self"] = self
	_, _, err = encodeQuery(self)
	assert.ErrorIs(t, err, errTooDeep)
}

func FuzzDecoders(f *testing.F) {
	for _, seed := range []string{
		`{"result":{"result":{"a":[1]},"result_error":[],"result_total":{"a":1},"result_next":[],"result_time":[]}}`,
		`{"result":{"7":[{"id":"3","phones":false,"absent":{}}]}}`,
		`{"result":[],"time":{"operating_reset_at":"x"}}`,
		`{"error":{"code":1},"error_description":[]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, _, err := decodeEnvelope(body)
		if err != nil || r == nil {
			return
		}
		entries, _ := decodeKeyed(r.Result)
		for _, e := range entries {
			decodeIMUser(e.Value)
			decodeUserRecord(e.Value, time.UTC)
			decodeDepartment(e.Value)
			flexInts(e.Value)
			flexTime(e.Value)
			list, _ := decodeList(e.Value)
			for _, v := range list {
				decodeIMUser(v)
			}
		}
	})
}

// TestDecodeGender: the portal's gender is "M" or "F" from the im object
// and from user.get; anything else is "not said"; a merge keeps the im
// object's and fills a gap from the record.
func TestDecodeGender(t *testing.T) {
	for raw, want := range map[string]string{`"M"`: "M", `"f"`: "F", `""`: "", `null`: "", `"X"`: "", `1`: "", `"M\u001b[2J"`: "M" /* the escape is cleaned away */, `"male"`: ""} {
		u, ok := decodeIMUser(json.RawMessage(`{"id":1,"first_name":"A","gender":` + raw + `}`))
		require.True(t, ok)
		assert.Equal(t, want, u.Gender, raw)
		r, ok := decodeUserRecord(json.RawMessage(`{"ID":"1","NAME":"A","PERSONAL_GENDER":`+raw+`}`), time.UTC)
		require.True(t, ok)
		assert.Equal(t, want, r.Gender, raw)
	}
	assert.Equal(t, "F", merge(User{ID: 1}, User{ID: 1, Gender: "F"}).Gender)
	assert.Equal(t, "M", merge(User{ID: 1, Gender: "M"}, User{ID: 1, Gender: "F"}).Gender)
}
