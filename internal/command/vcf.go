package command

import (
	"bufio"
	"crypto/sha1"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/b24org/b24org/directory"
)

// vcfLine is the longest line of a vCard in octets, the CRLF excluded
// (RFC 6350 §3.2); longer lines fold.
const vcfLine = 75

// writeVCF prints one vCard 4.0 (RFC 6350) per person of org, by ascending
// id: FN, N, an ORG per department (the path from the root down), TITLE,
// TEL (work, with the extension, and cell) as tel: URIs, EMAIL, and a UID
// derived from the portal's host and the person's id, so that importing a
// later export updates the cards instead of doubling them.
func writeVCF(w io.Writer, org *directory.Org) error {
	host := directory.PortalHost(org.Portal())
	local := directory.PhoneContext(host)
	out := bufio.NewWriter(w)
	for _, p := range org.AllPeople() {
		for _, line := range cardLines(p, org, host, local) {
			writeFolded(out, line)
		}
	}
	return out.Flush()
}

// cardLines is the unfolded lines of p's card; host names the portal in the
// UID, local is the phone context of numbers without a country code.
func cardLines(p *directory.Person, org *directory.Org, host, local string) []string {
	fn := p.Name
	if strings.TrimSpace(fn) == "" {
		fn = "user " + strconv.Itoa(p.ID)
	}
	lines := []string{
		"BEGIN:VCARD",
		"VERSION:4.0",
		"UID:" + cardUID(host, p.ID),
		"KIND:individual",
		"FN:" + vcfText(fn),
		"N:" + vcfComponent(p.LastName) + ";" + vcfComponent(p.FirstName) + ";;;",
	}
	var orgs []string
	for _, id := range p.DepartmentIDs {
		path := org.Path(id)
		if len(path) == 0 {
			continue
		}
		parts := make([]string, len(path))
		for i, name := range path {
			parts[i] = vcfComponent(name)
		}
		orgs = append(orgs, strings.Join(parts, ";"))
	}
	for i, o := range orgs {
		pref := ""
		if len(orgs) > 1 && i == 0 {
			pref = ";PREF=1"
		}
		lines = append(lines, "ORG"+pref+":"+o)
	}
	if p.Position != "" {
		lines = append(lines, "TITLE:"+vcfText(p.Position))
	}
	ext := directory.Digits(p.Extension)
	if work := directory.TelURI(p.WorkPhone, local); work != "" {
		if ext != "" {
			work += ";ext=" + ext
		}
		lines = append(lines, `TEL;VALUE=uri;TYPE="work,voice":`+work)
	} else if ext != "" {
		// Only an extension: a number local to the portal's exchange.
		lines = append(lines, `TEL;VALUE=uri;TYPE="work,voice":tel:`+ext+";phone-context="+local)
	}
	if cell := directory.TelURI(p.Mobile, local); cell != "" {
		lines = append(lines, `TEL;VALUE=uri;TYPE="cell,voice":`+cell)
	}
	if p.Email != "" {
		lines = append(lines, "EMAIL;TYPE=work:"+vcfText(p.Email))
	}
	return append(lines, "END:VCARD")
}

// vcfText escapes s as a text value (RFC 6350 §3.3, text-value): backslash
// and comma get a backslash, a line break becomes \n, and other control
// characters (which the directory already removed) are dropped.
func vcfText(s string) string { return vcfEscape(s, false) }

// vcfComponent escapes s as one component of a compound value (N, ORG):
// as vcfText, and a semicolon gets a backslash too.
func vcfComponent(s string) string { return vcfEscape(s, true) }

// vcfEscape is vcfText, escaping semicolons too when semi is set.
func vcfEscape(s string, semi bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ',' || semi && r == ';':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeFolded writes line with CRLF, folded into lines of at most vcfLine
// octets, each continuation starting with a space; a fold never splits a
// UTF-8 sequence.
func writeFolded(w *bufio.Writer, line string) {
	limit := vcfLine
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.WriteString(line[:cut])
		w.WriteString("\r\n ")
		line = line[cut:]
		limit = vcfLine - 1 // the leading space counts
	}
	w.WriteString(line)
	w.WriteString("\r\n")
}

// cardUID is a name-based UUID (RFC 9562 version 5, URL namespace) of the
// person's profile address on host: the same person of the same portal
// always has the same UID.
func cardUID(host string, id int) string {
	// The URL namespace of RFC 9562, appendix A.
	ns := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(directory.ProfileURL("https://"+host, id)))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
