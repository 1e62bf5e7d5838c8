package fakeportal_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/b24org/b24org/api/fakeportal"
)

// seconds reads a time field as seconds.
func secondsOf(t testing.TB, tm map[string]any, key string) float64 {
	t.Helper()
	n, ok := tm[key].(json.Number)
	require.True(t, ok, "time.%s is %T %v", key, tm[key], tm[key])
	f, err := n.Float64()
	require.NoError(t, err)
	return f
}

func TestCostIsSpentAndReported(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{Cost: &fakeportal.Cost{
		PerObject: map[string]time.Duration{"im.user.list.get": 2 * time.Millisecond},
		PerCall:   time.Millisecond,
	}})
	w := p.WebhookURL()
	a := get(t, w, "im.user.list.get?ID[]=10&ID[]=11&ID[]=12")
	require.Equal(t, 200, a.status, "%s", a.raw)
	tm := object(t, a.body["time"])
	assert.InDelta(t, 0.007, secondsOf(t, tm, "processing"), 1e-6, "1 ms a call + 2 ms for each of 3 objects")
	assert.GreaterOrEqual(t, secondsOf(t, tm, "duration"), 0.007, "the time is really spent")
	assert.InDelta(t, 0.007, secondsOf(t, tm, "operating"), 1e-6)
	assert.Greater(t, num(t, tm["operating_reset_at"]), time.Now().Unix(), "the window ends ahead")
	assert.Equal(t, 7*time.Millisecond, p.ServerTime()["im.user.list.get"])

	a = get(t, w, "im.user.list.get?ID[]=10")
	tm = object(t, a.body["time"])
	assert.InDelta(t, 0.003, secondsOf(t, tm, "processing"), 1e-6)
	assert.InDelta(t, 0.010, secondsOf(t, tm, "operating"), 1e-6, "operating sums the window")
	assert.Equal(t, 10*time.Millisecond, p.Operating("im.user.list.get"))
	assert.Equal(t, 7*time.Millisecond, p.MaxRequestTime())
	assert.Zero(t, p.CutOffs())
	assert.Zero(t, p.OperatingRefusals())
}

func TestCostCutOffAnswers504HTMLAndStillCounts(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{Cost: &fakeportal.Cost{
		Default: 20 * time.Millisecond,
		CutOff:  30 * time.Millisecond,
	}})
	resp, err := http.Get(p.WebhookURL() + "im.user.list.get?ID[]=10&ID[]=11&ID[]=12")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	assert.True(t, strings.HasPrefix(string(body), "<html>"), "an HTML page, not JSON: %.80s", body)
	assert.Equal(t, int64(1), p.CutOffs())
	assert.Equal(t, 60*time.Millisecond, p.Operating("im.user.list.get"), "the work behind a cut-off counts in full")
	assert.Equal(t, 60*time.Millisecond, p.MaxRequestTime())

	a := get(t, p.WebhookURL(), "im.user.list.get?ID[]=10")
	require.Equal(t, 200, a.status, "a request inside the cut-off is answered")
	assert.Equal(t, int64(1), p.CutOffs())
}

func TestCostBudgetRefusesWith429UntilTheWindowFrees(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{Cost: &fakeportal.Cost{
		Default: 10 * time.Millisecond,
		Budget:  25 * time.Millisecond,
		Window:  300 * time.Millisecond,
	}})
	w := p.WebhookURL()
	for i := 0; i < 3; i++ {
		require.Equal(t, 200, get(t, w, "im.user.list.get?ID[]=10").status, "call %d is within the budget", i)
	}
	a := get(t, w, "im.user.list.get?ID[]=10")
	requireError(t, a, 429, "OPERATION_TIME_LIMIT")
	tm := object(t, a.body["time"])
	assert.InDelta(t, 0.030, secondsOf(t, tm, "operating"), 1e-6)
	assert.Equal(t, int64(1), p.OperatingRefusals())
	assert.Equal(t, 200, get(t, w, "im.user.get?ID=10").status, "other methods keep working")

	time.Sleep(350 * time.Millisecond) // the scaled window passes
	require.Equal(t, 200, get(t, w, "im.user.list.get?ID[]=10").status, "the budget frees with the window")
	assert.Equal(t, 30*time.Millisecond, p.PeakOperating("im.user.list.get"))
}

func TestCostBatchAccountingVariants(t *testing.T) {
	cmd := map[string]any{"cmd": map[string]any{
		"a": "im.user.list.get?ID[]=10&ID[]=11",
		"b": "im.user.list.get?ID[]=12",
	}}
	t.Run("inner methods", func(t *testing.T) {
		p := start(t, fixture(), fakeportal.Options{Cost: &fakeportal.Cost{Default: time.Millisecond}})
		a := postJSON(t, p.WebhookURL(), "batch", cmd)
		require.Equal(t, 200, a.status, "%s", a.raw)
		assert.Equal(t, 3*time.Millisecond, p.Operating("im.user.list.get"))
		assert.Zero(t, p.Operating("batch"))
		tm := object(t, a.body["time"])
		assert.InDelta(t, 0.003, secondsOf(t, tm, "processing"), 1e-6)
		assert.InDelta(t, 0.003, secondsOf(t, tm, "operating"), 1e-6)
		times := object(t, object(t, a.body["result"])["result_time"])
		assert.InDelta(t, 0.002, secondsOf(t, object(t, times["a"]), "processing"), 1e-6)
	})
	t.Run("batch itself", func(t *testing.T) {
		p := start(t, fixture(), fakeportal.Options{Cost: &fakeportal.Cost{Default: time.Millisecond, ChargeBatch: true}})
		a := postJSON(t, p.WebhookURL(), "batch", cmd)
		require.Equal(t, 200, a.status, "%s", a.raw)
		assert.Zero(t, p.Operating("im.user.list.get"), "inner methods read 0")
		assert.Equal(t, 3*time.Millisecond, p.Operating("batch"))
		assert.InDelta(t, 0.003, secondsOf(t, object(t, a.body["time"]), "operating"), 1e-6)
		times := object(t, object(t, a.body["result"])["result_time"])
		assert.InDelta(t, 0.003, secondsOf(t, object(t, times["b"]), "operating"), 1e-6, "the batch's cumulative operating")
	})
}

func TestCostWithoutOperatingKeys(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{Cost: &fakeportal.Cost{Default: time.Millisecond, NoOperatingKeys: true}})
	a := get(t, p.WebhookURL(), "im.user.list.get?ID[]=10")
	require.Equal(t, 200, a.status)
	tm := object(t, a.body["time"])
	assert.NotContains(t, tm, "operating")
	assert.NotContains(t, tm, "operating_reset_at")
	assert.InDelta(t, 0.001, secondsOf(t, tm, "processing"), 1e-6)
}

func TestCostScale(t *testing.T) {
	p := start(t, fixture(), fakeportal.Options{Cost: &fakeportal.Cost{Scale: 0.001}})
	cut, budget, window := p.CostLimits()
	assert.Equal(t, 60*time.Millisecond, cut)
	assert.Equal(t, 480*time.Millisecond, budget)
	assert.Equal(t, 600*time.Millisecond, window)
}
