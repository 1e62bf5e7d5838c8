package fakeportal

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// refPattern is the server's batch reference: `$result[cmd][49][ID]`, also
// $next, $total, $time and $error; the match runs to the next white space.
var refPattern = regexp.MustCompile(`(?i)\$(result|next|total|time|error)(\S*)`)

// refPath picks the [key] steps out of a reference.
var refPath = regexp.MustCompile(`\[([^\]]+)\]`)

// runBatch runs the commands of a batch. The batch answers 200 whatever its
// commands do; their errors go to result_error.
func (p *Portal) runBatch(c *call, began time.Time) (result, *parr) {
	q := c.params.upper()
	haltV, _ := q.get("HALT")
	halt := phpTruthy(haltV)
	cmdV, _ := q.get("CMD")
	cmds, _ := cmdV.(*parr)

	res, errs, totals, nexts, times := newArr(), newArr(), newArr(), newArr(), newArr()
	store := map[string]any{"result": res, "next": nexts, "total": totals, "time": times, "error": errs}
	maxOp, reset := 0.0, int64(0)
	for i, key := range cmds.keysOrNil() {
		var e *apiError
		if i >= MaxBatch {
			e = apiErr(http.StatusBadRequest, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
		} else {
			line := phpString(cmds.vals[key])
			method, query := line, ""
			if pos := strings.IndexByte(line, '?'); pos > 0 {
				method, query = line[:pos], line[pos+1:]
			}
			method = strings.ToLower(method)
			params := newArr()
			parseQuery(params, query)
			params, _ = substitute(params, store).(*parr)
			sub := &call{p: p, idx: c.idx, method: method, params: params, now: c.now, user: c.user, oauth: c.oauth, work: c.work, inBatch: true}
			sub.takeStart()
			p.countCommand(method)
			def, ok := lookup(method)
			switch {
			case method == "batch" || method == "download" || method == "upload":
				e = apiErr(http.StatusMethodNotAllowed, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage")
			case !ok:
				e = errMethodNotFound()
			default:
				r, tm, err := p.exec(sub, def, time.Now())
				if err != nil {
					e = err
					break
				}
				res.set(key, r.value)
				if r.hasTotal {
					totals.set(key, r.total)
				}
				if r.hasNext {
					nexts.set(key, r.next)
				}
				times.set(key, tm)
				sum, rs := p.ops.peek(method, p.opsNow())
				if sum >= maxOp {
					maxOp = sum
				}
				if reset == 0 || rs < reset {
					reset = rs
				}
			}
		}
		if e != nil {
			errs.set(key, errBody(e.code, e.desc))
			if halt {
				break
			}
		}
	}
	c.batchOperating, c.batchReset = maxOp, reset
	if reset == 0 {
		reset = c.now.Add(operatingWindow).Unix()
	}
	out := newArr()
	out.set("result", res)
	out.set("result_error", errs)
	out.set("result_total", totals)
	out.set("result_next", nexts)
	out.set("result_time", times)
	return result{value: out}, timeObj(c.now, time.Since(began), 0, maxOp, reset)
}

func (a *parr) keysOrNil() []string {
	if a == nil {
		return nil
	}
	return a.keys
}

// substitute resolves batch references in every string value of v.
func substitute(v any, store map[string]any) any {
	switch t := v.(type) {
	case *parr:
		out := newArr()
		for _, k := range t.keys {
			out.set(k, substitute(t.vals[k], store))
		}
		return out
	case string:
		return resolveRefs(t, store)
	}
	return v
}

// resolveRefs applies the server's rules: a reference that is the whole value
// is replaced by the raw value (it may be an array); inside a longer string
// only a string or a number is put in; a path that does not resolve stops at
// the last level that exists.
func resolveRefs(s string, store map[string]any) any {
	if !strings.Contains(s, "$") {
		return s
	}
	out := s
	for _, m := range refPattern.FindAllStringSubmatch(s, -1) {
		steps := refPath.FindAllStringSubmatch(m[2], -1)
		if len(steps) == 0 {
			continue
		}
		r := store[m[1]] // the keys are lower case: $RESULT[...] finds nothing
		for _, st := range steps {
			child, ok := step(r, st[1])
			if !ok || child == nil {
				break
			}
			r = child
		}
		if m[0] == s {
			return r
		}
		if n, ok := isNumeric(r); ok {
			r = n
		}
		if str, ok := r.(string); ok {
			out = strings.ReplaceAll(out, m[0], str)
		}
	}
	return out
}

// step indexes a result value by one reference key.
func step(v any, key string) (any, bool) {
	switch t := v.(type) {
	case *parr:
		return t.get(key)
	case []int:
		if n, err := strconv.Atoi(key); err == nil && n >= 0 && n < len(t) {
			return t[n], true
		}
	}
	return nil, false
}
