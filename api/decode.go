package api

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/b24org/b24org/safetext"

	"github.com/b24org/b24org/lang"
)

// The portal's JSON is loosely typed: IDs come as strings or numbers, empty
// keyed arrays as [] instead of {}, missing values as false, null or {}. The
// helpers here accept every such form and never panic; what they cannot read
// becomes the zero value.

// keyed is one entry of a keyed array, in the order the portal sent it.
type keyed struct {
	Key   string
	Value json.RawMessage
}

// errNotKeyed is returned for a value that is neither an object nor a list.
var errNotKeyed error = lang.NewError("err.api.notkeyed")

// decodeKeyed reads a PHP keyed array: an object {"7":…}, or a list when PHP
// encoded it as one (empty, or keys 0..n-1), whose keys are then "0", "1", ….
// null, false and an absent value are empty. The portal's order is kept.
func decodeKeyed(raw json.RawMessage) ([]keyed, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || isNullish(raw) {
		return nil, nil
	}
	switch raw[0] {
	case '[':
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, err
		}
		out := make([]keyed, len(list))
		for i, v := range list {
			out[i] = keyed{Key: strconv.Itoa(i), Value: v}
		}
		return out, nil
	case '{':
		dec := json.NewDecoder(bytes.NewReader(raw))
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		var out []keyed
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := t.(string)
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, err
			}
			out = append(out, keyed{Key: k, Value: v})
		}
		return out, nil
	}
	return nil, errNotKeyed
}

// keyedMap is decodeKeyed as a map (later duplicates win).
func keyedMap(raw json.RawMessage) (map[string]json.RawMessage, error) {
	list, err := decodeKeyed(raw)
	if err != nil {
		return nil, err
	}
	m := make(map[string]json.RawMessage, len(list))
	for _, e := range list {
		m[e.Key] = e.Value
	}
	return m, nil
}

// decodeList reads a JSON list; an object is read as the list of its values
// (PHP arrays with holes), and null/false/absent as empty.
func decodeList(raw json.RawMessage) ([]json.RawMessage, error) {
	list, err := decodeKeyed(raw)
	if err != nil {
		return nil, err
	}
	out := make([]json.RawMessage, len(list))
	for i, e := range list {
		out[i] = e.Value
	}
	return out, nil
}

// isNullish reports whether raw is null, false, "" or {} — the portal's ways
// of saying "no value".
func isNullish(raw json.RawMessage) bool {
	s := string(bytes.TrimSpace(raw))
	switch s {
	case "", "null", "false", `""`:
		return true
	}
	if len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}' && strings.TrimSpace(s[1:len(s)-1]) == "" {
		return true
	}
	return false
}

// flexInt reads an integer sent as a number ("5", 5, 5.0) or a string. It
// reports false for anything else, and for values out of the int range.
func flexInt(raw json.RawMessage) (int, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0, false
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, false
		}
		s = strings.TrimSpace(s)
	}
	if n, err := strconv.ParseInt(s, 10, strconv.IntSize); err == nil {
		return int(n), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int(f), true
}

// flexID reads a positive ID, or 0.
func flexID(raw json.RawMessage) int {
	if n, ok := flexInt(raw); ok && n > 0 {
		return n
	}
	return 0
}

// flexFloat reads a number sent as a number or a string, or 0.
func flexFloat(raw json.RawMessage) float64 {
	raw = bytes.TrimSpace(raw)
	s := string(raw)
	if len(raw) > 0 && raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// flexString reads a string (cleaned for the terminal); a number becomes its
// digits; anything else (null, false, {}, []) is "".
func flexString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return ""
		}
		return safetext.Clean(s)
	case c == '-' || c >= '0' && c <= '9':
		return safetext.Clean(string(raw))
	}
	return ""
}

// flexBool reads true/false, "Y"/"N", "true"/"false", 1/0 and "1"/"0"; ok is
// false for anything else.
func flexBool(raw json.RawMessage) (v, ok bool) {
	s := strings.ToLower(strings.Trim(string(bytes.TrimSpace(raw)), `"`))
	switch s {
	case "true", "y", "1":
		return true, true
	case "false", "n", "0":
		return false, true
	}
	return false, false
}

// flexInts reads a list of positive IDs (numbers or strings); a single ID is
// a list of one. Anything unreadable is skipped.
func flexInts(raw json.RawMessage) []int {
	if n := flexID(raw); n > 0 {
		return []int{n}
	}
	list, err := decodeList(raw)
	if err != nil {
		return nil
	}
	out := make([]int, 0, len(list))
	for _, v := range list {
		if n := flexID(v); n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// timeLayouts are the date forms the portal is known to send: ISO 8601 (im
// objects), "2024-07-23 08:08:50" and "24.08.2023 13:19:39" (user.get).
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"02.01.2006 15:04:05",
	"2006-01-02 15:04",
	"02.01.2006 15:04",
	"2006-01-02",
	"02.01.2006",
}

// flexTime reads a date-time best effort. Forms without a zone are taken as
// UTC. Anything unreadable (false, {}, "", garbage) is the zero time.
func flexTime(raw json.RawMessage) time.Time { return flexTimeIn(raw, time.UTC) }

// flexTimeIn is flexTime reading forms without a zone in loc: user.get's
// "2024-07-23 08:08:50" is the portal's wall clock (docs/portal.md,
// user.get records).
func flexTimeIn(raw json.RawMessage, loc *time.Location) time.Time {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return time.Time{}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}
	}
	return parseTimeIn(s, loc)
}

func parseTimeIn(s string, loc *time.Location) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}
	}
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			if t.Year() < 1971 { // PHP's zero dates and garbage
				return time.Time{}
			}
			return t
		}
	}
	return time.Time{}
}

// badShape says that a result did not have the shape a method documents.
func badShape(method string, err error) error {
	return lang.NewError("err.api.shape", "Method", method, "Err", err)
}
