package main

import (
	"fmt"

	"github.com/b24org/b24org/internal/serve"
	"github.com/b24org/b24org/ui"
)

// lookFor returns the browser's key bindings and palette from the
// settings: the config file's keys over the defaults, and the theme (mono
// when s.noColor).
func lookFor(s settings) (ui.KeyMap, ui.Palette, error) {
	keys := defaultKeyMap()
	if err := rebindKeys(&keys, s.keys); err != nil {
		return ui.KeyMap{}, ui.Palette{}, fmt.Errorf("config file %s: keys: %w", s.configPath, err)
	}
	palette, err := themePalette(s.theme, s.noColor)
	if err != nil {
		return ui.KeyMap{}, ui.Palette{}, fmt.Errorf("theme: %w", err)
	}
	return keys, palette, nil
}

// newSessionLook reads the key bindings and the theme of the settings. The
// server's own NO_COLOR is no one's terminal: each session's counts, so the
// mono palette is kept beside the coloured one.
func newSessionLook(s settings) (serve.Look, error) {
	s.noColor = false
	keys, palette, err := lookFor(s)
	if err != nil {
		return serve.Look{}, err
	}
	s.noColor = true
	_, mono, err := lookFor(s)
	if err != nil {
		return serve.Look{}, err
	}
	return serve.Look{Keys: keys, Palette: palette, Mono: mono}, nil
}
