package lang

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
)

// A catalog's texts are compiled once, when the program starts: a frame of
// the browser says a few hundred of them, so saying one is a map lookup and,
// for a text with values, one pass over its pieces (go-i18n's own Localizer
// matches the language and runs text/template on every call, which made a
// frame three times as slow). A text's only markup is a value by name,
// {{.Name}}; anything else between {{ }} is an error at start, which the
// catalog test catches.

// message is one message's texts by CLDR plural form (plural.Other for a
// text that is not said of a number).
type message struct {
	forms [plural.Many + 1]*text
}

// text is a text cut into literal pieces and named values.
type text struct {
	pieces []piece
	whole  string // the text when it has no values
}

// piece is a literal, or, with name set, a value.
type piece struct {
	lit, name string
}

// compileMessage compiles each form of m.
func compileMessage(m *i18n.Message) (*message, error) {
	c := &message{}
	for form, src := range map[plural.Form]string{plural.Zero: m.Zero, plural.One: m.One, plural.Two: m.Two,
		plural.Few: m.Few, plural.Many: m.Many, plural.Other: m.Other} {
		if src == "" {
			continue
		}
		t, err := compileText(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.ID, err)
		}
		c.forms[form] = t
	}
	if c.forms[plural.Other] == nil {
		return nil, fmt.Errorf("%s: no text (other)", m.ID)
	}
	return c, nil
}

// compileText cuts src at its {{.Name}} values.
func compileText(src string) (*text, error) {
	t := &text{}
	rest := src
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			return nil, fmt.Errorf("unclosed {{ in %q", src)
		}
		name := strings.TrimSpace(rest[i+2 : i+j])
		if !strings.HasPrefix(name, ".") || strings.ContainsAny(name[1:], " .|()") || len(name) < 2 {
			return nil, fmt.Errorf("%q: only {{.Name}} is allowed in %q", name, src)
		}
		if i > 0 {
			t.pieces = append(t.pieces, piece{lit: rest[:i]})
		}
		t.pieces = append(t.pieces, piece{name: name[1:]})
		rest = rest[i+j+2:]
	}
	if rest != "" {
		t.pieces = append(t.pieces, piece{lit: rest})
	}
	if len(t.pieces) <= 1 && (len(t.pieces) == 0 || t.pieces[0].name == "") {
		t.whole = src
	}
	return t, nil
}

// render writes t with n as {{.N}} and the values of kv (pairs of a name
// and a value); a value not given is written as nothing.
func (t *text) render(n string, kv []any) string {
	if t.whole != "" || len(t.pieces) == 0 {
		return t.whole
	}
	var b strings.Builder
	for _, p := range t.pieces {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		if p.name == "N" && n != "" {
			b.WriteString(n)
			continue
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if k, _ := kv[i].(string); k == p.name {
				writeValue(&b, kv[i+1])
				break
			}
		}
	}
	return b.String()
}

// writeValue writes v as text.
func writeValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case string:
		b.WriteString(v)
	case int:
		b.WriteString(strconv.Itoa(v))
	default:
		fmt.Fprint(b, v)
	}
}
