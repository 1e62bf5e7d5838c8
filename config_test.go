package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/b24org/b24org/api"
	"github.com/b24org/b24org/directory"
	"github.com/b24org/b24org/ui"
	"github.com/stretchr/testify/require"
)

// envMap is a getenv over a map.
func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeFile writes text to dir/name with mode 0600 and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// noWarn fails the test on any warning.
func noWarn(t *testing.T) func(string) {
	return func(s string) { t.Errorf("unexpected warning: %s", s) }
}

func TestResolveDefaults(t *testing.T) {
	home := t.TempDir()
	s, err := resolve(flagValues{retries: 6}, envMap(map[string]string{"HOME": home}), noWarn(t))
	require.NoError(t, err)
	require.False(t, s.hasPortal)
	require.Equal(t, filepath.Join(home, ".config", "b24org", "config.yaml"), s.configPath)
	require.Equal(t, filepath.Join(home, ".cache", "b24org"), s.cacheDir)
	require.Equal(t, filepath.Join(home, ".local", "state", "b24org"), s.stateDir)
	require.Equal(t, "auto", s.theme)
	require.Equal(t, api.StandardRate(), s.client.Rate)
	require.Equal(t, defaultThreshold, s.threshold)
	require.Equal(t, defaultFreshness, s.freshness)
	require.Equal(t, 24*time.Hour, s.fullLoadEvery)
	require.Equal(t, defaultRequestLimit, s.client.Timeout)
	require.Equal(t, 6, s.client.MaxRetries)
	require.True(t, s.background)
	require.False(t, s.noColor)
	require.Empty(t, s.region, "unset: guessed from the portal's numbers")

	s, err = resolve(flagValues{retries: 6}, envMap(map[string]string{"HOME": home, "XDG_STATE_HOME": "/var/state"}), noWarn(t))
	require.NoError(t, err)
	require.Equal(t, "/var/state/b24org", s.stateDir)
	s, err = resolve(flagValues{retries: 6}, envMap(map[string]string{"HOME": home, "XDG_STATE_HOME": "relative"}), noWarn(t))
	require.NoError(t, err)
	require.Equal(t, filepath.Join(home, ".local", "state", "b24org"), s.stateDir, "a relative XDG path is ignored, as the spec says")
	require.Equal(t, ui.LinksAuto, s.links)
}

func TestResolveLinks(t *testing.T) {
	dir := t.TempDir()
	for text, want := range map[string]ui.LinkMode{"links: off\n": ui.LinksOff, "links: on\n": ui.LinksOn, "links: AUTO\n": ui.LinksAuto, "theme: mono\n": ui.LinksAuto} {
		path := writeFile(t, dir, "c.yaml", text)
		s, err := resolve(flagValues{config: path}, envMap(nil), noWarn(t))
		require.NoError(t, err, text)
		require.Equal(t, want, s.links, text)
		s, err = resolve(flagValues{config: path, links: "on"}, envMap(nil), noWarn(t))
		require.NoError(t, err, text)
		require.Equal(t, ui.LinksOn, s.links, "the flag beats the file")
	}
	path := writeFile(t, dir, "c.yaml", "links: sometimes\n")
	_, err := resolve(flagValues{config: path}, envMap(nil), noWarn(t))
	require.EqualError(t, err, "config file "+path+": line 1: links must be auto, on or off")
	_, err = resolve(flagValues{links: "yes"}, envMap(map[string]string{"HOME": dir}), noWarn(t))
	require.EqualError(t, err, `--links must be auto, on or off, not "yes"`)
}

func TestResolveFileValues(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "c.yaml", `
theme: light
keys:
  quit: [x]
online_threshold: 5m
refresh_every: 30s
freshness: 1h
full_load_every: 72h
background_load: false
rate: {per_second: 3, burst: 90}
cache_dir: ~/cache-here
state_dir: ~/state-here
timeout: 7s
region: de
`)
	s, err := resolve(flagValues{config: path, retries: 6}, envMap(map[string]string{"HOME": dir, "NO_COLOR": "1"}), noWarn(t))
	require.NoError(t, err)
	require.Equal(t, "light", s.theme)
	require.True(t, s.noColor)
	require.Equal(t, map[string][]string{"quit": {"x"}}, s.keys)
	require.Equal(t, 5*time.Minute, s.threshold)
	require.Equal(t, 30*time.Second, s.refreshEvery)
	require.Equal(t, time.Hour, s.freshness)
	require.Equal(t, 72*time.Hour, s.fullLoadEvery)
	require.False(t, s.background)
	require.Equal(t, api.RateProfile{PerSecond: 3, Burst: 90}, s.client.Rate)
	require.Equal(t, filepath.Join(dir, "cache-here"), s.cacheDir)
	require.Equal(t, filepath.Join(dir, "state-here"), s.stateDir)
	require.Equal(t, 7*time.Second, s.client.Timeout)
	require.Equal(t, "DE", s.region)

	bad := writeFile(t, dir, "bad.yaml", "region: Mars\n")
	_, err = resolve(flagValues{config: bad}, envMap(map[string]string{"HOME": dir}), noWarn(t))
	require.ErrorContains(t, err, `region "Mars"`)

	s, err = resolve(flagValues{config: path, theme: "mono", rate: "enterprise", cacheDir: "/elsewhere", timeout: time.Second},
		envMap(map[string]string{"HOME": dir}), noWarn(t))
	require.NoError(t, err)
	require.Equal(t, "mono", s.theme, "flags beat the file")
	require.Equal(t, api.EnterpriseRate(), s.client.Rate)
	require.Equal(t, "/elsewhere", s.cacheDir)
	require.Equal(t, time.Second, s.client.Timeout)
	require.Equal(t, -1, s.client.MaxRetries, "--retries 0 means none")
}

