package directory

import (
	"net/url"
	"strconv"
	"strings"
)

// The addresses of a person: the portal's pages about them (the profile,
// the chat), their e-mail as a mailto: URI and their phones as tel: URIs.
// The browser links names, e-mails and phones to them (OSC 8) and copies
// them; export --format vcf names its cards by the profile address. They
// are built from portal data, which is outside input, so every one is
// printable ASCII (bytes 0x21 to 0x7e) and no longer than MaxURL: nothing
// in a field can end the terminal sequence a link is written in.

// MaxURL is the longest address built here, in bytes; one that would be
// longer is not built. Terminals drop links longer than a few kilobytes
// (VTE: 2083 bytes).
const MaxURL = 2048

// PortalOrigin returns the scheme, host and port of portal, such as
// "https://acme.bitrix24.com", never its path (a webhook's path holds its
// code); "" when portal is no http(s) address with a host.
func PortalOrigin(portal string) string {
	u, err := url.Parse(portal)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" || u.User != nil {
		return ""
	}
	host := strings.ToLower(u.Host)
	if strings.Trim(host, "abcdefghijklmnopqrstuvwxyz0123456789.-:[]") != "" {
		return "" // not a host name, an IP address or one with a port
	}
	return u.Scheme + "://" + host
}

// PortalHost returns the lower-case host name of portal, without port or
// path ("" when it has none).
func PortalHost(portal string) string {
	u, err := url.Parse(portal)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// ProfileURL is the profile page of person id on the portal at origin
// (PortalOrigin): origin/company/personal/user/ID/; "" without an origin.
func ProfileURL(origin string, id int) string {
	if origin == "" || id <= 0 {
		return ""
	}
	return origin + "/company/personal/user/" + strconv.Itoa(id) + "/"
}

// ChatURL is the chat with person id on the portal at origin (PortalOrigin):
// origin/online/?IM_DIALOG=U<ID>; "" without an origin.
func ChatURL(origin string, id int) string {
	if origin == "" || id <= 0 {
		return ""
	}
	return origin + "/online/?IM_DIALOG=U" + strconv.Itoa(id)
}

// MailtoURL is email as a mailto: URI (RFC 6068): every byte but letters,
// digits, the one "@" and "-._~!$'*+=" percent-encoded; "" when email is no
// address (no single "@" between a local part and a domain) or is too long.
func MailtoURL(email string) string {
	local, domain, ok := strings.Cut(strings.TrimSpace(email), "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return ""
	}
	u := "mailto:" + uriEscape(local) + "@" + uriEscape(domain)
	if len(u) > MaxURL {
		return ""
	}
	return u
}

// uriEscape percent-encodes every byte of s outside the unreserved
// characters of RFC 3986 and "!$'*+=" (which RFC 6068 allows in an
// address): what is left is printable ASCII without "%", "?", "#", "&",
// ";" or ":", so it ends no field of the URI and no terminal sequence.
func uriEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~!$'*+=", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// TelURI is phone as a tel: URI (RFC 3966), made of its digits only: a
// number beginning with "+" is global, any other is local to the phone
// context local (PhoneContext); "" when phone holds no digits.
func TelURI(phone, local string) string {
	d := digits(phone)
	if d == "" || len(d) > 64 {
		return ""
	}
	if strings.HasPrefix(strings.TrimSpace(phone), "+") {
		return "tel:+" + d
	}
	return "tel:" + d + ";phone-context=" + local
}

// Digits is the ASCII digits of s (of an extension, for a tel: URI).
func Digits(s string) string { return digits(s) }

// PhoneContext is the phone-context of a number local to host (RFC 3966
// §5.1.5): host when it is a domain name, else "portal.invalid" (an IP
// address is no phone context, and ".invalid" names no one's domain).
func PhoneContext(host string) string {
	labels := strings.Split(host, ".")
	top := labels[len(labels)-1]
	if top == "" || top[0] < 'a' || top[0] > 'z' {
		return "portal.invalid"
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return "portal.invalid"
		}
	}
	return host
}

// Links are the addresses of the people of one portal.
type Links struct {
	origin string // PortalOrigin of the portal ("" when it has none)
	local  string // the phone context of its local numbers
}

// LinksOf returns the Links of portal (an address such as Org.Portal
// returns; its path is never used).
func LinksOf(portal string) Links {
	return Links{origin: PortalOrigin(portal), local: PhoneContext(PortalHost(portal))}
}

// Known reports whether the portal's address is known: then everyone has
// a profile and a chat address.
func (l Links) Known() bool { return l.origin != "" }

// Profile is p's profile page ("" when the portal's address is not known).
func (l Links) Profile(p *Person) string { return ProfileURL(l.origin, p.ID) }

// Chat is the chat with p ("" when the portal's address is not known).
func (l Links) Chat(p *Person) string { return ChatURL(l.origin, p.ID) }

// Tel is phone as a tel: URI, local to the portal when it has no "+".
func (l Links) Tel(phone string) string { return TelURI(phone, l.local) }
