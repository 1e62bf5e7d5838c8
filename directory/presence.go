package directory

import (
	"context"
	"time"

	"github.com/b24org/b24org/lang"
)

// DefaultThreshold is how recent the last activity must be for a person to
// count as online (the portal's own window is not documented for the cloud:
// docs/portal.md, Presence).
const DefaultThreshold = 15 * time.Minute

// Presence is what a badge shows about activity.
type Presence int

// The kinds of presence.
const (
	Offline Presence = iota
	Online
	Idle
)

// String returns "online", "idle" or "offline" (the JSON contract's words).
func (p Presence) String() string {
	switch p {
	case Online:
		return "online"
	case Idle:
		return "idle"
	}
	return "offline"
}

// PresenceAt says whether p is online, idle or offline at now: idle when the
// portal says the person has been idle since some moment, online when the
// last activity is within threshold (DefaultThreshold when threshold <= 0),
// offline otherwise.
func (p *Person) PresenceAt(now time.Time, threshold time.Duration) Presence {
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	switch {
	case !p.IdleSince.IsZero():
		return Idle
	case !p.LastActivity.IsZero() && now.Sub(p.LastActivity) <= threshold:
		return Online
	}
	return Offline
}

// Absent reports whether p is on vacation at now: the current absence ends
// after now.
func (p *Person) Absent(now time.Time) bool {
	return !p.AbsentUntil.IsZero() && p.AbsentUntil.After(now)
}

// DefaultPresenceAge is how old the presence shown in search results and by
// find may be before it is asked for again.
const DefaultPresenceAge = 5 * time.Minute

// PresenceAge reports how long ago the request that brought everyone's
// presence (RefreshPresence, LoadAll) began; false when none did.
func (d *Directory) PresenceAge() (time.Duration, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.presenceAt.IsZero() {
		return 0, false
	}
	return time.Since(d.presenceAt), true
}

// presenceSince reports whether everyone's presence comes from a request
// begun at or after cutoff.
func (d *Directory) presenceSince(cutoff time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return !d.presenceAt.IsZero() && !d.presenceAt.Before(cutoff)
}

// RefreshPresence brings the presence of everyone known up to date without
// reloading the directory, unless it is younger than maxAge
// (DefaultPresenceAge when maxAge <= 0); concurrent callers share one
// refresh, and the new snapshot reaches every session through Changed.
//
// It costs one request for the IDs of the people the portal counts as
// online (user.online, nothing but IDs), then one batch request per 10,000
// im objects (im.user.list.get, 200 per command) for the known people among
// them and for those the snapshot shows online or idle at threshold (they
// may have left since). Everyone else was offline and still is, or came
// online and is in the first list. BENCHMARKS.md has the figures.
func (d *Directory) RefreshPresence(ctx context.Context, maxAge, threshold time.Duration) (*Org, error) {
	if d.client == nil {
		return d.Snapshot(), ErrNoClient
	}
	if maxAge <= 0 {
		maxAge = DefaultPresenceAge
	}
	cutoff := time.Now().Add(-maxAge)
	if d.presenceSince(cutoff) {
		return d.Snapshot(), nil
	}
	return d.shared(ctx, "presence", func(ctx context.Context) (*Org, error) {
		if d.presenceSince(cutoff) {
			return d.Snapshot(), nil
		}
		began := time.Now()
		online, err := d.client.OnlineUserIDs(ctx)
		if err != nil {
			return nil, lang.NewError("err.dir.presence", "Err", err)
		}
		snap := d.Snapshot()
		ids := make([]int, 0, len(online))
		for _, id := range online {
			if snap.Person(id) != nil {
				ids = append(ids, id)
			}
		}
		for _, p := range snap.people {
			if p.PresenceAt(began, threshold) != Offline {
				ids = append(ids, p.ID)
			}
		}
		users, err := d.client.UsersByID(ctx, ids)
		if err != nil {
			return nil, lang.NewError("err.dir.presence", "Err", err)
		}
		people := convertUsers(users)
		return d.update(func(old *Org) *Org {
			d.presenceAt = began
			known := people[:0:0]
			for _, p := range people {
				if old.Person(p.ID) != nil {
					known = append(known, p)
				}
			}
			if len(known) == 0 {
				return old
			}
			return old.withPeople(known, nil)
		}), nil
	})
}

// FreshPresence returns people with presence no older than maxAge
// (DefaultPresenceAge when maxAge <= 0), their presence being as of asOf: as
// they are when it is recent enough, else copies with the presence the
// portal gives now (im.user.list.get for just them: one request for up to
// 10,000 people). The people given are not changed.
func (d *Directory) FreshPresence(ctx context.Context, people []*Person, asOf time.Time, maxAge time.Duration) ([]*Person, error) {
	if maxAge <= 0 {
		maxAge = DefaultPresenceAge
	}
	if len(people) == 0 || time.Since(asOf) <= maxAge {
		return people, nil
	}
	if d.client == nil {
		return people, ErrNoClient
	}
	ids := make([]int, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	users, err := d.client.UsersByID(ctx, ids)
	if err != nil {
		return people, lang.NewError("err.dir.presence", "Err", err)
	}
	now := map[int]*Person{}
	for _, p := range convertUsers(users) {
		now[p.ID] = p
	}
	out := make([]*Person, len(people))
	for i, p := range people {
		out[i] = p
		if n := now[p.ID]; n != nil {
			c := *p
			c.Active, c.LastActivity, c.IdleSince, c.AbsentUntil = n.Active, n.LastActivity, n.IdleSince, n.AbsentUntil
			out[i] = &c
		}
	}
	return out, nil
}
