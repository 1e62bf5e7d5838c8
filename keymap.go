package main

import "github.com/b24org/b24org/ui"

// defaultKeyMap returns the default bindings: arrows and vim keys, page
// up/down, home/end (g/G), tab, enter, esc, /, y, Y, r, ?, q and ctrl+c.
func defaultKeyMap() ui.KeyMap { return ui.DefaultKeyMap() }

// rebindKeys applies overrides from the config file: action name -> keys.
// The action names are those of ui.ActionNames (up, down, left, right,
// pageup, pagedown, home, end, tab, enter, back, search, copy, copymenu,
// refresh, help, quit). Unknown actions or empty key lists are an error that
// names them; on error k is unchanged.
func rebindKeys(k *ui.KeyMap, overrides map[string][]string) error {
	return k.Rebind(overrides)
}
