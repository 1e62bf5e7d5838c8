package main

import (
	"strconv"
	"strings"

	"github.com/b24org/b24org/internal/serve"
	"github.com/b24org/b24org/lang"
	"github.com/b24org/b24org/ui"
	"github.com/charmbracelet/lipgloss"
)

// themeNames are the themes themePalette knows, as errors list them.
const themeNames = "auto, dark, light, mono"

// theme is one set of the browser's colours, as hex strings, one field for
// each colour of ui.Palette.
type theme struct {
	Accent, Muted, Border, BorderFocus, Selected, SelectedText string
	Online, Idle, Absent, Offline, Error, Warning              string
}

// darkTheme is the theme for a dark terminal background.
func darkTheme() theme {
	return theme{
		Accent:       "#7AA2F7",
		Muted:        "#8A8FA8",
		Border:       "#4B5068",
		BorderFocus:  "#7AA2F7",
		Selected:     "#2E3C64",
		SelectedText: "#FFFFFF",
		Online:       "#73D982",
		Idle:         "#E5C07B",
		Absent:       "#C99AF0",
		Offline:      "#8A8FA8",
		Error:        "#F7768E",
		Warning:      "#E0AF68",
	}
}

// lightTheme is the theme for a light terminal background.
func lightTheme() theme {
	return theme{
		Accent:       "#1F5FBF",
		Muted:        "#5C6072",
		Border:       "#A0A4B4",
		BorderFocus:  "#1F5FBF",
		Selected:     "#CCD9F5",
		SelectedText: "#000000",
		Online:       "#1A7F37",
		Idle:         "#8A5A00",
		Absent:       "#8250DF",
		Offline:      "#5C6072",
		Error:        "#CF222E",
		Warning:      "#8A5A00",
	}
}

// paletteOf is the palette whose every colour is colour of that field's
// value in the dark theme d and in the light theme l.
func paletteOf(d, l theme, colour func(dark, light string) lipgloss.TerminalColor) ui.Palette {
	return ui.Palette{
		Accent:       colour(d.Accent, l.Accent),
		Muted:        colour(d.Muted, l.Muted),
		Border:       colour(d.Border, l.Border),
		BorderFocus:  colour(d.BorderFocus, l.BorderFocus),
		Selected:     colour(d.Selected, l.Selected),
		SelectedText: colour(d.SelectedText, l.SelectedText),
		Online:       colour(d.Online, l.Online),
		Idle:         colour(d.Idle, l.Idle),
		Absent:       colour(d.Absent, l.Absent),
		Offline:      colour(d.Offline, l.Offline),
		Error:        colour(d.Error, l.Error),
		Warning:      colour(d.Warning, l.Warning),
	}
}

// themePalette returns the palette for a theme name: "auto" (adaptive to the
// terminal background, the default; "" means auto), "dark", "light" or
// "mono". noColor (the NO_COLOR environment variable is set) forces "mono";
// an unknown name is an error all the same.
func themePalette(name string, noColor bool) (ui.Palette, error) {
	var colour func(dark, light string) lipgloss.TerminalColor
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "auto":
		colour = func(dark, light string) lipgloss.TerminalColor {
			return lipgloss.AdaptiveColor{Light: light, Dark: dark}
		}
	case "dark":
		colour = func(dark, _ string) lipgloss.TerminalColor { return lipgloss.Color(dark) }
	case "light":
		colour = func(_, light string) lipgloss.TerminalColor { return lipgloss.Color(light) }
	case "mono":
		return ui.Palette{}, nil
	default:
		return ui.Palette{}, lang.NewError("cli.theme.unknown", "Name", strconv.Quote(name), "Valid", themeNames)
	}
	if noColor {
		return ui.Palette{}, nil
	}
	return paletteOf(darkTheme(), lightTheme(), colour), nil
}

// lookFor returns the browser's key bindings and palette from the
// settings: the config file's keys (action name -> keys, the actions of
// ui.ActionNames) over ui.DefaultKeyMap, and the theme (mono when
// s.noColor).
func lookFor(s settings) (ui.KeyMap, ui.Palette, error) {
	keys := ui.DefaultKeyMap()
	if err := keys.Rebind(s.keys); err != nil {
		return ui.KeyMap{}, ui.Palette{}, lang.NewError("cli.config.file", "Path", s.configPath, "Err", lang.NewError("cli.config.keys", "Err", err))
	}
	palette, err := themePalette(s.theme, s.noColor)
	if err != nil {
		return ui.KeyMap{}, ui.Palette{}, lang.NewError("cli.config.theme", "Err", err)
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
	return serve.Look{Keys: keys, Palette: palette, Mono: mono, Links: s.links}, nil
}
