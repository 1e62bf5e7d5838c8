package fakeportal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// parr is a PHP array: an ordered map with string keys, where integer-like keys
// are kept as decimal strings. Request parameters and every response value that
// PHP builds as an array use it, so that key order survives (batch commands run
// in order) and so that it encodes the way PHP's json_encode does: a list when
// the keys are exactly 0..n-1 (an empty array is `[]`), an object otherwise.
type parr struct {
	keys []string
	vals map[string]any
	next int // the key a push uses, as PHP's nNextFreeElement
}

func newArr() *parr { return &parr{vals: map[string]any{}} }

// listOf builds a PHP list from values.
func listOf(vs ...any) *parr {
	a := newArr()
	for _, v := range vs {
		a.push(v)
	}
	return a
}

// intKey reports whether PHP would treat s as an integer array key.
func intKey(s string) (int, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	t := s
	if t[0] == '-' {
		t = t[1:]
	}
	if t == "" || (t[0] == '0' && len(t) > 1) || (s[0] == '-' && t == "0") {
		return 0, false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func (a *parr) set(k string, v any) {
	if _, ok := a.vals[k]; !ok {
		a.keys = append(a.keys, k)
		if n, ok := intKey(k); ok && n >= a.next {
			a.next = n + 1
		}
	}
	a.vals[k] = v
}

func (a *parr) push(v any) { a.set(strconv.Itoa(a.next), v) }

func (a *parr) get(k string) (any, bool) {
	if a == nil {
		return nil, false
	}
	v, ok := a.vals[k]
	return v, ok
}

func (a *parr) len() int {
	if a == nil {
		return 0
	}
	return len(a.keys)
}

func (a *parr) del(k string) {
	if _, ok := a.vals[k]; !ok {
		return
	}
	delete(a.vals, k)
	for i, key := range a.keys {
		if key == k {
			a.keys = append(a.keys[:i:i], a.keys[i+1:]...)
			break
		}
	}
}

// values returns the values in key order.
func (a *parr) values() []any {
	if a == nil {
		return nil
	}
	out := make([]any, len(a.keys))
	for i, k := range a.keys {
		out[i] = a.vals[k]
	}
	return out
}

// isList reports whether json_encode would write a JSON list.
func (a *parr) isList() bool {
	for i, k := range a.keys {
		if k != strconv.Itoa(i) {
			return false
		}
	}
	return true
}

// upper is PHP's array_change_key_case(CASE_UPPER): on a collision the later
// value wins at the earlier position.
func (a *parr) upper() *parr {
	out := newArr()
	if a == nil {
		return out
	}
	for _, k := range a.keys {
		out.set(strings.ToUpper(k), a.vals[k])
	}
	return out
}

// jsonObject encodes as `{}`: the empty object some user.get fields come as.
type jsonObject struct{}

// ---------------------------------------------------------------- PHP scalars

// phpString converts a parameter value the way PHP's string cast does.
func phpString(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "1"
		}
		return ""
	case int:
		return strconv.Itoa(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case *parr, []int:
		return "Array"
	}
	return ""
}

// phpInt converts a parameter value the way PHP's intval does: leading white
// space, a sign and the leading digits of a string count, the rest is ignored.
func phpInt(v any) int {
	switch t := v.(type) {
	case nil:
		return 0
	case bool:
		if t {
			return 1
		}
		return 0
	case int:
		return t
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) || math.Abs(t) > 1e18 {
			return 0
		}
		return int(t)
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return int(n)
		}
		if f, err := t.Float64(); err == nil {
			return phpInt(f)
		}
		return 0
	case string:
		s := strings.TrimLeft(t, " \t\n\r\v\f")
		neg := false
		if s != "" && (s[0] == '-' || s[0] == '+') {
			neg = s[0] == '-'
			s = s[1:]
		}
		n := 0
		for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if n > 1e17 {
				break
			}
			n = n*10 + int(s[i]-'0')
		}
		if neg {
			n = -n
		}
		return n
	case *parr:
		if t.len() > 0 {
			return 1
		}
		return 0
	}
	return 0
}

// phpTruthy is PHP's boolean cast.
func phpTruthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != "" && t != "0"
	case json.Number:
		f, err := t.Float64()
		return err != nil || f != 0
	case int:
		return t != 0
	case float64:
		return t != 0
	case *parr:
		return t.len() > 0
	}
	return true
}

// isNumeric is PHP's is_numeric for the values a batch reference can resolve to.
func isNumeric(v any) (string, bool) {
	switch t := v.(type) {
	case int:
		return strconv.Itoa(t), true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case json.Number:
		return t.String(), true
	case string:
		if _, err := strconv.ParseFloat(strings.TrimSpace(t), 64); err == nil && t != "" {
			return t, true
		}
	}
	return "", false
}

// ---------------------------------------------------------------- JSON output

// encodeJSON writes v the way the portal's PHP does: non-ASCII as \uXXXX,
// "/" as "\/", and < > & ' " as hex escapes (Bitrix Json::encode defaults).
func encodeJSON(v any) []byte {
	var b bytes.Buffer
	writeJSON(&b, v, 0)
	return b.Bytes()
}

