package api

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Event is a calendar event that keeps a user busy or away, as
// calendar.accessibility.get describes it (api-reference/calendar/
// calendar-event/calendar-accessibility-get.md in bitrix24/b24restdocs).
// Only what availability needs is kept: not the event's name or ID.
type Event struct {
	From, To time.Time // To is the end; for an all-day event the end of its last day
	AllDay   bool      // DT_SKIP_TIME = "Y"
	// Accessibility is busy, absent, quest (tentative) or free, lower case.
	Accessibility string
}

// usersPerAccessibility is how many users one calendar.accessibility.get
// command asks about: the method takes a list, and a few hundred events
// per answer stay far below the portal's time per call.
const usersPerAccessibility = 100

// Accessibility returns the calendar events of users between the days of
// from and to (inclusive, in the portal's zone), by user:
// calendar.accessibility.get with many users per command, 50 commands per
// request. A user without events has none in the map. Without the calendar
// scope the error is a *ScopeError.
func (c *Client) Accessibility(ctx context.Context, users []int, from, to time.Time) (map[int][]Event, error) {
	ids := uniquePositive(users)
	slices.Sort(ids)
	zone := c.PortalZone()
	day := func(t time.Time) string { return t.In(zone).Format("2006-01-02") }
	var cmds []Command
	for part := range slices.Chunk(ids, usersPerAccessibility) {
		cmds = append(cmds, Command{Key: "a" + strconv.Itoa(len(cmds)), Method: "calendar.accessibility.get",
			Params: map[string]any{"users": part, "from": day(from), "to": day(to)}})
	}
	out := map[int][]Event{}
	err := c.batchParallel(ctx, cmds, func(_ Command, r BatchResult) error {
		return addEvents(out, r.Result)
	}, nil)
	if err != nil {
		return nil, asScopeError(err)
	}
	return out, nil
}

// addEvents adds the events of one calendar.accessibility.get answer to out.
func addEvents(out map[int][]Event, raw json.RawMessage) error {
	users, err := decodeKeyed(raw)
	if err != nil {
		return badShape("calendar.accessibility.get", err)
	}
	for _, u := range users {
		id, err := strconv.Atoi(u.Key)
		if err != nil || id <= 0 {
			continue
		}
		list, err := decodeList(u.Value)
		if err != nil {
			continue
		}
		for _, ev := range list {
			if e, ok := decodeEvent(ev); ok {
				out[id] = append(out[id], e)
			}
		}
	}
	return nil
}

// rawEvent is the part of an event object that Event keeps.
type rawEvent struct {
	From          json.RawMessage `json:"DATE_FROM_TS_UTC"`
	To            json.RawMessage `json:"DATE_TO_TS_UTC"`
	SkipTime      json.RawMessage `json:"DT_SKIP_TIME"`
	Accessibility json.RawMessage `json:"ACCESSIBILITY"`
}

// decodeEvent reads one event; ok is false when its times are unreadable.
func decodeEvent(raw json.RawMessage) (Event, bool) {
	var re rawEvent
	if err := json.Unmarshal(raw, &re); err != nil {
		return Event{}, false
	}
	from, okFrom := flexInt(re.From)
	to, okTo := flexInt(re.To)
	if !okFrom || !okTo || from <= 0 || to < from {
		return Event{}, false
	}
	e := Event{From: time.Unix(int64(from), 0).UTC(), To: time.Unix(int64(to), 0).UTC(),
		Accessibility: strings.ToLower(flexString(re.Accessibility))}
	e.AllDay, _ = flexBool(re.SkipTime)
	if e.AllDay {
		// An all-day event's times are the starts of its first and last days.
		e.To = e.To.Add(24 * time.Hour)
	}
	return e, true
}
