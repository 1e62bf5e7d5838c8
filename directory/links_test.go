package directory

import (
	"strings"
	"testing"
	"time"

	"github.com/b24org/b24org/api/fakeportal"
	"github.com/stretchr/testify/assert"
)

func TestPortalOriginNeverHasThePath(t *testing.T) {
	for in, want := range map[string]string{
		"https://acme.bitrix24.com/rest/1/s3cretcode/": "https://acme.bitrix24.com",
		"https://ACME.Bitrix24.com/rest/1/••••/":       "https://acme.bitrix24.com",
		"https://b24.corp.example:8443/":               "https://b24.corp.example:8443",
		"http://127.0.0.1:41234/rest/1/••••/":          "http://127.0.0.1:41234",
		"http://[::1]:8080/rest/":                      "http://[::1]:8080",
		"https://user:pw@acme.example/":                "", // never a password in a link
		"javascript:alert(1)":                          "",
		"ftp://acme.example/":                          "",
		"/rest/1/x/":                                   "",
		"":                                             "",
		"https://acme.example%1b]8;;x/":                "",
		"https://ac\u00e9me.example/":                  "", // not printable ASCII
	} {
		got := PortalOrigin(in)
		assert.Equal(t, want, got, "%q", in)
		assert.NotContains(t, got, "rest", "%q", in)
	}
}

func TestPersonAddresses(t *testing.T) {
	l := LinksOf("https://acme.bitrix24.com/rest/1/s3cretcode/")
	p := &Person{ID: 42}
	assert.Equal(t, "https://acme.bitrix24.com/company/personal/user/42/", l.Profile(p))
	assert.Equal(t, "https://acme.bitrix24.com/online/?IM_DIALOG=U42", l.Chat(p))
	assert.Equal(t, "tel:+74951234567", l.Tel("+7 (495) 123-45-67"))
	assert.Equal(t, "tel:1042;phone-context=acme.bitrix24.com", l.Tel("10-42"))
	assert.Equal(t, "", l.Tel("n/a"))

	none := LinksOf("")
	assert.Equal(t, "", none.Profile(p), "no portal address, no link")
	assert.Equal(t, "", none.Chat(p))
	assert.Equal(t, "", ProfileURL("https://acme.example", 0), "no person, no link")

	demo := LinksOf("http://127.0.0.1:41234/rest/1/••••/")
	assert.Equal(t, "http://127.0.0.1:41234/company/personal/user/42/", demo.Profile(p), "the demo's fake portal, port and all")
	assert.Equal(t, "tel:1042;phone-context=portal.invalid", demo.Tel("1042"))
}

func TestMailtoEscapesEverythingThatCouldEndTheLink(t *testing.T) {
	assert.Equal(t, "mailto:anna@acme.example", MailtoURL("anna@acme.example"))
	assert.Equal(t, "mailto:anna.o'neil+it@acme.example", MailtoURL(" anna.o'neil+it@acme.example "))
	assert.Equal(t, "mailto:%D0%B8%D0%B2%D0%B0%D0%BD@acme.example", MailtoURL("иван@acme.example"))
	assert.Equal(t, "mailto:a%1B%5D8%3B%3Bhttps%3A%2F%2Fevil%07@x", MailtoURL("a\x1b]8;;https://evil\x07@x"))
	assert.Equal(t, "mailto:a%3Fcc=boss%26body=x@acme.example", MailtoURL("a?cc=boss&body=x@acme.example"), "no header smuggled in")
	assert.Equal(t, "mailto:a%20b@c%C2%9C%07", MailtoURL("a b@c\u009c\x07"))
	for _, bad := range []string{"", "anna", "@acme.example", "anna@", "a@b@c", strings.Repeat("a", MaxURL) + "@x"} {
		assert.Equal(t, "", MailtoURL(bad), "%q is no address", bad)
	}
}

// printableURL reports whether u is what a link may hold: printable ASCII
// without spaces, at most MaxURL bytes.
func printableURL(u string) bool {
	if len(u) > MaxURL {
		return false
	}
	for i := 0; i < len(u); i++ {
		if u[i] < 0x21 || u[i] > 0x7e {
			return false
		}
	}
	return true
}

func TestAddressesOfTheHostileDemoArePrintableASCII(t *testing.T) {
	org := fakeportal.Demo(time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC), true)
	l := LinksOf("http://127.0.0.1:41234/rest/1/••••/")
	var samples []string
	samples = append(samples, fakeportal.HostileSamples()...)
	for _, u := range org.Users {
		samples = append(samples, u.Email, u.WorkPhone, u.Mobile, u.Extension)
		p := &Person{ID: u.ID}
		for _, a := range []string{l.Profile(p), l.Chat(p)} {
			assert.True(t, printableURL(a), "%q", a)
		}
	}
	mails := 0
	for _, s := range samples {
		for _, a := range []string{MailtoURL(s), l.Tel(s), MailtoURL(s + "@x"), MailtoURL("x@" + s)} {
			assert.True(t, printableURL(a), "%q from %q", a, s)
		}
		if MailtoURL(s) != "" {
			mails++
		}
	}
	assert.Positive(t, mails, "the demo's e-mails became links")
}