func writeJSON(b *bytes.Buffer, v any, depth int) {
	if depth > 64 {
		b.WriteString("null")
		return
	}
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int:
		b.WriteString(strconv.Itoa(t))
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			t = 0
		}
		b.WriteString(strconv.FormatFloat(t, 'f', -1, 64))
	case json.Number:
		if _, err := t.Float64(); err != nil {
			writeString(b, t.String())
		} else {
			b.WriteString(t.String())
		}
	case string:
		writeString(b, t)
	case jsonObject:
		b.WriteString("{}")
	case []int:
		b.WriteByte('[')
		for i, n := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(n))
		}
		b.WriteByte(']')
	case *parr:
		if t == nil {
			b.WriteString("[]")
			return
		}
		if t.isList() {
			b.WriteByte('[')
			for i, k := range t.keys {
				if i > 0 {
					b.WriteByte(',')
				}
				writeJSON(b, t.vals[k], depth+1)
			}
			b.WriteByte(']')
			return
		}
		b.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			writeJSON(b, t.vals[k], depth+1)
		}
		b.WriteByte('}')
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			writeJSON(b, t[k], depth+1)
		}
		b.WriteByte('}')
	default:
		raw, err := json.Marshal(t)
		if err != nil {
			b.WriteString("null")
			return
		}
		b.Write(raw)
	}
}

const hexDigits = "0123456789abcdef"

func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case '"':
				b.WriteString(`\u0022`)
			case '\\':
				b.WriteString(`\\`)
			case '/':
				b.WriteString(`\/`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			case '<':
				b.WriteString(`\u003C`)
			case '>':
				b.WriteString(`\u003E`)
			case '&':
				b.WriteString(`\u0026`)
			case '\'':
				b.WriteString(`\u0027`)
			default:
				if c < 0x20 || c == 0x7f {
					writeU(b, rune(c))
				} else {
					b.WriteByte(c)
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= 0x10000 {
			r -= 0x10000
			writeU(b, 0xD800+(r>>10))
			writeU(b, 0xDC00+(r&0x3FF))
			continue
		}
		writeU(b, r) // includes U+FFFD for invalid bytes
	}
	b.WriteByte('"')
}

func writeU(b *bytes.Buffer, r rune) {
	b.WriteString(`\u`)
	b.WriteByte(hexDigits[(r>>12)&0xF])
	b.WriteByte(hexDigits[(r>>8)&0xF])
	b.WriteByte(hexDigits[(r>>4)&0xF])
	b.WriteByte(hexDigits[r&0xF])
}

// ---------------------------------------------------------------- JSON input

const maxDepth = 32

var errTooDeep = errors.New("nested too deep")

// decodeJSON decodes a JSON document into PHP values: objects and arrays
// become *parr (order kept), numbers json.Number.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("decode JSON: %w", err)
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	a := newArr()
	switch d {
	case '{':
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, fmt.Errorf("decode JSON: %w", err)
			}
			k, _ := kt.(string)
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			a.set(k, v)
		}
	case '[':
		for dec.More() {
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			a.push(v)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing delimiter
		return nil, fmt.Errorf("decode JSON: %w", err)
	}
	return a, nil
}

// ---------------------------------------------------------------- parse_str

// parseQuery adds the pairs of a query string to dst the way PHP's parse_str
// does: `a[]=1&a[]=2` is a list, `f[>ID]=5` a map, `f[a][b]=1` nested.
func parseQuery(dst *parr, s string) {
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		setBracket(dst, urlDecode(k), urlDecode(v))
	}
}

// urlDecode is PHP's urldecode: "+" is a space and a broken %-escape stays as it is.
func urlDecode(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// setBracket stores value under a PHP variable name such as `FILTER[>ID]` or `ID[]`.
func setBracket(dst *parr, key, value string) {
	key = strings.TrimLeft(key, " ")
	open := strings.IndexByte(key, '[')
	if open == 0 || key == "" {
		return
	}
	fix := strings.NewReplacer(" ", "_", ".", "_")
	base, rest := fix.Replace(key), ""
	if open > 0 {
		if strings.IndexByte(key[open:], ']') < 0 {
			// No closing bracket: PHP turns the first '[' into '_' and keeps the rest.
			base = fix.Replace(key[:open]) + "_" + key[open+1:]
		} else {
			base, rest = fix.Replace(key[:open]), key[open:]
		}
	}
	names := []string{base}
	for strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			break
		}
		names = append(names, rest[1:end])
		rest = rest[end+1:]
		if len(names) > maxDepth {
			return
		}
	}
	cur := dst
	for i, n := range names {
		last := i == len(names)-1
		if i > 0 && n == "" {
			if last {
				cur.push(value)
				return
			}
			child := newArr()
			cur.push(child)
			cur = child
			continue
		}
		if last {
			cur.set(n, value)
			return
		}
		child, ok := cur.vals[n].(*parr)
		if !ok {
			child = newArr()
			cur.set(n, child)
		}
		cur = child
	}
}
