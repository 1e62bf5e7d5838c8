package main

import (
	"bytes"
	"github.com/b24org/b24org/internal/command"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

// TestExportPausesForTheTimeBudget runs export in-process with stderr taken
// for a terminal, against a portal whose budget the load outgrows: the
// progress line shows the pause, the export is complete, and the portal
// refused nothing.
func TestExportPausesForTheTimeBudget(t *testing.T) {
	now := time.Now()
	org := fakeportal.Generate(fakeportal.GenOptions{People: 3000, Departments: 60, Seed: 11, Now: now})
	// 3,000 people at 100 µs cost 300 ms; the config's share is 100 ms per 1.5 s.
	p, err := fakeportal.Start(org, fakeportal.Options{Rate: -1, Cost: &fakeportal.Cost{
		PerObject: map[string]time.Duration{"im.user.list.get": 100 * time.Microsecond},
		Default:   2 * time.Microsecond,
		CutOff:    600 * time.Millisecond,
		Budget:    200 * time.Millisecond,
		Window:    1500 * time.Millisecond,
	}})
	require.NoError(t, err)
	t.Cleanup(p.Close)
	e := newRunEnv(t)
	e.writeConfig(t, "budget:\n  share: 0.5\n  cut_off: 600ms\n  limit: 200ms\n  window: 1500ms\n")
	vars := map[string]string{}
	for _, kv := range e.vars {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run([]string{"--webhook", p.WebhookURL(), "--no-cache", "export"}, &env{
		stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return vars[k] }, stderrIsTerminal: true,
	})
	elapsed := time.Since(start)
	require.Equal(t, command.ExitOK, code, "stderr: %s", stderr.String())
	x := exportOf(t, stdout.String())
	active := 0
	for _, u := range org.Users {
		if u.Active && len(u.Departments) > 0 {
			active++
		}
	}
	assert.Len(t, x.Employees, active, "everyone, after the pauses")
	// 300 ms of cost at 100 ms a window needs two windows more than the
	// first: within them the export must pause and say so; a machine so
	// loaded that the requests alone spread it over them needs no pause
	// (the share below holds either way).
	if !strings.Contains(stderr.String(), "waiting for the portal's time budget: ") {
		assert.GreaterOrEqual(t, elapsed, 2*1500*time.Millisecond, "no pause is shown: only an export slow enough to need none may do without")
	}
	assert.Contains(t, stderr.String(), "indexing ")
	assert.Regexp(t, `about \d+(\.\d+)?m?s left`, stderr.String(), "an estimate of the time left")
	assert.Zero(t, p.OperatingRefusals(), "no 429")
	assert.Zero(t, p.CutOffs())
	assert.LessOrEqual(t, p.PeakOperating("im.user.list.get"), 100*time.Millisecond, "within the share")
}
