package directory

// Favourites and recent lookups: the people one user pinned and the people
// they looked up last, kept between runs in a state directory
// ($XDG_STATE_HOME/b24org by default), one small file per portal and user.
//
// The file holds person IDs and nothing else: no names (they come from the
// directory) and nothing of the portal's address or secret. Its name is a
// hash of the portal's cache key (host and user, never the webhook's code;
// see cacheFileName) and of the user, who is "" for the one user of the
// command line and an SSH key's fingerprint for each user of serve, so
// users never read each other's file.
//
// It is written as the cache is (writeAtomic: a temporary file, mode 0600,
// renamed over the old one) in a directory of mode 0700, after reading the
// file again under a lock: two sessions of one user change one list, and
// see each other's changes the next time they read it. A file that is not
// a small JSON object of the expected shape is reported once (*StateError)
// and read as empty; the next change replaces it.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/b24org/b24org/lang"
)

// Bounds of the state file.
const (
	MaxRecent    = 20       // recent lookups kept, most recent first
	MaxPinned    = 500      // pinned people kept
	maxStateSize = 64 << 10 // a bigger file is not read
	stateVersion = 1
)

// Lookups is one user's pinned people and recent lookups, as person IDs.
type Lookups struct {
	Pinned []int // in the order they were pinned
	Recent []int // most recent first, at most MaxRecent
}

// IsPinned reports whether id is pinned.
func (l Lookups) IsPinned(id int) bool { return slices.Contains(l.Pinned, id) }

// stateFile is the file's JSON.
type stateFile struct {
	Version int   `json:"b24org_state"`
	Pinned  []int `json:"pinned"`
	Recent  []int `json:"recent"`
}

// StateError says why a state file was read as empty (too big, not JSON,
// another version, not a regular file).
type StateError struct {
	Path   string
	Reason string // in English; ReasonIn says it in any language

	why *lang.Error
}

// stateError is the StateError of the file at path, its reason the
// catalog's message id with its values.
func stateError(path, id string, kv ...any) *StateError {
	why := lang.NewError(id, kv...)
	return &StateError{Path: path, Reason: why.Error(), why: why}
}

// ReasonIn is the reason in the language l: "is not a regular file".
func (e *StateError) ReasonIn(l *lang.Language) string {
	if e.why == nil {
		return e.Reason
	}
	return e.why.In(l)
}

// In is the error in the language l.
func (e *StateError) In(l *lang.Language) string {
	return l.T("fav.badfile", "Path", e.Path, "Reason", e.ReasonIn(l))
}

func (e *StateError) Error() string {
	return fmt.Sprintf("favourites file %s %s; starting with no favourites or recent lookups", e.Path, e.Reason)
}

// States keeps the favourites and recent lookups of one portal's users in
// a directory. One States serves every session of a process: its lock
// makes each change a whole read-change-write.
type States struct {
	dir, portal string
	mu          sync.Mutex
}

// NewStates returns the states of the portal whose cache key is portalKey
// (Directory.StateKey) in dir; the directory is made (mode 0700) by the
// first change.
func NewStates(dir, portalKey string) *States {
	return &States{dir: dir, portal: portalKey}
}

// StateKey names the state files of this Directory's portal (as its cache
// file): the portal's host and user, or Options.CacheKey; never a secret.
func (d *Directory) StateKey() string { return d.cacheKey() }

// UserState is one user's favourites and recent lookups on one portal.
type UserState struct {
	s    *States
	path string
}

// For returns user's state: "" is the local user; serve passes each SSH
// key's fingerprint.
func (s *States) For(user string) *UserState {
	key := s.portal
	if user != "" {
		key += "\x00user\x00" + user
	}
	return &UserState{s: s, path: filepath.Join(s.dir, hashedFileName(key, ".state"))}
}

// Path is the user's state file.
func (u *UserState) Path() string { return u.path }

// Load reads the user's state. A missing file is an empty state; a file
// that cannot be used is an empty state and a *StateError.
func (u *UserState) Load() (Lookups, error) {
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	return u.read()
}

