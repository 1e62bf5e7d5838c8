package directory

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestCountSaysTheNounInTheRightNumber(t *testing.T) {
	assert.Equal(t, "1 session", Count(1, "session", "sessions"))
	assert.Equal(t, "0 sessions", Count(0, "session", "sessions"))
	assert.Equal(t, "30,000 people", Count(30000, "person", "people"))
}

func TestRoughAgeUsesTheLargestUnit(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second:        "0s",
		45 * time.Second:    "45s",
		12 * time.Minute:    "12m",
		30 * time.Hour:      "30h",
		49 * time.Hour:      "2d",
		10 * 24 * time.Hour: "10d",
	} {
		assert.Equal(t, want, RoughAge(d), d.String())
	}
}
