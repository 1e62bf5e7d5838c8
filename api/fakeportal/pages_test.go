package fakeportal

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProfileAndChatPages(t *testing.T) {
	org := &Org{
		Departments: []Department{{ID: 1, Name: "Acme", Sort: 100}},
		Users: []User{
			{ID: 30, FirstName: "Dora", LastName: "Müller", Departments: []int{1}, Active: true},
			{ID: 31, FirstName: "<script>alert(1)</script>", LastName: "&", Departments: []int{1}, Active: true},
		},
	}
	p, err := Start(org, Options{Rate: -1})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(p.URL() + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	code, body := get("/company/personal/user/30/")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "<h1>Profile Dora Müller</h1>")
	code, body = get("/online/?IM_DIALOG=U30")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "<h1>Chat with Dora Müller</h1>")
	code, body = get("/company/personal/user/31/")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp;", "a name is escaped")
	assert.NotContains(t, body, "<script>")
	code, _ = get("/company/personal/user/99/")
	assert.Equal(t, http.StatusNotFound, code)
	for _, bad := range []string{"/company/personal/user/x/", "/online/?IM_DIALOG=30", "/online/?IM_DIALOG=chat5", "/elsewhere/"} {
		code, body = get(bad)
		assert.Equal(t, http.StatusNotFound, code, bad)
		assert.Contains(t, body, "NOT_FOUND", bad)
	}
}
