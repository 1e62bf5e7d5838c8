package main

import (
	"reflect"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestThemeAutoIsDarkAndLight checks that every colour of the palette is
// set, and that auto adapts, colour by colour, between the dark theme and
// the light one.
func TestThemeAutoIsDarkAndLight(t *testing.T) {
	palettes := map[string]reflect.Value{}
	for _, name := range []string{"auto", "dark", "light"} {
		p, err := themePalette(name, false)
		require.NoError(t, err, name)
		palettes[name] = reflect.ValueOf(p)
	}
	auto, dark, light := palettes["auto"], palettes["dark"], palettes["light"]
	colours := map[lipgloss.Color]bool{}
	for i := range auto.NumField() {
		field := auto.Type().Field(i).Name
		a, ok := auto.Field(i).Interface().(lipgloss.AdaptiveColor)
		require.True(t, ok, "auto %s is adaptive", field)
		d, ok := dark.Field(i).Interface().(lipgloss.Color)
		require.True(t, ok, "dark %s is set", field)
		l, ok := light.Field(i).Interface().(lipgloss.Color)
		require.True(t, ok, "light %s is set", field)
		assert.Equal(t, string(d), a.Dark, field)
		assert.Equal(t, string(l), a.Light, field)
		assert.NotEqual(t, d, l, "%s differs between dark and light", field)
		colours[d] = true
	}
	assert.Greater(t, len(colours), 6, "the fields are not all one colour")
}
