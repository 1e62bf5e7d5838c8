package directory

// Changed returns a channel that is closed when the snapshot is next
// replaced (a load, a search or a cache read merged something). Any number
// of callers may wait on it; each wakes once, and calls Changed again for
// the change after. Nothing runs per waiter: a waiter that stops waiting
// leaves nothing behind.
//
// To miss no change, call Changed before reading Snapshot.
func (d *Directory) Changed() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.changed == nil {
		d.changed = make(chan struct{})
	}
	return d.changed
}

// notifyLocked wakes the waiters of Changed; d.mu is held.
func (d *Directory) notifyLocked() {
	if d.changed != nil {
		close(d.changed)
		d.changed = nil
	}
}
