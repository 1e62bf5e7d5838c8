package main

import (
	"fmt"
	"strings"

	"github.com/b24org/b24org/ui"
	"github.com/charmbracelet/lipgloss"
)

// themeNames are the themes themePalette knows, as errors list them.
const themeNames = "auto, dark, light, mono"

// darkColors and lightColors are the two palettes in the order of
// paletteOf's arguments: accent, muted, border, focused border, selection
// background, selection text, online, idle, absent, offline, error, warning.
func darkColors() [12]string {
	return [12]string{"#7AA2F7", "#8A8FA8", "#4B5068", "#7AA2F7", "#2E3C64", "#FFFFFF",
		"#73D982", "#E5C07B", "#C99AF0", "#8A8FA8", "#F7768E", "#E0AF68"}
}

func lightColors() [12]string {
	return [12]string{"#1F5FBF", "#5C6072", "#A0A4B4", "#1F5FBF", "#CCD9F5", "#000000",
		"#1A7F37", "#8A5A00", "#8250DF", "#5C6072", "#CF222E", "#8A5A00"}
}

func paletteOf(c [12]lipgloss.TerminalColor) ui.Palette {
	return ui.Palette{
		Accent: c[0], Muted: c[1], Border: c[2], BorderFocus: c[3], Selected: c[4], SelectedText: c[5],
		Online: c[6], Idle: c[7], Absent: c[8], Offline: c[9], Error: c[10], Warning: c[11],
	}
}

// themePalette returns the palette for a theme name: "auto" (adaptive to the
// terminal background, the default; "" means auto), "dark", "light" or
// "mono". noColor (the NO_COLOR environment variable is set) forces "mono".
func themePalette(name string, noColor bool) (ui.Palette, error) {
	var c [12]lipgloss.TerminalColor
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "auto":
		d, l := darkColors(), lightColors()
		for i := range c {
			c[i] = lipgloss.AdaptiveColor{Light: l[i], Dark: d[i]}
		}
	case "dark":
		for i, s := range darkColors() {
			c[i] = lipgloss.Color(s)
		}
	case "light":
		for i, s := range lightColors() {
			c[i] = lipgloss.Color(s)
		}
	case "mono":
		return ui.Palette{}, nil
	default:
		return ui.Palette{}, fmt.Errorf("unknown theme %q (valid: %s)", name, themeNames)
	}
	if noColor {
		return ui.Palette{}, nil
	}
	return paletteOf(c), nil
}
