package fakeportal

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// plain turns PHP values into plain Go values for comparison.
func plain(v any) any {
	a, ok := v.(*parr)
	if !ok {
		return v
	}
	if a.isList() {
		out := []any{}
		for _, x := range a.values() {
			out = append(out, plain(x))
		}
		return out
	}
	out := map[string]any{}
	for _, k := range a.keys {
		out[k] = plain(a.vals[k])
	}
	return out
}

func TestParseQuery(t *testing.T) {
	a := newArr()
	parseQuery(a, "ID[]=3&ID[]=7&FILTER[UF_DEPARTMENT]=5&filter[%3EID]=100&n[x][y]=z&n[x][]=w&b=1&b=2"+
		"&sp+ace=%20x&broken=%zz&user.name=1&k[=v&&=empty&[x]=no&cmd[a]=user.get%3FFILTER%5BID%5D%3D1%26start%3D50&list[5]=a&list[]=b")
	assert.Equal(t, map[string]any{
		"ID":        []any{"3", "7"},
		"FILTER":    map[string]any{"UF_DEPARTMENT": "5"},
		"filter":    map[string]any{">ID": "100"},
		"n":         map[string]any{"x": map[string]any{"y": "z", "0": "w"}},
		"b":         "2",
		"sp_ace":    " x",
		"broken":    "%zz",
		"user_name": "1",
		"k_":        "v",
		"cmd":       map[string]any{"a": "user.get?FILTER[ID]=1&start=50"},
		"list":      map[string]any{"5": "a", "6": "b"},
	}, plain(a))
	assert.Equal(t, []string{"ID", "FILTER", "filter", "n", "b", "sp_ace", "broken", "user_name", "k_", "cmd", "list"}, a.keys)

	deep := newArr()
	parseQuery(deep, "a"+strings.Repeat("[x]", 100)+"=1")
	assert.Zero(t, deep.len(), "too deep is dropped")
}

func TestJSONRoundTrip(t *testing.T) {
	v, err := decodeJSON([]byte(`{"cmd":{"z":"a","a":"b","5":"c"},"list":[1,"x",true,null,{"k":[]}],"n":1.5}`))
	require.NoError(t, err)
	a := v.(*parr)
	cmd, _ := a.get("cmd")
	assert.Equal(t, []string{"z", "a", "5"}, cmd.(*parr).keys, "key order is kept")
	out := string(encodeJSON(v))
	assert.Equal(t, `{"cmd":{"z":"a","a":"b","5":"c"},"list":[1,"x",true,null,{"k":[]}],"n":1.5}`, out)

	_, err = decodeJSON([]byte(`{"a":1} x`))
	assert.Error(t, err)
	_, err = decodeJSON([]byte(strings.Repeat("[", 100) + strings.Repeat("]", 100)))
	assert.Error(t, err)

	// Strings are escaped the way PHP's json_encode does; Go reads them back.
	s := "Müller </script> & 'x' \"q\" \x1b[2J 陈 👩 \u202e \xff"
	enc := encodeJSON(s)
	assert.NotContains(t, string(enc), "\x1b")
	assert.Contains(t, string(enc), `M\u00fcller \u003C\/script\u003E \u0026`)
	var back string
	require.NoError(t, json.Unmarshal(enc, &back))
	assert.Equal(t, strings.Replace(s, "\xff", "\ufffd", 1), back)

	assert.Equal(t, `[]`, string(encodeJSON(newArr())))
	assert.Equal(t, `{"1":2}`, string(encodeJSON(func() *parr { a := newArr(); a.set("1", 2); return a }())))
	assert.Equal(t, `{}`, string(encodeJSON(jsonObject{})))
}

func TestPHPScalars(t *testing.T) {
	for in, want := range map[string]int{"12": 12, " 7abc": 7, "-3": -3, "abc": 0, "": 0, "+5": 5, "1e3": 1} {
		assert.Equal(t, want, phpInt(in), "%q", in)
	}
	assert.Equal(t, 3, phpInt(json.Number("3.9")))
	assert.Equal(t, 1, phpInt(true))
	for in, want := range map[any]bool{"0": false, "": false, "false": true, "N": true, nil: false, json.Number("0"): false} {
		assert.Equal(t, want, phpTruthy(in), "%v", in)
	}
	assert.Equal(t, []int{3, 7}, imIDs(listOf("3", json.Number("7"), "0", "-1", "x", "3")))
	assert.Equal(t, []int{4, 5}, imIDs("[4,5]"))
	assert.Nil(t, imIDs("5"))
	assert.Nil(t, imIDs(nil))
}

func TestSplitOp(t *testing.T) {
	for in, want := range map[string][2]string{">ID": {">", "ID"}, ">=ID": {">=", "ID"}, "!@ID": {"!@", "ID"},
		"%NAME": {"%", "NAME"}, "ID": {"", "ID"}, "!=%NAME": {"!=", "%NAME"}, ">": {"", ">"}, ">=": {">", "="}} {
		op, field := splitOp(in)
		assert.Equal(t, want, [2]string{op, field}, in)
	}
	assert.True(t, likeFold("Dora@acme", "d%@ACME"))
	assert.True(t, likeFold("abc", "a_c"))
	assert.False(t, likeFold("abc", "a_"))
}

// A portal made by New is a plain http.Handler.
func TestServeHTTPWithoutServer(t *testing.T) {
	p := New(&Org{Departments: []Department{{ID: 1, Name: "Co"}}}, Options{Rate: -1})
	assert.Equal(t, "", p.URL())
	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/rest/1/"+DefaultWebhookCode+"/department.get", nil))
	assert.Equal(t, 200, rec.Code)
	assert.Contains(t, rec.Body.String(), `"NAME":"Co"`)

	p.SetFaults(Faults{Rate: 1, Kinds: []Fault{FaultDrop}})
	rec = httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/rest/1/"+DefaultWebhookCode+"/department.get", nil))
	assert.Equal(t, 502, rec.Code, "no connection to drop: an empty 502")

	rec = httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/elsewhere", nil))
	assert.Equal(t, 404, rec.Code)
	for _, f := range AllFaults() {
		assert.NotEqual(t, "unknown", f.String())
	}
}
