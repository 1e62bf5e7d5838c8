package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/b24org/b24org/lang"
)

// Command is one call inside a batch.
type Command struct {
	Key    string
	Method string
	Params map[string]any
}

// BatchResult is one command's outcome.
type BatchResult struct {
	Result  json.RawMessage
	Err     error // *Error when the command failed
	Total   int
	Next    int
	HasNext bool
	Time    Time // the command's result_time
}

// BatchSize is the most commands the portal runs in one batch request.
const BatchSize = 50

// encodedCommand is a command with its "method?query" string.
type encodedCommand struct {
	Command
	query string
	refs  bool // its parameters refer to other commands' results ($result[…])
}

// Batch runs any number of commands, 50 per request. Empty keys are
// generated; results are keyed as sent. A command's parameters are sent as a
// PHP bracket query ("FILTER[UF_DEPARTMENT]=5&ID[]=3"); booleans as Y/N. A
// parameter may refer to an earlier command's result ($result[key][0][ID])
// when both are in the same 50. Per-command failures are in BatchResult.Err;
// those worth another try are sent again (unless they use references).
func (c *Client) Batch(ctx context.Context, cmds []Command) (map[string]BatchResult, error) {
	enc, err := encodeCommands(cmds)
	if err != nil {
		return nil, err
	}
	out := make(map[string]BatchResult, len(enc))
	for chunk := range slices.Chunk(enc, BatchSize) {
		res, err := c.batchChunk(ctx, chunk)
		if err != nil {
			return nil, err
		}
		for k, v := range res {
			out[k] = v
		}
	}
	return out, nil
}

// encodeCommands validates the commands, fills in empty keys and encodes the queries.
func encodeCommands(cmds []Command) ([]encodedCommand, error) {
	seen := make(map[string]bool, len(cmds))
	for _, cmd := range cmds {
		if cmd.Key != "" {
			if seen[cmd.Key] {
				return nil, fmt.Errorf("batch: the key %q is used twice", cmd.Key)
			}
			seen[cmd.Key] = true
		}
	}
	out := make([]encodedCommand, len(cmds))
	next := 0
	for i, cmd := range cmds {
		if !validMethod(cmd.Method) {
			return nil, fmt.Errorf("batch: invalid method name %q", cmd.Method)
		}
		if cmd.Key == "" {
			for seen["cmd"+strconv.Itoa(next)] {
				next++
			}
			cmd.Key = "cmd" + strconv.Itoa(next)
			seen[cmd.Key] = true
		}
		if strings.ContainsAny(cmd.Key, "[]$") {
			return nil, fmt.Errorf("batch: the key %q must not contain brackets or $", cmd.Key)
		}
		q, refs, err := encodeQuery(cmd.Params)
		if err != nil {
			return nil, fmt.Errorf("batch: %s: %w", cmd.Method, err)
		}
		out[i] = encodedCommand{Command: cmd, query: cmd.Method, refs: refs}
		if q != "" {
			out[i].query += "?" + q
		}
	}
	return out, nil
}

// batchChunk runs up to 50 commands; commands that failed with an error worth
// another try are sent again, within the retry budget.
func (c *Client) batchChunk(ctx context.Context, chunk []encodedCommand) (map[string]BatchResult, error) {
	out := make(map[string]BatchResult, len(chunk))
	pending := chunk
	for round := 0; ; round++ {
		res, err := c.batchRequest(ctx, pending)
		if err != nil {
			return nil, err
		}
		var again []encodedCommand
		wait, retry := c.backoff(round), false
		for _, cmd := range pending {
			r := res[cmd.Key]
			if r.Err != nil && !cmd.refs && round < c.set.maxRetries {
				if class := ClassOf(r.Err); class == ClassRetryable || class == ClassRateLimited {
					again = append(again, cmd)
					retry = true
					wait = max(wait, c.delay(cmd.Method, r.Err, round))
					continue
				}
			}
			out[cmd.Key] = r
		}
		if !retry {
			return out, nil
		}
		c.retries.Add(1)
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("batch: %w", err)
		}
		pending = again
	}
}

// orderedCommands encodes the cmd object with the keys in the order given:
// the portal runs them in that order, which references rely on.
type orderedCommands []encodedCommand

