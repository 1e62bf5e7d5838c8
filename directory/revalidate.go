package directory

import (
	"context"
	"slices"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/lang"
)

// DefaultFullLoadEvery is how old a complete directory may be before a
// start loads everyone again instead of revalidating it.
const DefaultFullLoadEvery = 24 * time.Hour

// Revalidate brings a complete directory up to date on the background lane
// without loading everyone again, when its last full load is younger than
// Options.FullLoadEvery (DefaultFullLoadEvery when 0; a negative value
// always loads everyone); otherwise, or when the snapshot is not complete,
// it is LoadAll.
//
// A revalidation asks for the tree and the member lists (a few requests),
// for the im objects of just the people it does not know yet and of those
// whose departments in the member lists differ from the ones they carry
// (they moved), drops the people no longer listed, and then refreshes
// presence (RefreshPresence at threshold). The result is Complete and keeps
// the time of the last full load as FetchedAt; it is written to the cache.
func (d *Directory) Revalidate(ctx context.Context, threshold time.Duration, progress func(done, total int)) (*Org, error) {
	if d.client == nil {
		return d.Snapshot(), ErrNoClient
	}
	every := d.opts.FullLoadEvery
	if every == 0 {
		every = DefaultFullLoadEvery
	}
	snap := d.Snapshot()
	if every < 0 || !snap.Complete() || snap.FetchedAt().IsZero() || time.Since(snap.FetchedAt()) >= every {
		return d.LoadAll(ctx, progress)
	}
	bg := api.Background(ctx)
	org, err := d.shared(bg, "revalidate", func(ctx context.Context) (*Org, error) {
		return d.revalidate(ctx, snap.FetchedAt())
	})
	if err != nil {
		return org, err
	}
	return d.RefreshPresence(bg, time.Nanosecond, threshold)
}

// revalidate does the tree part of Revalidate; fetchedAt is the time of the
// last full load.
func (d *Directory) revalidate(ctx context.Context, fetchedAt time.Time) (*Org, error) {
	org, err := d.LoadTree(ctx) // a tree of a moment ago (the user's refresh) is reused
	if err != nil {
		return org, err
	}
	memberOf := map[int][]int{}
	listed := map[int]bool{}
	for _, dep := range org.st.depts {
		for _, id := range org.mem.members[dep.ID] {
			listed[id] = true
			memberOf[id] = append(memberOf[id], dep.ID)
		}
		if dep.HeadID > 0 {
			listed[dep.HeadID] = true
		}
	}
	var need []int
	for id := range listed {
		p := org.Person(id)
		if p == nil || (p.Active && !sameDepartments(org, p.DepartmentIDs, memberOf[id])) {
			need = append(need, id)
		}
	}
	slices.Sort(need)

	fetched := map[int]*Person{}
	if len(need) > 0 {
		users, err := d.client.UsersByID(ctx, need)
		if err != nil {
			return nil, lang.NewError("err.dir.revalidate", "Err", err)
		}
		for _, p := range convertUsers(users) {
			fetched[p.ID] = p
		}
	}

	o := d.update(func(old *Org) *Org {
		people := make([]*Person, 0, len(listed))
		for id := range listed {
			if p := fetched[id]; p != nil {
				people = append(people, p)
			} else if p := old.Person(id); p != nil && !slices.Contains(need, id) {
				people = append(people, p)
			}
		}
		return old.withEveryone(sortUnique(people), fetchedAt)
	})
	d.saveQuietly()
	return o, nil
}

// sameDepartments reports whether the departments of carried that are in
// o's tree are exactly those of listed.
func sameDepartments(o *Org, carried, listed []int) bool {
	var in []int
	for _, id := range carried {
		if _, ok := o.st.pos[id]; ok {
			in = append(in, id)
		}
	}
	in = slices.Compact(slices.Sorted(slices.Values(in)))
	l := slices.Compact(slices.Sorted(slices.Values(listed)))
	return slices.Equal(in, l)
}
