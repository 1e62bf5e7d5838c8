package command

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/emersion/go-vcard"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeCards parses every card of a vcf export with a vCard library.
func decodeCards(t *testing.T, out string) []vcard.Card {
	t.Helper()
	dec := vcard.NewDecoder(strings.NewReader(out))
	var cards []vcard.Card
	for {
		c, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			return cards
		}
		require.NoError(t, err)
		cards = append(cards, c)
	}
}

// checkLines asserts the physical lines of a vcf export: each ends in CRLF,
// holds at most 75 octets and is valid UTF-8 on its own (no fold splits a
// character).
func checkLines(t *testing.T, out string) {
	t.Helper()
	require.True(t, strings.HasSuffix(out, "\r\n"))
	for i, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		require.NotContains(t, l, "\n", "line %d", i)
		require.LessOrEqual(t, len(l), 75, "line %d: %q", i, l)
		require.True(t, utf8.ValidString(l), "line %d: %q", i, l)
	}
}

// cardsByUID indexes cards by UID, asserting that every UID is unique.
func cardsByUID(t *testing.T, cards []vcard.Card) map[string]vcard.Card {
	t.Helper()
	by := map[string]vcard.Card{}
	for _, c := range cards {
		uid := c.Value(vcard.FieldUID)
		require.Regexp(t, `^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, uid)
		require.NotContains(t, by, uid, "two cards share a UID")
		by[uid] = c
	}
	return by
}

func TestExportVCF(t *testing.T) {
	src := newSource(t)
	r := run(t, src, 80, "export", "--format", "vcf")
	require.NoError(t, r.err)
	checkLines(t, r.stdout)
	cards := decodeCards(t, r.stdout)
	require.Len(t, cards, len(testCompany(time.Now()).Users), "one card per person")
	for _, c := range cards {
		assert.Equal(t, "4.0", c.Value(vcard.FieldVersion))
	}

	org, _, err := src.Org(t.Context())
	require.NoError(t, err)
	host := directory.PortalHost(org.Portal())
	by := cardsByUID(t, cards)
	dora, ok := by[cardUID(host, 30)]
	require.True(t, ok, "Dora's card has the UID of her portal and id")
	assert.Equal(t, "Dora Müller", dora.Value(vcard.FieldFormattedName))
	require.NotNil(t, dora.Name())
	assert.Equal(t, "Müller", dora.Name().FamilyName)
	assert.Equal(t, "Dora", dora.Name().GivenName)
	assert.Equal(t, "Account Manager", dora.Value(vcard.FieldTitle))
	assert.Equal(t, "dora@acme.example", dora.Value(vcard.FieldEmail))
	// One ORG per department, the path from the root down, the first preferred.
	require.Len(t, dora[vcard.FieldOrganization], 2)
	assert.Equal(t, "Acme Corp;Sales;EMEA", dora[vcard.FieldOrganization][0].Value)
	assert.Equal(t, "1", dora[vcard.FieldOrganization][0].Params.Get(vcard.ParamPreferred))
	assert.Equal(t, "Acme Corp;R&D", dora[vcard.FieldOrganization][1].Value)
	tels := map[string]string{}
	for _, f := range dora[vcard.FieldTelephone] {
		assert.Equal(t, "uri", f.Params.Get(vcard.ParamValue))
		types := f.Params.Types()
		require.Len(t, types, 2)
		tels[types[0]] = f.Value
	}
	assert.Equal(t, map[string]string{
		vcard.TypeWork: "tel:+15550199;ext=1042",
		vcard.TypeCell: "tel:+15550100",
	}, tels)

	// Boris has an extension and no phone: a number local to the portal.
	boris := by[cardUID(host, 20)]
	require.Len(t, boris[vcard.FieldTelephone], 1)
	assert.Equal(t, "tel:1043;phone-context="+directory.PhoneContext(host), boris.Value(vcard.FieldTelephone))
	assert.Equal(t, []string{vcard.TypeWork, "voice"}, boris[vcard.FieldTelephone][0].Params.Types())
	assert.Empty(t, boris.Value(vcard.FieldEmail), "no e-mail, no EMAIL")

	// The same person of the same portal keeps the UID in the next export.
	again := run(t, src, 80, "export", "--format", "vcf")
	require.NoError(t, again.err)
	assert.Equal(t, r.stdout, again.stdout)
}

// TestExportVCFDemo exports the demo and the hostile demo: every card
// parses, every line keeps the limits, one card per person, and each card
// carries the person's name, extension and department paths as the
// directory holds them.
func TestExportVCFDemo(t *testing.T) {
	for _, hostile := range []bool{false, true} {
		t.Run(map[bool]string{false: "demo", true: "hostile"}[hostile], func(t *testing.T) {
			p, err := fakeportal.Start(fakeportal.Demo(time.Now(), hostile), fakeportal.Options{Rate: -1})
			require.NoError(t, err)
			t.Cleanup(p.Close)
			c, err := api.New(api.Config{WebhookURL: p.WebhookURL(), Rate: api.RateProfile{PerSecond: 1000, Burst: 1000}})
			require.NoError(t, err)
			src := portalSource{directory.New(c, directory.Options{NoCache: true})}
			r := run(t, src, 80, "export", "--format", "vcf")
			require.NoError(t, r.err)
			checkLines(t, r.stdout)
			cards := decodeCards(t, r.stdout)
			org, _, err := src.Org(t.Context())
			require.NoError(t, err)
			require.Len(t, cards, org.PersonCount(), "one card per person")
			by := cardsByUID(t, cards)
			host := directory.PortalHost(org.Portal())
			withExt := 0
			for _, person := range org.AllPeople() {
				card, ok := by[cardUID(host, person.ID)]
				require.True(t, ok, "person %d has a card", person.ID)
				if person.Name != "" {
					// The library unescapes \\, \, and \n; the directory
					// removed every control character, line breaks included.
					assert.Equal(t, person.Name, card.Value(vcard.FieldFormattedName), "person %d", person.ID)
				}
				if person.Extension != "" {
					withExt++
					assert.Contains(t, card.Value(vcard.FieldTelephone), directory.Digits(person.Extension), "person %d", person.ID)
				}
				var orgs []string
				for _, f := range card[vcard.FieldOrganization] {
					orgs = append(orgs, f.Value)
				}
				var want []string
				for _, id := range person.DepartmentIDs {
					if path := org.Path(id); len(path) > 0 {
						parts := make([]string, len(path))
						for i, name := range path {
							// as the library reads a component: \; stays, \, and \\ unescape
							parts[i] = strings.NewReplacer(`\,`, ",", `\\`, `\`).Replace(vcfComponent(name))
						}
						want = append(want, strings.Join(parts, ";"))
					}
				}
				assert.Equal(t, want, orgs, "person %d: one ORG per department, the path from the root", person.ID)
			}
			assert.Greater(t, withExt, org.PersonCount()/2, "most people have an extension")
		})
	}
}

func TestVCFEscaping(t *testing.T) {
	assert.Equal(t, `a\\b\, c; d\nе`, vcfText("a\\b, c; d\nе\x1b"))
	assert.Equal(t, `a\\b\, c\; d\nе`, vcfComponent("a\\b, c; d\nе"))
}

func TestVCFFolding(t *testing.T) {
	for _, line := range []string{
		"FN:" + strings.Repeat("a", 72),  // exactly 75 octets: no fold
		"FN:" + strings.Repeat("a", 73),  // 76: one fold
		"FN:" + strings.Repeat("宽", 100), // 3-octet characters across folds
		"FN:" + strings.Repeat("é", 80) + strings.Repeat("😀", 30),
	} {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		writeFolded(w, line)
		require.NoError(t, w.Flush())
		out := b.String()
		checkLines(t, out)
		if len(line) <= 75 {
			assert.Equal(t, line+"\r\n", out)
		}
		// Unfolding (RFC 6350 §3.2: remove each CRLF and the space after it)
		// gives the line back.
		assert.Equal(t, line, regexp.MustCompile("\r\n ").ReplaceAllString(strings.TrimSuffix(out, "\r\n"), ""))
	}
}

func TestCardUID(t *testing.T) {
	// The name-based UUID of the profile address, as Python's
	// uuid.uuid5(uuid.NAMESPACE_URL, "https://acme.example/company/personal/user/30/")
	// computes it; it depends on both the portal and the person.
	a := cardUID("acme.example", 30)
	assert.Equal(t, "urn:uuid:b44a5fd1-d3b8-58a2-939c-0019ca8a71e6", a)
	assert.Equal(t, a, cardUID("acme.example", 30))
	assert.NotEqual(t, a, cardUID("acme.example", 31))
	assert.NotEqual(t, a, cardUID("other.example", 30))
	assert.Equal(t, "acme.example", directory.PortalHost("https://ACME.example:8443/rest/1/••••/"))
	assert.Equal(t, "portal.invalid", directory.PhoneContext("127.0.0.1"))
	assert.Equal(t, "acme.bitrix24.ru", directory.PhoneContext("acme.bitrix24.ru"))
}