func TestResolvePortalPrecedence(t *testing.T) {
	dir := t.TempDir()
	fileHook := "https://file.example/rest/1/filecode/"
	envHook := "https://env.example/rest/1/envcode/"
	flagHook := "https://flag.example/rest/1/flagcode/"
	path := writeFile(t, dir, "c.yaml", "webhook: "+fileHook+"\noauth:\n  portal_url: https://file.example/\n  client_id: fileid\n  client_secret: filesecret\n  access_token: filea\n  refresh_token: filer\n")
	env := map[string]string{"HOME": dir, "B24_WEBHOOK_URL": envHook}

	s, err := resolve(flagValues{config: path, webhook: flagHook}, envMap(env), noWarn(t))
	require.NoError(t, err)
	require.Equal(t, flagHook, s.client.WebhookURL)
	require.Nil(t, s.client.OAuth)

	s, err = resolve(flagValues{config: path}, envMap(env), noWarn(t))
	require.NoError(t, err)
	require.Equal(t, envHook, s.client.WebhookURL)

	delete(env, "B24_WEBHOOK_URL")
	s, err = resolve(flagValues{config: path}, envMap(env), noWarn(t))
	require.NoError(t, err)
	require.Equal(t, fileHook, s.client.WebhookURL, "the file's webhook wins over the file's oauth")

	env["B24_PORTAL_URL"] = "https://env.example/"
	env["B24_ACCESS_TOKEN"] = "enva"
	env["B24_REFRESH_TOKEN"] = "envr"
	s, err = resolve(flagValues{config: path}, envMap(env), noWarn(t))
	require.NoError(t, err)
	require.Empty(t, s.client.WebhookURL, "OAuth in env beats a webhook in the file")
	require.NotNil(t, s.client.OAuth)
	require.Equal(t, "https://env.example/", s.client.OAuth.PortalURL)
	require.Equal(t, "enva", s.client.OAuth.AccessToken)
	require.Equal(t, "envr", s.client.OAuth.RefreshToken)
	require.Equal(t, "fileid", s.client.OAuth.ClientID, "fields missing from env come from the file")
	require.Equal(t, "filesecret", s.client.OAuth.ClientSecret)
	require.Nil(t, s.client.OAuth.OnRefresh, "tokens from env are not written to the file")
}

func TestRefreshedTokensGoBackToTheFile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "c.yaml", "# my portal\ntheme: dark\noauth:\n  portal_url: https://p.example/\n  client_id: id\n  client_secret: sec\n  access_token: old-a\n  refresh_token: old-r\n")
	s, err := resolve(flagValues{config: path}, envMap(map[string]string{"HOME": dir}), noWarn(t))
	require.NoError(t, err)
	require.NotNil(t, s.client.OAuth)
	require.NotNil(t, s.client.OAuth.OnRefresh)
	s.client.OAuth.OnRefresh("new-a", "new-r")

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(data), "# my portal")
	cfg, err := parseConfig(data)
	require.NoError(t, err)
	require.Equal(t, "new-a", cfg.OAuth.AccessToken)
	require.Equal(t, "new-r", cfg.OAuth.RefreshToken)
	require.Equal(t, "dark", cfg.Theme)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}

func TestParseConfigRejects(t *testing.T) {
	for _, text := range []string{
		"rate: premium\n",
		"rate: {per_second: 0, burst: 5}\n",
		"rate: [1, 2]\n",
		"freshness: -5m\n",
		"online_threshold: 10\n",
		"background_load: maybe\n",
		"keys: {quit: q}\n",
		"webhook: [a]\n",
		"links: maybe\n",
		"links: [on]\n",
	} {
		_, err := parseConfig([]byte(text))
		require.Error(t, err, text)
		require.Contains(t, err.Error(), "line", text)
	}
	cfg, err := parseConfig(nil)
	require.NoError(t, err, "an empty file is no error")
	require.False(t, cfg.hasSecret())
}

func TestYAMLMessageHidesValues(t *testing.T) {
	_, err := parseConfig([]byte("oauth: " + testCode + "\n"))
	require.Error(t, err)
	require.NotContains(t, err.Error(), testCode)
	require.NotContains(t, err.Error(), "main.")
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 12400: "12,400", 1234567: "1,234,567", -1500: "-1,500"} {
		require.Equal(t, want, directory.Thousands(n))
	}
}
