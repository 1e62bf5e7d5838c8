package fakeportal

import (
	"html"
	"net/http"
	"strconv"
	"strings"
)

// The portal's own pages that the browser's links open: a person's profile
// (/company/personal/user/ID/) and the chat with them
// (/online/?IM_DIALOG=U<ID>). A real portal shows them to a signed-in
// user (else its login page); the fake shows a short page naming the
// person, so that a link followed from the demo lands somewhere and a test
// can tell whose page an address is. Names are outside input: they are
// HTML-escaped.

// servePage answers a page request; ok is false when path is no page.
func (p *Portal) servePage(w http.ResponseWriter, r *http.Request) (ok bool) {
	var id int
	var what string
	switch {
	case strings.HasPrefix(r.URL.Path, "/company/personal/user/"):
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/company/personal/user/"), "/"))
		if err != nil {
			return false
		}
		id, what = n, "Profile"
	case r.URL.Path == "/online/" || r.URL.Path == "/online":
		dialog, found := strings.CutPrefix(r.URL.Query().Get("IM_DIALOG"), "U")
		n, err := strconv.Atoi(dialog)
		if !found || err != nil {
			return false
		}
		id, what = n, "Chat with"
	default:
		return false
	}
	p.mu.RLock()
	idx := p.idx
	p.mu.RUnlock()
	u := idx.byID[id]
	if u == nil {
		writeReply(w, reply{status: http.StatusNotFound, body: []byte("<!doctype html><title>Not found</title><p>No such user.\n"),
			contentType: "text/html; charset=utf-8"})
		return true
	}
	name := html.EscapeString(strings.TrimSpace(u.FirstName + " " + u.LastName))
	body := "<!doctype html><meta charset=utf-8><title>" + what + " " + name + "</title>\n<h1>" + what + " " + name +
		"</h1>\n<p>User " + strconv.Itoa(u.ID) + " of the b24org demo portal: a real portal shows this page to a signed-in user.\n"
	writeReply(w, reply{status: http.StatusOK, body: []byte(body), contentType: "text/html; charset=utf-8"})
	return true
}
