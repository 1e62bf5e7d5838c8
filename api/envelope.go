package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"
)

// Time is the envelope's "time" object.
type Time struct {
	Start, Finish, Duration, Processing float64
	Operating                           float64
	OperatingResetAt                    int64
	// Zone is the portal's UTC offset, read from date_start (nil when it
	// is missing or unreadable).
	Zone *time.Location
}

// Response is a decoded success envelope.
type Response struct {
	Result  json.RawMessage
	Total   int
	Next    int
	HasNext bool
	Time    Time
}

// rawEnvelope is the envelope as sent: every field is optional and loosely typed.
type rawEnvelope struct {
	Result           json.RawMessage `json:"result"`
	Total            json.RawMessage `json:"total"`
	Next             json.RawMessage `json:"next"`
	Time             json.RawMessage `json:"time"`
	Error            json.RawMessage `json:"error"`
	ErrorDescription json.RawMessage `json:"error_description"`
}

// errNotEnvelope says a body parsed as JSON but is not a Bitrix24 envelope.
var errNotEnvelope = errors.New("the answer is JSON but holds neither result nor error")

// portalError is an error envelope's code and description, still untrusted.
type portalError struct {
	code, desc string
}

// decodeEnvelope reads a body. It returns the success response, or the
// portal's error, or an error saying the body is not a usable envelope.
func decodeEnvelope(body []byte) (*Response, *portalError, error) {
	var env rawEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, nil, err
	}
	if present(env.Error) {
		return nil, decodeError(env.Error, env.ErrorDescription), nil
	}
	if env.Result == nil {
		return nil, nil, errNotEnvelope
	}
	r := &Response{Result: env.Result, Time: decodeTime(env.Time)}
	r.Total, _ = flexInt(env.Total)
	if present(env.Next) {
		r.Next, r.HasNext = flexInt(env.Next)
	}
	return r, nil, nil
}

// present reports whether a field was sent with a value other than null.
func present(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && string(raw) != "null"
}

// decodeError reads an error code and description: the classic
// {"error":"CODE","error_description":"…"} and REST 3.0's
// {"error":{"code":"…","message":"…"}}.
func decodeError(code, desc json.RawMessage) *portalError {
	var v3 struct {
		Code    json.RawMessage `json:"code"`
		Message json.RawMessage `json:"message"`
	}
	if c := bytes.TrimSpace(code); len(c) > 0 && c[0] == '{' && json.Unmarshal(c, &v3) == nil {
		return &portalError{code: flexString(v3.Code), desc: flexString(v3.Message)}
	}
	return &portalError{code: flexString(code), desc: flexString(desc)}
}

// decodeTime reads a "time" object; missing keys (operating*) stay zero, and
// [] or garbage gives the zero Time.
func decodeTime(raw json.RawMessage) Time {
	m, err := keyedMap(raw)
	if err != nil {
		return Time{}
	}
	reset, _ := flexInt(m["operating_reset_at"])
	return Time{
		Start:            flexFloat(m["start"]),
		Finish:           flexFloat(m["finish"]),
		Duration:         flexFloat(m["duration"]),
		Processing:       flexFloat(m["processing"]),
		Operating:        flexFloat(m["operating"]),
		OperatingResetAt: int64(reset),
		Zone:             zoneOf(flexString(m["date_start"])),
	}
}

// zoneOf is the UTC offset of an ISO 8601 date_start
// ("2025-01-15T07:05:49+03:00") as a fixed zone; nil when s has none.
func zoneOf(s string) *time.Location {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil
	}
	_, off := t.Zone()
	if off < -14*3600 || off > 14*3600 {
		return nil
	}
	return time.FixedZone("portal", off)
}
