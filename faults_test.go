package main

import (
	"context"
	"github.com/b24org/b24org/internal/command"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/api/fakeportal"
	"github.com/b24org/b24org/directory"
	"github.com/stretchr/testify/require"
)

// exportFrom loads everything through a fresh client and directory, as
// export does, and returns what export would print at now and how many
// retries it took.
func exportFrom(ctx context.Context, t *testing.T, cfg api.Config, now time.Time) (command.Export, int64) {
	t.Helper()
	client, err := api.New(cfg)
	require.NoError(t, err)
	d := directory.New(client, directory.Options{NoCache: true})
	_, err = d.LoadTree(ctx)
	require.NoError(t, err)
	org, err := d.LoadAll(ctx, nil)
	require.NoError(t, err)
	return command.ExportData(org, now, defaultThreshold), client.Stats().Retries
}

func TestExportSurvivesFaults(t *testing.T) {
	now := time.Now()
	org := testOrg(now)
	p := startPortal(t, org, fakeportal.Options{})
	cfg := api.Config{
		WebhookURL:    p.WebhookURL(),
		Rate:          api.RateProfile{PerSecond: 1000, Burst: 1000},
		Timeout:       250 * time.Millisecond,
		MaxRetries:    12,
		RetryBase:     time.Millisecond,
		OperatingWait: 5 * time.Millisecond,
		MaxWait:       50 * time.Millisecond,
	}
	want, retries := exportFrom(t.Context(), t, cfg, now)
	require.Zero(t, retries)
	require.NotEmpty(t, want.Employees)
	require.NotEmpty(t, want.Departments)

	for i := range 20 {
		p.SetFaults(fakeportal.Faults{Rate: 0.2, Stall: time.Second, Seed: int64(i + 1)})
		got, n := exportFrom(t.Context(), t, cfg, now)
		require.Equal(t, want, got, "run %d with 20%% faults", i)
		retries += n
	}
	require.Positive(t, retries, "the faults happened and were retried")
}
