package api

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The workday statuses of timeman.status (and TIMEMAN_STATUS of
// telephony.externalCall.searchCrmEntities).
const (
	WorkdayOpened  = "OPENED"  // at work
	WorkdayPaused  = "PAUSED"  // on a break
	WorkdayClosed  = "CLOSED"  // finished for the day
	WorkdayExpired = "EXPIRED" // opened before today and never closed
)

// Workday is a user's current workday as timeman.status describes it
// (api-reference/timeman/base/timeman-status.md in bitrix24/b24restdocs).
// The answer also says from which IP address and at which coordinates the
// day was opened and closed: those are never decoded, so nothing here can
// show, log or cache them.
type Workday struct {
	Status   string        // one of the Workday constants, upper case
	Started  time.Time     // TIME_START; zero when unknown
	Finished time.Time     // TIME_FINISH; zero while the day is not closed
	Breaks   time.Duration // TIME_LEAKS: the breaks taken so far
}

// Workdays returns the workday of each of users (timeman.status, one
// command per user, 50 commands per request). A user the portal does not
// know is left out. Without the timeman scope the error is a *ScopeError.
func (c *Client) Workdays(ctx context.Context, users []int) (map[int]Workday, error) {
	ids := uniquePositive(users)
	slices.Sort(ids)
	cmds := make([]Command, 0, len(ids))
	for _, id := range ids {
		cmds = append(cmds, Command{Key: "w" + strconv.Itoa(id), Method: "timeman.status", Params: map[string]any{"USER_ID": id}})
	}
	out := make(map[int]Workday, len(ids))
	err := c.batchAll(ctx, cmds, func(cmd Command, r BatchResult) error {
		id, _ := cmd.Params["USER_ID"].(int)
		if r.Err != nil {
			if unknownUser(r.Err) {
				return nil
			}
			return r.Err
		}
		w, err := decodeWorkday(r.Result)
		if err != nil {
			return err
		}
		out[id] = w
		return nil
	}, nil)
	if err != nil {
		return nil, asScopeError(err)
	}
	return out, nil
}

// unknownUser reports timeman.status's answer for a user it does not know:
// an empty code with "User not found".
func unknownUser(err error) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Code == "" && strings.Contains(strings.ToLower(pe.Description), "not found")
}

// rawWorkday is the part of a timeman.status answer that Workday keeps:
// the IP_* and LAT_*/LON_* keys are deliberately absent.
type rawWorkday struct {
	Status json.RawMessage `json:"STATUS"`
	Start  json.RawMessage `json:"TIME_START"`
	Finish json.RawMessage `json:"TIME_FINISH"`
	Leaks  json.RawMessage `json:"TIME_LEAKS"`
}

// decodeWorkday reads one timeman.status result.
func decodeWorkday(raw json.RawMessage) (Workday, error) {
	var rw rawWorkday
	if err := json.Unmarshal(raw, &rw); err != nil {
		return Workday{}, badShape("timeman.status", err)
	}
	return Workday{
		Status:   strings.ToUpper(flexString(rw.Status)),
		Started:  flexTime(rw.Start),
		Finished: flexTime(rw.Finish),
		Breaks:   clockDuration(flexString(rw.Leaks)),
	}, nil
}

// clockDuration reads "HH:MM:SS" (0 when unreadable).
func clockDuration(s string) time.Duration {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0
	}
	var d time.Duration
	for i, unit := range []time.Duration{time.Hour, time.Minute, time.Second} {
		n, err := strconv.Atoi(parts[i])
		if err != nil || n < 0 {
			return 0
		}
		d += time.Duration(n) * unit
	}
	return d
}