// MarshalJSON writes {"key":"method?query",…} in order.
func (o orderedCommands) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, cmd := range o {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(cmd.Key)
		v, _ := json.Marshal(cmd.query)
		b = append(b, k...)
		b = append(b, ':')
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// batchRequest sends one batch request (retried as a whole on retryable
// failures) and sorts its answer out per command.
func (c *Client) batchRequest(ctx context.Context, cmds []encodedCommand) (map[string]BatchResult, error) {
	resp, err := c.call(ctx, "batch", map[string]any{"halt": 0, "cmd": orderedCommands(cmds)})
	if err != nil {
		return nil, err
	}
	parts, err := keyedMap(resp.Result)
	if err != nil {
		return nil, badShape("batch", err)
	}
	part := func(name string) map[string]json.RawMessage {
		m, err := keyedMap(parts[name])
		if err != nil { // a malformed part is as good as an empty one
			return map[string]json.RawMessage{}
		}
		return m
	}
	results, errs, totals, nexts, times := part("result"), part("result_error"), part("result_total"), part("result_next"), part("result_time")
	out := make(map[string]BatchResult, len(cmds))
	for _, cmd := range cmds {
		var r BatchResult
		switch res, ok := results[cmd.Key]; {
		case errs[cmd.Key] != nil:
			r.Err = c.commandError(cmd.Method, errs[cmd.Key])
		case ok:
			r.Result = res
		default:
			missing := say("err.api.batchmissing")
			r.Err = &TransportError{Method: cmd.Method, Reason: missing.in(lang.English()), reason: missing, Retryable: true}
		}
		r.Total, _ = flexInt(totals[cmd.Key])
		if present(nexts[cmd.Key]) {
			r.Next, r.HasNext = flexInt(nexts[cmd.Key])
		}
		r.Time = decodeTime(times[cmd.Key])
		c.remember(cmd.Method, r.Time)
		out[cmd.Key] = r
	}
	return out, nil
}

// commandError reads one entry of result_error: {"error":…,"error_description":…}.
func (c *Client) commandError(method string, raw json.RawMessage) *Error {
	m, err := keyedMap(raw)
	if err != nil {
		return c.newError(method, "", "the portal reported an unreadable error", 0)
	}
	perr := decodeError(m["error"], m["error_description"])
	return c.newError(method, perr.code, perr.desc, 0)
}

// reference matches a batch reference to another command's result.
var reference = regexp.MustCompile(`\$(result|next|total|time|error)\[`)

// encodeQuery encodes params in PHP bracket syntax, keys sorted, values
// URL-encoded. refs reports whether a value refers to another command.
func encodeQuery(params map[string]any) (q string, refs bool, err error) {
	var parts []string
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "" || strings.ContainsAny(k, "[]") {
			return "", false, fmt.Errorf("invalid parameter name %q", k)
		}
		if err := encodeValue(&parts, &refs, url.QueryEscape(k), reflect.ValueOf(params[k]), 0); err != nil {
			return "", false, err
		}
	}
	return strings.Join(parts, "&"), refs, nil
}

// errTooDeep stops self-referencing or absurdly nested parameters.
var errTooDeep = errors.New("parameters nested too deeply")

// encodeValue appends name=value pairs for v: scalars as they are, lists as
// name[]=…, maps as name[key]=….
func encodeValue(parts *[]string, refs *bool, name string, v reflect.Value, depth int) error {
	if depth > 8 {
		return errTooDeep
	}
	for v.IsValid() && (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) {
		if v.IsNil() {
			v = reflect.Value{}
			break
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		*parts = append(*parts, name+"=")
		return nil
	}
	if n, ok := v.Interface().(json.Number); ok {
		*parts = append(*parts, name+"="+url.QueryEscape(n.String()))
		return nil
	}
	var s string
	switch v.Kind() {
	case reflect.String:
		s = v.String()
		if reference.MatchString(s) {
			*refs = true
		}
	case reflect.Bool:
		s = "N"
		if v.Bool() {
			s = "Y"
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s = strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s = strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		s = strconv.FormatFloat(v.Float(), 'f', -1, 64)
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			sub := name + "[]"
			if k := elemKind(v.Index(i)); k == reflect.Slice || k == reflect.Array || k == reflect.Map {
				sub = name + "[" + strconv.Itoa(i) + "]"
			}
			if err := encodeValue(parts, refs, sub, v.Index(i), depth+1); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("map keys of %s must be strings", name)
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			if strings.ContainsAny(k.String(), "[]") {
				return fmt.Errorf("invalid parameter name %q", k.String())
			}
			if err := encodeValue(parts, refs, name+"["+url.QueryEscape(k.String())+"]", v.MapIndex(k), depth+1); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("cannot encode a %s in %s", v.Kind(), name)
	}
	*parts = append(*parts, name+"="+url.QueryEscape(s))
	return nil
}

// elemKind is the kind of v behind interfaces and pointers.
func elemKind(v reflect.Value) reflect.Kind {
	for v.IsValid() && (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && !v.IsNil() {
		v = v.Elem()
	}
	return v.Kind()
}