// SetPinned pins id (on) or unpins it, and returns the state as saved. A
// file that could not be used is replaced, and its *StateError returned
// with the new state.
func (u *UserState) SetPinned(id int, on bool) (Lookups, error) {
	return u.change(func(l *Lookups) error {
		was := len(l.Pinned)
		l.Pinned = slices.DeleteFunc(l.Pinned, func(x int) bool { return x == id })
		if !on {
			return nil
		}
		if was == len(l.Pinned) && was >= MaxPinned {
			return ErrTooManyPinned
		}
		l.Pinned = append(l.Pinned, id)
		return nil
	})
}

// ErrTooManyPinned refuses a pin beyond MaxPinned.
var ErrTooManyPinned error = lang.NewError("err.fav.toomany", "Max", MaxPinned)

// AddRecent puts id first among the recent lookups, and returns the state
// as saved (errors as SetPinned).
func (u *UserState) AddRecent(id int) (Lookups, error) {
	return u.change(func(l *Lookups) error {
		l.Recent = append([]int{id}, slices.DeleteFunc(l.Recent, func(x int) bool { return x == id })...)
		return nil
	})
}

// change reads the file, applies change and writes the result atomically.
func (u *UserState) change(change func(*Lookups) error) (Lookups, error) {
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	l, readErr := u.read()
	var bad *StateError
	if readErr != nil && !errors.As(readErr, &bad) {
		return l, readErr // unreadable (permissions): do not overwrite what may be fine
	}
	if err := change(&l); err != nil {
		return l, err
	}
	l = bounded(l)
	data, err := json.Marshal(stateFile{Version: stateVersion, Pinned: nonNil(l.Pinned), Recent: nonNil(l.Recent)})
	if err != nil {
		return l, lang.NewError("err.fav.encode", "Err", err)
	}
	if err := os.MkdirAll(u.s.dir, 0o700); err != nil {
		return l, lang.NewError("err.fav.mkdir", "Err", err)
	}
	removeStaleTemps(u.path)
	if err := writeAtomic(u.path, append(data, '\n')); err != nil {
		return l, lang.NewError("err.fav.write", "Err", err)
	}
	return l, readErr
}

// read reads the file (the caller holds the lock).
func (u *UserState) read() (Lookups, error) {
	fi, err := os.Lstat(u.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Lookups{}, nil
	case err != nil:
		return Lookups{}, lang.NewError("err.fav.read", "Err", err)
	case !fi.Mode().IsRegular():
		// A FIFO would block the read, a symlink point anywhere.
		return Lookups{}, stateError(u.path, "err.fav.notregular")
	case fi.Size() > maxStateSize:
		return Lookups{}, stateError(u.path, "err.fav.toolarge", "KiB", maxStateSize>>10)
	}
	f, err := os.Open(u.path)
	if err != nil {
		return Lookups{}, lang.NewError("err.fav.read", "Err", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStateSize+1))
	if err != nil {
		return Lookups{}, lang.NewError("err.fav.read", "Err", err)
	}
	if len(data) > maxStateSize {
		return Lookups{}, stateError(u.path, "err.fav.toolarge", "KiB", maxStateSize>>10)
	}
	var sf stateFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return Lookups{}, stateError(u.path, "err.fav.notstate", "Err", err)
	}
	if sf.Version != stateVersion {
		return Lookups{}, stateError(u.path, "err.fav.version", "Version", sf.Version, "Want", stateVersion)
	}
	return bounded(Lookups{Pinned: sf.Pinned, Recent: sf.Recent}), nil
}

// bounded keeps the positive IDs of l, each once, at most MaxPinned pinned
// (the first pinned) and MaxRecent recent (the most recent).
func bounded(l Lookups) Lookups {
	keep := func(ids []int, most int) []int {
		out := make([]int, 0, min(len(ids), most))
		seen := make(map[int]bool, len(ids))
		for _, id := range ids {
			if id > 0 && !seen[id] && len(out) < most {
				seen[id] = true
				out = append(out, id)
			}
		}
		return out
	}
	return Lookups{Pinned: keep(l.Pinned, MaxPinned), Recent: keep(l.Recent, MaxRecent)}
}

func nonNil(ids []int) []int {
	if ids == nil {
		return []int{}
	}
	return ids
}
